/**
 * Analytics on a small hand-checked deck (in Berlin and in UTC, where a
 * review at 00:30 Berlin time moves to the next day), and invariants over
 * generated decks under both schedulers.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import * as Analytics from "../src/Analytics.js"
import { type Card, type CardState, FsrsState, isNew, Sm2State } from "../src/Card.js"
import * as Fsrs from "../src/Fsrs.js"
import { type Grade, toButton } from "../src/Grade.js"
import * as LocalDay from "../src/LocalDay.js"
import { ReviewId, type ReviewLogEntry } from "../src/ReviewLog.js"
import type { Algorithm } from "../src/Scheduler.js"
import * as Sm2 from "../src/Sm2.js"
import { berlin, cardId, DAY, deck, HOUR, MINUTE, studyDeck } from "./support.js"

const MAR_2 = Date.UTC(2026, 2, 2)

const sm2 = (interval: number, fields: Partial<Omit<Sm2State, "_tag">> = {}): Sm2State =>
  Sm2State.make({
    efactor: 2.5,
    repetitions: interval === 0 ? 0 : 3,
    interval,
    lastReviewedAt: interval === 0 ? null : MAR_2 - interval * DAY,
    dueAt: MAR_2,
    redrillUntil: null,
    ...fields,
  })

let reviews = 0
/** A review of `card` at `at` whose card had `interval` days before it (0: new). */
const review = (card: string, at: number, grade: Grade, interval: number): ReviewLogEntry => ({
  reviewId: ReviewId.make(`r${reviews++}`),
  cardId: cardId(card),
  scheduler: "sm2",
  grade,
  button: toButton(grade),
  reviewedAt: at,
  elapsedDays: interval,
  durationMs: 3_000,
  stateBefore: sm2(interval),
  stateAfter: sm2(interval),
})

const log: ReadonlyArray<ReviewLogEntry> = [
  review("a", MAR_2 + 10 * HOUR, 4, 30), // mature pass
  review("b", MAR_2 + 10 * HOUR, 1, 25), // mature fail (a lapse)…
  review("b", MAR_2 + 10 * HOUR + 10 * MINUTE, 4, 1), // …and its re-drill: not the first review of the day
  review("c", MAR_2 + 22 * HOUR + 30 * MINUTE, 3, 5), // young pass, 23:30 in Berlin
  review("c", MAR_2 + 23 * HOUR + 30 * MINUTE, 0, 5), // young fail, 00:30 on 3 March in Berlin, same day in UTC
  review("d", MAR_2 + 12 * HOUR, 4, 0), // a new card: learning
  review("e", MAR_2 + 12 * HOUR, 5, 3), // young pass
]

const cards: ReadonlyArray<Card> = [
  { id: cardId("a"), topic: "scales", state: sm2(30) },
  { id: cardId("b"), topic: "scales", state: sm2(25) },
  { id: cardId("c"), topic: "chords", state: sm2(5) },
  { id: cardId("d"), topic: "chords", state: sm2(1) },
  { id: cardId("e"), topic: "chords", state: sm2(3) },
  { id: cardId("f"), topic: null, state: sm2(8) },
]

const retention = (tally: Analytics.Tally) => Option.getOrNull(tally.retention)

