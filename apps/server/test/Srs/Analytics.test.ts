/**
 * The statistics SQL computes (`GET /api/learn/review/analytics`) equal what
 * `@ignition/srs`'s pure Analytics functions compute from the same review
 * log and card states, on random histories: seeded generators answer cards
 * of an SM-2 and an FSRS deck through the real HTTP server over months (in a
 * time zone with daylight saving time, with same-day re-answers, failures
 * and cards reaching maturity), then both sides are compared for all decks
 * and for each deck alone, and again after a card and a deck are deleted
 * (the trigger-kept sums give their reviews back).
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import type { SrsApi } from "@ignition/api"
import { Analytics, Card, type Grade, LocalDay, type ReviewLog, Scheduler } from "@ignition/srs"
import { DateTime, Effect } from "effect"
import * as TestServerLayer from "../support/TestServer.js"
import { type Member, member } from "../support/Vault.js"

const minute = 60 * 1000
const day = 24 * 60 * minute
const timeZone = "Europe/Berlin"
const calendar = LocalDay.make(DateTime.zoneUnsafeMakeNamed(timeZone))
const topics = ["harmony", "rhythm", "mixing", null] as const

/** Answers every card of the decks with random grades at random, increasing times up to an hour ago. */
const history = (m: Member, deckIds: ReadonlyArray<string>, seed: string) =>
  Effect.gen(function* () {
    const random = Scheduler.seeded(seed)
    const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)] as A
    const log: Array<ReviewLog.ReviewLogEntry> = []
    const cards: Array<SrsApi.Flashcard> = []
    const end = Date.now() - 60 * minute
    for (const deckId of deckIds) {
      for (let n = 0; n < 6; n++) {
        const card = yield* m.client.flashcards.create({
          path: { deckId },
          payload: { front: `card ${n}`, back: "answer", topic: pick(topics) },
        })
        cards.push(card)
        // Some cards stay new; the others are answered from up to 400 days ago.
        if (n === 5) continue
        let at = end - Math.floor(random() * 400 * day)
        while (at < end) {
          // Mostly passes, as a learner's log is; a third of failures.
          const grade = pick<Grade.Grade>([0, 1, 2, 3, 4, 4, 5, 5, 4, 5])
          log.push(
            yield* m.client.review.answer({
              path: { cardId: card.id },
              payload: { reviewId: randomUUID(), grade, reviewedAt: at, durationMs: Math.floor(random() * 20_000) },
            }),
          )
          // Same day again (a re-drill or a re-answer), or days to weeks later.
          at += random() < 0.3 ? Math.floor(random() * 180 * minute) : Math.floor((1 + random() * 45) * day)
        }
      }
    }
    return { log, cards }
  })

