/**
 * Spaced-repetition scheduling (`@ignition/srs`), each figure against a
 * baseline in the same run: 1,000,000 reviews (50,000 cards × 20 answers),
 * one seeded grade sequence shared by every side — Again 10 %, Hard 15 %,
 * Good 60 %, Easy 15 % (SM-2 grades 1, 3, 4, 5; FSRS ratings 1–4) — each
 * answer given 0–12 hours after the card falls due under the side's own
 * schedule (so SM-2's same-day re-drills and FSRS's learning steps are
 * answered too).
 *
 * - Our exact SM-2 (`Sm2.make({}, calendar)` in Europe/Berlin days, the pure
 *   `review`) against bare `ts-fsrs` 5.4.2 (FSRS-6, `fsrs().next`, its own
 *   Card objects and Dates). Goal: throughput ratio SM-2 / ts-fsrs ≥ 1.0.
 * - Our FSRS adapter (`Fsrs.standard.review`: our state in, ts-fsrs, our
 *   state out) against the same bare ts-fsrs loop; both must end on the same
 *   due dates. Goal: ratio adapter / bare ≥ 0.8.
 * - Reference (no goal): SM-2 through `Scheduler.answer` (a full review-log
 *   entry and a seeded generator per review) and through the Effect
 *   `Scheduler` service, to show what the wrappers around the pure function cost.
 *
 * Sides alternate in batches of 2,500 cards (order reversed every batch);
 * a warm-up round precedes the measured rounds, and medians are compared.
 * The warm-up round is printed too: there the Berlin calendar meets each of
 * the ~66,000 days the schedules touch for the first time and asks Intl for
 * its start (later rounds find it remembered, as a long-running server would).
 * `BENCH_ROUNDS` sets the number of measured rounds (default 3).
 */
import { performance } from "node:perf_hooks"
import { DateTime, Effect, Either } from "effect"
import { createEmptyCard, type Grade as FsrsRating, fsrs, type Card as TsFsrsCard } from "ts-fsrs"
import { CardId, type CardState, isDue } from "../../packages/srs/src/Card.js"
import * as Fsrs from "../../packages/srs/src/Fsrs.js"
import type { Grade } from "../../packages/srs/src/Grade.js"
import * as LocalDay from "../../packages/srs/src/LocalDay.js"
import { ReviewId, type ReviewLogEntry } from "../../packages/srs/src/ReviewLog.js"
import * as Scheduler from "../../packages/srs/src/Scheduler.js"
import * as Sm2 from "../../packages/srs/src/Sm2.js"
import type { SrsFailure } from "../../packages/srs/src/SrsError.js"
import { machine, median } from "./support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? "3")
const cards = 50_000
const answersPerCard = 20
const reviews = cards * answersPerCard
const batchCards = 2_500
const sm2Goal = 1
const adapterGoal = 0.8
/** Monday 5 January 2026, 09:00 UTC. */
const start = Date.UTC(2026, 0, 5, 9)

const out = (line: string) => process.stdout.write(`${line}\n`)

// ── One answer sequence for every side ───────────────────────────────────────

const random = Scheduler.seeded("srs-benchmark")
const grades = new Uint8Array(reviews)
const ratings = new Uint8Array(reviews)
const delays = new Uint32Array(reviews)
for (let index = 0; index < reviews; index++) {
  const draw = random()
  const button = draw < 0.1 ? 0 : draw < 0.25 ? 1 : draw < 0.85 ? 2 : 3
  grades[index] = [1, 3, 4, 5][button] as number
  ratings[index] = button + 1
  delays[index] = Math.floor(random() * 12 * 3_600_000)
}

const calendar = LocalDay.make(DateTime.zoneUnsafeMakeNamed("Europe/Berlin"))
const sm2 = Sm2.make({}, calendar)
/** Exact SM-2 and FSRS without fuzz never draw from it. */
const unused: Scheduler.Random = () => 0

