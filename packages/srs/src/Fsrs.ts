/**
 * FSRS behind the Scheduler port, through `ts-fsrs`. ts-fsrs 5.x implements
 * FSRS-6 (its `FSRSVersion` reads "v5.4.2 using FSRS-6.0"): 21 parameters,
 * the last (w20 = 0.1542 by default) the trainable decay of the forgetting
 * curve, and same-day reviews through short-term stability. We use its FSRS-6
 * default parameters, learning steps 1m/10m and relearning step 10m unless
 * told otherwise.
 *
 * The adapter is thin on purpose: our state's fields go in as numbers, the
 * card ts-fsrs returns comes back as numbers (see benchmarks/src/srs.ts for
 * its overhead). ts-fsrs draws fuzz from its own Alea generator seeded by a
 * seed strategy; ours hands it a seed taken from the generator passed in, so
 * fuzz is as deterministic as SM-2's. ts-fsrs counts elapsed days by UTC
 * calendar date, and due times are the review time plus whole days (or
 * minutes during learning steps).
 *
 * Note: importing ts-fsrs adds four deprecated helpers to `Date.prototype`
 * (ts-fsrs's own doing, slated for removal in its 6.0).
 */
import { Schema } from "effect"
import {
  type CardInput,
  dateDiffInDays,
  default_w,
  type Card as EngineCard,
  type Grade as EngineGrade,
  FSRSVersion,
  fsrs,
  generatorParameters,
  Rating,
  State,
  StrategyMode,
} from "ts-fsrs"
import type { FsrsPhase, FsrsState } from "./Card.js"
import type { Grade } from "./Grade.js"
import type { Algorithm, Random } from "./Scheduler.js"

/** ts-fsrs's own version line, naming the FSRS version it implements. */
export const engineVersion: string = FSRSVersion

/** FSRS-6's 21 default parameters as ts-fsrs ships them. */
export const defaultParameters: ReadonlyArray<number> = default_w

const Step = Schema.TemplateLiteral(Schema.Number, Schema.Literal("m", "h", "d"))

export const Options = Schema.Struct({
  /** Target probability of recall at the due date (0.9 by default). */
  requestRetention: Schema.optional(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(1))),
  /** The longest interval in days (36,500 by default). */
  maximumInterval: Schema.optional(Schema.Int.pipe(Schema.between(1, 36_500))),
  /** Fuzz review intervals (off by default), from the generator passed in. */
  fuzz: Schema.optional(Schema.Boolean),
  /** Intraday (re)learning steps; off: every answer schedules whole days (on by default). */
  shortTerm: Schema.optional(Schema.Boolean),
  learningSteps: Schema.optional(Schema.Array(Step)),
  relearningSteps: Schema.optional(Schema.Array(Step)),
  /** FSRS-6's 21 weights (the defaults unless the learner's history was optimised). */
  parameters: Schema.optional(Schema.Array(Schema.Number.pipe(Schema.finite())).pipe(Schema.itemsCount(21))),
}).annotations({ identifier: "FsrsOptions" })
export type Options = typeof Options.Type

const phases: Record<State, FsrsPhase> = {
  [State.New]: "New",
  [State.Learning]: "Learning",
  [State.Review]: "Review",
  [State.Relearning]: "Relearning",
}
/** Grade → FSRS rating through the button mapping: 0–2 Again, 3 Hard, 4 Good, 5 Easy. */
const ratings: Record<Grade, EngineGrade> = {
  0: Rating.Again,
  1: Rating.Again,
  2: Rating.Again,
  3: Rating.Hard,
  4: Rating.Good,
  5: Rating.Easy,
}

const toEngine = (state: FsrsState): CardInput => ({
  due: state.dueAt,
  stability: state.stability,
  difficulty: state.difficulty,
  elapsed_days: 0,
  scheduled_days: state.scheduledDays,
  learning_steps: state.learningStep,
  reps: state.reps,
  lapses: state.lapses,
  state: state.phase,
  last_review: state.lastReviewedAt,
})

const fromEngine = (card: EngineCard): FsrsState => ({
  _tag: "Fsrs",
  phase: phases[card.state],
  stability: card.stability,
  difficulty: card.difficulty,
  scheduledDays: card.scheduled_days,
  learningStep: card.learning_steps,
  reps: card.reps,
  lapses: card.lapses,
  lastReviewedAt: card.last_review === undefined ? null : card.last_review.getTime(),
  dueAt: card.due.getTime(),
})

/** FSRS-6 through ts-fsrs with the options given. */
export const make = (options: Options = {}): Algorithm<FsrsState> => {
  const engine = fsrs(
    generatorParameters({
      ...(options.requestRetention === undefined ? {} : { request_retention: options.requestRetention }),
      ...(options.maximumInterval === undefined ? {} : { maximum_interval: options.maximumInterval }),
      ...(options.shortTerm === undefined ? {} : { enable_short_term: options.shortTerm }),
      ...(options.learningSteps === undefined ? {} : { learning_steps: options.learningSteps }),
      ...(options.relearningSteps === undefined ? {} : { relearning_steps: options.relearningSteps }),
      w: options.parameters ?? default_w,
      enable_fuzz: options.fuzz ?? false,
    }),
  )
  // ts-fsrs asks its seed strategy for the fuzz seed while it schedules: `review` sets it just before (calls are synchronous).
  let seed = ""
  if (options.fuzz === true) engine.useStrategy(StrategyMode.SEED, () => seed)
  return {
    name: "fsrs",
    owns: (state): state is FsrsState => state._tag === "Fsrs",
    create: (createdAt) => ({
      _tag: "Fsrs",
      phase: "New",
      stability: 0,
      difficulty: 0,
      scheduledDays: 0,
      learningStep: 0,
      reps: 0,
      lapses: 0,
      lastReviewedAt: null,
      dueAt: createdAt,
    }),
    review: (state: FsrsState, grade: Grade, reviewedAt: number, random: Random) => {
      if (options.fuzz === true) seed = random().toString(36)
      return fromEngine(engine.next(toEngine(state), reviewedAt, ratings[grade]).card)
    },
    elapsedDays: (state, reviewedAt) =>
      state.phase === "New" || state.lastReviewedAt === null
        ? 0
        : dateDiffInDays(new Date(state.lastReviewedAt), new Date(reviewedAt)),
  }
}

/** FSRS-6 with ts-fsrs's defaults (retention 0.9, steps 1m/10m, relearning 10m, no fuzz). */
export const standard: Algorithm<FsrsState> = make()