/** What the pure functions say about a log and cards, at `now`. */
const expected = (
  log: ReadonlyArray<ReviewLog.ReviewLogEntry>,
  cards: ReadonlyArray<{ readonly id: string; readonly topic: string | null; readonly state: Card.CardState }>,
  now: number,
) => {
  const states = cards.map((card) => card.state)
  const lapses = Analytics.lapses(log, calendar)
  return {
    trueRetention: Analytics.trueRetention(log, calendar),
    lapses: { total: lapses.total, byCard: lapses.byCard.slice(0, 50) },
    intervals: Analytics.intervalHistogram(states),
    forecast: Analytics.dueForecast(states, calendar, now, 30),
    heatmap: Analytics.heatmap(log, calendar),
    answerButtons: Analytics.answerButtons(log),
    weakTopics: Analytics.weakTopics(
      cards.map((card) => ({ id: Card.CardId.make(card.id), topic: card.topic, state: card.state })),
      log,
      calendar,
      { minReviews: 3, limit: 10 },
    ),
  }
}

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })(
  "review analytics in SQL",
  (it) => {
    for (const seed of ["first history", "second history"]) {
      it.effect(`equal the pure Analytics functions on a random history (${seed})`, () =>
        Effect.gen(function* () {
          const me = yield* member("statistics")
          yield* me.client.settings.update({ payload: { timeZone } })
          const sm2 = yield* me.client.decks.create({ payload: { name: "SM-2" } })
          const fsrs = yield* me.client.decks.create({
            payload: { name: "FSRS", scheduler: { name: "fsrs", options: {} } },
          })
          const { log, cards } = yield* history(me, [sm2.id, fsrs.id], seed)
          assert.isAbove(log.length, 50)
          // The current states, as stored after the last answers.
          const current = yield* Effect.forEach(cards, (card) =>
            me.client.flashcards.get({ path: { cardId: card.id } }),
          )

          for (const deckId of [undefined, sm2.id, fsrs.id]) {
            const inDeck = current.filter((card) => deckId === undefined || card.deckId === deckId)
            const ids = new Set(inDeck.map((card) => card.id))
            const deckLog = log.filter((entry) => ids.has(entry.cardId))
            const before = Date.now()
            const { timeZone: zone, ...computed } = yield* me.client.review.analytics({
              urlParams: { ...(deckId === undefined ? {} : { deckId }), minReviews: 3 },
            })
            const after = Date.now()
            assert.strictEqual(zone, timeZone)
            const atBefore = expected(deckLog, inDeck, before)
            // The server's now lies between the two; the forecast (the only part that depends on it) matches one.
            const { forecast, ...rest } = computed
            const { forecast: forecastBefore, ...restBefore } = atBefore
            assert.deepStrictEqual(rest, restBefore, `deck ${deckId ?? "all"}`)
            const forecastAfter = expected(deckLog, inDeck, after).forecast
            assert.isTrue(
              JSON.stringify(forecast) === JSON.stringify(forecastBefore) ||
                JSON.stringify(forecast) === JSON.stringify(forecastAfter),
              JSON.stringify({ forecast, forecastBefore }),
            )
          }
          // Deleting a card, then a deck, takes their reviews out of the statistics.
          const reviewed = current.find((card) => card.deckId === sm2.id && !Card.isNew(card.state))
          if (reviewed === undefined) return assert.fail("no reviewed card")
          yield* me.client.flashcards.remove({ path: { cardId: reviewed.id } })
          yield* me.client.decks.remove({ path: { deckId: fsrs.id } })
          const left = current.filter((card) => card.id !== reviewed.id && card.deckId !== fsrs.id)
          const leftIds = new Set(left.map((card) => card.id))
          const {
            timeZone: _zone,
            forecast: _forecast,
            ...remaining
          } = yield* me.client.review.analytics({
            urlParams: { minReviews: 3 },
          })
          const { forecast: _expectedForecast, ...expectedRemaining } = expected(
            log.filter((entry) => leftIds.has(entry.cardId)),
            left,
            Date.now(),
          )
          assert.deepStrictEqual(remaining, expectedRemaining)

          // The history exercised what the statistics tell apart.
          const all = expected(log, current, Date.now())
          assert.isAbove(all.trueRetention.young.passed + all.trueRetention.young.failed, 0)
          assert.isAbove(all.trueRetention.mature.passed + all.trueRetention.mature.failed, 0)
          assert.isAbove(all.lapses.total, 0)
          assert.isAbove(all.weakTopics.length, 0)
        }),
      )
    }

    it.effect("an empty history has empty statistics", () =>
      Effect.gen(function* () {
        const me = yield* member("beginner")
        const stats = yield* me.client.review.analytics({ urlParams: {} })
        assert.strictEqual(stats.timeZone, "UTC")
        assert.deepStrictEqual(stats.heatmap, [])
        assert.strictEqual(stats.lapses.total, 0)
        assert.strictEqual(stats.forecast.length, 30)
        assert.isTrue(stats.forecast.every((entry) => entry.due === 0))
        assert.isTrue(stats.intervals.every((bucket) => bucket.cards === 0))
      }),
    )
  },
)
