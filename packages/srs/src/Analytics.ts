/**
 * Review analytics as pure functions of review logs and card states, in the
 * learner's local days (a `LocalDay.Calendar`). Definitions (Anki's, where
 * Anki has one):
 *
 * - Maturity of a review: the card's interval before it — learning (new, or
 *   an intraday step under 1 day), young (under 21 days), mature (21 or more).
 * - True retention: over the first review of each card on each local day,
 *   young and mature cards only (later same-day answers are drills and
 *   relearning, and learning is not recall); pass = grade ≥ 3 (not Again),
 *   fail = grade < 3 (Again). Young and mature are reported separately.
 * - Lapse: a failed review that counts for retention (a young or mature card
 *   forgotten), so a card failed and re-drilled the same day lapses once.
 * - Interval histogram: reviewed cards by current interval, in buckets.
 * - Due forecast: reviewed cards by the local day they fall due over the next
 *   N days (30 by default); overdue cards and pending re-drills count today.
 * - Heatmap: reviews per local day.
 * - Answer buttons: every review by maturity and button.
 * - Weak topics: topics by true retention (lowest first), then lapses (most
 *   first), counting only topics with at least `minReviews` counted reviews,
 *   so that one unlucky answer does not make a topic "weak".
 *
 * To cover a period, pass the entries of that period.
 */
import { Option, Schema } from "effect"
import { type Card, CardId, type CardState, intervalDays, isDue, isNew, type Maturity, maturity } from "./Card.js"
import { type Button, passed } from "./Grade.js"
import type * as LocalDay from "./LocalDay.js"
import { byTime, type ReviewLogEntry } from "./ReviewLog.js"

const Count = Schema.Int.pipe(Schema.nonNegative())
const IsoDate = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/))

export const Tally = Schema.Struct({
  passed: Count,
  failed: Count,
  /** passed / (passed + failed); none without reviews. */
  retention: Schema.OptionFromNullOr(Schema.Number.pipe(Schema.between(0, 1))),
}).annotations({ identifier: "RetentionTally" })
export type Tally = typeof Tally.Type

export const TrueRetention = Schema.Struct({ young: Tally, mature: Tally }).annotations({
  identifier: "TrueRetention",
})
export type TrueRetention = typeof TrueRetention.Type

export const Lapses = Schema.Struct({
  total: Count,
  /** Cards with at least one lapse, most lapses first. */
  byCard: Schema.Array(Schema.Struct({ cardId: CardId, lapses: Count })),
}).annotations({ identifier: "Lapses" })
export type Lapses = typeof Lapses.Type

export const HistogramBucket = Schema.Struct({
  /** Interval days from (inclusive)… */
  from: Count,
  /** …to (exclusive); null for the last, open bucket. */
  to: Schema.NullOr(Count),
  cards: Count,
}).annotations({ identifier: "HistogramBucket" })
export type HistogramBucket = typeof HistogramBucket.Type

export const ForecastDay = Schema.Struct({ date: IsoDate, due: Count }).annotations({ identifier: "ForecastDay" })
export type ForecastDay = typeof ForecastDay.Type

export const HeatmapDay = Schema.Struct({ date: IsoDate, reviews: Count }).annotations({ identifier: "HeatmapDay" })
export type HeatmapDay = typeof HeatmapDay.Type

export const ButtonCounts = Schema.Struct({ again: Count, hard: Count, good: Count, easy: Count })
export type ButtonCounts = typeof ButtonCounts.Type

export const AnswerButtons = Schema.Struct({
  learning: ButtonCounts,
  young: ButtonCounts,
  mature: ButtonCounts,
}).annotations({ identifier: "AnswerButtons" })
export type AnswerButtons = typeof AnswerButtons.Type

export const WeakTopic = Schema.Struct({
  topic: Schema.String,
  cards: Count,
  /** Reviews that count for retention. */
  reviews: Count,
  lapses: Count,
  retention: Schema.Number.pipe(Schema.between(0, 1)),
}).annotations({ identifier: "WeakTopic" })
export type WeakTopic = typeof WeakTopic.Type

/** Interval bucket edges in days: one bucket per day for the first week, then wider. */
export const defaultIntervalEdges: ReadonlyArray<number> = [0, 1, 2, 3, 4, 5, 6, 7, 14, 21, 30, 60, 90, 180, 365, 730]

interface Classified {
  readonly entry: ReviewLogEntry
  readonly maturity: Maturity
  /** First review of this card on its local day, of a young or mature card: it counts for retention. */
  readonly counts: boolean
}

/** The log in time order, each review with its maturity and whether it counts for retention. */
const classify = (log: ReadonlyArray<ReviewLogEntry>, calendar: LocalDay.Calendar): ReadonlyArray<Classified> => {
  const lastDay = new Map<CardId, number>()
  return [...log].sort(byTime).map((entry) => {
    const day = calendar.dayOf(entry.reviewedAt)
    const first = lastDay.get(entry.cardId) !== day
    lastDay.set(entry.cardId, day)
    const kind = maturity(entry.stateBefore)
    return { entry, maturity: kind, counts: first && kind !== "learning" }
  })
}

const tally = (passes: number, fails: number): Tally => ({
  passed: passes,
  failed: fails,
  retention: passes + fails === 0 ? Option.none() : Option.some(passes / (passes + fails)),
})

