/**
 * Streaming file encryption end to end: any plaintext (empty, one segment,
 * segment boundaries ± 1) cut into any pieces comes back whole; every
 * tamper is a typed error that says what happened — a flipped bit, a cut,
 * a dropped, repeated or reordered segment, bytes after the end, a segment
 * or header from another file, a wrong file id or key; ranged reads fetch
 * only the segments they need.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, type Layer, Option, Stream } from "effect"
import * as FileCipher from "../src/FileCipher.js"
import * as FileHeader from "../src/FileHeader.js"
import { concat } from "../src/internal/bytes.js"
import * as SegmentLayout from "../src/SegmentLayout.js"
import { cipherLayer, collect, fileId, flipBit, keysLayer, otherFileId, patterned, streamOf } from "./support.js"

/** A segment size, then a file size around its boundaries or anywhere within 20 segments. */
const shapes = fc.integer({ min: 1, max: 256 }).chain((segmentBytes) =>
  fc.record({
    segmentBytes: fc.constant(segmentBytes),
    size: fc.oneof(
      fc.constantFrom(0, 1, segmentBytes - 1, segmentBytes, segmentBytes + 1, 3 * segmentBytes - 1, 3 * segmentBytes),
      fc.integer({ min: 0, max: 20 * segmentBytes }),
    ),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  }),
)

const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof cipherLayer>>) =>
  Effect.provide(effect, cipherLayer)

/** A 100-byte file in segments of 32: [32, 32, 32, 4] plaintext, [48, 48, 48, 20] ciphertext. */
const sealed = (size = 100, id = fileId) =>
  Effect.gen(function* () {
    const cipher = yield* FileCipher.create(id, 32)
    const plaintext = patterned(size, size)
    const blob = yield* FileCipher.encryptBytes(cipher, plaintext)
    const layout = SegmentLayout.make(cipher.headerBytes.length, 32, size)
    const segments = Array.from({ length: SegmentLayout.count(layout) }, (_, index) => {
      const segment = SegmentLayout.segment(layout, index)
      return blob.subarray(segment.ciphertextOffset, segment.ciphertextOffset + segment.ciphertextLength)
    })
    return { cipher, plaintext, blob, layout, header: cipher.headerBytes, segments }
  })

/** Each run wraps a key and walks WebCrypto per segment (and tries up to 66 placements on a failure): fewer runs. */
const heavy = { fastCheck: { numRuns: 40 } }

const failureOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), Either.match({ onLeft: (error) => error, onRight: () => undefined }))

