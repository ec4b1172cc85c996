/**
 * The Scheduler port. A scheduling algorithm is a set of pure functions:
 * given a card's state, a grade and the review time it returns the next
 * state, whose `dueAt` is the next due date. Nothing reads a clock or draws
 * randomness of its own: the only randomness (interval fuzz) comes from the
 * seeded generator passed in, so the same inputs and seed give the same state.
 *
 * `answer` is what an application calls: it checks the state belongs to the
 * algorithm and the review is not older than the card's last one, reviews,
 * and returns the full log entry (state before and after), seeding the
 * generator with the review's id so a replay of the log draws the same
 * numbers. The `Scheduler` service wraps `answer` in Effect and takes the
 * review time from `Clock` when the caller does not give one. The pure
 * functions are the hot path (see benchmarks/src/srs.ts): Effect sits around
 * them, never inside.
 */
import { Clock, Context, Effect, Either, Hash, Layer, Utils } from "effect"
import type { CardId, CardState, SchedulerName } from "./Card.js"
import { type Grade, toButton } from "./Grade.js"
import type { ReviewId, ReviewLogEntry } from "./ReviewLog.js"
import { ReviewOutOfOrder, SchedulerMismatch, type SrsFailure } from "./SrsError.js"

/** A uniform generator on [0, 1). */
export type Random = () => number

/** A deterministic generator (PCG, seeded from the string's hash, as Effect's `Random.make` is). */
export const seeded = (seed: string): Random => {
  const generator = new Utils.PCGRandom(Hash.string(seed))
  return () => generator.number()
}

/**
 * One scheduling algorithm over its own state type `S`. `review` and
 * `elapsedDays` are methods so that an `Algorithm<Sm2State>` is also an
 * `Algorithm<CardState>` (a deck holds either): `answer` checks `owns` before
 * it reviews.
 */
export interface Algorithm<S extends CardState> {
  readonly name: SchedulerName
  /** Whether `state` is this algorithm's. */
  owns(state: CardState): state is S
  /** A new card, due at `createdAt`. */
  create(createdAt: number): S
  /** The state after answering `grade` at `reviewedAt` (not before the state's last review). */
  review(state: S, grade: Grade, reviewedAt: number, random: Random): S
  /** Whole days since the state's last review, as this algorithm counts them. */
  elapsedDays(state: S, reviewedAt: number): number
}

export interface Answer {
  readonly cardId: CardId
  readonly reviewId: ReviewId
  readonly grade: Grade
  readonly reviewedAt: number
  readonly durationMs: number
}

/** The log entry for answering `input` from `state`, which the caller knows is the algorithm's and not newer. */
export const record = <S extends CardState>(
  algorithm: Algorithm<S>,
  state: S,
  input: Answer,
): ReviewLogEntry & { readonly stateBefore: S; readonly stateAfter: S } => ({
  reviewId: input.reviewId,
  cardId: input.cardId,
  scheduler: algorithm.name,
  grade: input.grade,
  button: toButton(input.grade),
  reviewedAt: input.reviewedAt,
  elapsedDays: algorithm.elapsedDays(state, input.reviewedAt),
  durationMs: input.durationMs,
  stateBefore: state,
  stateAfter: algorithm.review(state, input.grade, input.reviewedAt, seeded(input.reviewId)),
})

/** Answers a review: the log entry with the state before and after, or why the state cannot be reviewed. */
export const answer = <S extends CardState>(
  algorithm: Algorithm<S>,
  state: CardState,
  input: Answer,
): Either.Either<ReviewLogEntry, SrsFailure> => {
  if (!algorithm.owns(state))
    return Either.left(
      new SchedulerMismatch({
        expected: algorithm.name,
        actual: state._tag,
        message: `card ${input.cardId} is scheduled by ${state._tag}, not ${algorithm.name}: replay its log first`,
      }),
    )
  if (state.lastReviewedAt !== null && input.reviewedAt < state.lastReviewedAt)
    return Either.left(
      new ReviewOutOfOrder({
        message: `review ${input.reviewId} of card ${input.cardId} is dated before the card's last review`,
      }),
    )
  return Either.right(record(algorithm, state, input))
}

export interface AnswerInput extends Omit<Answer, "reviewedAt"> {
  /** When the card was answered; `Clock`'s time when absent (an offline client passes its own). */
  readonly reviewedAt?: number
}

export class Scheduler extends Context.Tag("@ignition/srs/Scheduler")<
  Scheduler,
  {
    readonly name: SchedulerName
    /** A new card, due now. */
    readonly create: Effect.Effect<CardState>
    readonly answer: (state: CardState, input: AnswerInput) => Effect.Effect<ReviewLogEntry, SrsFailure>
  }
>() {}

/** The service for one algorithm (`Sm2.make(…)` or `Fsrs.make(…)`). */
export const layer = <S extends CardState>(algorithm: Algorithm<S>): Layer.Layer<Scheduler> =>
  Layer.succeed(Scheduler, {
    name: algorithm.name,
    create: Effect.map(Clock.currentTimeMillis, (now) => algorithm.create(now)),
    answer: (state, input) =>
      Effect.flatMap(
        input.reviewedAt === undefined ? Clock.currentTimeMillis : Effect.succeed(input.reviewedAt),
        (reviewedAt) => answer(algorithm, state, { ...input, reviewedAt }),
      ),
  })
