/**
 * Layout arithmetic: the chunks tile the blob exactly, the header riding
 * with chunk 0; a blob's size gives back its layout; impossible sizes are
 * cut short; a plaintext range maps to the segments that hold it.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import * as SegmentLayout from "../src/SegmentLayout.js"

/** Up to 64 segments: every shape of layout, few enough that a run stays fast. */
const layouts = fc
  .tuple(fc.integer({ min: 68, max: 1091 }), fc.integer({ min: 1, max: 4096 }))
  .chain(([headerBytes, segmentBytes]) =>
    fc
      .integer({ min: 0, max: segmentBytes * 64 })
      .map((plaintextBytes) => SegmentLayout.make(headerBytes, segmentBytes, plaintextBytes)),
  )

describe("SegmentLayout", () => {
  it.prop("chunks tile the blob; segments tile the plaintext", [layouts], ([layout]) => {
    const count = SegmentLayout.count(layout)
    let offset = 0
    let plaintext = 0
    for (let index = 0; index < count; index++) {
      const chunk = SegmentLayout.chunk(layout, index)
      assert.strictEqual(chunk.offset, offset)
      assert.strictEqual(chunk.segment.plaintextOffset, plaintext)
      assert.strictEqual(chunk.segment.ciphertextLength, chunk.segment.plaintextLength + SegmentLayout.TAG_BYTES)
      assert.strictEqual(chunk.segment.last, index === count - 1)
      if (!chunk.segment.last) assert.strictEqual(chunk.segment.plaintextLength, layout.segmentBytes)
      offset += chunk.length
      plaintext += chunk.segment.plaintextLength
    }
    assert.strictEqual(offset, SegmentLayout.ciphertextBytes(layout))
    assert.strictEqual(plaintext, layout.plaintextBytes)
  })

  it.prop("a blob's size gives back its layout", [layouts], ([layout]) => {
    const back = SegmentLayout.fromCiphertextBytes(
      layout.headerBytes,
      layout.segmentBytes,
      SegmentLayout.ciphertextBytes(layout),
    )
    assert.deepStrictEqual(back, Either.right(layout))
  })

  it.prop(
    "sizes that leave the last segment shorter than a tag are cut short",
    [layouts, fc.integer({ min: 1, max: 15 })],
    ([layout, cut]) => {
      const full = layout.segmentBytes + SegmentLayout.TAG_BYTES
      // A blob that ends `cut` bytes into a segment that should hold at least a tag.
      const size = layout.headerBytes + SegmentLayout.count(layout) * full + cut
      const back = SegmentLayout.fromCiphertextBytes(layout.headerBytes, layout.segmentBytes, size)
      assert.isTrue(Either.isLeft(back) && back.left._tag === "Truncated")
    },
  )

  it.prop(
    "a range maps to the segments that hold it",
    [layouts.filter((layout) => layout.plaintextBytes > 0), fc.nat(), fc.nat()],
    ([layout, a, b]) => {
      const start = a % layout.plaintextBytes
      const end = start + 1 + (b % (layout.plaintextBytes - start))
      const plan = SegmentLayout.range(layout, start, end)
      if (Either.isLeft(plan)) throw new Error(plan.left.message)
      const { first, last, skip, length } = plan.right
      assert.strictEqual(first * layout.segmentBytes + skip, start)
      assert.strictEqual(length, end - start)
      assert.isAtMost(first * layout.segmentBytes, start)
      assert.isAbove((last + 1) * layout.segmentBytes, end - 1)
      assert.isAtMost(last * layout.segmentBytes, end - 1)
    },
  )

  it("refuses empty, inverted and out-of-file ranges", () => {
    const layout = SegmentLayout.make(100, 10, 50)
    for (const [start, end] of [
      [5, 5],
      [6, 5],
      [-1, 3],
      [0, 51],
    ] as const) {
      const plan = SegmentLayout.range(layout, start, end)
      assert.isTrue(Either.isLeft(plan) && plan.left._tag === "InvalidRange")
    }
  })
})
