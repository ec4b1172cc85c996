/**
 * SM-2 exactly as published (P. A. Woźniak, 1990; "Algorithm SM-2",
 * SuperMemo World): every item starts with E-Factor 2.5; after each
 * repetition of quality q (0–5), EF' = EF + (0.1 − (5−q)(0.08 + (5−q)·0.02)),
 * never below 1.3; the intervals are I(1) = 1 day, I(2) = 6 days and
 * I(n) = I(n−1) · EF rounded up; a quality below 3 starts the repetitions
 * from the beginning; and at the end of the day every item graded below 4 is
 * repeated again until it scores at least 4.
 *
 * Where the text is ambiguous, this reading (locked by test/Sm2.test.ts and
 * argued in docs/srs.md):
 * - A failed repetition (q < 3) still updates the E-Factor by the formula
 *   (step 5 applies "after each repetition", and the formula is defined for
 *   q = 0–2); step 6's "without changing the E-Factor" means the restart does
 *   not reset it to 2.5. The card restarts at n = 0 with I = 1 day, so the
 *   next successful repetitions give I(1) = 1 and I(2) = 6 again.
 * - I(n) = I(n−1) · EF uses the E-Factor the item had when it was repeated,
 *   before this repetition's grade updates it (step 3 fixes the schedule,
 *   steps 4–5 then assess and modify the E-Factor).
 * - The same-day re-drill: a counted repetition graded below 4 (a failure or
 *   a 3) leaves the card due until the end of that local day; answers in
 *   that window are drills that change nothing but the end of the drill (a
 *   grade ≥ 4 ends it). A drill not finished that day lapses; the next answer
 *   is a counted repetition again.
 * - An answer before the due day is a counted repetition like any other
 *   (the paper does not say otherwise).
 * - Days are the learner's local days (`LocalDay.Calendar`); the card is due
 *   from the start of the day its interval ends on.
 * - E-Factors are kept in exact hundredths (every step of the formula is a
 *   multiple of 0.02), so "rounded up" never rounds a float error up.
 * - Intervals stop at `maximumInterval` (36,500 days by default): the paper
 *   has no cap, but a date must stay a date.
 *
 * Beyond the paper, off unless asked for:
 * - `lateCredit` (Anki-style): a card answered d days after its due day gets
 *   credit for part of the delay in I(n) = (I(n−1) + share · d) · EF, with
 *   share ¼ for a 3, ½ for a 4 and all of it for a 5.
 * - `fuzz` (Anki's fuzz ranges, see internal/fuzz.ts), from the seeded
 *   generator passed in.
 */
import { Schema } from "effect"
import type { Sm2State } from "./Card.js"
import type { Grade } from "./Grade.js"
import { fuzz } from "./internal/fuzz.js"
import * as LocalDay from "./LocalDay.js"
import type { Algorithm, Random } from "./Scheduler.js"

export const INITIAL_EFACTOR = 2.5
export const MINIMUM_EFACTOR = 1.3

export const Options = Schema.Struct({
  /** Credit part of a late review's delay in the next interval (off in exact SM-2). */
  lateCredit: Schema.optional(Schema.Boolean),
  /** Fuzz intervals of 3 days or more with Anki's ranges (off in exact SM-2). */
  fuzz: Schema.optional(Schema.Boolean),
  /** The longest interval in days (36,500 by default). */
  maximumInterval: Schema.optional(Schema.Int.pipe(Schema.between(1, 36_500))),
}).annotations({ identifier: "Sm2Options" })
export type Options = typeof Options.Type

/** EF' in hundredths: 100 · (0.1 − (5−q)(0.08 + (5−q)·0.02)) = 10 − (5−q)(8 + 2(5−q)), floor 130. */
const nextHundredths = (hundredths: number, grade: Grade) => {
  const shortfall = 5 - grade
  return Math.max(MINIMUM_EFACTOR * 100, hundredths + 10 - shortfall * (8 + 2 * shortfall))
}

const hundredthsOf = (efactor: number) => Math.round(efactor * 100)

/** The E-Factor after a repetition of quality `grade`. */
export const nextEFactor = (efactor: number, grade: Grade): number => nextHundredths(hundredthsOf(efactor), grade) / 100

/** Quarters of a late review's delay credited by grade (3: ¼, 4: ½, 5: all). */
const creditQuarters = (grade: Grade) => (grade === 5 ? 4 : grade === 4 ? 2 : 1)

/** SM-2 with the options given, in the learner's days (UTC midnight to midnight by default). */
export const make = (options: Options = {}, calendar: LocalDay.Calendar = LocalDay.utc): Algorithm<Sm2State> => {
  const lateCredit = options.lateCredit ?? false
  const fuzzed = options.fuzz ?? false
  const maximumInterval = options.maximumInterval ?? 36_500

  /** I(n) for n ≥ 3: ceil((I(n−1) + credit) · EF) in integers, EF in hundredths and the credit in quarter days. */
  const multiplied = (state: Sm2State, hundredths: number, grade: Grade, day: number) => {
    const delay = lateCredit ? Math.max(0, day - calendar.dayOf(state.dueAt)) : 0
    const quarterDays = 4 * state.interval + delay * creditQuarters(grade)
    return Math.max(1, Math.ceil((quarterDays * hundredths) / 400))
  }

  const review = (state: Sm2State, grade: Grade, reviewedAt: number, random: Random): Sm2State => {
    if (state.redrillUntil !== null && reviewedAt < state.redrillUntil)
      return { ...state, lastReviewedAt: reviewedAt, redrillUntil: grade >= 4 ? null : state.redrillUntil }
    const day = calendar.dayOf(reviewedAt)
    const hundredths = hundredthsOf(state.efactor)
    let repetitions = 0
    let interval = 1
    if (grade >= 3) {
      repetitions = state.repetitions + 1
      interval = repetitions === 1 ? 1 : repetitions === 2 ? 6 : multiplied(state, hundredths, grade, day)
      interval = fuzzed ? fuzz(Math.min(interval, maximumInterval), maximumInterval, random) : interval
    }
    interval = Math.min(interval, maximumInterval)
    return {
      _tag: "Sm2",
      efactor: nextHundredths(hundredths, grade) / 100,
      repetitions,
      interval,
      lastReviewedAt: reviewedAt,
      dueAt: calendar.startOf(day + interval),
      redrillUntil: grade >= 4 ? null : calendar.startOf(day + 1),
    }
  }

  return {
    name: "sm2",
    owns: (state): state is Sm2State => state._tag === "Sm2",
    create: (createdAt) => ({
      _tag: "Sm2",
      efactor: INITIAL_EFACTOR,
      repetitions: 0,
      interval: 0,
      lastReviewedAt: null,
      dueAt: createdAt,
      redrillUntil: null,
    }),
    review,
    elapsedDays: (state, reviewedAt) =>
      state.lastReviewedAt === null ? 0 : calendar.dayOf(reviewedAt) - calendar.dayOf(state.lastReviewedAt),
  }
}

/** Exact SM-2 in UTC days: the published algorithm and nothing else. */
export const exact: Algorithm<Sm2State> = make()
