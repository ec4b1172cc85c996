/**
 * What every blob store adapter must do, run against each of them (one
 * small test file per adapter provides the layer): round trips, byte
 * ranges, multipart uploads in any order and in parallel, refused
 * checksums and part lists that leave everything as it was, abort,
 * concurrent writers of one key, listing by prefix, invalid keys, and a
 * 64 MiB object streamed in bounded memory.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { assert, layer } from "@effect/vitest"
import { Chunk, Effect, Either, type Layer, Stream } from "effect"
import { BlobStore, type ByteRange, type Part } from "../../src/Blobs/BlobStore.js"
import { minPartBytes } from "../../src/Blobs/internal/Rules.js"

const MiB = 1024 * 1024

/** Buffers still referenced, after a full collection, so garbage awaiting the collector does not count. */
const liveBuffers = (() => {
  v8.setFlagsFromString("--expose-gc")
  const gc: () => void = vm.runInNewContext("gc")
  return () => {
    gc()
    return process.memoryUsage().arrayBuffers
  }
})()

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest()

/** The whole body of a (small) download. */
export const readAll = (key: string, range?: ByteRange) =>
  Effect.flatMap(BlobStore, (store) =>
    Effect.flatMap(store.get(key, range), (download) =>
      Effect.map(Stream.runCollect(download.body), (chunks) => ({
        ...download,
        bytes: Buffer.concat(Chunk.toArray(chunks)),
      })),
    ),
  )

const errorTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), Either.match({ onLeft: (error) => error._tag, onRight: () => "success" }))

const listKeys = (prefix: string) =>
  Effect.flatMap(BlobStore, (store) =>
    Effect.map(Stream.runCollect(store.list(prefix)), (objects) =>
      Chunk.toArray(objects)
        .map((o) => o.key)
        .sort(),
    ),
  )

/** A multipart upload of `parts` to `key`, the parts put in parallel in reverse order; the part records. */
const uploadParts = (key: string, uploadId: string, parts: ReadonlyArray<Uint8Array>) =>
  Effect.flatMap(BlobStore, (store) =>
    Effect.forEach(
      parts.map((bytes, index) => ({ bytes, partNumber: index + 1 })).reverse(),
      ({ bytes, partNumber }) => store.putPart(key, uploadId, partNumber, bytes, sha256(bytes)),
      { concurrency: "unbounded" },
    ).pipe(Effect.map((records) => records.slice().sort((a, b) => a.partNumber - b.partNumber))),
  )

const invalidKeys = [
  "",
  "/absolute",
  "trailing/",
  "a//b",
  "../escape",
  "a/../../escape",
  "a/./b",
  ".hidden",
  "back\\slash",
  "space d",
  "nul\u0000",
  "x".repeat(1025),
]

