/**
 * Rate and time left: exact for a steady transfer, blind to what lies
 * before the window, undefined before there is a rate, zero when done.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import * as Progress from "../src/Progress.js"

describe("Progress", () => {
  it.prop(
    "a steady transfer gives its exact rate, and the time left at that rate",
    [fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 60 })],
    ([bytes, every, samples]) => {
      let meter = Progress.start(1_000)
      for (let sample = 1; sample <= samples; sample++) meter = Progress.record(meter, 1_000 + sample * every, bytes)
      const now = 1_000 + samples * every
      const rate = (bytes * 1000) / every
      assert.closeTo(Progress.rate(meter, now), rate, rate * 1e-9)
      const total = bytes * samples * 3
      const snapshot = Progress.snapshot(meter, now, bytes * samples, total)
      assert.closeTo(snapshot.etaSeconds ?? Number.NaN, (total - bytes * samples) / rate, 1e-6)
      // Samples older than the window are dropped (one is kept as the base).
      assert.isAtMost(meter.samples.length, Math.ceil(Progress.DEFAULT_WINDOW_MILLIS / every) + 2)
    },
  )

  it("only the window counts: a fast start does not hide a stall", () => {
    let meter = Progress.start(0)
    meter = Progress.record(meter, 1_000, 100_000_000)
    for (let second = 2; second <= 20; second++) meter = Progress.record(meter, second * 1_000, 1_000)
    assert.closeTo(Progress.rate(meter, 20_000), 1_000, 1e-9)
  })

  it("no rate before time passes; nothing left when done", () => {
    const meter = Progress.start(5)
    assert.deepStrictEqual(Progress.snapshot(meter, 5, 0, 10), {
      uploadedBytes: 0,
      totalBytes: 10,
      bytesPerSecond: 0,
      etaSeconds: undefined,
    })
    assert.strictEqual(Progress.snapshot(Progress.record(meter, 10, 10), 10, 10, 10).etaSeconds, 0)
    assert.strictEqual(Progress.snapshot(meter, 5, 0, 0).etaSeconds, 0)
  })
})
