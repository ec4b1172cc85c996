/**
 * Upload sessions over the real database (PGlite, and PostgreSQL when
 * TEST_DATABASE_URL is set) and the in-memory blob store: a resumable,
 * parallel upload stored once per identity; chunks refused by index,
 * length and checksum; sessions of others unreachable; per-file limits
 * and quotas (413 with the limit); missing chunks and a wrong identity at
 * completion; expiry and the sweep that drops expired sessions' parts.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto"
import { assert, describe, it, layer } from "@effect/vitest"
import { SegmentLayout } from "@ignition/upload"
import { Chunk, ConfigProvider, Duration, Effect, Either, Layer, Option, Stream, TestClock } from "effect"
import { AppConfig, config } from "../../src/AppConfig.js"
import { BlobStore } from "../../src/Blobs/BlobStore.js"
import * as MemoryBlobStore from "../../src/Blobs/MemoryBlobStore.js"
import { Database } from "../../src/Database/Database.js"
import * as UploadsCleanup from "../../src/Uploads/Cleanup.js"
import { UploadRepo } from "../../src/Uploads/Repo.js"
import { formatLimits, make, type SessionSpec, Uploads } from "../../src/Uploads/Uploads.js"
import * as TestDatabase from "../support/TestDatabase.js"

const MiB = 1024 * 1024
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest()

/** The configured defaults, with a small quota and a short expiry to test them. */
const limits = Effect.map(AppConfig, (config) => ({
  ...config.uploads,
  ...formatLimits,
  perUser: 40 * MiB,
  sessionTtl: Duration.hours(1),
}))

const TestLayer = Layer.effect(
  Uploads,
  Effect.flatMap(limits, make).pipe(Effect.map((service) => new Uploads(service))),
).pipe(
  Layer.provideMerge(Layer.mergeAll(UploadRepo.Default, MemoryBlobStore.layer)),
  Layer.provideMerge(TestDatabase.layer),
  Layer.provide(AppConfig.layerTest()),
)

const newUser = Effect.flatMap(Database, (db) =>
  db
    .execute((q) =>
      q
        .insertInto("users")
        .values({ email: `${randomUUID()}@example.com`, display_name: "Uploader", status: "approved" })
        .returning("id")
        .executeTakeFirstOrThrow(),
    )
    .pipe(
      Effect.map((row) => row.id),
      Effect.orDie,
    ),
)

/** A ciphertext of a 64-byte header and segments of 5 MiB, the last holding `lastBytes`, with its chunks. */
const ciphertext = (segments: number, lastBytes = 1000) => {
  const layout = SegmentLayout.make(64, 5 * MiB, (segments - 1) * 5 * MiB + lastBytes)
  const bytes = randomBytes(SegmentLayout.ciphertextBytes(layout))
  const chunks = Array.from({ length: SegmentLayout.count(layout) }, (_, index) => {
    const { offset, length } = SegmentLayout.chunk(layout, index)
    return bytes.subarray(offset, offset + length)
  })
  const spec: SessionSpec = { purpose: "file", ciphertextBytes: bytes.length, headerBytes: 64, segmentBytes: 5 * MiB }
  return { bytes, chunks, spec, identity: sha256(bytes) }
}

const failureTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), Either.match({ onLeft: (e) => e._tag, onRight: () => "success" }))

/** Put the chunks at `indices` (all by default) in parallel, in reverse order. */
const putAll = (
  userId: string,
  sessionId: string,
  chunks: ReadonlyArray<Uint8Array>,
  indices: ReadonlyArray<number> = chunks.map((_, index) => index),
) =>
  Effect.flatMap(Uploads, (uploads) =>
    Effect.forEach(
      indices.slice().reverse(),
      (index) => {
        const bytes = chunks[index] ?? new Uint8Array(0)
        return uploads.putChunk(userId, sessionId, index, bytes, sha256(bytes))
      },
      { concurrency: "unbounded", discard: true },
    ),
  )

