/**
 * The segmenter under any cutting of its input: segments tile the input in
 * order, all full but the last, only the last flagged; an empty input is
 * one empty last segment; a released buffer is the one filled next, and
 * nothing released is ever filled while still held.
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, FastCheck as fc } from "effect"
import { concat } from "../src/internal/bytes.js"
import * as Segmenter from "../src/internal/segmenter.js"
import { patterned } from "./support.js"

const cut = (bytes: Uint8Array, cuts: ReadonlyArray<number>) => {
  const points = [0, ...cuts.map((at) => at % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]
  return points.slice(1).map((end, index) => bytes.subarray(points[index], end))
}

describe("Segmenter", () => {
  it.prop(
    "segments tile the input, full but the last, flagged last once",
    [
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 0, max: 700 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.boolean(),
    ],
    ([size, length, cuts, releaseAtOnce]) => {
      const input = patterned(length, size)
      const segmenter = Segmenter.make(size)
      const held: Array<Segmenter.Segment> = []
      const copies: Array<Uint8Array> = []
      const take = (segment: Segmenter.Segment) => {
        held.push(segment)
        copies.push(segment.bytes.slice())
        if (releaseAtOnce) segmenter.release(segment.bytes)
      }
      for (const piece of cut(input, cuts)) Chunk.forEach(segmenter.push(piece), take)
      take(segmenter.finish())
      // Bytes still held (not released) were never overwritten by later segments.
      if (!releaseAtOnce)
        for (const [index, segment] of held.entries()) assert.deepStrictEqual(segment.bytes, copies[index])
      assert.deepStrictEqual(concat(...copies), input)
      held.forEach((segment, index) => {
        assert.strictEqual(segment.index, index)
        assert.strictEqual(segment.last, index === held.length - 1)
        if (!segment.last) assert.strictEqual(segment.bytes.length, size)
      })
      assert.strictEqual(held.length, Math.max(1, Math.ceil(length / size)))
    },
  )

  it("a released buffer is filled again instead of a new one", () => {
    const segmenter = Segmenter.make(4)
    // Byte by byte, so every segment is the segmenter's own buffer.
    const segments = (bytes: Uint8Array) =>
      Array.from(bytes).flatMap((byte) => Chunk.toReadonlyArray(segmenter.push(Uint8Array.of(byte))))
    const [first] = segments(patterned(5))
    if (first === undefined) throw new Error("no segment")
    segmenter.release(first.bytes)
    const [second, third] = segments(patterned(8, 2))
    assert.notStrictEqual(second?.bytes.buffer, first.bytes.buffer)
    assert.strictEqual(third?.bytes.buffer, first.bytes.buffer)
    // A view of the caller's piece is not the segmenter's to fill.
    const other = Segmenter.make(4)
    const [view] = Chunk.toReadonlyArray(other.push(patterned(12)))
    if (view === undefined) throw new Error("no segment")
    other.release(view.bytes)
    other.push(Uint8Array.of(1))
    assert.notStrictEqual(other.finish().bytes.buffer, view.bytes.buffer)
  })
})