type Side = "sm2" | "tsFsrs" | "adapter" | "answer" | "service"
const sides: ReadonlyArray<Side> = ["sm2", "tsFsrs", "adapter", "answer", "service"]
const label: Record<Side, string> = {
  sm2: "SM-2 (pure review)",
  tsFsrs: "ts-fsrs (bare)",
  adapter: "FSRS adapter",
  answer: "SM-2 via Scheduler.answer",
  service: "SM-2 via Effect service",
}

/** Each side's last due date per card: a checksum that also proves the adapter and bare ts-fsrs agree. */
const finalDue: Record<Side, Float64Array> = {
  sm2: new Float64Array(cards),
  tsFsrs: new Float64Array(cards),
  adapter: new Float64Array(cards),
  answer: new Float64Array(cards),
  service: new Float64Array(cards),
}

const sm2Batch = (from: number, to: number) => {
  for (let card = from; card < to; card++) {
    let state = sm2.create(start)
    let at = start
    for (let index = card * answersPerCard, end = index + answersPerCard; index < end; index++) {
      at = (isDue(state, at) ? at : state.dueAt) + (delays[index] as number)
      state = sm2.review(state, grades[index] as Grade, at, unused)
    }
    finalDue.sm2[card] = state.dueAt
  }
}

const engine = fsrs()
const tsFsrsBatch = (from: number, to: number) => {
  for (let card = from; card < to; card++) {
    let state: TsFsrsCard = createEmptyCard(new Date(start))
    let at = start
    for (let index = card * answersPerCard, end = index + answersPerCard; index < end; index++) {
      at = Math.max(at, state.due.getTime()) + (delays[index] as number)
      state = engine.next(state, new Date(at), ratings[index] as FsrsRating).card
    }
    finalDue.tsFsrs[card] = state.due.getTime()
  }
}

const adapterBatch = (from: number, to: number) => {
  for (let card = from; card < to; card++) {
    let state = Fsrs.standard.create(start)
    let at = start
    for (let index = card * answersPerCard, end = index + answersPerCard; index < end; index++) {
      at = Math.max(at, state.dueAt) + (delays[index] as number)
      state = Fsrs.standard.review(state, grades[index] as Grade, at, unused)
    }
    finalDue.adapter[card] = state.dueAt
  }
}

const cardIds = Array.from({ length: cards }, (_, card) => CardId.make(`card-${card}`))
const reviewIds = Array.from({ length: answersPerCard }, (_, answer) => ReviewId.make(`review-${answer}`))
const answerOf = (card: number, answer: number, at: number) => ({
  cardId: cardIds[card] as CardId,
  reviewId: reviewIds[answer] as ReviewId,
  grade: grades[card * answersPerCard + answer] as Grade,
  reviewedAt: at,
  durationMs: 3_000,
})

const answerBatch = (from: number, to: number) => {
  for (let card = from; card < to; card++) {
    let state: CardState = sm2.create(start)
    let at = start
    for (let answer = 0; answer < answersPerCard; answer++) {
      at = (isDue(state, at) ? at : state.dueAt) + (delays[card * answersPerCard + answer] as number)
      const entry: Either.Either<ReviewLogEntry, SrsFailure> = Scheduler.answer(sm2, state, answerOf(card, answer, at))
      if (Either.isLeft(entry)) throw new Error(entry.left.message)
      state = entry.right.stateAfter
    }
    finalDue.answer[card] = state.dueAt
  }
}

const serviceBatch = (from: number, to: number) =>
  Effect.runSync(
    Effect.provide(
      Effect.flatMap(Scheduler.Scheduler, (scheduler) =>
        Effect.forEach(
          Array.from({ length: to - from }, (_, offset) => from + offset),
          (card) =>
            Effect.gen(function* () {
              let state: CardState = sm2.create(start)
              let at = start
              for (let answer = 0; answer < answersPerCard; answer++) {
                at = (isDue(state, at) ? at : state.dueAt) + (delays[card * answersPerCard + answer] as number)
                state = (yield* scheduler.answer(state, answerOf(card, answer, at))).stateAfter
              }
              finalDue.service[card] = state.dueAt
            }),
          { discard: true },
        ),
      ),
      Scheduler.layer(sm2),
    ),
  )

