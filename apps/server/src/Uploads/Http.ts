/**
 * Handlers of the `uploads` group over the `Uploads` service, for the
 * signed-in user only. The blob store's failures become the contract's:
 * a chunk that does not match its SHA-256 is 400 `ChunkChecksumMismatch`
 * (nothing of it kept), an unavailable store is 503.
 */
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi, UploadsApi } from "@ignition/api"
import { Effect } from "effect"
import type { BlobChecksumMismatch, BlobStoreUnavailable } from "../Blobs/BlobStore.js"
import { Uploads } from "./Uploads.js"

const storeErrors = {
  BlobStoreUnavailable: (error: BlobStoreUnavailable) => new ApiError.ServiceUnavailable({ message: error.message }),
  BlobChecksumMismatch: (error: BlobChecksumMismatch) =>
    new UploadsApi.ChunkChecksumMismatch({ message: error.message }),
}

const userId = Effect.map(Authentication.CurrentUser, ({ user }) => user.id)

export const UploadsLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "uploads", (handlers) =>
  Effect.gen(function* () {
    const uploads = yield* Uploads
    return handlers
      .handle("create", ({ payload }) =>
        Effect.flatMap(userId, (user) => uploads.create(user, payload)).pipe(
          Effect.map(
            ({ sessionId, chunkCount, expiresAt }) =>
              new UploadsApi.UploadSession({ sessionId, chunkCount, expiresAt: expiresAt.getTime() }),
          ),
          Effect.catchTags({ BlobStoreUnavailable: storeErrors.BlobStoreUnavailable }),
        ),
      )
      .handle("status", ({ path }) =>
        Effect.flatMap(userId, (user) => uploads.status(user, path.id)).pipe(
          Effect.map(
            (status) =>
              new UploadsApi.UploadStatus({
                sessionId: status.sessionId,
                chunkCount: status.chunkCount,
                received: status.received,
                expiresAt: status.expiresAt.getTime(),
                completed: status.completed,
              }),
          ),
        ),
      )
      .handle("putChunk", ({ path, headers, payload }) =>
        Effect.flatMap(userId, (user) =>
          uploads.putChunk(user, path.id, path.index, payload, headers["x-chunk-sha256"]),
        ).pipe(Effect.catchTags(storeErrors)),
      )
      .handle("complete", ({ path, payload }) =>
        Effect.flatMap(userId, (user) => uploads.complete(user, path.id, payload.sha256)).pipe(
          Effect.map(
            (blob) =>
              new UploadsApi.StoredBlob({ blobId: blob.blobId, sha256: blob.sha256, ciphertextBytes: blob.size }),
          ),
          Effect.catchTags({ BlobStoreUnavailable: storeErrors.BlobStoreUnavailable }),
        ),
      )
      .handle("abort", ({ path }) =>
        Effect.flatMap(userId, (user) => uploads.abort(user, path.id)).pipe(
          Effect.catchTags({ BlobStoreUnavailable: storeErrors.BlobStoreUnavailable }),
        ),
      )
  }),
)
