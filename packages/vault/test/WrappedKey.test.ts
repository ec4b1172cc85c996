/**
 * KEK wraps: every credential type round-trips; a wrong passphrase, code or
 * passkey output is WrongCredential; a blob bound to another user or vault,
 * a downgraded KDF or policy, parameters below the floor, and any flipped
 * bit are refused; v1 (PBKDF2) wraps are read but never written.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Redacted, Schema } from "effect"
import * as CryptoPolicy from "../src/CryptoPolicy.js"
import * as Entropy from "../src/Entropy.js"
import * as Aad from "../src/internal/aad.js"
import { aesGcmEncrypt, importAesKey, pbkdf2Sha256 } from "../src/internal/subtle.js"
import * as WrappedKey from "../src/WrappedKey.js"
import { binding, flipBit, floorPolicy } from "./support.js"

const kek = new Uint8Array(32).map((_, index) => index)
const passphrase = (text: string): WrappedKey.Credential => ({ type: "passphrase", passphrase: Redacted.make(text) })
const wrapBinding = { ...binding, credentialId: "cred-1" }
const run = <A, E>(effect: Effect.Effect<A, E, Entropy.Entropy>) => Effect.provide(effect, Entropy.layer)

/** A v1 wrap as the seed made them (PBKDF2, 100,000 iterations): built by hand, since the library never makes one. */
const legacyWrap = (text: string) =>
  Effect.gen(function* () {
    const salt = new Uint8Array(16).fill(9)
    const nonce = new Uint8Array(12).fill(3)
    const header = {
      wrap_version: "v1" as const,
      wrap_type: "AEAD" as const,
      kdf: { alg: "pbkdf2-sha256" as const, iterations: 100_000, salt },
      aad: {
        user_id: binding.userId,
        vault_id: binding.vaultId,
        credential_id: "legacy",
        credential_type: "passphrase" as const,
        policy_version: 1,
      },
    }
    const key = yield* importAesKey(yield* pbkdf2Sha256(new TextEncoder().encode(text), salt, 100_000, 32))
    const aad = Aad.encode("ignition/kek-wrap", [
      "v1",
      "AEAD",
      binding.userId,
      binding.vaultId,
      "legacy",
      "passphrase",
      1,
      "pbkdf2-sha256",
      100_000,
      Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)(salt),
    ])
    return { ...header, nonce, cipher: yield* aesGcmEncrypt(key, nonce, kek, aad) } satisfies WrappedKey.WrappedKey
  })

