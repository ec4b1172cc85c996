/**
 * Upload sessions over the blob store (issue 8, DESIGN.md "Uploads"): a
 * session is created for a ciphertext of known size and layout (chunk 0 =
 * header + segment 0, chunk i = segment i; at most 10,000 chunks, none but
 * the last below 5 MiB), within the purpose's per-file limit and the user's
 * quota (stored blobs plus open sessions); chunks arrive in any order, each
 * checked against its length and SHA-256 and stored as one multipart part
 * (a repeated put replaces it, so retries are idempotent); completing joins
 * the parts, reads the object back to check its SHA-256 against the
 * identity the client claims (docs/ops/file-identity-policy.md) and records
 * the blob once per identity; abort and expiry drop the session and its
 * parts. Every operation is scoped by the owner: another user's session is
 * "not found".
 */
import { createHash, randomUUID } from "node:crypto"
import { UploadsApi } from "@ignition/api"
import { ChunkPlan, SegmentLayout } from "@ignition/upload"
import { Clock, Duration, Effect, Either, Option, Stream } from "effect"
import { AppConfig, type UploadSettings } from "../AppConfig.js"
import { BlobStore, type ByteRange } from "../Blobs/BlobStore.js"
import { type Purpose, type Session, UploadRepo } from "./Repo.js"

export interface Limits extends UploadSettings {
  /** The most header bytes a session may declare. */
  readonly maxHeaderBytes: number
  /** The largest segment a session may declare: a chunk is read whole into memory. */
  readonly maxSegmentBytes: number
}

/** What the file format needs, whatever the configuration. */
export const formatLimits = { maxHeaderBytes: 64 * 1024, maxSegmentBytes: 32 * 1024 * 1024 } as const

export interface SessionSpec {
  readonly purpose: Purpose
  readonly ciphertextBytes: number
  readonly headerBytes: number
  readonly segmentBytes: number
}

export interface Status {
  readonly sessionId: string
  readonly chunkCount: number
  /** Chunk indices held, verified. */
  readonly received: ReadonlyArray<number>
  readonly expiresAt: Date
  readonly completed: boolean
}

export interface StoredBlob {
  readonly blobId: string
  readonly sha256: Uint8Array
  readonly size: number
}

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

const layoutOf = (session: Session) =>
  SegmentLayout.fromCiphertextBytes(session.header_bytes, session.segment_bytes, session.ciphertext_bytes)

const storageKey = (userId: string, sessionId: string) => `blobs/${userId}/${sessionId}`

