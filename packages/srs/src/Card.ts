/**
 * A card's scheduling state, one shape per scheduler, tagged so a row can say
 * which scheduler owns it. Every field is a number, a short string or null
 * and times are epoch milliseconds, so a state maps onto one SQL row (or one
 * JSON column) without a custom encoding.
 *
 * When a card is due: SM-2 — at `dueAt`, or while `redrillUntil` lies ahead
 * (the same-day re-drill of a card graded below 4); FSRS — at `dueAt`. As
 * SQL: `due_at <= now OR redrill_until > now`.
 */
import { Schema } from "effect"

/** An instant as epoch milliseconds (Date's range). */
export const Timestamp = Schema.Int.pipe(Schema.between(0, 8_640_000_000_000_000)).annotations({
  identifier: "Timestamp",
  description: "Epoch milliseconds",
})

export const CardId = Schema.String.pipe(Schema.minLength(1), Schema.brand("@ignition/srs/CardId"))
export type CardId = typeof CardId.Type

export const SchedulerName = Schema.Literal("sm2", "fsrs")
export type SchedulerName = typeof SchedulerName.Type

const count = Schema.Int.pipe(Schema.nonNegative())

/** SM-2's E-Factor: at least 1.3, in hundredths (every step of the EF formula is a multiple of 0.02). */
export const EFactor = Schema.Number.pipe(
  Schema.greaterThanOrEqualTo(1.3),
  Schema.filter((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6 || "an E-Factor has two decimals"),
)

export const Sm2State = Schema.TaggedStruct("Sm2", {
  efactor: EFactor,
  /** n: successful repetitions (grade ≥ 3) in a row since the card was new or last failed. */
  repetitions: count,
  /** I(n) in days: the interval the last counted repetition scheduled; 0 while the card is new. */
  interval: count,
  /** The last review of any kind (a counted repetition or a re-drill); null while new. */
  lastReviewedAt: Schema.NullOr(Timestamp),
  /** The next counted repetition: the start of its local day (a new card: when it was created). */
  dueAt: Timestamp,
  /** While a re-drill is pending, the end of that day (the next day's start); null otherwise. */
  redrillUntil: Schema.NullOr(Timestamp),
}).annotations({ identifier: "Sm2State", description: "An SM-2 card: E-Factor, repetitions, interval and due day" })
export type Sm2State = typeof Sm2State.Type

export const FsrsPhase = Schema.Literal("New", "Learning", "Review", "Relearning")
export type FsrsPhase = typeof FsrsPhase.Type

export const FsrsState = Schema.TaggedStruct("Fsrs", {
  phase: FsrsPhase,
  /** S: days for retrievability to fall to 90 %; 0 while new. */
  stability: Schema.Number.pipe(Schema.nonNegative()),
  /** D in [1, 10]; 0 while new. */
  difficulty: Schema.Number.pipe(Schema.between(0, 10)),
  /** Days from the last review to `dueAt` as scheduled (0 during learning steps). */
  scheduledDays: count,
  /** Index of the current (re)learning step. */
  learningStep: count,
  reps: count,
  lapses: count,
  lastReviewedAt: Schema.NullOr(Timestamp),
  dueAt: Timestamp,
}).annotations({ identifier: "FsrsState", description: "An FSRS card: memory state (S, D), phase and due time" })
export type FsrsState = typeof FsrsState.Type

export const CardState = Schema.Union(Sm2State, FsrsState).annotations({ identifier: "CardState" })
export type CardState = typeof CardState.Type

/** A card as analytics sees it: its id, its topic (null if none) and its scheduling state. */
export const Card = Schema.Struct({
  id: CardId,
  topic: Schema.NullOr(Schema.String),
  state: CardState,
}).annotations({ identifier: "Card" })
export type Card = typeof Card.Type

/** The scheduler that owns a state. */
export const schedulerOf = (state: CardState): SchedulerName => (state._tag === "Sm2" ? "sm2" : "fsrs")

/** Whether the card has never been reviewed. */
export const isNew = (state: CardState): boolean => state.lastReviewedAt === null

/** The current interval in days: SM-2's I(n), FSRS's scheduled days. */
export const intervalDays = (state: CardState): number => (state._tag === "Sm2" ? state.interval : state.scheduledDays)

/** Whether the card should be shown at `now`. */
export const isDue = (state: CardState, now: number): boolean =>
  now >= state.dueAt || (state._tag === "Sm2" && state.redrillUntil !== null && now < state.redrillUntil)

/** Days at or above which a card counts as mature (Anki's convention). */
export const MATURE_DAYS = 21

export type Maturity = "learning" | "young" | "mature"

/** Learning: new or on an intraday step (interval < 1 day); young: under 21 days; mature: 21 days or more. */
export const maturity = (state: CardState): Maturity => {
  const interval = intervalDays(state)
  return isNew(state) || interval < 1 ? "learning" : interval < MATURE_DAYS ? "young" : "mature"
}