layer(TestLayer, { timeout: "60 seconds" })("upload sessions", (it) => {
  it.effect("chunks in parallel and in any order complete into one blob, stored once per identity", () =>
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const store = yield* BlobStore
      const userId = yield* newUser
      const file = ciphertext(3)
      const session = yield* uploads.create(userId, file.spec)
      assert.strictEqual(session.chunkCount, 3)
      assert.deepStrictEqual((yield* uploads.status(userId, session.sessionId)).received, [])

      yield* putAll(userId, session.sessionId, file.chunks, [1, 2])
      assert.deepStrictEqual((yield* uploads.status(userId, session.sessionId)).received, [1, 2], "resume point")
      yield* putAll(userId, session.sessionId, file.chunks)
      assert.deepStrictEqual((yield* uploads.status(userId, session.sessionId)).received, [0, 1, 2])

      const blob = yield* uploads.complete(userId, session.sessionId, file.identity)
      assert.strictEqual(blob.size, file.bytes.length)
      const again = yield* uploads.complete(userId, session.sessionId, file.identity)
      assert.strictEqual(again.blobId, blob.blobId, "completing twice answers the same")
      const stored = yield* store.get(`blobs/${userId}/${blob.blobId}`)
      const body = Buffer.concat(Chunk.toArray(yield* Stream.runCollect(stored.body)))
      assert.isTrue(body.equals(file.bytes))

      const copy = yield* uploads.create(userId, file.spec)
      yield* putAll(userId, copy.sessionId, file.chunks)
      const duplicate = yield* uploads.complete(userId, copy.sessionId, file.identity)
      assert.strictEqual(duplicate.blobId, blob.blobId)
      assert.strictEqual(yield* failureTag(store.head(`blobs/${userId}/${copy.sessionId}`)), "BlobNotFound")
    }),
  )

  it.effect(
    "a chunk out of range, of the wrong length or with another SHA-256 is refused; a repeat is idempotent",
    () =>
      Effect.gen(function* () {
        const uploads = yield* Uploads
        const userId = yield* newUser
        const file = ciphertext(2)
        const { sessionId } = yield* uploads.create(userId, file.spec)
        const [first = Buffer.alloc(0), last = Buffer.alloc(0)] = file.chunks
        for (const index of [-1, 2, 1.5]) {
          assert.strictEqual(
            yield* failureTag(uploads.putChunk(userId, sessionId, index, last, sha256(last))),
            "UploadInvalid",
          )
        }
        assert.strictEqual(
          yield* failureTag(uploads.putChunk(userId, sessionId, 0, last, sha256(last))),
          "UploadInvalid",
        )
        const tampered = Buffer.from(last)
        tampered[0] = (tampered[0] ?? 0) ^ 1
        assert.strictEqual(
          yield* failureTag(uploads.putChunk(userId, sessionId, 1, tampered, sha256(last))),
          "BlobChecksumMismatch",
        )
        assert.deepStrictEqual((yield* uploads.status(userId, sessionId)).received, [])
        yield* uploads.putChunk(userId, sessionId, 0, first, sha256(first))
        yield* uploads.putChunk(userId, sessionId, 0, first, sha256(first))
        assert.deepStrictEqual((yield* uploads.status(userId, sessionId)).received, [0])
      }),
  )

  it.effect("another user's session is not found, whatever the operation", () =>
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const owner = yield* newUser
      const intruder = yield* newUser
      const file = ciphertext(1)
      const { sessionId } = yield* uploads.create(owner, file.spec)
      const [only = Buffer.alloc(0)] = file.chunks
      assert.deepStrictEqual(
        [
          yield* failureTag(uploads.status(intruder, sessionId)),
          yield* failureTag(uploads.putChunk(intruder, sessionId, 0, only, sha256(only))),
          yield* failureTag(uploads.complete(intruder, sessionId, file.identity)),
          yield* failureTag(uploads.abort(intruder, sessionId)),
        ],
        ["UploadNotFound", "UploadNotFound", "UploadNotFound", "UploadNotFound"],
      )
      assert.deepStrictEqual((yield* uploads.status(owner, sessionId)).received, [])
    }),
  )

  it.effect(
    "over the purpose's per-file limit or the user's quota is 413 with the limit; an abort frees the space",
    () =>
      Effect.gen(function* () {
        const uploads = yield* Uploads
        const userId = yield* newUser
        const image = {
          purpose: "image",
          ciphertextBytes: 10 * 1000 * 1000 + 1,
          headerBytes: 64,
          segmentBytes: 8 * MiB,
        } as const
        const tooLarge = yield* Effect.flip(uploads.create(userId, image))
        assert.strictEqual(tooLarge._tag, "UploadTooLarge")
        if (tooLarge._tag === "UploadTooLarge") assert.strictEqual(tooLarge.limitBytes, 10 * 1000 * 1000)

        const spec = { purpose: "file", ciphertextBytes: 30 * MiB, headerBytes: 64, segmentBytes: 8 * MiB } as const
        const first = yield* uploads.create(userId, spec)
        const overQuota = yield* Effect.flip(uploads.create(userId, spec))
        assert.strictEqual(overQuota._tag, "UploadTooLarge")
        if (overQuota._tag === "UploadTooLarge") {
          assert.strictEqual(overQuota.limitBytes, 40 * MiB)
          assert.include(overQuota.message, String(40 * MiB))
        }
        yield* uploads.abort(userId, first.sessionId)
        yield* uploads.create(userId, spec)
      }),
  )

  it.effect("a session that does not fit the chunk rules is refused before anything is stored", () =>
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const userId = yield* newUser
      for (const spec of [
        { purpose: "file", ciphertextBytes: 20 * MiB, headerBytes: 64, segmentBytes: 4 * MiB },
        { purpose: "file", ciphertextBytes: 70, headerBytes: 64, segmentBytes: 8 * MiB },
        { purpose: "file", ciphertextBytes: 100 * MiB, headerBytes: 1024 * 1024, segmentBytes: 8 * MiB },
      ] as const) {
        assert.strictEqual(yield* failureTag(uploads.create(userId, spec)), "UploadInvalid", JSON.stringify(spec))
      }
    }),
  )

  it.effect("completing with chunks missing names them and keeps the rest; a wrong identity drops the session", () =>
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const userId = yield* newUser
      const file = ciphertext(2)
      const { sessionId } = yield* uploads.create(userId, file.spec)
      yield* putAll(userId, sessionId, file.chunks, [0])
      const incomplete = yield* Effect.flip(uploads.complete(userId, sessionId, file.identity))
      assert.strictEqual(incomplete._tag, "UploadIncomplete")
      if (incomplete._tag === "UploadIncomplete") assert.deepStrictEqual(incomplete.missing, [1])
      assert.deepStrictEqual((yield* uploads.status(userId, sessionId)).received, [0])

      yield* putAll(userId, sessionId, file.chunks, [1])
      assert.strictEqual(
        yield* failureTag(uploads.complete(userId, sessionId, sha256(randomBytes(8)))),
        "UploadIdentityMismatch",
      )
      assert.strictEqual(yield* failureTag(uploads.status(userId, sessionId)), "UploadNotFound")
    }),
  )

  it.effect("an expired session is gone, and the sweep drops it with its parts", () =>
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const store = yield* BlobStore
      const userId = yield* newUser
      const file = ciphertext(2)
      const { sessionId } = yield* uploads.create(userId, file.spec)
      yield* putAll(userId, sessionId, file.chunks, [0])
      const repo = yield* UploadRepo
      const row = yield* Effect.flatten(repo.findSession(userId, sessionId))
      yield* TestClock.adjust(Duration.hours(2))
      assert.strictEqual(yield* failureTag(uploads.status(userId, sessionId)), "UploadNotFound")
      // Every test's sessions expire at this clock: the sweep drops at least this one.
      assert.isAtLeast(yield* uploads.sweep, 1)
      assert.isTrue(Option.isNone(yield* repo.findSession(userId, sessionId)))
      assert.strictEqual(yield* failureTag(store.listParts(row.storage_key, row.store_upload_id)), "BlobNotFound")
    }),
  )

  it.effect(
    "orphan collection deletes old objects nothing refers to, and keeps blobs, open uploads and new objects",
    () =>
      Effect.gen(function* () {
        const uploads = yield* Uploads
        const store = yield* BlobStore
        const userId = yield* newUser
        const file = ciphertext(1)
        const kept = yield* uploads.create(userId, file.spec)
        yield* putAll(userId, kept.sessionId, file.chunks)
        const blob = yield* uploads.complete(userId, kept.sessionId, file.identity)
        const pending = yield* uploads.create(userId, file.spec)
        yield* store.put(`blobs/${userId}/${pending.sessionId}`, new Uint8Array([1]))
        const orphan = `blobs/${userId}/${randomUUID()}`
        yield* store.put(orphan, new Uint8Array([2]))

        yield* TestClock.adjust(Duration.minutes(30))
        const recent = `blobs/${userId}/${randomUUID()}`
        yield* store.put(recent, new Uint8Array([3]))
        assert.strictEqual(yield* uploads.collectOrphans(Duration.minutes(10)), 1)
        assert.strictEqual(yield* failureTag(store.head(orphan)), "BlobNotFound")
        for (const key of [`blobs/${userId}/${blob.blobId}`, `blobs/${userId}/${pending.sessionId}`, recent]) {
          assert.strictEqual(yield* failureTag(store.head(key)), "success", key)
        }
      }),
  )
})

