/**
 * SM-2 against SuperMemo's published values: the E-Factor table from 2.5,
 * the interval sequences I(1) = 1, I(2) = 6, I(n) = ceil(I(n−1) · EF), the
 * reading of the paper's ambiguities (E-Factor on failure, which E-Factor
 * multiplies), the same-day re-drill, the options beyond the paper, and
 * properties over any answers.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { isDue, Sm2State } from "../src/Card.js"
import type { Grade } from "../src/Grade.js"
import { fuzzRange } from "../src/internal/fuzz.js"
import * as LocalDay from "../src/LocalDay.js"
import { type Random, seeded } from "../src/Scheduler.js"
import * as Sm2 from "../src/Sm2.js"
import { asSm2, berlin, cardId, DAY, delay, grade, HOUR, MINUTE, steps, study, T0 } from "./support.js"

const noRandom: Random = () => {
  throw new Error("exact SM-2 draws no random numbers")
}
const review = (state: Sm2State, q: Grade, at: number, algorithm = Sm2.exact) =>
  algorithm.review(state, q, at, noRandom)
const startOfDay = (at: number, days = 0) => LocalDay.utc.startOf(LocalDay.utc.dayOf(at) + days)

/** Answers `grades` each on its due day at 09:00 UTC, clearing any re-drill with a 4 ten minutes later. */
const onTime = (grades: ReadonlyArray<Grade>, algorithm = Sm2.exact) => {
  let state = algorithm.create(T0)
  let at = T0
  const states: Array<Sm2State> = []
  for (const q of grades) {
    at = Math.max(at, state.dueAt + 9 * HOUR)
    state = review(state, q, at, algorithm)
    if (state.redrillUntil !== null) state = review(state, 4, at + 10 * MINUTE, algorithm)
    states.push(state)
  }
  return states
}

const state = (fields: Partial<Omit<Sm2State, "_tag">>): Sm2State =>
  Sm2State.make({
    efactor: 2.5,
    repetitions: 0,
    interval: 0,
    lastReviewedAt: null,
    dueAt: T0,
    redrillUntil: null,
    ...fields,
  })