export const contract = <E>(adapter: string, store: Layer.Layer<BlobStore, E>) =>
  layer(store, { excludeTestServices: true, timeout: "60 seconds" })(`${adapter}: the BlobStore contract`, (it) => {
    /** Keys under a prefix of their own, so tests sharing one store never see each other's objects. */
    const scope = () => `t/${randomUUID()}`

    it.effect("put, head, get and delete round-trip; a missing key is BlobNotFound everywhere", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/object`
        const bytes = randomBytes(100_000)
        const stored = yield* store.put(key, bytes)
        assert.strictEqual(stored.size, bytes.length)
        assert.strictEqual((yield* store.head(key)).size, bytes.length)
        const read = yield* readAll(key)
        assert.deepStrictEqual([read.size, read.start, read.end], [bytes.length, 0, bytes.length - 1])
        assert.isTrue(read.bytes.equals(bytes))

        const replacement = randomBytes(10)
        yield* store.put(key, replacement)
        assert.isTrue((yield* readAll(key)).bytes.equals(replacement))

        yield* store.delete(key)
        yield* store.delete(key)
        assert.strictEqual(yield* errorTag(store.head(key)), "BlobNotFound")
        assert.strictEqual(yield* errorTag(store.get(key)), "BlobNotFound")
      }),
    )

    it.effect("an empty object reads back empty, and no range of it is satisfiable", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/empty`
        yield* store.put(key, new Uint8Array(0))
        const read = yield* readAll(key)
        assert.strictEqual(read.size, 0)
        assert.strictEqual(read.bytes.length, 0)
        assert.strictEqual(yield* errorTag(store.get(key, { _tag: "Span", start: 0 })), "BlobRangeInvalid")
        assert.strictEqual(yield* errorTag(store.get(key, { _tag: "Suffix", length: 1 })), "BlobRangeInvalid")
      }),
    )

    it.effect(
      "byte ranges: first, middle, last, open, clamped and suffix; outside the object is BlobRangeInvalid",
      () =>
        Effect.gen(function* () {
          const store = yield* BlobStore
          const key = `${scope()}/ranged`
          const bytes = randomBytes(1000)
          yield* store.put(key, bytes)
          const cases: ReadonlyArray<readonly [ByteRange, number, number]> = [
            [{ _tag: "Span", start: 0, end: 0 }, 0, 0],
            [{ _tag: "Span", start: 400, end: 599 }, 400, 599],
            [{ _tag: "Span", start: 999, end: 999 }, 999, 999],
            [{ _tag: "Span", start: 990 }, 990, 999],
            [{ _tag: "Span", start: 900, end: 5000 }, 900, 999],
            [{ _tag: "Suffix", length: 10 }, 990, 999],
            [{ _tag: "Suffix", length: 5000 }, 0, 999],
          ]
          for (const [range, start, end] of cases) {
            const read = yield* readAll(key, range)
            assert.deepStrictEqual([read.size, read.start, read.end], [1000, start, end], JSON.stringify(range))
            assert.isTrue(read.bytes.equals(bytes.subarray(start, end + 1)), JSON.stringify(range))
          }
          for (const range of [
            { _tag: "Span", start: 1000 },
            { _tag: "Span", start: 5, end: 4 },
            { _tag: "Span", start: -1 },
            { _tag: "Suffix", length: 0 },
          ] satisfies ReadonlyArray<ByteRange>) {
            const refused = yield* Effect.flip(store.get(key, range))
            assert.strictEqual(refused._tag, "BlobRangeInvalid", JSON.stringify(range))
            if (refused._tag === "BlobRangeInvalid") assert.strictEqual(refused.size, 1000)
          }
        }),
    )

    it.effect("multipart: parts put in parallel in any order complete into one object in part order", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/multipart`
        const parts = [randomBytes(minPartBytes), randomBytes(minPartBytes + 7), randomBytes(1234)]
        const uploadId = yield* store.createUpload(key)
        const records = yield* uploadParts(key, uploadId, parts)
        assert.deepStrictEqual(yield* store.listParts(key, uploadId), records)
        assert.strictEqual(yield* errorTag(store.head(key)), "BlobNotFound", "invisible before completion")

        const completed = yield* store.completeUpload(key, uploadId, records)
        const whole = Buffer.concat(parts)
        assert.strictEqual(completed.size, whole.length)
        assert.isTrue((yield* readAll(key)).bytes.equals(whole))
        assert.isTrue(
          (yield* readAll(key, { _tag: "Span", start: minPartBytes - 2, end: minPartBytes + 1 })).bytes.equals(
            whole.subarray(minPartBytes - 2, minPartBytes + 2),
          ),
        )
        assert.strictEqual(yield* errorTag(store.listParts(key, uploadId)), "BlobNotFound", "the upload is over")
      }),
    )

    it.effect("a part put again replaces the earlier bytes; completing with the earlier record is refused", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/replaced`
        const uploadId = yield* store.createUpload(key)
        const [first] = yield* uploadParts(key, uploadId, [randomBytes(100)])
        const again = randomBytes(100)
        const second = yield* store.putPart(key, uploadId, 1, again, sha256(again))
        assert.deepStrictEqual(yield* store.listParts(key, uploadId), [second])
        if (first !== undefined) {
          assert.strictEqual(yield* errorTag(store.completeUpload(key, uploadId, [first])), "BlobPartsInvalid")
        }
        yield* store.completeUpload(key, uploadId, [second])
        assert.isTrue((yield* readAll(key)).bytes.equals(again))
      }),
    )

    it.effect("a part whose SHA-256 differs is refused and nothing of it is stored", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/checksum`
        const uploadId = yield* store.createUpload(key)
        const bytes = randomBytes(1000)
        const wrong = sha256(randomBytes(1000))
        assert.strictEqual(yield* errorTag(store.putPart(key, uploadId, 1, bytes, wrong)), "BlobChecksumMismatch")
        assert.strictEqual(
          yield* errorTag(store.putPart(key, uploadId, 1, bytes, wrong.subarray(0, 16))),
          "BlobChecksumMismatch",
        )
        assert.deepStrictEqual(yield* store.listParts(key, uploadId), [])
        yield* store.abortUpload(key, uploadId)
      }),
    )

    it.effect("abort drops the upload and its parts, leaves no object, and may be repeated", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const prefix = scope()
        const key = `${prefix}/aborted`
        const uploadId = yield* store.createUpload(key)
        const records = yield* uploadParts(key, uploadId, [randomBytes(minPartBytes), randomBytes(10)])
        yield* store.abortUpload(key, uploadId)
        yield* store.abortUpload(key, uploadId)
        assert.strictEqual(yield* errorTag(store.listParts(key, uploadId)), "BlobNotFound")
        assert.strictEqual(yield* errorTag(store.completeUpload(key, uploadId, records)), "BlobNotFound")
        const bytes = randomBytes(10)
        assert.strictEqual(yield* errorTag(store.putPart(key, uploadId, 3, bytes, sha256(bytes))), "BlobNotFound")
        assert.strictEqual(yield* errorTag(store.head(key)), "BlobNotFound")
        assert.deepStrictEqual(yield* listKeys(prefix), [])
      }),
    )

    it.effect("completing with a missing, repeated, unordered or short part is refused and every part stays", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/incomplete`
        const parts = [randomBytes(minPartBytes), randomBytes(minPartBytes), randomBytes(99)]
        const uploadId = yield* store.createUpload(key)
        const records = yield* uploadParts(key, uploadId, parts)
        const [one, two, three] = records as [Part, Part, Part]
        const ghost: Part = { partNumber: 4, etag: three.etag, size: 99 }
        for (const named of [[one, three, ghost], [one, one, two, three], [two, one, three], [], [three, ghost]]) {
          const outcome = yield* errorTag(store.completeUpload(key, uploadId, named))
          assert.strictEqual(outcome, "BlobPartsInvalid", JSON.stringify(named.map((p) => p.partNumber)))
        }
        assert.deepStrictEqual(yield* store.listParts(key, uploadId), records)
        assert.strictEqual(yield* errorTag(store.head(key)), "BlobNotFound")
        yield* store.completeUpload(key, uploadId, records)
        assert.isTrue((yield* readAll(key)).bytes.equals(Buffer.concat(parts)))
      }),
    )

    it.effect("part numbers run from 1 to 10,000; an upload answers only under its own key", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/numbers`
        const uploadId = yield* store.createUpload(key)
        const bytes = randomBytes(10)
        for (const partNumber of [0, 10_001, 1.5]) {
          assert.strictEqual(
            yield* errorTag(store.putPart(key, uploadId, partNumber, bytes, sha256(bytes))),
            "BlobPartsInvalid",
          )
        }
        assert.strictEqual(
          yield* errorTag(store.putPart(`${key}-other`, uploadId, 1, bytes, sha256(bytes))),
          "BlobNotFound",
        )
        assert.strictEqual(yield* errorTag(store.listParts(key, "no-such-upload")), "BlobNotFound")
        yield* store.putPart(key, uploadId, 10_000, bytes, sha256(bytes))
        yield* store.abortUpload(key, uploadId)
      }),
    )

    it.effect("concurrent writers of one key: the object is one writer's bytes, whole", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const key = `${scope()}/contended`
        const contents = Array.from({ length: 8 }, () => randomBytes(256 * 1024))
        yield* Effect.forEach(contents, (bytes) => store.put(key, bytes), { concurrency: "unbounded" })
        const read = (yield* readAll(key)).bytes
        assert.isTrue(contents.some((bytes) => read.equals(bytes)))

        const uploads = yield* Effect.forEach([0, 1, 2], () => store.createUpload(key))
        const bodies = uploads.map(() => [randomBytes(minPartBytes), randomBytes(1000)])
        yield* Effect.forEach(
          uploads,
          (uploadId, i) =>
            Effect.flatMap(uploadParts(key, uploadId, bodies[i] ?? []), (records) =>
              store.completeUpload(key, uploadId, records),
            ),
          { concurrency: "unbounded" },
        )
        const completed = (yield* readAll(key)).bytes
        assert.isTrue(bodies.some((parts) => completed.equals(Buffer.concat(parts))))
      }),
    )

    it.effect("list finds exactly the objects under a prefix, a key and its extensions alike", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const prefix = scope()
        const keys = [`${prefix}/a`, `${prefix}/a/x`, `${prefix}/a/y.bin`, `${prefix}/ab/z`, `${prefix}/b/w`]
        yield* Effect.forEach(keys, (key) => store.put(key, randomBytes(3)))
        const pending = yield* store.createUpload(`${prefix}/a/pending`)
        assert.deepStrictEqual(yield* listKeys(`${prefix}/a/`), [`${prefix}/a/x`, `${prefix}/a/y.bin`])
        assert.deepStrictEqual(yield* listKeys(`${prefix}/a`), [
          `${prefix}/a`,
          `${prefix}/a/x`,
          `${prefix}/a/y.bin`,
          `${prefix}/ab/z`,
        ])
        assert.deepStrictEqual(yield* listKeys(`${prefix}/`), keys.slice().sort())
        assert.deepStrictEqual(yield* listKeys(`${prefix}/nothing/`), [])
        const listed = yield* Stream.runCollect(store.list(`${prefix}/b/`))
        assert.deepStrictEqual(
          Chunk.toArray(listed).map((o) => o.size),
          [3],
        )
        yield* store.abortUpload(`${prefix}/a/pending`, pending)
      }),
    )

    it.effect("keys that are not plain segments are refused by every operation", () =>
      Effect.gen(function* () {
        const store = yield* BlobStore
        const bytes = randomBytes(4)
        for (const key of invalidKeys) {
          const outcomes = [
            yield* errorTag(store.put(key, bytes)),
            yield* errorTag(store.get(key)),
            yield* errorTag(store.head(key)),
            yield* errorTag(store.delete(key)),
            yield* errorTag(store.createUpload(key)),
            yield* errorTag(store.putPart(key, "u", 1, bytes, sha256(bytes))),
            yield* errorTag(store.listParts(key, "u")),
            yield* errorTag(store.completeUpload(key, "u", [])),
            yield* errorTag(store.abortUpload(key, "u")),
          ]
          assert.deepStrictEqual(outcomes, Array(outcomes.length).fill("BlobKeyInvalid"), JSON.stringify(key))
        }
        for (const prefix of ["../", "/x", "a//", ".h"]) {
          assert.strictEqual(yield* errorTag(Stream.runDrain(store.list(prefix))), "BlobKeyInvalid", prefix)
        }
      }),
    )

    it.effect(
      "a 64 MiB object goes in by parts and comes out as a stream, never whole in memory",
      () =>
        Effect.gen(function* () {
          const store = yield* BlobStore
          const key = `${scope()}/large`
          const partBytes = 8 * MiB
          const uploadId = yield* store.createUpload(key)
          const expected = createHash("sha256")
          const records: Array<Part> = []
          for (let partNumber = 1; partNumber <= 8; partNumber++) {
            const bytes = randomBytes(partBytes)
            expected.update(bytes)
            records.push(yield* store.putPart(key, uploadId, partNumber, bytes, sha256(bytes)))
          }
          yield* store.completeUpload(key, uploadId, records)
          const baseline = liveBuffers()
          const download = yield* store.get(key)
          assert.strictEqual(download.size, 64 * MiB)
          const actual = createHash("sha256")
          let peak = 0
          let largestChunk = 0
          let sinceSample = 0
          yield* Stream.runForEach(download.body, (chunk) =>
            Effect.sync(() => {
              actual.update(chunk)
              largestChunk = Math.max(largestChunk, chunk.length)
              sinceSample += chunk.length
              if (sinceSample >= 4 * MiB) {
                sinceSample = 0
                peak = Math.max(peak, liveBuffers() - baseline)
              }
            }),
          )
          assert.strictEqual(actual.digest("hex"), expected.digest("hex"))
          assert.isAtMost(largestChunk, MiB)
          assert.isBelow(peak, 16 * MiB, `${(peak / MiB).toFixed(1)} MiB of buffers above the baseline while reading`)
          yield* store.delete(key)
        }),
      120_000,
    )
  })
