/**
 * The local journal that makes resuming safe. Before a chunk's ciphertext
 * leaves the device, the journal holds the SHA-256 of its plaintext; after
 * a crash or reload, a chunk is encrypted again only if its plaintext still
 * has that hash — the same key, IV and plaintext give the same bytes, so an
 * IV never meets other bytes. It holds the header (with the file key only
 * in wrapped form), never a key. An in-memory adapter here; IndexedDB comes
 * with the web client.
 */
import { Context, Effect, Layer, Option, Schema } from "effect"
import { FileId } from "./FileId.js"
import { JournalUnavailable } from "./UploadError.js"

const Digest = Schema.Uint8ArrayFromBase64Url.pipe(
  Schema.filter((bytes) => bytes.length === 32 || "a SHA-256 digest is 32 bytes"),
)

/** What is written when a session starts. */
export const JournalSession = Schema.Struct({
  sessionId: Schema.String,
  fileId: FileId,
  /** The encoded file header (its file key wrapped). */
  header: Schema.Uint8ArrayFromBase64Url,
  plaintextBytes: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: "JournalSession" })
export type JournalSession = typeof JournalSession.Type

export const ChunkHash = Schema.Struct({
  index: Schema.Int.pipe(Schema.nonNegative()),
  /** SHA-256 of the chunk's plaintext. */
  sha256: Digest,
}).annotations({ identifier: "ChunkHash" })
export type ChunkHash = typeof ChunkHash.Type

export const JournalEntry = Schema.Struct({
  ...JournalSession.fields,
  chunks: Schema.Array(ChunkHash),
}).annotations({ identifier: "JournalEntry" })
export type JournalEntry = typeof JournalEntry.Type

export class UploadJournal extends Context.Tag("@ignition/upload/UploadJournal")<
  UploadJournal,
  {
    readonly load: (uploadKey: string) => Effect.Effect<Option.Option<JournalEntry>, JournalUnavailable>
    /** Starts a new entry for `uploadKey`, replacing any earlier one. */
    readonly begin: (uploadKey: string, session: JournalSession) => Effect.Effect<void, JournalUnavailable>
    /** Must be durable before the chunk is sent. */
    readonly recordChunk: (uploadKey: string, chunk: ChunkHash) => Effect.Effect<void, JournalUnavailable>
    readonly remove: (uploadKey: string) => Effect.Effect<void, JournalUnavailable>
  }
>() {}

const encodeSession = Schema.encodeSync(JournalSession)
const encodeChunk = Schema.encodeSync(ChunkHash)
const decodeEntry = Schema.decodeUnknown(JournalEntry)

/**
 * A journal in memory that stores the encoded form, as a persistent one
 * would: what does not survive encoding does not survive here either. One
 * instance shared between two uploads stands for the device's storage
 * across a crash.
 */
export const makeMemory = (): UploadJournal["Type"] => {
  const entries = new Map<
    string,
    { session: typeof JournalSession.Encoded; chunks: Map<number, typeof ChunkHash.Encoded> }
  >()
  return {
    load: (uploadKey) =>
      Effect.suspend(() => {
        const stored = entries.get(uploadKey)
        if (stored === undefined) return Effect.succeed(Option.none())
        return decodeEntry({ ...stored.session, chunks: [...stored.chunks.values()] }).pipe(
          Effect.map(Option.some),
          Effect.mapError(() => new JournalUnavailable({ message: `the journal entry ${uploadKey} does not decode` })),
        )
      }),
    begin: (uploadKey, session) =>
      Effect.sync(() => {
        entries.set(uploadKey, { session: encodeSession(session), chunks: new Map() })
      }),
    recordChunk: (uploadKey, chunk) =>
      Effect.suspend(() => {
        const stored = entries.get(uploadKey)
        if (stored === undefined)
          return Effect.fail(new JournalUnavailable({ message: `no journal entry ${uploadKey}` }))
        stored.chunks.set(chunk.index, encodeChunk(chunk))
        return Effect.void
      }),
    remove: (uploadKey) =>
      Effect.sync(() => {
        entries.delete(uploadKey)
      }),
  }
}

export const layerMemory: Layer.Layer<UploadJournal> = Layer.sync(UploadJournal, makeMemory)
