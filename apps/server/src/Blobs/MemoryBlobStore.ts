/**
 * The blob store in memory, for tests: the same rules as the other adapters
 * (shared with them), nothing kept after the layer goes.
 */
import { randomUUID } from "node:crypto"
import { Clock, Effect, Layer, Stream } from "effect"
import { BlobNotFound, BlobStore, type ObjectInfo, type Part } from "./BlobStore.js"
import {
  checkCompletion,
  checkKey,
  checkPartNumber,
  checkPrefix,
  resolveRange,
  verifyChecksum,
} from "./internal/Rules.js"

/** Bodies come out in chunks of this size, as from a file or a socket. */
const chunkBytes = 64 * 1024

interface StoredObject {
  readonly bytes: Uint8Array
  readonly modifiedAt: Date
}

interface Upload {
  readonly key: string
  readonly parts: Map<number, { readonly part: Part; readonly bytes: Uint8Array }>
}

export const make = Effect.sync(() => {
  const objects = new Map<string, StoredObject>()
  const uploads = new Map<string, Upload>()

  const info = (key: string, object: StoredObject): ObjectInfo => ({
    key,
    size: object.bytes.length,
    modifiedAt: object.modifiedAt,
  })

  // Time from the Clock, so tests can age objects with TestClock.
  const store = (key: string, bytes: Uint8Array) =>
    Effect.map(Clock.currentTimeMillis, (millis) => {
      const object = { bytes, modifiedAt: new Date(millis) }
      objects.set(key, object)
      return info(key, object)
    })

  const find = (key: string) =>
    Effect.flatMap(checkKey(key), () => {
      const object = objects.get(key)
      return object === undefined
        ? Effect.fail(new BlobNotFound({ message: `No blob under ${key}` }))
        : Effect.succeed(object)
    })

  const findUpload = (key: string, uploadId: string) =>
    Effect.flatMap(checkKey(key), () => {
      const upload = uploads.get(uploadId)
      return upload === undefined || upload.key !== key
        ? Effect.fail(new BlobNotFound({ message: `No upload ${uploadId} to ${key}` }))
        : Effect.succeed(upload)
    })

  return BlobStore.of({
    put: (key, bytes) => Effect.flatMap(checkKey(key), () => store(key, bytes.slice())),
    get: (key, range) =>
      Effect.gen(function* () {
        const { bytes } = yield* find(key)
        const { start, end } = yield* resolveRange(bytes.length, range)
        const selected = bytes.subarray(start, end + 1)
        const chunks = Array.from({ length: Math.ceil(selected.length / chunkBytes) }, (_, i) =>
          selected.subarray(i * chunkBytes, (i + 1) * chunkBytes),
        )
        return { size: bytes.length, start, end, body: Stream.fromIterable(chunks) }
      }),
    head: (key) => Effect.map(find(key), (object) => info(key, object)),
    delete: (key) => Effect.flatMap(checkKey(key), () => Effect.sync(() => void objects.delete(key))),
    list: (prefix) =>
      Stream.unwrap(
        Effect.map(checkPrefix(prefix), () =>
          Stream.fromIterable(
            Array.from(objects)
              .filter(([key]) => key.startsWith(prefix))
              .map(([key, object]) => info(key, object)),
          ),
        ),
      ),
    createUpload: (key) =>
      Effect.flatMap(checkKey(key), () =>
        Effect.sync(() => {
          const uploadId = randomUUID()
          uploads.set(uploadId, { key, parts: new Map() })
          return uploadId
        }),
      ),
    putPart: (key, uploadId, partNumber, bytes, checksum) =>
      Effect.gen(function* () {
        yield* checkPartNumber(partNumber)
        const upload = yield* findUpload(key, uploadId)
        const etag = yield* verifyChecksum(bytes, checksum)
        const part = { partNumber, etag, size: bytes.length }
        upload.parts.set(partNumber, { part, bytes: bytes.slice() })
        return part
      }),
    listParts: (key, uploadId) =>
      Effect.map(findUpload(key, uploadId), (upload) =>
        Array.from(upload.parts.values(), ({ part }) => part).sort((a, b) => a.partNumber - b.partNumber),
      ),
    completeUpload: (key, uploadId, named) =>
      Effect.gen(function* () {
        const upload = yield* findUpload(key, uploadId)
        const held = new Map(Array.from(upload.parts, ([n, { part }]) => [n, part]))
        const parts = yield* checkCompletion(named, held)
        const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.size, 0))
        let offset = 0
        for (const part of parts) {
          const stored = upload.parts.get(part.partNumber)
          if (stored !== undefined) whole.set(stored.bytes, offset)
          offset += part.size
        }
        uploads.delete(uploadId)
        return yield* store(key, whole)
      }),
    abortUpload: (key, uploadId) =>
      Effect.flatMap(checkKey(key), () =>
        Effect.sync(() => {
          if (uploads.get(uploadId)?.key === key) uploads.delete(uploadId)
        }),
      ),
  })
})

export const layer = Layer.effect(BlobStore, make)
