/** Shared test material: times, ids, a study session driver and generators of answer sequences. */
import { assert } from "@effect/vitest"
import { DateTime, FastCheck as fc } from "effect"
import { CardId, type CardState, type FsrsState, isDue, type Sm2State } from "../src/Card.js"
import type { Grade } from "../src/Grade.js"
import * as LocalDay from "../src/LocalDay.js"
import { ReviewId, type ReviewLogEntry } from "../src/ReviewLog.js"
import { type Algorithm, record } from "../src/Scheduler.js"

export const MINUTE = 60_000
export const HOUR = 3_600_000
export const DAY = 86_400_000

/** Monday 5 January 2026, 09:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5, 9)

export const berlin = LocalDay.make(DateTime.zoneUnsafeMakeNamed("Europe/Berlin"))

export const cardId = (name: string) => CardId.make(name)

export const asSm2 = (state: CardState): Sm2State => {
  assert(state._tag === "Sm2", "an SM-2 state")
  return state
}

export const asFsrs = (state: CardState): FsrsState => {
  assert(state._tag === "Fsrs", "an FSRS state")
  return state
}

export interface Step {
  readonly grade: Grade
  /** How long after the card falls due (or, during a re-drill, after the last answer) it is answered. */
  readonly delay: number
}

/**
 * Answers `steps` for one card from `createdAt`: each answer comes `delay`
 * after the card is next due — right away during a pending re-drill.
 */
export const study = <S extends CardState>(
  algorithm: Algorithm<S>,
  id: CardId,
  steps: ReadonlyArray<Step>,
  createdAt = T0,
): { readonly log: ReadonlyArray<ReviewLogEntry>; readonly state: S } => {
  let state = algorithm.create(createdAt)
  let at = createdAt
  const log: Array<ReviewLogEntry> = []
  steps.forEach(({ grade, delay }, index) => {
    at = (isDue(state, at) ? at : state.dueAt) + delay
    const entry = record(algorithm, state, {
      cardId: id,
      reviewId: ReviewId.make(`${id}/${index}`),
      grade,
      reviewedAt: at,
      durationMs: 4_000 + index,
    })
    log.push(entry)
    state = entry.stateAfter
  })
  return { log, state }
}

export const grade = fc.constantFrom<Grade>(0, 1, 2, 3, 4, 5)

/** A delay: mostly on time or a few minutes late (re-drills), sometimes days late. */
export const delay = fc.oneof(
  fc.integer({ min: 0, max: 30 * MINUTE }),
  fc.integer({ min: 0, max: 12 * HOUR }),
  fc.integer({ min: 0, max: 20 * DAY }),
)

export const steps = (maxLength = 30) => fc.array(fc.record({ grade, delay }), { minLength: 1, maxLength })

/** Several cards' answer sequences, each starting within the first week. */
export const deck = fc.array(fc.tuple(steps(20), fc.integer({ min: 0, max: 7 * DAY })), { minLength: 1, maxLength: 6 })

/** Every card of `deck` studied under `algorithm`: the merged log and each card's state. */
export const studyDeck = <S extends CardState>(
  algorithm: Algorithm<S>,
  cards: ReadonlyArray<readonly [ReadonlyArray<Step>, number]>,
) => {
  const studied = cards.map(([answers, offset], index) => {
    const id = cardId(`card-${index}`)
    return { id, ...study(algorithm, id, answers, T0 + offset) }
  })
  return { log: studied.flatMap((card) => card.log), cards: studied.map(({ id, state }) => ({ id, state })) }
}