/** True retention of young and mature cards. */
export const trueRetention = (log: ReadonlyArray<ReviewLogEntry>, calendar: LocalDay.Calendar): TrueRetention => {
  const counts = { young: { passed: 0, failed: 0 }, mature: { passed: 0, failed: 0 } }
  for (const review of classify(log, calendar)) {
    if (!review.counts || review.maturity === "learning") continue
    const bucket = counts[review.maturity]
    if (passed(review.entry.grade)) bucket.passed++
    else bucket.failed++
  }
  return {
    young: tally(counts.young.passed, counts.young.failed),
    mature: tally(counts.mature.passed, counts.mature.failed),
  }
}

/** Lapses in the log, in total and per card. */
export const lapses = (log: ReadonlyArray<ReviewLogEntry>, calendar: LocalDay.Calendar): Lapses => {
  const byCard = new Map<CardId, number>()
  let total = 0
  for (const review of classify(log, calendar)) {
    if (!review.counts || passed(review.entry.grade)) continue
    total++
    byCard.set(review.entry.cardId, (byCard.get(review.entry.cardId) ?? 0) + 1)
  }
  return {
    total,
    byCard: [...byCard]
      .map(([cardId, count]) => ({ cardId, lapses: count }))
      .sort((a, b) => b.lapses - a.lapses || (a.cardId < b.cardId ? -1 : 1)),
  }
}

/** Reviewed cards by current interval; `edges` ascending, from 0. */
export const intervalHistogram = (
  states: ReadonlyArray<CardState>,
  edges: ReadonlyArray<number> = defaultIntervalEdges,
): ReadonlyArray<HistogramBucket> => {
  const buckets = edges.map((from, index) => ({ from, to: edges[index + 1] ?? null, cards: 0 }))
  for (const state of states) {
    if (isNew(state)) continue
    const interval = intervalDays(state)
    const bucket = buckets.findLast((candidate) => candidate.from <= interval)
    if (bucket !== undefined) bucket.cards++
  }
  return buckets
}

/** Reviewed cards due on each of the `days` local days from `now`'s (overdue ones today). */
export const dueForecast = (
  states: ReadonlyArray<CardState>,
  calendar: LocalDay.Calendar,
  now: number,
  days = 30,
): ReadonlyArray<ForecastDay> => {
  const today = calendar.dayOf(now)
  const due = new Array<number>(days).fill(0)
  for (const state of states) {
    if (isNew(state)) continue
    const offset = isDue(state, now) ? 0 : calendar.dayOf(state.dueAt) - today
    if (offset < days) due[offset] = (due[offset] ?? 0) + 1
  }
  return due.map((count, offset) => ({ date: calendar.isoDate(today + offset), due: count }))
}

/** Reviews per local day, days without reviews left out, oldest first. */
export const heatmap = (log: ReadonlyArray<ReviewLogEntry>, calendar: LocalDay.Calendar): ReadonlyArray<HeatmapDay> => {
  const perDay = new Map<number, number>()
  for (const entry of log) {
    const day = calendar.dayOf(entry.reviewedAt)
    perDay.set(day, (perDay.get(day) ?? 0) + 1)
  }
  return [...perDay].sort(([a], [b]) => a - b).map(([day, reviews]) => ({ date: calendar.isoDate(day), reviews }))
}

const noButtons = (): Record<Button, number> => ({ again: 0, hard: 0, good: 0, easy: 0 })

/** Every review by the card's maturity and the button pressed. */
export const answerButtons = (log: ReadonlyArray<ReviewLogEntry>): AnswerButtons => {
  const counts = { learning: noButtons(), young: noButtons(), mature: noButtons() }
  for (const entry of log) counts[maturity(entry.stateBefore)][entry.button]++
  return counts
}

export interface WeakTopicOptions {
  /** Counted reviews a topic needs before it can be called weak (20 by default, at least 1). */
  readonly minReviews?: number
  /** How many topics to return (10 by default). */
  readonly limit?: number
}

/** The weakest topics: lowest true retention, then most lapses, among topics with enough reviews. */
export const weakTopics = (
  cards: ReadonlyArray<Card>,
  log: ReadonlyArray<ReviewLogEntry>,
  calendar: LocalDay.Calendar,
  options: WeakTopicOptions = {},
): ReadonlyArray<WeakTopic> => {
  const minReviews = Math.max(1, options.minReviews ?? 20)
  const topicOf = new Map<CardId, string>()
  const topics = new Map<string, { cards: number; passed: number; failed: number }>()
  for (const card of cards) {
    if (card.topic === null) continue
    topicOf.set(card.id, card.topic)
    const topic = topics.get(card.topic)
    if (topic === undefined) topics.set(card.topic, { cards: 1, passed: 0, failed: 0 })
    else topic.cards++
  }
  for (const review of classify(log, calendar)) {
    const name = review.counts ? topicOf.get(review.entry.cardId) : undefined
    const topic = name === undefined ? undefined : topics.get(name)
    if (topic === undefined) continue
    if (passed(review.entry.grade)) topic.passed++
    else topic.failed++
  }
  return [...topics]
    .filter(([, topic]) => topic.passed + topic.failed >= minReviews)
    .map(([topic, { cards: count, passed: passes, failed }]) => ({
      topic,
      cards: count,
      reviews: passes + failed,
      lapses: failed,
      retention: passes / (passes + failed),
    }))
    .sort((a, b) => a.retention - b.retention || b.lapses - a.lapses || (a.topic < b.topic ? -1 : 1))
    .slice(0, options.limit ?? 10)
}