describe("Sm2", () => {
  it("E-Factor after one repetition from 2.5, for q = 0…5: 1.7, 1.96, 2.18, 2.36, 2.5, 2.6", () => {
    const expected = [1.7, 1.96, 2.18, 2.36, 2.5, 2.6]
    for (const q of [0, 1, 2, 3, 4, 5] as const) {
      assert.strictEqual(Sm2.nextEFactor(2.5, q), expected[q])
      assert.strictEqual(review(Sm2.exact.create(T0), q, T0).efactor, expected[q])
    }
  })

  it("the E-Factor never falls below 1.3", () => {
    assert.strictEqual(Sm2.nextEFactor(1.4, 0), 1.3)
    assert.strictEqual(Sm2.nextEFactor(1.3, 3), 1.3)
    assert.strictEqual(Sm2.nextEFactor(1.44, 3), 1.3)
    assert.strictEqual(Sm2.nextEFactor(1.45, 3), 1.31)
  })

  it("all 5s: I = 1, 6, ceil(6·2.7) = 17, ceil(17·2.8) = 48, ceil(48·2.9) = 140; EF 2.6 … 3.0", () => {
    const states = onTime([5, 5, 5, 5, 5])
    assert.deepStrictEqual(
      states.map((s) => s.interval),
      [1, 6, 17, 48, 140],
    )
    assert.deepStrictEqual(
      states.map((s) => s.efactor),
      [2.6, 2.7, 2.8, 2.9, 3],
    )
    assert.deepStrictEqual(
      states.map((s) => s.repetitions),
      [1, 2, 3, 4, 5],
    )
  })

  it("all 4s: EF stays 2.5 and I = 1, 6, 15, ceil(37.5) = 38, 95, ceil(237.5) = 238", () => {
    const states = onTime([4, 4, 4, 4, 4, 4])
    assert.deepStrictEqual(
      states.map((s) => s.interval),
      [1, 6, 15, 38, 95, 238],
    )
    assert.isTrue(states.every((s) => s.efactor === 2.5))
  })

  it("all 3s: EF 2.36, 2.22, 2.08, 1.94 and I = 1, 6, ceil(6·2.22) = 14, ceil(14·2.08) = 30", () => {
    const states = onTime([3, 3, 3, 3])
    assert.deepStrictEqual(
      states.map((s) => s.interval),
      [1, 6, 14, 30],
    )
    assert.deepStrictEqual(
      states.map((s) => s.efactor),
      [2.36, 2.22, 2.08, 1.94],
    )
  })

  it("I(n) multiplies by the E-Factor the card had when repeated, not the one its grade produces", () => {
    const before = state({ efactor: 2.5, repetitions: 2, interval: 6 })
    // ceil(6 · 2.5) = 15, where the 5's new EF 2.6 would give 16; ceil(10 · 2.2) = 22, where the 3's new EF 2.06 would give 21.
    assert.strictEqual(review(before, 5, T0).interval, 15)
    assert.strictEqual(review(state({ efactor: 2.2, repetitions: 2, interval: 10 }), 3, T0).interval, 22)
  })

  it("the arithmetic is exact: EF 2.5 + 0.1 + 0.1 + 0.1 times 5 days is 14, not ceil(14.000000000000002) = 15", () => {
    const drifted = 2.5 + 0.1 + 0.1 + 0.1
    assert.isTrue(Math.ceil(5 * drifted) === 15)
    assert.strictEqual(review(state({ efactor: drifted, repetitions: 3, interval: 5 }), 4, T0).interval, 14)
  })

  it("a failure (q < 3) restarts the repetitions, due tomorrow, and still updates the E-Factor by the formula", () => {
    const [, , third] = onTime([5, 5, 5])
    assert.deepStrictEqual([third?.efactor, third?.interval], [2.8, 17])
    const failedAt = (third?.dueAt ?? 0) + 9 * HOUR
    const failed = review(third as Sm2State, 1, failedAt)
    assert.strictEqual(failed.efactor, 2.26)
    assert.strictEqual(failed.repetitions, 0)
    assert.strictEqual(failed.interval, 1)
    assert.strictEqual(failed.dueAt, startOfDay(failedAt, 1))
    // As if memorised anew: I(1) = 1, I(2) = 6, then ceil(6 · 2.26) = 14 with the kept E-Factor.
    let next = review(failed, 4, failedAt + 10 * MINUTE)
    const intervals: Array<number> = []
    for (let index = 0; index < 3; index++) {
      next = review(next, 4, next.dueAt + 9 * HOUR)
      intervals.push(next.interval)
    }
    assert.deepStrictEqual(intervals, [1, 6, 14])
    assert.strictEqual(next.efactor, 2.26)
  })

  describe("the same-day re-drill", () => {
    const day = T0 - 9 * HOUR
    const graded3 = review(state({ efactor: 2.5, repetitions: 2, interval: 6 }), 3, T0)

    it("a counted 3 schedules as usual and keeps the card due until the end of the local day", () => {
      assert.strictEqual(graded3.interval, 15)
      assert.strictEqual(graded3.efactor, 2.36)
      assert.strictEqual(graded3.dueAt, day + 15 * DAY)
      assert.strictEqual(graded3.redrillUntil, day + DAY)
      assert.isTrue(isDue(graded3, T0 + HOUR))
      assert.isTrue(isDue(graded3, day + DAY - 1))
      assert.isFalse(isDue(graded3, day + DAY))
    })

    it("drills below 4 change nothing but the time of the last review; a 4 or 5 ends the drill", () => {
      for (const q of [0, 1, 2, 3] as const) {
        const drilled = review(graded3, q, T0 + HOUR)
        assert.deepStrictEqual(drilled, { ...graded3, lastReviewedAt: T0 + HOUR })
      }
      for (const q of [4, 5] as const) {
        const done = review(graded3, q, T0 + 2 * HOUR)
        assert.deepStrictEqual(done, { ...graded3, lastReviewedAt: T0 + 2 * HOUR, redrillUntil: null })
        assert.isFalse(isDue(done, T0 + 3 * HOUR))
      }
    })

    it("a drill left unfinished lapses at the end of the day; the next answer is a counted repetition", () => {
      const failed = review(state({ efactor: 2.5, repetitions: 3, interval: 15 }), 2, T0)
      assert.isTrue(isDue(failed, T0 + 10 * HOUR))
      const nextDay = review(failed, 4, T0 + DAY)
      assert.deepStrictEqual([nextDay.repetitions, nextDay.interval, nextDay.redrillUntil], [1, 1, null])
      assert.strictEqual(nextDay.efactor, 2.18)
    })

    it("days are the learner's: 23:30 in Berlin is still the same day, 00:30 is the next", () => {
      const berlinSm2 = Sm2.make({}, berlin)
      const at = Date.UTC(2026, 0, 5, 20) // 21:00 in Berlin
      const drill = berlinSm2.review(state({ repetitions: 2, interval: 6 }), 3, at, noRandom)
      assert.strictEqual(drill.redrillUntil, Date.UTC(2026, 0, 5, 23))
      assert.strictEqual(drill.dueAt, Date.UTC(2026, 0, 19, 23))
      assert.isTrue(isDue(drill, Date.UTC(2026, 0, 5, 22, 30)))
      assert.isFalse(isDue(drill, Date.UTC(2026, 0, 5, 23, 30)))
    })
  })

  describe("options beyond the paper", () => {
    const dueDay = T0 - 9 * HOUR
    const sixDays = state({ efactor: 2.5, repetitions: 2, interval: 6, dueAt: dueDay })
    const credited = Sm2.make({ lateCredit: true })

    it("late credit: 4 days late adds ¼, ½ or all of the delay by grade 3, 4, 5; on time it changes nothing", () => {
      const late = T0 + 4 * DAY
      assert.deepStrictEqual(
        ([3, 4, 5] as const).map((q) => review(sixDays, q, late).interval),
        [15, 15, 15],
      )
      // ceil((6 + 1) · 2.5) = 18, (6 + 2) · 2.5 = 20, (6 + 4) · 2.5 = 25.
      assert.deepStrictEqual(
        ([3, 4, 5] as const).map((q) => review(sixDays, q, late, credited).interval),
        [18, 20, 25],
      )
      assert.strictEqual(review(sixDays, 4, T0, credited).interval, 15)
    })

    it("fuzz: Anki's ranges, from the generator passed in, reproducible from its seed", () => {
      assert.deepStrictEqual(fuzzRange(15, 36_500), { min: 13, max: 17 })
      assert.deepStrictEqual(fuzzRange(100, 36_500), { min: 93, max: 107 })
      assert.deepStrictEqual(fuzzRange(2, 36_500), { min: 2, max: 2 })
      const fuzzy = Sm2.make({ fuzz: true })
      const interval = (seed: string) => fuzzy.review(sixDays, 4, T0, seeded(seed)).interval
      const drawn = Array.from({ length: 40 }, (_, index) => interval(`review-${index}`))
      assert.isTrue(drawn.every((days) => days >= 13 && days <= 17))
      assert.isTrue(new Set(drawn).size > 1)
      assert.strictEqual(interval("review-7"), drawn[7])
    })

    it("intervals stop at the maximum", () => {
      const states = onTime(Array.from({ length: 12 }, () => 5 as const))
      assert.strictEqual(states.at(-1)?.interval, 36_500)
      const capped = Sm2.make({ maximumInterval: 100 })
      assert.strictEqual(review(state({ repetitions: 3, interval: 90 }), 5, T0, capped).interval, 100)
    })
  })

  it.prop("the E-Factor never falls below 1.3, whatever the answers and options", [steps(40)], ([answers]) => {
    for (const algorithm of [Sm2.exact, Sm2.make({ lateCredit: true, fuzz: true }, berlin)]) {
      for (const entry of study(algorithm, cardId("card"), answers).log) {
        assert.isAtLeast(asSm2(entry.stateAfter).efactor, 1.3)
      }
    }
  })

  it.prop(
    "while every grade is 4 or 5, intervals never decrease (exact and with late credit)",
    [fc.array(fc.record({ grade: fc.constantFrom<Grade>(4, 5), delay }), { minLength: 1, maxLength: 30 })],
    ([answers]) => {
      for (const algorithm of [Sm2.exact, Sm2.make({ lateCredit: true }, berlin)]) {
        const intervals = study(algorithm, cardId("card"), answers).log.map((entry) => asSm2(entry.stateAfter).interval)
        for (const [index, interval] of intervals.entries()) assert.isAtLeast(interval, intervals[index - 1] ?? 0)
      }
    },
  )

  it.prop("is deterministic: the same answers, times and seeds give the same states", [steps(30)], ([answers]) => {
    const make = () => Sm2.make({ lateCredit: true, fuzz: true }, LocalDay.make(berlin.timeZone, { startHour: 4 }))
    assert.deepStrictEqual(study(make(), cardId("card"), answers), study(make(), cardId("card"), answers))
  })

  it.prop(
    "each answer is a counted repetition or a drill that moves nothing but time",
    [grade, steps(20)],
    ([q, answers]) => {
      const before = study(Sm2.exact, cardId("card"), answers).state
      const at = Math.max(before.lastReviewedAt ?? T0, T0) + MINUTE
      const after = review(before, q, at)
      if (before.redrillUntil !== null && at < before.redrillUntil)
        assert.deepStrictEqual(after, {
          ...before,
          lastReviewedAt: at,
          redrillUntil: q >= 4 ? null : before.redrillUntil,
        })
      else assert.strictEqual(after.repetitions, q >= 3 ? before.repetitions + 1 : 0)
    },
  )
})