describe("Analytics", () => {
  it("true retention counts each card's first review of its local day, young and mature apart", () => {
    const inBerlin = Analytics.trueRetention(log, berlin)
    assert.deepStrictEqual([inBerlin.young.passed, inBerlin.young.failed], [2, 1])
    assert.deepStrictEqual([inBerlin.mature.passed, inBerlin.mature.failed], [1, 1])
    assert.closeTo(retention(inBerlin.young) ?? -1, 2 / 3, 1e-12)
    assert.strictEqual(retention(inBerlin.mature), 0.5)
    // In UTC c's two reviews fall on one day: only the pass counts.
    const inUtc = Analytics.trueRetention(log, LocalDay.utc)
    assert.deepStrictEqual([inUtc.young.passed, inUtc.young.failed], [2, 0])
    assert.isTrue(Option.isNone(Analytics.trueRetention([], berlin).young.retention))
  })

  it("lapses: failures of young and mature cards, once per card and day", () => {
    assert.deepStrictEqual(Analytics.lapses(log, berlin), {
      total: 2,
      byCard: [
        { cardId: cardId("b"), lapses: 1 },
        { cardId: cardId("c"), lapses: 1 },
      ],
    })
    assert.strictEqual(Analytics.lapses(log, LocalDay.utc).total, 1)
  })

  it("the heatmap counts reviews per local day", () => {
    assert.deepStrictEqual(Analytics.heatmap(log, berlin), [
      { date: "2026-03-02", reviews: 6 },
      { date: "2026-03-03", reviews: 1 },
    ])
    assert.deepStrictEqual(Analytics.heatmap(log, LocalDay.utc), [{ date: "2026-03-02", reviews: 7 }])
  })

  it("answer buttons by the card's maturity before the review", () => {
    assert.deepStrictEqual(Analytics.answerButtons(log), {
      learning: { again: 0, hard: 0, good: 1, easy: 0 },
      young: { again: 1, hard: 1, good: 1, easy: 1 },
      mature: { again: 1, hard: 0, good: 1, easy: 0 },
    })
  })

  it("weak topics: lowest retention first, only with enough counted reviews", () => {
    assert.deepStrictEqual(Analytics.weakTopics(cards, log, berlin, { minReviews: 1 }), [
      { topic: "scales", cards: 2, reviews: 2, lapses: 1, retention: 0.5 },
      { topic: "chords", cards: 3, reviews: 3, lapses: 1, retention: 2 / 3 },
    ])
    assert.deepStrictEqual(
      Analytics.weakTopics(cards, log, berlin, { minReviews: 3 }).map(({ topic }) => topic),
      ["chords"],
    )
    assert.deepStrictEqual(Analytics.weakTopics(cards, log, berlin), [])
  })

  it("weak topics break a retention tie by lapses", () => {
    const tied = [
      review("a", MAR_2 + 9 * HOUR, 1, 30),
      review("a", MAR_2 + DAY, 4, 1),
      review("c", MAR_2 + 9 * HOUR, 1, 5),
      review("c", MAR_2 + DAY, 1, 1),
      review("c", MAR_2 + 2 * DAY, 4, 1),
      review("c", MAR_2 + 3 * DAY, 4, 1),
    ]
    assert.deepStrictEqual(
      Analytics.weakTopics(cards, tied, berlin, { minReviews: 2 }).map(({ topic, lapses }) => [topic, lapses]),
      [
        ["chords", 2],
        ["scales", 1],
      ],
    )
  })

  it("the interval histogram counts reviewed cards per bucket", () => {
    const learning = FsrsState.make({ ...Fsrs.standard.create(MAR_2), phase: "Learning", lastReviewedAt: MAR_2 })
    const states: ReadonlyArray<CardState> = [sm2(0), learning, sm2(1), sm2(6), sm2(21), sm2(400), sm2(1000)]
    const histogram = Analytics.intervalHistogram(states)
    assert.deepStrictEqual(
      histogram.filter(({ cards: count }) => count > 0),
      [
        { from: 0, to: 1, cards: 1 },
        { from: 1, to: 2, cards: 1 },
        { from: 6, to: 7, cards: 1 },
        { from: 21, to: 30, cards: 1 },
        { from: 365, to: 730, cards: 1 },
        { from: 730, to: null, cards: 1 },
      ],
    )
  })

  it("the 30-day forecast: overdue cards and pending re-drills count today; by local day; nothing past day 30", () => {
    const now = MAR_2 + 10 * HOUR
    const startOf = (offset: number) => berlin.startOf(berlin.dayOf(now) + offset)
    const states: ReadonlyArray<CardState> = [
      sm2(5, { dueAt: MAR_2 - 3 * DAY }), // overdue
      sm2(5, { dueAt: startOf(3), redrillUntil: startOf(1) }), // re-drill pending
      sm2(5, { dueAt: MAR_2 + 23 * HOUR + 30 * MINUTE }), // 00:30 on 3 March in Berlin
      sm2(5, { dueAt: startOf(29) }),
      sm2(5, { dueAt: startOf(30) }),
      sm2(0), // new: not forecast
    ]
    const forecast = Analytics.dueForecast(states, berlin, now)
    assert.strictEqual(forecast.length, 30)
    assert.deepStrictEqual(forecast[0], { date: "2026-03-02", due: 2 })
    assert.deepStrictEqual(forecast[1], { date: "2026-03-03", due: 1 })
    assert.deepStrictEqual(forecast[29], { date: "2026-03-31", due: 1 })
    assert.strictEqual(
      forecast.reduce((sum, day) => sum + day.due, 0),
      4,
    )
  })

  it.prop(
    "invariants over generated decks: totals add up and retention stays in [0, 1]",
    [deck, fc.constantFrom<"sm2" | "fsrs">("sm2", "fsrs"), fc.constantFrom(berlin, LocalDay.utc)],
    ([answers, which, calendar]) => {
      const algorithm: Algorithm<CardState> = which === "sm2" ? Sm2.make({ fuzz: true }, calendar) : Fsrs.standard
      const studied = studyDeck(algorithm, answers)
      const states = studied.cards.map(({ state }) => state)
      const total = studied.log.length
      assert.strictEqual(
        Analytics.heatmap(studied.log, calendar).reduce((sum, day) => sum + day.reviews, 0),
        total,
      )
      const buttons = Analytics.answerButtons(studied.log)
      const sum = (counts: Analytics.ButtonCounts) => counts.again + counts.hard + counts.good + counts.easy
      assert.strictEqual(sum(buttons.learning) + sum(buttons.young) + sum(buttons.mature), total)
      const { young, mature } = Analytics.trueRetention(studied.log, calendar)
      for (const tally of [young, mature]) {
        const rate = retention(tally)
        if (rate !== null) assert.isTrue(rate >= 0 && rate <= 1)
      }
      assert.isAtMost(young.passed + young.failed + mature.passed + mature.failed, total)
      assert.strictEqual(Analytics.lapses(studied.log, calendar).total, young.failed + mature.failed)
      const reviewed = states.filter((state) => !isNew(state)).length
      assert.strictEqual(
        Analytics.intervalHistogram(states).reduce((count, bucket) => count + bucket.cards, 0),
        reviewed,
      )
      const now = Math.max(...studied.log.map((entry) => entry.reviewedAt))
      assert.isAtMost(
        Analytics.dueForecast(states, calendar, now).reduce((count, day) => count + day.due, 0),
        reviewed,
      )
    },
  )
})
