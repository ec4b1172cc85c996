/**
 * Replaying a review log under a scheduler: every card starts from the state
 * before its first logged review (a new card of the other scheduler becomes a
 * new card of this one, due when it was) and is answered again, in log
 * order, with the grades and times the log holds (and each review's id as
 * the fuzz seed, as when it was first answered). Replaying a log under the scheduler that wrote it gives
 * back the same states; under another it gives the states that scheduler
 * would have reached, which is how a deck switches scheduler without losing
 * its history, and how two schedulers are compared on the same answers.
 */
import type { CardId, CardState } from "./Card.js"
import { byTime, type ReviewLogEntry } from "./ReviewLog.js"
import { type Algorithm, record } from "./Scheduler.js"

/** `state` under `algorithm`: itself if the algorithm's, otherwise a new card due when it was due. */
const adopt = <S extends CardState>(algorithm: Algorithm<S>, state: CardState): S =>
  algorithm.owns(state) ? state : algorithm.create(state.dueAt)

export interface Replayed<S extends CardState> {
  /** The log as `algorithm` would have written it, in time order. */
  readonly entries: ReadonlyArray<ReviewLogEntry>
  /** Each reviewed card's state after its last review. */
  readonly states: ReadonlyMap<CardId, S>
}

/** Replays `log` (any order, any number of cards) under `algorithm`. */
export const replay = <S extends CardState>(
  algorithm: Algorithm<S>,
  log: ReadonlyArray<ReviewLogEntry>,
): Replayed<S> => {
  const states = new Map<CardId, S>()
  const entries = [...log].sort(byTime).map((entry) => {
    const replayed = record(algorithm, states.get(entry.cardId) ?? adopt(algorithm, entry.stateBefore), entry)
    states.set(entry.cardId, replayed.stateAfter)
    return replayed
  })
  return { entries, states }
}

/**
 * A deck's cards under `algorithm`: a card with reviews in `log` gets the
 * state its history leads to; a card without any keeps its state if it is
 * already the algorithm's, and otherwise starts new, due when it was due
 * (a card reviewed under another scheduler whose log is lost starts over).
 */
export const switchTo = <S extends CardState, C extends { readonly id: CardId; readonly state: CardState }>(
  algorithm: Algorithm<S>,
  cards: ReadonlyArray<C>,
  log: ReadonlyArray<ReviewLogEntry>,
): ReadonlyArray<Omit<C, "state"> & { readonly state: S }> => {
  const { states } = replay(algorithm, log)
  return cards.map((card) => ({
    ...card,
    state: states.get(card.id) ?? adopt(algorithm, card.state),
  }))
}
