/**
 * The vault adapters: a file key sealed by the unlocked keyring opens for
 * its file and no other, not once the vault is locked, and not from
 * another vault; files encrypted through the keyring decrypt through it.
 */
import { assert, describe, it } from "@effect/vitest"
import { CryptoPolicy, Entropy, Keyring } from "@ignition/vault"
import { Effect, Layer } from "effect"
import * as Aead from "../src/Aead.js"
import * as FileCipher from "../src/FileCipher.js"
import * as KeyWrap from "../src/KeyWrap.js"
import { binding, fileId, keysLayer, otherFileId, patterned } from "./support.js"

/** The OWASP floor: real Argon2id, fast enough for a test. */
const floorPolicy = new CryptoPolicy.CryptoPolicy({
  version: 2,
  aead: "AES-256-GCM",
  kdf: { alg: "argon2id", m: 19 * 1024, t: 2, p: 1 },
  deprecated: false,
})

/** The adapter and the test share one keyring. */
const keys = KeyWrap.layerKeyring.pipe(Layer.provideMerge(Keyring.layerTest("upload-keywrap")))

describe("KeyWrap", () => {
  it.effect("the keyring adapter: opens for its file only, and not while locked", () =>
    Effect.provide(
      Effect.gen(function* () {
        const keyring = yield* Keyring.Keyring
        yield* keyring.create(binding, Keyring.passphrase("a long and memorable passphrase"), floorPolicy)
        const wrap = yield* KeyWrap.KeyWrap
        const fileKey = patterned(32, 3)
        const wrapped = yield* wrap.wrap(fileKey, fileId)
        assert.deepStrictEqual(yield* wrap.unwrap(wrapped, fileId), fileKey)
        assert.deepInclude(yield* Effect.flip(wrap.unwrap(wrapped, otherFileId)), { _tag: "FileKeyUnavailable" })
        assert.deepInclude(yield* Effect.flip(wrap.unwrap(patterned(40), fileId)), { _tag: "FileKeyUnavailable" })
        // A file encrypted through the keyring decrypts through it.
        const cipher = yield* FileCipher.create(fileId, 64)
        const plaintext = patterned(300)
        const blob = yield* FileCipher.encryptBytes(cipher, plaintext)
        assert.deepStrictEqual(yield* FileCipher.decryptBytes(fileId, blob), plaintext)
        yield* keyring.lock("manual")
        const locked = yield* Effect.flip(wrap.unwrap(wrapped, fileId))
        assert.deepInclude(locked, { _tag: "FileKeyUnavailable" })
        assert.include(locked.message, "VaultLocked")
        // And another vault's content key does not open it.
        const foreign = yield* Effect.flip(Effect.provide(FileCipher.decryptBytes(fileId, blob), keysLayer(0x5a)))
        assert.deepInclude(foreign, { _tag: "FileKeyUnavailable" })
      }),
      Layer.mergeAll(keys, Aead.layer, Entropy.layer),
    ),
  )
})