describe("FileCipher", () => {
  it.effect.prop(
    "any plaintext, cut anywhere, comes back whole",
    [shapes, fc.array(fc.nat(), { maxLength: 6 })],
    ([shape, decryptCuts]) =>
      run(
        Effect.gen(function* () {
          const plaintext = patterned(shape.size, shape.segmentBytes)
          const cipher = yield* FileCipher.create(fileId, shape.segmentBytes)
          const blob = yield* collect(FileCipher.encrypt(cipher)(streamOf(plaintext, shape.cuts)))
          const layout = SegmentLayout.make(cipher.headerBytes.length, shape.segmentBytes, shape.size)
          assert.strictEqual(blob.length, SegmentLayout.ciphertextBytes(layout))
          assert.deepStrictEqual(blob.subarray(0, cipher.headerBytes.length), cipher.headerBytes)
          const back = yield* collect(
            FileCipher.decrypt(fileId)(
              streamOf(
                blob,
                decryptCuts.map((cut) => cut % (blob.length + 1)),
              ),
            ),
          )
          assert.deepStrictEqual(back, plaintext)
        }),
      ),
  )

  it.effect("an empty file is one authenticated, empty, last segment", () =>
    run(
      Effect.gen(function* () {
        const { blob, header } = yield* sealed(0)
        assert.strictEqual(blob.length, header.length + 16)
        assert.deepStrictEqual(yield* FileCipher.decryptBytes(fileId, blob), new Uint8Array(0))
        const headerOnly = yield* failureOf(FileCipher.decryptBytes(fileId, header))
        assert.strictEqual(headerOnly?._tag, "Truncated")
      }),
    ),
  )

  it.effect.prop(
    "a flipped bit in a segment is SegmentCorrupted at that segment",
    [fc.nat()],
    ([bit]) =>
      run(
        Effect.gen(function* () {
          const { blob, header, layout } = yield* sealed()
          const bodyBits = (blob.length - header.length) * 8
          const at = header.length * 8 + (bit % bodyBits)
          const error = yield* failureOf(FileCipher.decryptBytes(fileId, flipBit(blob, at)))
          const position = Math.floor((Math.floor(at / 8) - header.length) / (layout.segmentBytes + 16))
          assert.deepInclude(error, { _tag: "SegmentCorrupted", position })
        }),
      ),
    heavy,
  )

  it.effect.prop(
    "a flipped bit in the header is a typed error",
    [fc.nat()],
    ([bit]) =>
      run(
        Effect.gen(function* () {
          const { blob, header } = yield* sealed()
          const error = yield* failureOf(FileCipher.decryptBytes(fileId, flipBit(blob, bit % (header.length * 8))))
          // A longer wrapped-key length runs the header past the blob; another segment size moves every boundary.
          assert.include(
            ["MalformedHeader", "FileMismatch", "FileKeyUnavailable", "SegmentCorrupted", "Truncated"],
            error?._tag,
          )
        }),
      ),
    heavy,
  )

  it.effect.prop(
    "a blob cut anywhere after its header is Truncated or a corrupted last segment",
    [fc.nat()],
    ([cut]) =>
      run(
        Effect.gen(function* () {
          const { blob, header } = yield* sealed()
          const end = header.length + (cut % (blob.length - header.length))
          const error = yield* failureOf(FileCipher.decryptBytes(fileId, blob.subarray(0, end)))
          assert.include(["Truncated", "SegmentCorrupted"], error?._tag)
        }),
      ),
    heavy,
  )

  it.effect("dropping, repeating or reordering segments says so", () =>
    run(
      Effect.gen(function* () {
        const { header, segments } = yield* sealed()
        const [s0, s1, s2, s3] = segments as [Uint8Array, Uint8Array, Uint8Array, Uint8Array]
        const open = (...parts: ReadonlyArray<Uint8Array>) =>
          failureOf(FileCipher.decryptBytes(fileId, concat(header, ...parts)))
        assert.deepInclude(yield* open(s0, s1, s2), { _tag: "Truncated" })
        assert.deepInclude(yield* open(s0, s2, s3), { _tag: "SegmentOutOfOrder", position: 1, found: 2 })
        assert.deepInclude(yield* open(s0, s2, s1, s3), { _tag: "SegmentOutOfOrder", position: 1, found: 2 })
        assert.deepInclude(yield* open(s0, s1, s1, s2, s3), { _tag: "SegmentDuplicated", position: 2, found: 1 })
        assert.deepInclude(yield* open(s0, s0, s1, s2, s3), { _tag: "SegmentDuplicated", position: 1, found: 0 })
        // After a short last segment, appended bytes join it: it no longer authenticates.
        assert.deepInclude(yield* open(s0, s1, s2, s3, s3), { _tag: "SegmentCorrupted", position: 3 })
        assert.deepInclude(yield* open(s3), { _tag: "SegmentOutOfOrder", position: 0, found: 3 })
        assert.isUndefined(yield* open(s0, s1, s2, s3))
      }),
    ),
  )

  it.effect("a file whose last segment is full: appended bytes are TrailingData, a dropped end is Truncated", () =>
    run(
      Effect.gen(function* () {
        const { header, segments } = yield* sealed(96)
        const [s0, s1, s2] = segments as [Uint8Array, Uint8Array, Uint8Array]
        const open = (...parts: ReadonlyArray<Uint8Array>) =>
          failureOf(FileCipher.decryptBytes(fileId, concat(header, ...parts)))
        assert.deepInclude(yield* open(s0, s1, s2, s0), { _tag: "TrailingData", position: 2 })
        assert.deepInclude(yield* open(s0, s1, s2, new Uint8Array(5)), { _tag: "TrailingData", position: 2 })
        assert.deepInclude(yield* open(s0, s1), { _tag: "Truncated" })
      }),
    ),
  )

  it.effect("segments or headers swapped between files, a wrong file id or key: typed errors", () =>
    run(
      Effect.gen(function* () {
        const mine = yield* sealed()
        // Another file with the same id (say, the same file encrypted again): another key.
        const again = yield* sealed()
        const other = yield* sealed(100, otherFileId)
        const open = (...parts: ReadonlyArray<Uint8Array>) =>
          failureOf(FileCipher.decryptBytes(fileId, concat(...parts)))
        const [m0, m1, m2, m3] = mine.segments as [Uint8Array, Uint8Array, Uint8Array, Uint8Array]
        assert.deepInclude(yield* open(mine.header, m0, again.segments[1] as Uint8Array, m2, m3), {
          _tag: "SegmentCorrupted",
          position: 1,
        })
        assert.deepInclude(yield* open(again.header, m0, m1, m2, m3), { _tag: "SegmentCorrupted", position: 0 })
        assert.deepInclude(yield* open(other.header, m0, m1, m2, m3), { _tag: "FileMismatch" })
        assert.deepInclude(yield* failureOf(FileCipher.decryptBytes(otherFileId, mine.blob)), { _tag: "FileMismatch" })
        // The server rewrites the header's file id to the one asked for: the wrap is bound to the real one.
        const relabelled = FileHeader.encode({ ...mine.cipher.header, fileId: otherFileId })
        assert.deepInclude(yield* failureOf(FileCipher.decryptBytes(otherFileId, concat(relabelled, m0, m1, m2, m3))), {
          _tag: "FileKeyUnavailable",
        })
        // Wrapped under another vault key.
        const foreign = yield* failureOf(Effect.provide(FileCipher.decryptBytes(fileId, mine.blob), keysLayer(0x11)))
        assert.deepInclude(foreign, { _tag: "FileKeyUnavailable" })
      }),
    ),
  )

  it.effect.prop(
    "a ranged read decrypts only the segments that hold the range",
    [fc.integer({ min: 1, max: 2000 }), fc.nat(), fc.nat()],
    ([size, a, b]) =>
      run(
        Effect.gen(function* () {
          const { blob, cipher, plaintext, layout } = yield* sealed(size)
          const start = a % size
          const end = start + 1 + (b % (size - start))
          const fetched: Array<readonly [number, number]> = []
          const fetch = (offset: number, length: number) =>
            Effect.sync(() => {
              fetched.push([offset, length])
              return blob.subarray(offset, offset + length)
            })
          const opened = yield* FileCipher.openWith(fileId, fetch)
          assert.deepStrictEqual(opened.headerBytes, cipher.headerBytes)
          fetched.length = 0
          const range = yield* FileCipher.decryptRange(opened, blob.length, start, end, fetch)
          assert.deepStrictEqual(range, plaintext.subarray(start, end))
          const first = Math.floor(start / 32)
          const last = Math.floor((end - 1) / 32)
          assert.deepStrictEqual(
            fetched,
            Array.from({ length: last - first + 1 }, (_, index) => {
              const segment = SegmentLayout.segment(layout, first + index)
              return [segment.ciphertextOffset, segment.ciphertextLength] as const
            }),
          )
        }),
      ),
    heavy,
  )

  it.effect("a ranged read served the wrong bytes or a wrong size fails typed", () =>
    run(
      Effect.gen(function* () {
        const { blob, cipher, segments } = yield* sealed()
        const serving = (segment: (offset: number, length: number) => Uint8Array) => (offset: number, length: number) =>
          Effect.succeed(segment(offset, length))
        const sliceOf = (offset: number, length: number) => blob.subarray(offset, offset + length)
        const swapped = yield* failureOf(
          FileCipher.decryptRange(
            cipher,
            blob.length,
            40,
            50,
            serving(() => segments[2] as Uint8Array),
          ),
        )
        assert.deepInclude(swapped, { _tag: "SegmentOutOfOrder", position: 1, found: 2 })
        // The server claims a shorter blob: its new last segment is not flagged last.
        const shorter = yield* failureOf(FileCipher.decryptRange(cipher, blob.length - 20, 70, 80, serving(sliceOf)))
        assert.deepInclude(shorter, { _tag: "Truncated" })
        const short = yield* failureOf(
          FileCipher.decryptRange(
            cipher,
            blob.length,
            0,
            10,
            serving((offset, length) => sliceOf(offset, length - 1)),
          ),
        )
        assert.deepInclude(short, { _tag: "Truncated" })
        const outside = yield* failureOf(FileCipher.decryptRange(cipher, blob.length, 90, 101, serving(sliceOf)))
        assert.deepInclude(outside, { _tag: "InvalidRange" })
      }),
    ),
  )

  it.effect("every segment of a file has its own IV; IVs carry the index and the last flag", () =>
    run(
      Effect.gen(function* () {
        const { cipher, segments } = yield* sealed()
        // Each segment opens under its own index and flag, and under no other within the window.
        for (const [index, segment] of segments.entries()) {
          const last = index === segments.length - 1
          assert.isTrue(Option.isSome(yield* cipher.openSegment(index, segment, last)))
          assert.isTrue(Option.isNone(yield* cipher.openSegment(index, segment, !last)))
          for (const other of segments.keys())
            if (other !== index) assert.isTrue(Option.isNone(yield* cipher.openSegment(other, segment, last)))
        }
      }),
    ),
  )

  it.effect("segments leave as soon as they are known not to be last: the stream is never gathered", () =>
    run(
      Effect.gen(function* () {
        const cipher = yield* FileCipher.create(fileId, 32)
        // 80 bytes, then a failure: segments 0 and 1 can (and must) be out before the failure is reached.
        const source = Stream.concat(Stream.fromIterable([patterned(40), patterned(40)]), Stream.fail("source failed"))
        const out = yield* Stream.runCollect(Stream.take(FileCipher.encrypt(cipher)(source), 3))
        assert.deepStrictEqual(
          [...out].map((piece) => piece.length),
          [cipher.headerBytes.length, 48, 48],
        )
      }),
    ),
  )
})
