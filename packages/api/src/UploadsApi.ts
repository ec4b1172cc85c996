/**
 * The `uploads` group: resumable, parallel uploads of encrypted files
 * (docs/chunked-encryption.md, docs/ops/blob-stores.md). A session is
 * created for a ciphertext of known size and layout; chunks (chunk 0 =
 * header + segment 0, chunk i = segment i) are put in any order, each with
 * its SHA-256 in `X-Chunk-SHA256` (base64url); the status says which are
 * in; completing hands over the SHA-256 of the whole ciphertext, the file's
 * identity, which the server checks. Owner-only: another user's session is
 * 404. Creating, putting and completing are encrypted writes: 423 while the
 * vault is locked.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Authentication } from "./Authentication.js"
import { VaultUnlocked } from "./VaultApi.js"

const ByteCount = Schema.Int.pipe(Schema.nonNegative())

/**
 * A SHA-256 digest, base64url without padding.
 *
 * @since 0.1.0
 */
export const Sha256 = Schema.Uint8ArrayFromBase64Url.pipe(
  Schema.filter((bytes) => bytes.length === 32 || "a SHA-256 digest is 32 bytes"),
)

/**
 * What the file is for; each purpose has its own per-file limit.
 *
 * @since 0.1.0
 */
export const UploadPurpose = Schema.Literal("file", "audio", "image", "daw-project")

/**
 * @since 0.1.0
 */
export class CreateUpload extends Schema.Class<CreateUpload>("CreateUpload")({
  purpose: UploadPurpose,
  ciphertextBytes: ByteCount,
  headerBytes: ByteCount,
  segmentBytes: Schema.Int.pipe(Schema.positive()),
}) {}

/**
 * @since 0.1.0
 */
export class UploadSession extends Schema.Class<UploadSession>("UploadSession")({
  sessionId: Schema.UUID,
  chunkCount: Schema.Int.pipe(Schema.positive()),
  /** When the session and its chunks are dropped unless completed (epoch milliseconds). */
  expiresAt: Schema.Number,
}) {}

/**
 * @since 0.1.0
 */
export class UploadStatus extends Schema.Class<UploadStatus>("UploadStatus")({
  sessionId: Schema.UUID,
  chunkCount: Schema.Int.pipe(Schema.positive()),
  /** Chunk indices the server holds, verified. */
  received: Schema.Array(Schema.Int),
  expiresAt: Schema.Number,
  completed: Schema.Boolean,
}) {}

/**
 * @since 0.1.0
 */
export class CompleteUpload extends Schema.Class<CompleteUpload>("CompleteUpload")({
  sha256: Sha256,
}) {}

/**
 * A stored file: its blob id, identity and size. Completing twice answers the same.
 *
 * @since 0.1.0
 */
export class StoredBlob extends Schema.Class<StoredBlob>("StoredBlob")({
  blobId: Schema.UUID,
  sha256: Sha256,
  ciphertextBytes: ByteCount,
}) {}

/**
 * No such session: never created, someone else's, aborted or expired.
 *
 * @since 0.1.0
 */
export class UploadNotFound extends Schema.TaggedError<UploadNotFound>()(
  "UploadNotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "No such upload session" }),
) {}

/**
 * The session's layout breaks the chunk rules, or a chunk does not fit it (index, length).
 *
 * @since 0.1.0
 */
export class UploadInvalid extends Schema.TaggedError<UploadInvalid>()(
  "UploadInvalid",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The session or chunk does not fit the layout" }),
) {}

/**
 * The chunk's bytes do not match the SHA-256 sent with them; it was discarded.
 *
 * @since 0.1.0
 */
export class ChunkChecksumMismatch extends Schema.TaggedError<ChunkChecksumMismatch>()(
  "ChunkChecksumMismatch",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The chunk does not match its SHA-256" }),
) {}

/**
 * Over the purpose's per-file limit or the user's quota; `limitBytes` says which limit.
 *
 * @since 0.1.0
 */
