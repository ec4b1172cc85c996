/**
 * The failures a scheduler reports at its boundary. Messages name cards and
 * schedulers, never card content.
 */
import { Schema } from "effect"

/** A card's state belongs to another scheduler (the deck switched and the card was not replayed). */
export class SchedulerMismatch extends Schema.TaggedError<SchedulerMismatch>()("SchedulerMismatch", {
  expected: Schema.String,
  actual: Schema.String,
  message: Schema.String,
}) {}

/** A review dated before the card's previous review: a scheduler only moves forward in time. */
export class ReviewOutOfOrder extends Schema.TaggedError<ReviewOutOfOrder>()("ReviewOutOfOrder", {
  message: Schema.String,
}) {}

export type SrsFailure = SchedulerMismatch | ReviewOutOfOrder
