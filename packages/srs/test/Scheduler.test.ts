/**
 * The port: `answer` writes a complete log entry, refuses a state of the
 * other scheduler and a review older than the card's last; the Effect
 * service takes the time from Clock when none is given; log entries survive
 * a JSON round trip through their schema.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Either, Schema, TestClock } from "effect"
import type { CardState } from "../src/Card.js"
import * as Fsrs from "../src/Fsrs.js"
import { ReviewId, ReviewLogEntry } from "../src/ReviewLog.js"
import * as Scheduler from "../src/Scheduler.js"
import * as Sm2 from "../src/Sm2.js"
import { cardId, DAY, deck, HOUR, studyDeck, T0 } from "./support.js"

const input = (reviewedAt: number, grade: 0 | 1 | 2 | 3 | 4 | 5 = 4) => ({
  cardId: cardId("card"),
  reviewId: ReviewId.make(`review-${reviewedAt}`),
  grade,
  reviewedAt,
  durationMs: 2_500,
})

describe("Scheduler", () => {
  it("answer: the entry holds the grade, its button, elapsed days and both states", () => {
    const first = Either.getOrThrow(Scheduler.answer(Sm2.exact, Sm2.exact.create(T0), input(T0, 3)))
    const second = Either.getOrThrow(Scheduler.answer(Sm2.exact, first.stateAfter, input(T0 + 2 * DAY + HOUR, 5)))
    assert.deepStrictEqual(
      [first.scheduler, first.button, first.elapsedDays, first.durationMs, second.button, second.elapsedDays],
      ["sm2", "hard", 0, 2_500, "easy", 2],
    )
    assert.deepStrictEqual(second.stateBefore, first.stateAfter)
    assert.strictEqual(second.stateAfter._tag === "Sm2" && second.stateAfter.repetitions, 2)
  })

  it("answer refuses another scheduler's state and a review older than the card's last", () => {
    const mismatch = Scheduler.answer(Sm2.exact, Fsrs.standard.create(T0), input(T0))
    assert.strictEqual(Either.isLeft(mismatch) && mismatch.left._tag, "SchedulerMismatch")
    const reviewed = Either.getOrThrow(Scheduler.answer(Fsrs.standard, Fsrs.standard.create(T0), input(T0)))
    const older = Scheduler.answer(Fsrs.standard, reviewed.stateAfter, input(T0 - 1))
    assert.strictEqual(Either.isLeft(older) && older.left._tag, "ReviewOutOfOrder")
  })

  it.effect("the service stamps reviews with Clock's time unless the caller gives one", () =>
    Effect.gen(function* () {
      yield* TestClock.adjust(Duration.millis(T0))
      const scheduler = yield* Scheduler.Scheduler
      const created = yield* scheduler.create
      assert.strictEqual(created.dueAt, T0)
      yield* TestClock.adjust(Duration.hours(1))
      const entry = yield* scheduler.answer(created, {
        cardId: cardId("card"),
        reviewId: ReviewId.make("now"),
        grade: 4,
        durationMs: 1_000,
      })
      assert.strictEqual(entry.reviewedAt, T0 + HOUR)
      const offline = yield* scheduler.answer(entry.stateAfter, input(T0 + DAY))
      assert.strictEqual(offline.reviewedAt, T0 + DAY)
      const error = yield* Effect.flip(scheduler.answer(Sm2.exact.create(T0), input(T0 + 2 * DAY)))
      assert.strictEqual(error._tag, "SchedulerMismatch")
    }).pipe(Effect.provide(Scheduler.layer(Fsrs.standard))),
  )

  it.prop("log entries from either scheduler survive a JSON round trip", [deck], ([cards]) => {
    const codec = Schema.parseJson(Schema.Array(ReviewLogEntry))
    const algorithms: ReadonlyArray<Scheduler.Algorithm<CardState>> = [
      Sm2.make({ fuzz: true, lateCredit: true }),
      Fsrs.make({ fuzz: true }),
    ]
    for (const algorithm of algorithms) {
      const { log } = studyDeck(algorithm, cards)
      assert.deepStrictEqual(Schema.decodeUnknownSync(codec)(Schema.encodeSync(codec)(log)), log)
    }
  })
})
