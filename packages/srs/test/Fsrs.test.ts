/**
 * The FSRS adapter: it runs FSRS-6 with the default parameters, a new card's
 * first answer lands where FSRS-6's defaults put it, the adapter agrees with
 * bare ts-fsrs on any answers, the button mapping holds, and fuzz is
 * deterministic given the seed.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { type Card, createEmptyCard, fsrs, Rating } from "ts-fsrs"
import type { FsrsState } from "../src/Card.js"
import * as Fsrs from "../src/Fsrs.js"
import type { Grade } from "../src/Grade.js"
import { seeded } from "../src/Scheduler.js"
import { asFsrs, cardId, DAY, MINUTE, steps, study, T0 } from "./support.js"

const first = (q: Grade) => Fsrs.standard.review(Fsrs.standard.create(T0), q, T0, seeded("unused"))

const sameCard = (ours: FsrsState, theirs: Card) => {
  assert.deepStrictEqual(
    [ours.stability, ours.difficulty, ours.dueAt, ours.scheduledDays, ours.learningStep, ours.reps, ours.lapses],
    [
      theirs.stability,
      theirs.difficulty,
      theirs.due.getTime(),
      theirs.scheduled_days,
      theirs.learning_steps,
      theirs.reps,
      theirs.lapses,
    ],
  )
  assert.strictEqual(ours.phase, ["New", "Learning", "Review", "Relearning"][theirs.state])
  assert.strictEqual(ours.lastReviewedAt, theirs.last_review?.getTime() ?? null)
}

describe("Fsrs", () => {
  it("is FSRS-6 with its 21 default parameters (decay w20 = 0.1542)", () => {
    assert.match(Fsrs.engineVersion, /using FSRS-6\.0$/)
    assert.strictEqual(Fsrs.defaultParameters.length, 21)
    assert.strictEqual(Fsrs.defaultParameters[20], 0.1542)
  })

  it("a new card's first answer: Again 1 min, Hard 6 min, Good 10 min (learning steps), Easy 8 days", () => {
    const w = Fsrs.defaultParameters
    const at = (q: Grade) => first(q).dueAt - T0
    assert.deepStrictEqual([at(1), at(3), at(4)], [MINUTE, 6 * MINUTE, 10 * MINUTE])
    // Easy graduates at once: S0(Easy) = w3, and at 90 % retention FSRS-6's interval equals S, rounded.
    const easy = first(5)
    assert.strictEqual(easy.phase, "Review")
    assert.strictEqual(easy.stability, w[3])
    assert.strictEqual(easy.scheduledDays, Math.round(w[3] ?? 0))
    assert.strictEqual(easy.dueAt, T0 + 8 * DAY)
    // D0(G) = w4 − e^{(G−1)·w5} + 1, clamped to [1, 10]: Good 2.12…, Easy below 1 so 1.
    const d0 = (rating: number) => Math.min(10, Math.max(1, (w[4] ?? 0) - Math.exp((rating - 1) * (w[5] ?? 0)) + 1))
    assert.closeTo(first(4).difficulty, d0(3), 1e-6)
    assert.strictEqual(easy.difficulty, 1)
    assert.strictEqual(first(4).phase, "Learning")
  })

  it("grades map through the buttons: 0, 1 and 2 are all Again", () => {
    assert.deepStrictEqual(first(0), first(1))
    assert.deepStrictEqual(first(2), first(1))
    assert.notDeepEqual(first(3), first(1))
  })

  it.prop("agrees with bare ts-fsrs on any answers at any times", [steps(30)], ([answers]) => {
    const engine = fsrs()
    let theirs = createEmptyCard(new Date(T0))
    const ours = study(Fsrs.standard, cardId("card"), answers).log
    let at = T0
    answers.forEach(({ grade, delay }, index) => {
      at = Math.max(at, theirs.due.getTime()) + delay
      const rating = grade < 3 ? Rating.Again : grade === 3 ? Rating.Hard : grade === 4 ? Rating.Good : Rating.Easy
      theirs = engine.next(theirs, new Date(at), rating).card
      const entry = ours[index]
      assert.strictEqual(entry?.reviewedAt, at)
      sameCard(asFsrs(entry?.stateAfter ?? Fsrs.standard.create(0)), theirs)
    })
  })

  it.prop(
    "fuzz is deterministic: the same answers, times and seeds give the same states",
    [steps(25), fc.string({ minLength: 1, maxLength: 12 })],
    ([answers, seed]) => {
      const fuzzy = Fsrs.make({ fuzz: true })
      const once = study(fuzzy, cardId(seed), answers)
      assert.deepStrictEqual(study(Fsrs.make({ fuzz: true }), cardId(seed), answers), once)
    },
  )

  it("fuzz spreads a long interval over neighbouring days", () => {
    const fuzzy = Fsrs.make({ fuzz: true })
    const mature = study(Fsrs.standard, cardId("mature"), [
      { grade: 5, delay: 0 },
      { grade: 4, delay: 0 },
      { grade: 4, delay: 0 },
    ]).state
    const at = mature.dueAt
    const exact = Fsrs.standard.review(mature, 4, at, seeded("unused")).scheduledDays
    const drawn = Array.from(
      { length: 30 },
      (_, index) => fuzzy.review(mature, 4, at, seeded(`r${index}`)).scheduledDays,
    )
    assert.isAbove(exact, 20)
    assert.isTrue(new Set(drawn).size > 1)
    assert.isTrue(drawn.every((days) => Math.abs(days - exact) <= 0.05 * exact + 3))
    assert.strictEqual(fuzzy.review(mature, 4, at, seeded("r3")).scheduledDays, drawn[3])
  })
})