/** Until the forked job has done its database work: poll in real time (the test's clock is a TestClock). */
const eventuallyGone = (userId: string, sessionId: string) =>
  Effect.gen(function* () {
    const repo = yield* UploadRepo
    for (let attempt = 0; attempt < 250; attempt++) {
      if (Option.isNone(yield* repo.findSession(userId, sessionId))) return true
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
    }
    return false
  })

layer(TestLayer, { timeout: "60 seconds" })("the upload cleanup job", (it) => {
  it.scoped("runs at start and then every interval, dropping what expired meanwhile", () =>
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const repo = yield* UploadRepo
      const userId = yield* newUser
      const file = ciphertext(1)
      const early = yield* uploads.create(userId, file.spec)
      yield* TestClock.adjust(Duration.minutes(61))
      yield* Layer.build(UploadsCleanup.layer({ interval: Duration.minutes(10), grace: Duration.hours(1) }))
      assert.isTrue(yield* eventuallyGone(userId, early.sessionId), "dropped at start")

      const late = yield* uploads.create(userId, file.spec)
      yield* TestClock.adjust(Duration.minutes(55))
      assert.isTrue(Option.isSome(yield* repo.findSession(userId, late.sessionId)))
      yield* TestClock.adjust(Duration.minutes(10))
      assert.isTrue(yield* eventuallyGone(userId, late.sessionId), "dropped by a later round")
    }),
  )
})

describe("upload settings", () => {
  const read = (env: Record<string, string>) =>
    Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env)))))

  it.effect("default to the seed's limits and are read from UPLOAD_*", () =>
    Effect.gen(function* () {
      const defaults = Either.getOrThrow(yield* read({})).uploads
      assert.deepStrictEqual(defaults.perFile, {
        file: 100_000_000,
        audio: 50_000_000,
        image: 10_000_000,
        "daw-project": 2 * 1024 * MiB,
      })
      assert.strictEqual(defaults.perUser, 10 * 1024 * MiB)
      const set = Either.getOrThrow(
        yield* read({
          UPLOAD_MAX_IMAGE_BYTES: "5000000",
          UPLOAD_USER_QUOTA_BYTES: "1000",
          UPLOAD_SESSION_TTL: "2 hours",
        }),
      ).uploads
      assert.deepStrictEqual([set.perFile.image, set.perUser], [5_000_000, 1000])
      assert.isTrue(Duration.equals(set.sessionTtl, Duration.hours(2)))
      const refused = yield* read({ UPLOAD_MAX_AUDIO_BYTES: "0" })
      assert.isTrue(Either.isLeft(refused) && String(refused.left).includes("UPLOAD_MAX_AUDIO_BYTES"))
    }),
  )
})
