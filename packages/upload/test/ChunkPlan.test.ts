/**
 * The planner: for any file size up to the limits' reach, at most 10,000
 * segments, none below 5 MiB but the last, covering the file exactly;
 * 8 MiB unless the file needs more; growth in whole MiB only when needed;
 * sizes no plan fits are refused.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import * as ChunkPlan from "../src/ChunkPlan.js"

const { MiB } = ChunkPlan
const reach = ChunkPlan.s3.maxParts * ChunkPlan.s3.maxSegmentBytes

const planOf = (size: number, options?: ChunkPlan.PlanOptions) => {
  const plan = ChunkPlan.make(size, options)
  if (Either.isLeft(plan)) throw new Error(`no plan for ${size}: ${plan.left.message}`)
  return plan.right
}

/** Sizes around the interesting places: small, at the growth threshold, huge. */
const sizes = fc.oneof(
  fc.integer({ min: 0, max: 64 * MiB }),
  fc.integer({ min: 10_000 * 8 * MiB - 1024, max: 10_000 * 8 * MiB + 1024 }),
  fc.integer({ min: 0, max: reach }),
)

describe("ChunkPlan", () => {
  it.prop("at most 10,000 segments, none below 5 MiB but the last, covering the file exactly", [sizes], ([size]) => {
    const plan = planOf(size)
    assert.isAtMost(plan.segmentCount, 10_000)
    assert.isAtLeast(plan.segmentBytes, 5 * MiB)
    assert.isAtMost(plan.segmentBytes, ChunkPlan.MAX_SEGMENT_BYTES)
    const lastBytes = size - (plan.segmentCount - 1) * plan.segmentBytes
    // Every segment but the last is full; the last holds what remains (nothing only for an empty file).
    assert.isAtLeast(lastBytes, size === 0 ? 0 : 1)
    assert.isAtMost(lastBytes, plan.segmentBytes)
    assert.strictEqual((plan.segmentCount - 1) * plan.segmentBytes + lastBytes, size)
  })

  it.prop("8 MiB while 10,000 of them suffice; otherwise the smallest whole-MiB size that does", [sizes], ([size]) => {
    const plan = planOf(size)
    if (size <= 10_000 * 8 * MiB) assert.strictEqual(plan.segmentBytes, 8 * MiB)
    else {
      assert.strictEqual(plan.segmentBytes % MiB, 0)
      assert.isAbove(Math.ceil(size / (plan.segmentBytes - MiB)), 10_000)
    }
  })

  it("known plans", () => {
    assert.deepStrictEqual(planOf(0), { plaintextBytes: 0, segmentBytes: 8 * MiB, segmentCount: 1 })
    assert.deepStrictEqual(planOf(8 * MiB), { plaintextBytes: 8 * MiB, segmentBytes: 8 * MiB, segmentCount: 1 })
    assert.deepStrictEqual(planOf(8 * MiB + 1), { plaintextBytes: 8 * MiB + 1, segmentBytes: 8 * MiB, segmentCount: 2 })
    assert.strictEqual(planOf(10_000 * 8 * MiB).segmentCount, 10_000)
    assert.deepStrictEqual(planOf(10_000 * 8 * MiB + 1), {
      plaintextBytes: 10_000 * 8 * MiB + 1,
      segmentBytes: 9 * MiB,
      segmentCount: 8_889,
    })
    assert.strictEqual(planOf(reach).segmentBytes, ChunkPlan.MAX_SEGMENT_BYTES)
    assert.strictEqual(planOf(100 * MiB, { segmentBytes: 5 * MiB }).segmentCount, 20)
  })

  it("refuses what no plan fits", () => {
    const refused = (size: number, options?: ChunkPlan.PlanOptions) =>
      Either.match(ChunkPlan.make(size, options), { onLeft: (error) => error._tag, onRight: () => "planned" })
    assert.strictEqual(refused(reach + 1), "PlanRefused")
    assert.strictEqual(refused(-1), "PlanRefused")
    assert.strictEqual(refused(1.5), "PlanRefused")
    assert.strictEqual(refused(Number.NaN), "PlanRefused")
    assert.strictEqual(refused(10, { segmentBytes: 5 * MiB - 1 }), "PlanRefused")
    assert.strictEqual(refused(10, { segmentBytes: ChunkPlan.MAX_SEGMENT_BYTES + 1 }), "PlanRefused")
  })
})
