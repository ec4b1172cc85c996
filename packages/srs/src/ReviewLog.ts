/**
 * The review log: one entry per answer, complete enough to replay the card
 * under any scheduler (grade, button and time) and to audit what the
 * scheduler did (its name, the state before and after). Entries are flat
 * apart from the two states, so a log is one SQL table with two JSON columns
 * (or the states' fields spread into columns).
 */
import { Schema } from "effect"
import { CardId, CardState, SchedulerName, Timestamp } from "./Card.js"
import { Button, Grade } from "./Grade.js"

export const ReviewId = Schema.String.pipe(Schema.minLength(1), Schema.brand("@ignition/srs/ReviewId"))
export type ReviewId = typeof ReviewId.Type

export const ReviewLogEntry = Schema.Struct({
  reviewId: ReviewId,
  cardId: CardId,
  /** The scheduler that produced `stateAfter`. */
  scheduler: SchedulerName,
  grade: Grade,
  button: Button,
  reviewedAt: Timestamp,
  /** Whole days since the card's previous review as the scheduler counts them (0 for the first). */
  elapsedDays: Schema.Int.pipe(Schema.nonNegative()),
  /** Time spent answering. */
  durationMs: Schema.Int.pipe(Schema.nonNegative()),
  stateBefore: CardState,
  stateAfter: CardState,
}).annotations({
  identifier: "ReviewLogEntry",
  description: "One answered review and the state it moved the card between",
})
export type ReviewLogEntry = typeof ReviewLogEntry.Type

/** Log order: by review time, then review id (two reviews in one millisecond keep a stable order). */
export const byTime = (a: ReviewLogEntry, b: ReviewLogEntry): number =>
  a.reviewedAt - b.reviewedAt || (a.reviewId < b.reviewId ? -1 : a.reviewId > b.reviewId ? 1 : 0)