export const make = (limits: Limits) =>
  Effect.gen(function* () {
    const repo = yield* UploadRepo
    const store = yield* BlobStore

    const notFound = (sessionId: string) => new UploadsApi.UploadNotFound({ message: `No upload session ${sessionId}` })

    /** The caller's session, unless it has expired. */
    const open = (userId: string, sessionId: string) =>
      Effect.gen(function* () {
        const session = yield* repo.findSession(userId, sessionId)
        const at = yield* now
        if (Option.isNone(session) || session.value.expires_at <= at) return yield* notFound(sessionId)
        return session.value
      })

    const create = (userId: string, spec: SessionSpec) =>
      Effect.gen(function* () {
        const layout = SegmentLayout.fromCiphertextBytes(spec.headerBytes, spec.segmentBytes, spec.ciphertextBytes)
        if (Either.isLeft(layout)) return yield* new UploadsApi.UploadInvalid({ message: layout.left.message })
        const chunkCount = SegmentLayout.count(layout.right)
        const { minSegmentBytes, maxParts } = ChunkPlan.s3
        const { maxSegmentBytes } = limits
        if (spec.headerBytes > limits.maxHeaderBytes) {
          return yield* new UploadsApi.UploadInvalid({
            message: `A header holds at most ${limits.maxHeaderBytes} bytes`,
          })
        }
        if (spec.segmentBytes > maxSegmentBytes || (chunkCount > 1 && spec.segmentBytes < minSegmentBytes)) {
          return yield* new UploadsApi.UploadInvalid({
            message: `Segments hold ${minSegmentBytes} to ${maxSegmentBytes} bytes, not ${spec.segmentBytes}`,
          })
        }
        if (chunkCount > maxParts) {
          return yield* new UploadsApi.UploadInvalid({ message: `${chunkCount} chunks: at most ${maxParts}` })
        }
        const perFile = limits.perFile[spec.purpose]
        if (spec.ciphertextBytes > perFile) {
          return yield* new UploadsApi.UploadTooLarge({
            message: `A ${spec.purpose} may hold ${perFile} bytes; this one has ${spec.ciphertextBytes}`,
            limitBytes: perFile,
          })
        }

        const sessionId = randomUUID()
        const key = storageKey(userId, sessionId)
        const uploadId = yield* store.createUpload(key).pipe(Effect.catchTag("BlobKeyInvalid", Effect.die))
        const createdAt = yield* now
        const expiresAt = new Date(createdAt.getTime() + Duration.toMillis(limits.sessionTtl))
        yield* repo
          .transaction(
            Effect.gen(function* () {
              yield* repo.lockUser(userId)
              const quota = Option.getOrElse(yield* repo.quota(userId), () => limits.perUser)
              const used = yield* repo.usedBytes(userId, createdAt)
              if (used + spec.ciphertextBytes > quota) {
                return yield* new UploadsApi.UploadTooLarge({
                  message: `Your quota of ${quota} bytes would be exceeded: ${used} are in use`,
                  limitBytes: quota,
                })
              }
              yield* repo.insertSession({
                id: sessionId,
                user_id: userId,
                purpose: spec.purpose,
                ciphertext_bytes: spec.ciphertextBytes,
                header_bytes: spec.headerBytes,
                segment_bytes: spec.segmentBytes,
                chunk_count: chunkCount,
                storage_key: key,
                store_upload_id: uploadId,
                status: "open",
                blob_id: null,
                created_at: createdAt,
                expires_at: expiresAt,
              })
            }),
          )
          .pipe(
            Effect.catchTag("DatabaseError", Effect.die),
            Effect.tapError(() => Effect.ignore(store.abortUpload(key, uploadId))),
          )
        return { sessionId, chunkCount, expiresAt }
      })

    const status = (userId: string, sessionId: string) =>
      Effect.gen(function* () {
        const session = yield* open(userId, sessionId)
        const chunks = yield* repo.chunks(session.id)
        return {
          sessionId: session.id,
          chunkCount: session.chunk_count,
          received: chunks.map((chunk) => chunk.index),
          expiresAt: session.expires_at,
          completed: session.status === "completed",
        } satisfies Status
      })

    const putChunk = (userId: string, sessionId: string, index: number, bytes: Uint8Array, checksum: Uint8Array) =>
      Effect.gen(function* () {
        const session = yield* open(userId, sessionId)
        if (session.status === "completed") {
          return yield* new UploadsApi.UploadInvalid({ message: `Session ${sessionId} is complete` })
        }
        if (!Number.isSafeInteger(index) || index < 0 || index >= session.chunk_count) {
          return yield* new UploadsApi.UploadInvalid({
            message: `There is no chunk ${index}: this session has chunks 0 to ${session.chunk_count - 1}`,
          })
        }
        const layout = yield* Effect.orDie(layoutOf(session))
        const expected = SegmentLayout.chunk(layout, index).length
        if (bytes.length !== expected) {
          return yield* new UploadsApi.UploadInvalid({
            message: `Chunk ${index} has ${expected} bytes, not ${bytes.length}`,
          })
        }
        const part = yield* store
          .putPart(session.storage_key, session.store_upload_id, index + 1, bytes, checksum)
          .pipe(
            Effect.catchTags({
              BlobKeyInvalid: Effect.die,
              BlobPartsInvalid: Effect.die,
              BlobNotFound: () => notFound(sessionId),
            }),
          )
        yield* repo.putChunk({
          session_id: session.id,
          index,
          sha256: checksum,
          etag: part.etag,
          size: part.size,
          received_at: yield* now,
        })
      })

    /** The SHA-256 of a stored object, read as a stream. */
    const digestOf = (key: string) =>
      Effect.gen(function* () {
        const download = yield* store.get(key)
        const hash = yield* Stream.runFold(download.body, createHash("sha256"), (hasher, chunk) => hasher.update(chunk))
        return hash.digest()
      })

    const complete = (userId: string, sessionId: string, identity: Uint8Array) =>
      Effect.gen(function* () {
        const session = yield* open(userId, sessionId)
        if (session.status === "completed" && session.blob_id !== null) {
          const blob = yield* repo.findBlob(userId, session.blob_id)
          if (Option.isSome(blob)) {
            return { blobId: blob.value.id, sha256: blob.value.sha256, size: blob.value.size } satisfies StoredBlob
          }
        }
        const chunks = yield* repo.chunks(session.id)
        const held = new Set(chunks.map((chunk) => chunk.index))
        const missing = Array.from({ length: session.chunk_count }, (_, i) => i).filter((i) => !held.has(i))
        if (missing.length > 0) {
          return yield* new UploadsApi.UploadIncomplete({
            message: `${missing.length} of ${session.chunk_count} chunks are missing`,
            missing,
          })
        }
        const parts = chunks.map((chunk) => ({ partNumber: chunk.index + 1, etag: chunk.etag, size: chunk.size }))
        // An earlier completion that joined the parts but failed before recording the blob left the object.
        // Neither the upload nor its object: an abort or the sweep got there first.
        const gone = () => notFound(sessionId)
        yield* store.completeUpload(session.storage_key, session.store_upload_id, parts).pipe(
          Effect.catchTag("BlobNotFound", () => store.head(session.storage_key)),
          Effect.catchTags({ BlobKeyInvalid: Effect.die, BlobPartsInvalid: Effect.die, BlobNotFound: gone }),
        )
        const actual = yield* digestOf(session.storage_key).pipe(
          Effect.catchTags({ BlobKeyInvalid: Effect.die, BlobRangeInvalid: Effect.die, BlobNotFound: gone }),
        )
        if (Buffer.compare(actual, identity) !== 0) {
          yield* store.delete(session.storage_key).pipe(Effect.catchTag("BlobKeyInvalid", Effect.die))
          yield* repo.deleteSession(session.id)
          return yield* new UploadsApi.UploadIdentityMismatch({
            message: "The stored ciphertext's SHA-256 is not the identity claimed; upload it again",
          })
        }
        const stored = yield* repo
          .transaction(
            Effect.gen(function* () {
              const existing = yield* repo.findBlobBySha256(userId, identity)
              if (Option.isSome(existing)) {
                yield* repo.markCompleted(session.id, existing.value.id)
                return { blob: existing.value, duplicate: true }
              }
              const blob = {
                id: session.id,
                user_id: userId,
                sha256: identity,
                size: session.ciphertext_bytes,
                storage_key: session.storage_key,
                created_at: yield* now,
              }
              yield* repo.insertBlob(blob)
              yield* repo.markCompleted(session.id, blob.id)
              return { blob, duplicate: false }
            }),
          )
          .pipe(Effect.catchTag("DatabaseError", Effect.die))
        // The same ciphertext is stored once per user: this copy is redundant.
        if (stored.duplicate) {
          yield* store.delete(session.storage_key).pipe(Effect.catchTag("BlobKeyInvalid", Effect.die))
        }
        return { blobId: stored.blob.id, sha256: stored.blob.sha256, size: stored.blob.size } satisfies StoredBlob
      })

    /** Drop a session and, unless it completed, its parts. */
    const drop = (session: Session) =>
      Effect.gen(function* () {
        if (session.status === "open") {
          yield* store
            .abortUpload(session.storage_key, session.store_upload_id)
            .pipe(Effect.catchTag("BlobKeyInvalid", Effect.die))
        }
        yield* repo.deleteSession(session.id)
      })

    const abort = (userId: string, sessionId: string) => Effect.flatMap(open(userId, sessionId), drop)

    /** Drops expired sessions with their parts, a batch at a time; answers how many. */
    const sweep = Effect.gen(function* () {
      let dropped = 0
      for (;;) {
        const batch = yield* repo.expired(yield* now, 100)
        yield* Effect.forEach(batch, drop, { discard: true })
        dropped += batch.length
        if (batch.length < 100) return dropped
      }
    })

    /**
     * Deletes stored objects under `blobs/` that no blob or open session
     * refers to (a user deleted with their rows, a crash between storing
     * and recording) and that are older than `grace`, so an upload
     * completing right now is never taken for an orphan; answers how many.
     */
    const collectOrphans = (grace: Duration.Duration) =>
      Effect.gen(function* () {
        const cutoff = (yield* Clock.currentTimeMillis) - Duration.toMillis(grace)
        return yield* store.list("blobs/").pipe(
          Stream.filter((object) => object.modifiedAt.getTime() < cutoff),
          Stream.grouped(100),
          Stream.mapEffect((batch) =>
            Effect.gen(function* () {
              const keys = Array.from(batch, (object) => object.key)
              const referenced = yield* repo.referencedKeys(keys)
              const orphans = keys.filter((key) => !referenced.has(key))
              yield* Effect.forEach(orphans, (key) => store.delete(key), { discard: true })
              return orphans.length
            }),
          ),
          Stream.runFold(0, (total, deleted) => total + deleted),
          Effect.catchTag("BlobKeyInvalid", Effect.die),
        )
      })

    /** The caller's blob, whole or a range of it, as the store streams it. */
    const download = (userId: string, blobId: string, range: ByteRange | undefined) =>
      Effect.gen(function* () {
        const missing = new UploadsApi.BlobNotFound({ message: `No blob ${blobId}` })
        const blob = yield* repo.findBlob(userId, blobId)
        if (Option.isNone(blob)) return yield* missing
        return yield* store.get(blob.value.storage_key, range).pipe(
          Effect.catchTags({
            BlobKeyInvalid: Effect.die,
            BlobNotFound: () => Effect.fail(missing),
            BlobRangeInvalid: (error) =>
              Effect.fail(new UploadsApi.RangeNotSatisfiable({ message: error.message, size: error.size })),
          }),
        )
      })

    return { create, status, putChunk, complete, abort, sweep, collectOrphans, download }
  })

export class Uploads extends Effect.Service<Uploads>()("@ignition/server/Uploads", {
  effect: Effect.flatMap(AppConfig, (config) => make({ ...config.uploads, ...formatLimits })),
  dependencies: [UploadRepo.Default],
}) {}
