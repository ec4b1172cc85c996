/**
 * Recovery codes through the real HTTP server: a set of ten, each spent
 * once (even while the vault is locked, since that is how it unlocks),
 * revoked one by one or all at once by a new set, rate-limited, and out of
 * other users' reach.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { VaultApi } from "@ignition/api"
import { Entropy, WrappedKey } from "@ignition/vault"
import { Duration, Effect, Redacted } from "effect"
import * as TestServerLayer from "./support/TestServer.js"
import {
  base64url,
  createVault,
  failure,
  fakeWrap,
  field,
  floorPolicy,
  type Member,
  member,
  random,
  send,
  wrapJson,
} from "./support/Vault.js"

interface Code {
  readonly id: string
  /** What the user writes down (here, the raw 16 bytes). */
  readonly code: Uint8Array
  readonly verifier: Uint8Array
}

/** A set of ten codes with real recovery-code wraps of `kek` (HKDF, so quick). */
const codeSet = (m: Member, vaultId: string, kek: Uint8Array) =>
  Effect.gen(function* () {
    const codes: Array<Code> = Array.from({ length: VaultApi.recoveryCodesPerSet }, () => ({
      id: randomUUID(),
      code: random(16),
      verifier: random(32),
    }))
    const entries = yield* Effect.forEach(codes, (entry) =>
      Effect.map(
        WrappedKey.wrap(
          kek,
          { type: "recovery-code", code: entry.code },
          { userId: m.userId, vaultId, credentialId: entry.id },
          floorPolicy,
        ),
        (wrap) => ({ id: entry.id, verifier: Redacted.make(entry.verifier), wrap }),
      ),
    ).pipe(Effect.provide(Entropy.layer))
    return { codes, entries }
  })

