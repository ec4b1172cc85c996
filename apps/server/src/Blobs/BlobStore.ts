/**
 * The blob store port: where upload sessions put ciphertext and downloads
 * read it back. Objects are immutable bytes under a key; large ones arrive
 * as a multipart upload (parts in any order and in parallel, each checked
 * against the SHA-256 the client sent, then completed into one object) and
 * leave as a stream of chunks, whole or by byte range, in constant memory.
 * Adapters: `FilesystemBlobStore` (the default, a local directory),
 * `S3BlobStore` (any S3-compatible store) and `MemoryBlobStore` (tests); one
 * contract suite (test/Blobs) holds them to the same behaviour.
 *
 * Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`, no
 * segment starting with a dot (so no `.` or `..`): the same set is valid on
 * every adapter, and none can leave the filesystem store's directory.
 */
import { HttpApiSchema } from "@effect/platform"
import { Context, type Effect, Schema, type Stream } from "effect"

/** The key, prefix or upload id is not one the store accepts (see the module comment). */
export class BlobKeyInvalid extends Schema.TaggedError<BlobKeyInvalid>()(
  "BlobKeyInvalid",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "Not a valid blob key" }),
) {}

/** No object under the key, or no multipart upload with that id (never created, completed or aborted). */
export class BlobNotFound extends Schema.TaggedError<BlobNotFound>()(
  "BlobNotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "No such blob or upload" }),
) {}

/** The bytes' SHA-256 is not the one sent with them; nothing was stored. */
export class BlobChecksumMismatch extends Schema.TaggedError<BlobChecksumMismatch>()(
  "BlobChecksumMismatch",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The bytes do not match their SHA-256" }),
) {}

/** A byte range outside the object, or empty. */
export class BlobRangeInvalid extends Schema.TaggedError<BlobRangeInvalid>()(
  "BlobRangeInvalid",
  { message: Schema.String, size: Schema.Int.pipe(Schema.nonNegative()) },
  HttpApiSchema.annotations({ status: 416, description: "The range is not satisfiable" }),
) {}

/** Completing named a part the upload does not hold (or holds with other bytes); every part stays. */
export class BlobPartsInvalid extends Schema.TaggedError<BlobPartsInvalid>()(
  "BlobPartsInvalid",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 409, description: "The upload's parts are not the ones named" }),
) {}

/** The store failed or could not be reached (disk full, I/O error, network, 5xx): worth retrying later. */
export class BlobStoreUnavailable extends Schema.TaggedError<BlobStoreUnavailable>()(
  "BlobStoreUnavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 503, description: "The blob store is unavailable" }),
) {}

/** Part numbers run from 1 to 10,000, as in S3. */
export const maxPartNumber = 10_000

/** A part as stored: what completing the upload must name. */
export interface Part {
  readonly partNumber: number
  /** The store's tag for the part's bytes (S3's ETag; a SHA-256 hex digest elsewhere). */
  readonly etag: string
  readonly size: number
}

export interface ObjectInfo {
  readonly key: string
  readonly size: number
  readonly modifiedAt: Date
}

/**
 * A byte range as HTTP's `Range` header states one: `Span` from `start` to
 * `end` inclusive (to the last byte when `end` is absent or beyond it), or
 * the last `length` bytes (`Suffix`, the whole object when it is shorter).
 */
export type ByteRange =
  | { readonly _tag: "Span"; readonly start: number; readonly end?: number | undefined }
  | { readonly _tag: "Suffix"; readonly length: number }

/** An object being read: its size, the bytes sent (inclusive) and their chunks. */
export interface Download {
  readonly size: number
  readonly start: number
  readonly end: number
  readonly body: Stream.Stream<Uint8Array, BlobStoreUnavailable>
}

type Failure = BlobKeyInvalid | BlobStoreUnavailable

export interface Service {
  /** Store the bytes under the key, replacing what was there, all at once: a reader sees the old or the new. */
  readonly put: (key: string, bytes: Uint8Array) => Effect.Effect<ObjectInfo, Failure>
  /** The bytes, or a range of them; the body fails with `BlobStoreUnavailable` if the store does midway. */
  readonly get: (key: string, range?: ByteRange) => Effect.Effect<Download, BlobNotFound | BlobRangeInvalid | Failure>
  readonly head: (key: string) => Effect.Effect<ObjectInfo, BlobNotFound | Failure>
  /** Done whether or not the object existed. */
  readonly delete: (key: string) => Effect.Effect<void, Failure>
  /** Every object whose key starts with the prefix, in no particular order. */
  readonly list: (prefix: string) => Stream.Stream<ObjectInfo, Failure>
  /** Begin a multipart upload to the key; nothing is visible under it until completed. */
  readonly createUpload: (key: string) => Effect.Effect<string, Failure>
  /**
   * Store one part (numbered 1 to `maxPartNumber`) after checking its bytes
   * against `sha256` (32 bytes); putting a part number again replaces it.
   */
  readonly putPart: (
    key: string,
    uploadId: string,
    partNumber: number,
    bytes: Uint8Array,
    sha256: Uint8Array,
  ) => Effect.Effect<Part, BlobNotFound | BlobChecksumMismatch | BlobPartsInvalid | Failure>
  /** The parts held, by part number: what a resumed upload still lacks. */
  readonly listParts: (key: string, uploadId: string) => Effect.Effect<ReadonlyArray<Part>, BlobNotFound | Failure>
  /** Join the named parts, in part-number order, into the object under the key; the upload ends. */
  readonly completeUpload: (
    key: string,
    uploadId: string,
    parts: ReadonlyArray<Part>,
  ) => Effect.Effect<ObjectInfo, BlobNotFound | BlobPartsInvalid | Failure>
  /** Drop the upload and its parts; done whether or not it existed. */
  readonly abortUpload: (key: string, uploadId: string) => Effect.Effect<void, Failure>
}

export class BlobStore extends Context.Tag("@ignition/server/BlobStore")<BlobStore, Service>() {}
