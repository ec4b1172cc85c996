/**
 * The port that wraps and unwraps per-file keys. The package never holds a
 * keyring: a caller supplies `wrap`/`unwrap`, and the wrapped bytes go into
 * the file header as they are. Two adapters over `@ignition/vault`:
 * `layerKeyring` seals the file key as a vault record (record type
 * `upload.file-key`, record id = the file id) under the unlocked vault's
 * current content key, itself wrapped by the KEK; `layerContentKey` does the
 * same with one given content key and binding, for tools and tests without
 * a keyring. Either way the wrap is an `Envelope` as UTF-8 JSON, whose AAD
 * binds user, vault, record type and file id: a wrap moved to another file
 * does not open.
 */

import { type Entropy, Envelope, Keyring } from "@ignition/vault"
import { Context, Effect, Layer, Schema } from "effect"
import type { FileId } from "./FileId.js"
import { FileKeyUnavailable } from "./UploadError.js"

export const KEY_BYTES = 32
export const RECORD_TYPE = "upload.file-key"

export class KeyWrap extends Context.Tag("@ignition/upload/KeyWrap")<
  KeyWrap,
  {
    readonly wrap: (fileKey: Uint8Array, fileId: FileId) => Effect.Effect<Uint8Array, FileKeyUnavailable>
    /** The 32-byte file key; the caller wipes it once the segment key is derived. */
    readonly unwrap: (wrapped: Uint8Array, fileId: FileId) => Effect.Effect<Uint8Array, FileKeyUnavailable>
  }
>() {}

const EnvelopeJson = Schema.parseJson(Envelope.Envelope)
const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder("utf-8", { fatal: true })

const unavailable = (what: string) => (error: { readonly _tag: string }) =>
  new FileKeyUnavailable({ message: `${what}: ${error._tag}` })

const fileKeyRef = (fileId: FileId) => ({ recordType: RECORD_TYPE, recordId: fileId })

/** The envelope's JSON, as UTF-8: what goes into the header. */
const toBytes = (envelope: Envelope.Envelope) => utf8.encode(Schema.encodeSync(EnvelopeJson)(envelope))

const fromBytes = (wrapped: Uint8Array) =>
  Effect.try(() => fromUtf8.decode(wrapped)).pipe(
    Effect.flatMap(Schema.decodeUnknown(EnvelopeJson)),
    Effect.mapError(() => new FileKeyUnavailable({ message: "the wrapped file key is not an envelope" })),
  )

const checkSize = (key: Uint8Array) =>
  key.length === KEY_BYTES
    ? Effect.succeed(key)
    : Effect.fail(new FileKeyUnavailable({ message: `the unwrapped file key has ${key.length} bytes` }))

const makeWith = (
  seal: (fileId: FileId, key: Uint8Array) => Effect.Effect<Envelope.Envelope, { readonly _tag: string }>,
  open: (fileId: FileId, envelope: Envelope.Envelope) => Effect.Effect<Uint8Array, { readonly _tag: string }>,
): KeyWrap["Type"] => ({
  wrap: (fileKey, fileId) =>
    seal(fileId, fileKey).pipe(Effect.map(toBytes), Effect.mapError(unavailable("the file key could not be wrapped"))),
  unwrap: (wrapped, fileId) =>
    Effect.flatMap(fromBytes(wrapped), (envelope) =>
      open(fileId, envelope).pipe(
        Effect.mapError(unavailable("the file key did not unwrap")),
        Effect.flatMap(checkSize),
      ),
    ),
})

/** File keys sealed by the unlocked vault; a locked vault answers `FileKeyUnavailable` (VaultLocked). */
export const layerKeyring: Layer.Layer<KeyWrap, never, Keyring.Keyring> = Layer.effect(
  KeyWrap,
  Effect.map(Keyring.Keyring, (keyring) =>
    makeWith(
      (fileId, key) => keyring.seal(fileKeyRef(fileId), key),
      (fileId, envelope) => keyring.open(fileKeyRef(fileId), envelope),
    ),
  ),
)

/** File keys sealed under one content key, bound to `binding`'s user and vault. */
export const layerContentKey = (
  key: Envelope.ContentKey,
  binding: { readonly userId: string; readonly vaultId: string },
): Layer.Layer<KeyWrap, never, Entropy.Entropy> =>
  Layer.effect(
    KeyWrap,
    Effect.map(Effect.context<Entropy.Entropy>(), (context) =>
      makeWith(
        (fileId, raw) => Effect.provide(Envelope.seal(key, { ...binding, ...fileKeyRef(fileId) }, raw), context),
        (fileId, envelope) => Envelope.open(key, { ...binding, ...fileKeyRef(fileId) }, envelope),
      ),
    ),
  )