describe("WrappedKey", () => {
  it.effect("a passphrase wrap opens with the passphrase (NFKC-normalised) and nothing else", () =>
    run(
      Effect.gen(function* () {
        const wrapped = yield* WrappedKey.wrap(kek, passphrase("ﬁne café"), wrapBinding, floorPolicy)
        assert.strictEqual(wrapped.kdf.alg, "argon2id")
        assert.deepStrictEqual(yield* WrappedKey.unwrap(wrapped, passphrase("fine café"), binding), kek)
        const error = yield* Effect.flip(WrappedKey.unwrap(wrapped, passphrase("fine cafe"), binding))
        assert.strictEqual(error._tag, "WrongCredential")
      }),
    ),
  )

  it.effect("passkey PRF outputs and recovery codes wrap with HKDF; the wrong secret is WrongCredential", () =>
    run(
      Effect.gen(function* () {
        const prf = new Uint8Array(32).fill(1)
        const salt = new Uint8Array(32).fill(2)
        const byPasskey = yield* WrappedKey.wrap(
          kek,
          { type: "passkey", prfOutput: prf },
          wrapBinding,
          floorPolicy,
          salt,
        )
        assert.deepStrictEqual(byPasskey.kdf, { alg: "hkdf-sha256", salt })
        assert.deepStrictEqual(yield* WrappedKey.unwrap(byPasskey, { type: "passkey", prfOutput: prf }, binding), kek)
        const wrongPrf = yield* Effect.flip(
          WrappedKey.unwrap(byPasskey, { type: "passkey", prfOutput: flipBit(prf, 5) }, binding),
        )
        assert.strictEqual(wrongPrf._tag, "WrongCredential")
        const code = new Uint8Array(16).fill(4)
        const byCode = yield* WrappedKey.wrap(kek, { type: "recovery-code", code }, wrapBinding, floorPolicy)
        assert.deepStrictEqual(yield* WrappedKey.unwrap(byCode, { type: "recovery-code", code }, binding), kek)
        const wrongType = yield* Effect.flip(WrappedKey.unwrap(byCode, passphrase("x"), binding))
        assert.strictEqual(wrongType._tag, "WrongCredential")
      }),
    ),
  )

  it.effect("a blob bound to another user or vault is refused before any derivation", () =>
    run(
      Effect.gen(function* () {
        const wrapped = yield* WrappedKey.wrap(kek, passphrase("p"), wrapBinding, floorPolicy)
        for (const expected of [
          { ...binding, userId: "someone-else" },
          { ...binding, vaultId: "another-vault" },
        ]) {
          const error = yield* Effect.flip(WrappedKey.unwrap(wrapped, passphrase("p"), expected))
          assert.strictEqual(error._tag, "PolicyRefused")
        }
        // Relabelling the AAD to match does not help: the AAD is authenticated.
        const relabelled = { ...wrapped, aad: { ...wrapped.aad, user_id: "someone-else" } }
        const error = yield* Effect.flip(
          WrappedKey.unwrap(relabelled, passphrase("p"), { ...binding, userId: "someone-else" }),
        )
        assert.strictEqual(error._tag, "WrongCredential")
      }),
    ),
  )

  it.effect("a downgraded KDF or policy is refused, whatever the server sends", () =>
    run(
      Effect.gen(function* () {
        const wrapped = yield* WrappedKey.wrap(kek, passphrase("p"), wrapBinding, floorPolicy)
        if (wrapped.kdf.alg !== "argon2id") return assert.fail("expected Argon2id")
        const downgrades: ReadonlyArray<WrappedKey.WrappedKey> = [
          { ...wrapped, kdf: { ...wrapped.kdf, m: 1024 } },
          { ...wrapped, kdf: { ...wrapped.kdf, t: 1 } },
          { ...wrapped, kdf: { ...wrapped.kdf, salt: new Uint8Array(8) } },
          { ...wrapped, kdf: { alg: "pbkdf2-sha256", iterations: 100_000, salt: wrapped.kdf.salt } },
          { ...wrapped, kdf: { alg: "hkdf-sha256", salt: wrapped.kdf.salt } },
          { ...wrapped, wrap_version: "v1" },
          { ...wrapped, aad: { ...wrapped.aad, policy_version: 1 } },
        ]
        for (const downgraded of downgrades) {
          const error = yield* Effect.flip(WrappedKey.unwrap(downgraded, passphrase("p"), binding))
          assert.strictEqual(error._tag, "PolicyRefused", JSON.stringify(WrappedKey.encode(downgraded).kdf))
          assert.strictEqual((yield* Effect.flip(WrappedKey.validate(downgraded)))._tag, "PolicyRefused")
        }
      }),
    ),
  )

  it.effect("never writes under the read-only v1 policy or below the floor", () =>
    run(
      Effect.gen(function* () {
        const v1 = yield* Effect.flip(WrappedKey.wrap(kek, passphrase("p"), wrapBinding, CryptoPolicy.v1))
        assert.strictEqual(v1._tag, "PolicyRefused")
        const weak = new CryptoPolicy.CryptoPolicy({ ...floorPolicy, kdf: { alg: "argon2id", m: 4096, t: 3, p: 1 } })
        assert.strictEqual(
          (yield* Effect.flip(WrappedKey.wrap(kek, passphrase("p"), wrapBinding, weak)))._tag,
          "PolicyRefused",
        )
      }),
    ),
  )

  it.effect("reads a v1 (PBKDF2) wrap for migration, and knows it is weaker than v2", () =>
    Effect.gen(function* () {
      const legacy = yield* legacyWrap("old passphrase")
      yield* WrappedKey.validate(legacy)
      assert.deepStrictEqual(yield* WrappedKey.unwrap(legacy, passphrase("old passphrase"), binding), kek)
      assert.isTrue(CryptoPolicy.isWeaker(legacy.kdf, 1, CryptoPolicy.v2))
      const fewer = { ...legacy, kdf: { ...legacy.kdf, iterations: 10_000 } }
      assert.strictEqual(
        (yield* Effect.flip(WrappedKey.unwrap(fewer, passphrase("old passphrase"), binding)))._tag,
        "PolicyRefused",
      )
    }),
  )

  it.effect.prop(
    "any single bit flipped in nonce or cipher fails as WrongCredential",
    [fc.nat(), fc.constantFrom("nonce" as const, "cipher" as const)],
    ([bit, field]) =>
      run(
        Effect.gen(function* () {
          const code = new Uint8Array(16).fill(4)
          const credential: WrappedKey.Credential = { type: "recovery-code", code }
          const wrapped = yield* WrappedKey.wrap(kek, credential, wrapBinding, floorPolicy)
          const tampered = { ...wrapped, [field]: flipBit(wrapped[field], bit % (wrapped[field].length * 8)) }
          assert.strictEqual(
            (yield* Effect.flip(WrappedKey.unwrap(tampered, credential, binding)))._tag,
            "WrongCredential",
          )
        }),
      ),
    { fastCheck: { numRuns: 40 } },
  )

  it.effect("decoding a malformed blob names the field", () =>
    run(
      Effect.gen(function* () {
        const good = WrappedKey.encode(yield* WrappedKey.wrap(kek, passphrase("p"), wrapBinding, floorPolicy))
        for (const [bad, field] of [
          [{ ...good, nonce: "AAAA" }, "nonce"],
          [{ ...good, wrap_type: "KEM" }, "wrap_type"],
          [{ ...good, aad: { ...good.aad, policy_version: "2" } }, "policy_version"],
          [{ ...good, kdf: { alg: "scrypt" } }, "kdf"],
        ] as const) {
          const error = yield* Effect.flip(WrappedKey.decode(bad))
          assert.strictEqual(error._tag, "MalformedInput")
          assert.include(error.message, field)
        }
      }),
    ),
  )
})