const run: Record<Side, (from: number, to: number) => void> = {
  sm2: sm2Batch,
  tsFsrs: tsFsrsBatch,
  adapter: adapterBatch,
  answer: answerBatch,
  service: serviceBatch,
}

/** One round: every card through every side, in alternating batches; reviews per second per side. */
const round = (): Record<Side, number> => {
  const spent: Record<Side, number> = { sm2: 0, tsFsrs: 0, adapter: 0, answer: 0, service: 0 }
  for (let from = 0, batch = 0; from < cards; from += batchCards, batch++) {
    const to = Math.min(cards, from + batchCards)
    for (const side of batch % 2 === 0 ? sides : [...sides].reverse()) {
      const started = performance.now()
      run[side](from, to)
      spent[side] += performance.now() - started
    }
  }
  const perSecond = (side: Side) => reviews / (spent[side] / 1000)
  return {
    sm2: perSecond("sm2"),
    tsFsrs: perSecond("tsFsrs"),
    adapter: perSecond("adapter"),
    answer: perSecond("answer"),
    service: perSecond("service"),
  }
}

const check = () => {
  for (let card = 0; card < cards; card++) {
    if (finalDue.adapter[card] !== finalDue.tsFsrs[card])
      throw new Error(`card ${card}: the adapter and ts-fsrs disagree`)
    if (finalDue.answer[card] !== finalDue.sm2[card] || finalDue.service[card] !== finalDue.sm2[card])
      throw new Error(`card ${card}: the SM-2 entry points disagree`)
  }
}

const main = () => {
  // Warm-up: JIT, and the calendar's first look-up of each day (Intl), shown apart as the cold figure.
  const cold = round()
  out(`warm-up: ${sides.map((side) => `${label[side]} ${cold[side].toFixed(0)}/s`).join(", ")}`)
  check()
  const samples: Array<Record<Side, number>> = []
  for (let index = 1; index <= rounds; index++) {
    const sample = round()
    samples.push(sample)
    out(`round ${index}: ${sides.map((side) => `${label[side]} ${sample[side].toFixed(0)}/s`).join(", ")}`)
  }
  check()
  const summary = (side: Side) => median(samples.map((sample) => sample[side]))
  const microseconds = (side: Side) => `${(1e6 / summary(side)).toFixed(2)} µs/review`
  const sm2Ratio = summary("sm2") / summary("tsFsrs")
  const adapterRatio = summary("adapter") / summary("tsFsrs")
  const sm2Pass = sm2Ratio >= sm2Goal
  const adapterPass = adapterRatio >= adapterGoal
  out("")
  out("SRS")
  out(`machine:   ${machine()}`)
  out(
    `reviews    ${reviews.toLocaleString("en")} (${cards.toLocaleString("en")} cards × ${answersPerCard}), one grade sequence, answered 0–12 h after due; median of ${rounds} rounds; ${Fsrs.engineVersion}`,
  )
  for (const side of sides)
    out(`           ${label[side]}: ${summary(side).toFixed(0)} reviews/s (${microseconds(side)})`)
  out(`           SM-2 / ts-fsrs ${sm2Ratio.toFixed(2)} (goal ≥ ${sm2Goal}) ${sm2Pass ? "PASS" : "FAIL"}`)
  out(
    `           FSRS adapter / bare ts-fsrs ${adapterRatio.toFixed(3)} (goal ≥ ${adapterGoal}) ${adapterPass ? "PASS" : "FAIL"}`,
  )
  out(
    `           reference: Scheduler.answer / pure SM-2 ${(summary("answer") / summary("sm2")).toFixed(3)}, Effect service / pure SM-2 ${(summary("service") / summary("sm2")).toFixed(3)}`,
  )
  if (!sm2Pass || !adapterPass) process.exitCode = 1
}

main()
