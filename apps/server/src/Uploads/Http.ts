/**
 * Handlers of the `uploads` group over the `Uploads` service, for the
 * signed-in user only. The blob store's failures become the contract's:
 * a chunk that does not match its SHA-256 is 400 `ChunkChecksumMismatch`
 * (nothing of it kept), an unavailable store is 503.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi, UploadsApi } from "@ignition/api"
import { Effect, Schema } from "effect"
import type { BlobChecksumMismatch, BlobStoreUnavailable, ByteRange } from "../Blobs/BlobStore.js"
import { Uploads } from "./Uploads.js"

const storeErrors = {
  BlobStoreUnavailable: (error: BlobStoreUnavailable) => new ApiError.ServiceUnavailable({ message: error.message }),
  BlobChecksumMismatch: (error: BlobChecksumMismatch) =>
    new UploadsApi.ChunkChecksumMismatch({ message: error.message }),
}

/**
 * One range of `Range: bytes=…` (`a-b`, `a-`, `-n`); anything else (other
 * units, several ranges, junk) is ignored and the whole blob sent, as
 * RFC 9110 allows.
 */
const parseRange = (header: string): ByteRange | undefined => {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  const [, from = "", to = ""] = match ?? []
  if (match === null || (from === "" && to === "")) return undefined
  if (from === "") return { _tag: "Suffix", length: Number(to) }
  return { _tag: "Span", start: Number(from), end: to === "" ? undefined : Number(to) }
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
      .handle("download", ({ path, headers }) =>
        Effect.gen(function* () {
          const user = yield* userId
          const range = headers.range === undefined ? undefined : parseRange(headers.range)
          const download = yield* uploads.download(user, path.id, range)
          const length = download.end - download.start + 1
          return HttpServerResponse.stream(download.body, {
            status: range === undefined ? 200 : 206,
            contentType: "application/octet-stream",
            contentLength: length,
            headers: {
              "accept-ranges": "bytes",
              ...(range === undefined
                ? {}
                : { "content-range": `bytes ${download.start}-${download.end}/${download.size}` }),
            },
          })
        }).pipe(
          Effect.catchTags({
            BlobStoreUnavailable: storeErrors.BlobStoreUnavailable,
            // RFC 9110: the size goes with a 416, so a client can ask again within it.
            RangeNotSatisfiable: (error) =>
              Effect.succeed(
                HttpServerResponse.unsafeJson(Schema.encodeSync(UploadsApi.RangeNotSatisfiable)(error), {
                  status: 416,
                  headers: { "content-range": `bytes */${error.size}` },
                }),
              ),
          }),
        ),
      )
      .handle("abort", ({ path }) =>
        Effect.flatMap(userId, (user) => uploads.abort(user, path.id)).pipe(
          Effect.catchTags({ BlobStoreUnavailable: storeErrors.BlobStoreUnavailable }),
        ),
      )
  }),
)
