/**
 * Content keys: random AES-256-GCM keys, each with a key id, wrapped by the
 * KEK as an ordinary envelope whose record is the key itself
 * (`vault.content-key`/kid), so a wrapped content key cannot be moved to
 * another vault or relabelled with another kid. Rotation adds a key and
 * retires the old one; retired keys stay readable forever.
 */
import { Effect, Schema } from "effect"
import * as Entropy from "./Entropy.js"
import { type ContentKey, type Envelope, KeyId, open, seal } from "./Envelope.js"
import { importAesKey, wipe } from "./internal/subtle.js"
import { DecryptionFailed } from "./VaultError.js"

export const KEY_BYTES = 32

/** The KEK as a content-key-wrapping key, under the reserved id `kek`. */
export const kekKey = (kek: Uint8Array) =>
  Effect.map(importAesKey(kek), (key): ContentKey => ({ kid: KeyId.make("kek"), key }))

const context = (binding: { readonly userId: string; readonly vaultId: string }, kid: string) => ({
  userId: binding.userId,
  vaultId: binding.vaultId,
  recordType: "vault.content-key",
  recordId: kid,
})

/** A fresh content key id: 12 random bytes, base64url. */
export const newKeyId = Effect.map(Entropy.bytes(12), (bytes) =>
  KeyId.make(Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)(bytes)),
)

/** Makes a new content key and its KEK-wrapped form. */
export const generate = (kek: ContentKey, binding: { readonly userId: string; readonly vaultId: string }) =>
  Effect.gen(function* () {
    const kid = yield* newKeyId
    const raw = yield* Entropy.bytes(KEY_BYTES)
    const wrapped = yield* seal(kek, context(binding, kid), raw)
    const key = yield* importAesKey(raw)
    wipe(raw)
    return { key: { kid, key } satisfies ContentKey, wrapped }
  })

/** Opens a KEK-wrapped content key into a non-extractable key. */
export const unwrap = (
  kek: ContentKey,
  binding: { readonly userId: string; readonly vaultId: string },
  kid: KeyId,
  wrapped: Envelope,
) =>
  Effect.gen(function* () {
    const raw = yield* Effect.catchTag(
      open(kek, context(binding, kid), wrapped),
      "UnknownContentKey",
      () => new DecryptionFailed({ message: `content key ${kid} is not wrapped by this vault's KEK` }),
    )
    if (raw.length !== KEY_BYTES)
      return yield* new DecryptionFailed({ message: `content key ${kid} has the wrong size` })
    const key = yield* importAesKey(raw)
    wipe(raw)
    return { kid, key } satisfies ContentKey
  })