export class UploadTooLarge extends Schema.TaggedError<UploadTooLarge>()(
  "UploadTooLarge",
  { message: Schema.String, limitBytes: ByteCount },
  HttpApiSchema.annotations({ status: 413, description: "Over the per-file limit or the user's quota" }),
) {}

/**
 * Completing before every chunk is in; `missing` lists them.
 *
 * @since 0.1.0
 */
export class UploadIncomplete extends Schema.TaggedError<UploadIncomplete>()(
  "UploadIncomplete",
  { message: Schema.String, missing: Schema.Array(Schema.Int) },
  HttpApiSchema.annotations({ status: 409, description: "Chunks are missing" }),
) {}

/**
 * The stored ciphertext's SHA-256 is not the identity claimed; the session is dropped.
 *
 * @since 0.1.0
 */
export class UploadIdentityMismatch extends Schema.TaggedError<UploadIdentityMismatch>()(
  "UploadIdentityMismatch",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 409, description: "The ciphertext is not the file claimed" }),
) {}

/**
 * No such blob, or not yours.
 *
 * @since 0.1.0
 */
export class BlobNotFound extends Schema.TaggedError<BlobNotFound>()(
  "BlobNotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "No such blob" }),
) {}

/**
 * The `Range` asked for lies outside the blob (`size` says how large it is).
 *
 * @since 0.1.0
 */
export class RangeNotSatisfiable extends Schema.TaggedError<RangeNotSatisfiable>()(
  "RangeNotSatisfiable",
  { message: Schema.String, size: ByteCount },
  HttpApiSchema.annotations({ status: 416, description: "The range is outside the blob" }),
) {}

const SessionPath = Schema.Struct({ id: Schema.UUID })

/**
 * @since 0.1.0
 */
export class UploadsApi extends HttpApiGroup.make("uploads")
  .add(
    HttpApiEndpoint.post("create", "/api/uploads")
      .setPayload(CreateUpload)
      .addSuccess(UploadSession, { status: 201 })
      .addError(UploadInvalid)
      .addError(UploadTooLarge)
      .middleware(VaultUnlocked),
  )
  .add(
    HttpApiEndpoint.get("status", "/api/uploads/:id")
      .setPath(SessionPath)
      .addSuccess(UploadStatus)
      .addError(UploadNotFound),
  )
  .add(
    HttpApiEndpoint.put("putChunk", "/api/uploads/:id/chunks/:index")
      .setPath(Schema.Struct({ id: Schema.UUID, index: Schema.NumberFromString.pipe(Schema.int()) }))
      .setHeaders(Schema.Struct({ "x-chunk-sha256": Sha256 }))
      .setPayload(HttpApiSchema.Uint8Array({ contentType: "application/octet-stream" }))
      .addSuccess(HttpApiSchema.NoContent)
      .addError(UploadNotFound)
      .addError(UploadInvalid)
      .addError(ChunkChecksumMismatch)
      .middleware(VaultUnlocked),
  )
  .add(
    HttpApiEndpoint.post("complete", "/api/uploads/:id/complete")
      .setPath(SessionPath)
      .setPayload(CompleteUpload)
      .addSuccess(StoredBlob)
      .addError(UploadNotFound)
      .addError(UploadIncomplete)
      .addError(UploadIdentityMismatch)
      .middleware(VaultUnlocked),
  )
  .add(
    HttpApiEndpoint.del("abort", "/api/uploads/:id")
      .setPath(SessionPath)
      .addSuccess(HttpApiSchema.NoContent)
      .addError(UploadNotFound),
  )
  .add(
    HttpApiEndpoint.get("download", "/api/blobs/:id")
      .setPath(SessionPath)
      .setHeaders(Schema.Struct({ range: Schema.optional(Schema.String) }))
      .addSuccess(HttpApiSchema.Uint8Array({ contentType: "application/octet-stream" }))
      .addError(BlobNotFound)
      .addError(RangeNotSatisfiable)
      .annotate(
        OpenApi.Description,
        "The ciphertext, streamed; one `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` answers 206 with that part",
      ),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Uploads")
  .annotate(OpenApi.Description, "Resumable uploads of encrypted files, chunk by chunk") {}