const validate = (m: Member, verifier: Uint8Array) =>
  m.client.vault.validateRecoveryCode({ payload: { verifier: Redacted.make(verifier) } })

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })(
  "recovery codes",
  (it) => {
    it.effect("a code hands out its wrap once, even while locked; the wrap opens with the code", () =>
      Effect.gen(function* () {
        const me = yield* member("recover")
        const vault = yield* createVault(me)
        const kek = random(32)
        const set = yield* codeSet(me, vault.vaultId, kek)
        const created = yield* me.client.vault.generateRecoveryCodes({ payload: { codes: set.entries } })
        assert.deepStrictEqual(
          created.map((code) => code.id),
          set.codes.map((code) => code.id),
        )
        assert.isTrue(created.every((code) => code.usedCount === 0 && code.revokedAt === null))
        assert.lengthOf(
          (yield* me.client.vault.get()).wraps.filter((wrap) => wrap.credentialType === "recovery-code"),
          10,
        )

        yield* me.client.vault.lock({ payload: { reason: "idle" } })
        const [first] = set.codes
        assert.isDefined(first)
        const spent = yield* validate(me, first?.verifier ?? random(32))
        assert.strictEqual(spent.codeId, first?.id)
        // The wrap the server kept opens with the code the user wrote down.
        const opened = yield* WrappedKey.unwrap(
          spent.wrap,
          { type: "recovery-code", code: first?.code ?? random(16) },
          { userId: me.userId, vaultId: vault.vaultId },
        )
        assert.deepStrictEqual(opened, kek)

        const again = yield* failure(validate(me, first?.verifier ?? random(32)))
        assert.strictEqual(again._tag, "RecoveryCodeUsed")
        const listed = yield* me.client.vault.recoveryCodes()
        const used = listed.find((code) => code.id === first?.id)
        assert.strictEqual(used?.usedCount, 1)
        assert.isNotNull(used?.lastUsedAt)
        assert.isNotNull(used?.revokedAt)
        const info = yield* me.client.vault.get()
        assert.isFalse(
          info.wraps.some((wrap) => wrap.credentialId === first?.id),
          "its wrap is revoked",
        )
        assert.lengthOf(
          info.wraps.filter((wrap) => wrap.credentialType === "recovery-code"),
          9,
        )
        // Still locked: spending a code does not unlock; the unlock proof does.
        assert.isTrue(info.lock.locked)
        yield* me.client.vault.unlock({ payload: { unlockProof: Redacted.make(vault.proof) } })
      }),
    )

    it.effect("revoking a code revokes its wrap; unknown and others' codes are 404", () =>
      Effect.gen(function* () {
        const me = yield* member("revoker")
        const vault = yield* createVault(me)
        const set = yield* codeSet(me, vault.vaultId, random(32))
        yield* me.client.vault.generateRecoveryCodes({ payload: { codes: set.entries } })
        const [first, second] = set.codes
        yield* me.client.vault.revokeRecoveryCode({ path: { id: first?.id ?? "" } })
        // Idempotent.
        yield* me.client.vault.revokeRecoveryCode({ path: { id: first?.id ?? "" } })
        assert.strictEqual((yield* failure(validate(me, first?.verifier ?? random(32))))._tag, "RecoveryCodeUsed")
        assert.isFalse((yield* me.client.vault.get()).wraps.some((wrap) => wrap.credentialId === first?.id))
        const revoked = (yield* me.client.vault.recoveryCodes()).find((code) => code.id === first?.id)
        assert.isNotNull(revoked?.revokedAt)
        assert.strictEqual(revoked?.usedCount, 0)
        assert.strictEqual(
          (yield* failure(me.client.vault.revokeRecoveryCode({ path: { id: randomUUID() } })))._tag,
          "NotFound",
        )

        // Revoking a code's wrap revokes the code too.
        const wrapOfSecond = (yield* me.client.vault.get()).wraps.find((wrap) => wrap.credentialId === second?.id)
        yield* me.client.vault.revokeWrap({ path: { id: wrapOfSecond?.id ?? "" } })
        assert.isNotNull((yield* me.client.vault.recoveryCodes()).find((code) => code.id === second?.id)?.revokedAt)

        const other = yield* member("snoop")
        yield* createVault(other)
        const third = set.codes[2]
        assert.strictEqual(
          (yield* failure(other.client.vault.revokeRecoveryCode({ path: { id: third?.id ?? "" } })))._tag,
          "NotFound",
        )
        assert.strictEqual(
          (yield* failure(validate(other, third?.verifier ?? random(32))))._tag,
          "RecoveryCodeNotFound",
        )
        assert.lengthOf(yield* other.client.vault.recoveryCodes(), 0)
        // Untouched by the other user's attempts.
        assert.strictEqual(
          (yield* me.client.vault.recoveryCodes()).find((code) => code.id === third?.id)?.revokedAt,
          null,
        )
        assert.strictEqual((yield* validate(me, third?.verifier ?? random(32))).codeId, third?.id)
      }),
    )

    it.effect("a new set revokes the previous codes and their wraps", () =>
      Effect.gen(function* () {
        const me = yield* member("regen")
        const vault = yield* createVault(me)
        const kek = random(32)
        const old = yield* codeSet(me, vault.vaultId, kek)
        yield* me.client.vault.generateRecoveryCodes({ payload: { codes: old.entries } })
        const fresh = yield* codeSet(me, vault.vaultId, kek)
        yield* me.client.vault.generateRecoveryCodes({ payload: { codes: fresh.entries } })
        const listed = yield* me.client.vault.recoveryCodes()
        assert.lengthOf(listed, 20)
        const byId = new Map(listed.map((code) => [code.id, code]))
        assert.isTrue(old.codes.every((code) => byId.get(code.id)?.revokedAt !== null))
        assert.isTrue(fresh.codes.every((code) => byId.get(code.id)?.revokedAt === null))
        const wraps = (yield* me.client.vault.get()).wraps.filter((wrap) => wrap.credentialType === "recovery-code")
        assert.sameMembers(
          wraps.map((wrap) => wrap.credentialId),
          fresh.codes.map((code) => code.id),
        )
        assert.strictEqual(
          (yield* failure(validate(me, old.codes[0]?.verifier ?? random(32))))._tag,
          "RecoveryCodeUsed",
        )
        assert.strictEqual((yield* validate(me, fresh.codes[0]?.verifier ?? random(32))).codeId, fresh.codes[0]?.id)
      }),
    )

    it.effect("a set must be ten codes, each wrap bound to its own code; reused ids or verifiers are refused", () =>
      Effect.gen(function* () {
        const me = yield* member("badset")
        const vault = yield* createVault(me)
        const set = yield* codeSet(me, vault.vaultId, random(32))
        const json = set.entries.map((entry, index) => ({
          id: entry.id,
          verifier: base64url(set.codes[index]?.verifier ?? random(32)),
          wrap: wrapJson(entry.wrap),
        }))
        const nine = yield* send(me, "POST", "/api/vault/recovery-codes/generate", { codes: json.slice(1) })
        assert.strictEqual(nine.status, 400)
        assert.match(String(field(nine.body, "message")), /\["codes"\]/)
        const shortVerifier = yield* send(me, "POST", "/api/vault/recovery-codes/generate", {
          codes: [{ ...json[0], verifier: base64url(random(8)) }, ...json.slice(1)],
        })
        assert.strictEqual(shortVerifier.status, 400)
        assert.match(String(field(shortVerifier.body, "message")), /verifier/)

        // A wrap bound to another code id.
        const swapped = [...set.entries]
        const [a, b] = swapped
        if (a !== undefined && b !== undefined) swapped[0] = { ...a, wrap: b.wrap }
        assert.deepInclude(yield* failure(me.client.vault.generateRecoveryCodes({ payload: { codes: swapped } })), {
          _tag: "WrapBindingMismatch",
          field: "codes[0].wrap.aad.credential_id",
        })
        // A passphrase wrap where a recovery-code wrap belongs.
        const wrongType = [...set.entries]
        if (a !== undefined) {
          wrongType[0] = {
            ...a,
            wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialId: a.id }),
          }
        }
        assert.deepInclude(yield* failure(me.client.vault.generateRecoveryCodes({ payload: { codes: wrongType } })), {
          _tag: "WrapBindingMismatch",
          field: "codes[0].wrap.aad.credential_type",
        })
        const sameVerifier = set.entries.map((entry) => ({ ...entry, verifier: Redacted.make(random(32).fill(7)) }))
        assert.strictEqual(
          (yield* failure(me.client.vault.generateRecoveryCodes({ payload: { codes: sameVerifier } })))._tag,
          "BadRequest",
        )
        // None of it was stored.
        assert.lengthOf(yield* me.client.vault.recoveryCodes(), 0)
        // A set whose ids someone already holds is a conflict, and nothing changes.
        yield* me.client.vault.generateRecoveryCodes({ payload: { codes: set.entries } })
        const replay = yield* failure(me.client.vault.generateRecoveryCodes({ payload: { codes: set.entries } }))
        assert.strictEqual(replay._tag, "Conflict")
        assert.isTrue((yield* me.client.vault.recoveryCodes()).every((code) => code.revokedAt === null))
      }),
    )

    it.effect("repeated wrong codes are refused with 429 and Retry-After", () =>
      Effect.gen(function* () {
        const me = yield* member("codeguess")
        const vault = yield* createVault(me)
        const set = yield* codeSet(me, vault.vaultId, random(32))
        yield* me.client.vault.generateRecoveryCodes({ payload: { codes: set.entries } })
        for (let i = 0; i < 5; i++) {
          assert.strictEqual((yield* failure(validate(me, random(32))))._tag, "RecoveryCodeNotFound")
        }
        const right = set.codes[0]?.verifier ?? random(32)
        const blocked = yield* send(me, "POST", "/api/vault/recovery-codes/validate", { verifier: base64url(right) })
        assert.strictEqual(blocked.status, 429)
        assert.strictEqual(field(blocked.body, "_tag"), "TooManyRequests")
        const retryAfter = Number(blocked.headers.get("retry-after"))
        assert.isAtLeast(retryAfter, 1)
        // The refused attempt did not spend the code.
        assert.strictEqual(
          (yield* me.client.vault.recoveryCodes()).find((c) => c.id === set.codes[0]?.id)?.usedCount,
          0,
        )
        yield* Effect.sleep(Duration.seconds(retryAfter + 0.2))
        assert.strictEqual((yield* validate(me, right)).codeId, set.codes[0]?.id)
      }),
    )
  },
)
