/**
 * Replay and scheduler switching: a log replayed under the scheduler that
 * wrote it comes back unchanged (fuzz included, seeded by review id) in any
 * input order; a deck switched SM-2 → FSRS holds the states FSRS would have
 * reached on the same answers, and switching back restores SM-2's exactly.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type { CardState } from "../src/Card.js"
import * as Fsrs from "../src/Fsrs.js"
import * as Replay from "../src/Replay.js"
import { byTime } from "../src/ReviewLog.js"
import { type Algorithm, seeded } from "../src/Scheduler.js"
import * as Sm2 from "../src/Sm2.js"
import { berlin, cardId, DAY, deck, study, studyDeck, T0 } from "./support.js"

const sm2 = Sm2.make({ lateCredit: true, fuzz: true }, berlin)
const fsrs = Fsrs.make({ fuzz: true })
const both: ReadonlyArray<Algorithm<CardState>> = [sm2, fsrs]

const statesOf = (cards: ReadonlyArray<{ readonly id: string; readonly state: CardState }>) =>
  Object.fromEntries(cards.map(({ id, state }) => [id, state]))

describe("Replay", () => {
  it.prop(
    "replaying a log under the scheduler that wrote it gives back the same log and states, in any input order",
    [deck, fc.integer()],
    ([cards, shuffleSeed]) => {
      for (const algorithm of both) {
        const studied = studyDeck(algorithm, cards)
        const shuffled = fc.sample(fc.shuffledSubarray([...studied.log], { minLength: studied.log.length }), {
          seed: shuffleSeed,
          numRuns: 1,
        })[0]
        const replayed = Replay.replay(algorithm, shuffled ?? [])
        assert.deepStrictEqual(replayed.entries, [...studied.log].sort(byTime))
        assert.deepStrictEqual(Object.fromEntries(replayed.states), statesOf(studied.cards))
      }
    },
  )

  it.prop(
    "switching SM-2 → FSRS gives FSRS's states on the same answers, and switching back restores SM-2's",
    [deck],
    ([cards]) => {
      const underSm2 = studyDeck(sm2, cards)
      const toFsrs = Replay.switchTo(fsrs, underSm2.cards, underSm2.log)
      // FSRS all along: each card answered with the same grades, times and seeds, one card at a time.
      for (const { id, state } of toFsrs) {
        const answers = underSm2.log.filter((entry) => entry.cardId === id)
        let expected = fsrs.create(answers[0]?.stateBefore.dueAt ?? 0)
        for (const { grade, reviewedAt, reviewId } of answers)
          expected = fsrs.review(expected, grade, reviewedAt, seeded(reviewId))
        assert.deepStrictEqual(state, expected)
      }
      const fsrsLog = Replay.replay(fsrs, underSm2.log).entries
      assert.deepStrictEqual(
        fsrsLog.map(({ reviewId, grade, button, reviewedAt, durationMs }) => [
          reviewId,
          grade,
          button,
          reviewedAt,
          durationMs,
        ]),
        [...underSm2.log]
          .sort(byTime)
          .map(({ reviewId, grade, button, reviewedAt, durationMs }) => [
            reviewId,
            grade,
            button,
            reviewedAt,
            durationMs,
          ]),
      )
      assert.isTrue(fsrsLog.every((entry) => entry.scheduler === "fsrs"))
      const back = Replay.switchTo(sm2, toFsrs, fsrsLog)
      assert.deepStrictEqual(statesOf(back), statesOf(underSm2.cards))
    },
  )

  it("cards without reviews: a new card starts new under the other scheduler, due when it was; its own are kept", () => {
    const reviewed = study(sm2, cardId("reviewed"), [{ grade: 4, delay: 0 }])
    const fresh = { id: cardId("fresh"), topic: "modes", state: sm2.create(T0 + DAY) }
    const already = { id: cardId("already"), topic: null, state: fsrs.create(T0) }
    const switched = Replay.switchTo(
      fsrs,
      [{ id: cardId("reviewed"), topic: "scales", state: reviewed.state }, fresh, already],
      reviewed.log,
    )
    assert.deepStrictEqual(
      switched.map(({ id, topic, state }) => [id, topic, state._tag]),
      [
        ["reviewed", "scales", "Fsrs"],
        ["fresh", "modes", "Fsrs"],
        ["already", null, "Fsrs"],
      ],
    )
    assert.deepStrictEqual(switched[1]?.state, fsrs.create(T0 + DAY))
    assert.strictEqual(switched[2]?.state, already.state)
    assert.strictEqual(switched[0]?.state.reps, 1)
  })
})
