/**
 * Flashcards through the real HTTP server and the derived client: deck and
 * card CRUD, the due queue with the daily new-card limit, answers applied
 * with the deck's scheduler (the same entry `@ignition/srs` computes),
 * idempotency per review id (the same answer again → the logged entry; a
 * different one → 409; racing retries → one review), switching a deck's
 * scheduler (the history replayed, the log kept), another user's deck or
 * card → 404, bad input → 400 naming the problem, and the schema refusing
 * what the API never writes (an updated log row, a card of another
 * scheduler than its deck's).
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import type { SrsApi } from "@ignition/api"
import { Card, Fsrs, LocalDay, Replay, type ReviewLog, Scheduler, Sm2 } from "@ignition/srs"
import { DateTime, Effect, Either } from "effect"
import { type RawBuilder, sql } from "kysely"
import { Database } from "../../src/Database/Database.js"
import * as TestServerLayer from "../support/TestServer.js"
import { failure, field, type Member, member, send } from "../support/Vault.js"

const day = 24 * 60 * 60 * 1000

const newDeck = (m: Member, payload: typeof SrsApi.CreateDeck.Type = { name: "Harmony" }) =>
  m.client.decks.create({ payload })

const newCard = (m: Member, deckId: string, front = "ii–V–I in C?", topic: string | null = "harmony") =>
  m.client.flashcards.create({ path: { deckId }, payload: { front, back: "Dm7 G7 Cmaj7", tags: ["jazz"], topic } })

const answer = (m: Member, cardId: string, payload: Partial<typeof SrsApi.ReviewRequest.Type> = {}) =>
  m.client.review.answer({ path: { cardId }, payload: { reviewId: randomUUID(), durationMs: 1200, ...payload } })

/** Raw SQL as the test's own database connection runs it. */
const query = <R>(statement: RawBuilder<R>) => Effect.flatMap(Database, (db) => db.execute((q) => statement.execute(q)))

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })("flashcards", (it) => {
  it.effect("decks and cards: create, read, list in pages, update and delete", () =>
    Effect.gen(function* () {
      const me = yield* member("decks")
      const deck = yield* newDeck(me, { name: "Harmony", newPerDay: 5 })
      assert.deepInclude(deck, { name: "Harmony", newPerDay: 5, cards: 0 })
      assert.deepStrictEqual(deck.scheduler, { name: "sm2", options: {} })

      const cards = yield* Effect.forEach([1, 2, 3], (n) => newCard(me, deck.id, `card ${n}`))
      const first = cards[0]
      if (first === undefined) return assert.fail("no card")
      assert.deepInclude(first, { deckId: deck.id, front: "card 1", back: "Dm7 G7 Cmaj7", topic: "harmony" })
      assert.deepStrictEqual(first.tags, ["jazz"])
      assert.strictEqual(first.state._tag, "Sm2")
      assert.isTrue(Card.isNew(first.state))

      const pageOne = yield* me.client.flashcards.list({ path: { deckId: deck.id }, urlParams: { limit: 2 } })
      assert.deepStrictEqual(
        pageOne.items.map((card) => card.front),
        ["card 1", "card 2"],
      )
      const pageTwo = yield* me.client.flashcards.list({
        path: { deckId: deck.id },
        urlParams: { limit: 2, cursor: pageOne.nextCursor ?? "" },
      })
      assert.deepStrictEqual(
        pageTwo.items.map((card) => card.front),
        ["card 3"],
      )
      assert.isNull(pageTwo.nextCursor)

      const edited = yield* me.client.flashcards.update({
        path: { cardId: first.id },
        payload: { back: "Dm7 G7 C6", topic: null },
      })
      assert.deepInclude(edited, { front: "card 1", back: "Dm7 G7 C6", topic: null })
      assert.deepStrictEqual(edited.state, first.state)

      const renamed = yield* me.client.decks.update({ path: { deckId: deck.id }, payload: { name: "Jazz harmony" } })
      assert.deepInclude(renamed, { name: "Jazz harmony", newPerDay: 5, cards: 3 })
      assert.deepStrictEqual(
        (yield* me.client.decks.list()).items.map((d) => d.id),
        [deck.id],
      )

      yield* me.client.flashcards.remove({ path: { cardId: first.id } })
      assert.strictEqual((yield* failure(me.client.flashcards.get({ path: { cardId: first.id } })))._tag, "NotFound")
      yield* me.client.decks.remove({ path: { deckId: deck.id } })
      assert.strictEqual((yield* failure(me.client.decks.get({ path: { deckId: deck.id } })))._tag, "NotFound")
      // The deck's cards went with it.
      const second = cards[1]
      if (second === undefined) return assert.fail("no card")
      assert.strictEqual((yield* failure(me.client.flashcards.get({ path: { cardId: second.id } })))._tag, "NotFound")
    }),
  )

  it.effect("a review applies the deck's SM-2 in the learner's days and moves the card through the queue", () =>
    Effect.gen(function* () {
      const me = yield* member("reviewer")
      yield* me.client.settings.update({ payload: { timeZone: "America/New_York" } })
      const deck = yield* newDeck(me, { name: "Intervals", newPerDay: 2 })
      const cards = yield* Effect.forEach([1, 2, 3], (n) => newCard(me, deck.id, `interval ${n}`))

      // Three new cards, two a day: the queue offers the two added first.
      const before = yield* me.client.review.queue({ urlParams: { deckId: deck.id } })
      assert.deepStrictEqual(
        before.cards.map((card) => card.front),
        ["interval 1", "interval 2"],
      )
      assert.strictEqual(before.newRemaining, 2)

      const card = cards[0]
      if (card === undefined) return assert.fail("no card")
      const reviewedAt = Date.now() - 60_000
      const entry = yield* answer(me, card.id, { button: "good", reviewedAt })
      // The entry is exactly what the scheduler computes from the card's state in the user's zone.
      const calendar = LocalDay.make(DateTime.zoneUnsafeMakeNamed("America/New_York"))
      const expected = Scheduler.record(Sm2.make({}, calendar), card.state as Card.Sm2State, {
        cardId: Card.CardId.make(card.id),
        reviewId: entry.reviewId,
        grade: 4,
        reviewedAt,
        durationMs: 1200,
      })
      assert.deepStrictEqual(entry, expected)
      assert.deepInclude(entry.stateAfter, { repetitions: 1, interval: 1, redrillUntil: null })

      const stored = yield* me.client.flashcards.get({ path: { cardId: card.id } })
      assert.deepStrictEqual(stored.state, entry.stateAfter)

      // One new card introduced today: one more may come, and the reviewed one is not due until tomorrow.
      const after = yield* me.client.review.queue({ urlParams: { deckId: deck.id } })
      assert.deepStrictEqual(
        after.cards.map((c) => c.front),
        ["interval 2"],
      )
      assert.strictEqual(after.newRemaining, 1)

      // A Hard answer keeps the card in today's queue (SM-2's same-day re-drill).
      const second = cards[1]
      if (second === undefined) return assert.fail("no card")
      const hard = yield* answer(me, second.id, { grade: 3 })
      assert.isNotNull(hard.stateAfter._tag === "Sm2" ? hard.stateAfter.redrillUntil : null)
      const drill = yield* me.client.review.queue({ urlParams: { deckId: deck.id } })
      assert.deepStrictEqual(
        drill.cards.map((c) => c.front),
        ["interval 2"],
      )
      assert.strictEqual(drill.newRemaining, 0)
    }),
  )

  it.effect("the queue over all decks: due cards first, each deck's own new-card limit, capped by limit", () =>
    Effect.gen(function* () {
      const me = yield* member("queue")
      const one = yield* newDeck(me, { name: "One", newPerDay: 1 })
      const two = yield* newDeck(me, { name: "Two", newPerDay: 2 })
      const cardsOne = yield* Effect.forEach([1, 2], (n) => newCard(me, one.id, `one ${n}`))
      yield* Effect.forEach([1, 2, 3], (n) => newCard(me, two.id, `two ${n}`))
      // A card answered Again a week ago in deck one is due again.
      const old = cardsOne[1]
      if (old === undefined) return assert.fail("no card")
      yield* answer(me, old.id, { button: "again", reviewedAt: Date.now() - 7 * day })
      const queue = yield* me.client.review.queue({ urlParams: {} })
      assert.deepStrictEqual(
        queue.cards.map((card) => card.front),
        ["one 2", "one 1", "two 1", "two 2"],
      )
      assert.strictEqual(queue.newRemaining, 3)
      const capped = yield* me.client.review.queue({ urlParams: { limit: 2 } })
      assert.deepStrictEqual(
        capped.cards.map((card) => card.front),
        ["one 2", "one 1"],
      )
    }),
  )

  it.effect("a review id is applied once: a retry gets the first answer, another answer 409", () =>
    Effect.gen(function* () {
      const me = yield* member("retry")
      const deck = yield* newDeck(me)
      const card = yield* newCard(me, deck.id)
      const reviewId = randomUUID()
      const first = yield* answer(me, card.id, { reviewId, button: "easy" })
      const again = yield* answer(me, card.id, { reviewId, button: "easy" })
      assert.deepStrictEqual(again, first)
      // The same answer stated as a grade and with its time is the same answer.
      assert.deepStrictEqual(yield* answer(me, card.id, { reviewId, grade: 5, reviewedAt: first.reviewedAt }), first)

      for (const different of [{ button: "again" as const }, { button: "easy" as const, durationMs: 999 }]) {
        const conflict = yield* failure(answer(me, card.id, { reviewId, ...different }))
        assert.strictEqual(conflict._tag, "ReviewConflict")
      }
      const other = yield* newCard(me, deck.id, "other")
      assert.strictEqual((yield* failure(answer(me, other.id, { reviewId, button: "easy" })))._tag, "ReviewConflict")

      // Racing retries of one answer: one review, one state change.
      const racing = randomUUID()
      const results = yield* Effect.all(
        Array.from({ length: 4 }, () => answer(me, other.id, { reviewId: racing, button: "good" })),
        { concurrency: "unbounded" },
      )
      for (const result of results) assert.deepStrictEqual(result, results[0])
      const logged = yield* query(
        sql<{
          n: number
        }>`select count(*)::int as n from learn_reviews where user_id = ${me.userId} and card_id = ${other.id}`,
      )
      assert.strictEqual(logged.rows[0]?.n, 1)
      const stored = yield* me.client.flashcards.get({ path: { cardId: other.id } })
      assert.deepStrictEqual(stored.state, results[0]?.stateAfter)
    }),
  )

  it.effect("another user's deck or card, or an unknown one, is 404 everywhere", () =>
    Effect.gen(function* () {
      const owner = yield* member("owner")
      const other = yield* member("other")
      const deck = yield* newDeck(owner)
      const card = yield* newCard(owner, deck.id)
      const deckPath = { deckId: deck.id }
      const cardPath = { cardId: card.id }
      const attempts = [
        other.client.decks.get({ path: deckPath }),
        other.client.decks.update({ path: deckPath, payload: { name: "mine now" } }),
        other.client.decks.remove({ path: deckPath }),
        other.client.decks.export({ path: deckPath, urlParams: {} }),
        other.client.decks.import({ path: deckPath, urlParams: {}, payload: "front,back\na,b\n" }),
        other.client.flashcards.list({ path: deckPath, urlParams: {} }),
        other.client.flashcards.create({ path: deckPath, payload: { front: "x", back: "y" } }),
        other.client.flashcards.get({ path: cardPath }),
        other.client.flashcards.update({ path: cardPath, payload: { front: "x" } }),
        other.client.flashcards.remove({ path: cardPath }),
        other.client.review.queue({ urlParams: { deckId: deck.id } }),
        other.client.review.analytics({ urlParams: { deckId: deck.id } }),
        answer(other, card.id, { button: "good" }),
        owner.client.flashcards.get({ path: { cardId: randomUUID() } }),
        owner.client.decks.get({ path: { deckId: randomUUID() } }),
      ] as const
      for (const attempt of attempts) {
        const error = yield* failure(attempt as Effect.Effect<unknown, { readonly _tag: string }>)
        assert.strictEqual(error._tag, "NotFound")
      }
      // Nothing changed for the owner.
      assert.deepInclude(yield* owner.client.decks.get({ path: deckPath }), { name: "Harmony", cards: 1 })
      assert.isTrue(Card.isNew((yield* owner.client.flashcards.get({ path: cardPath })).state))
      assert.deepStrictEqual((yield* other.client.review.queue({ urlParams: {} })).cards, [])
    }),
  )

  it.effect("bad input is a 400 that says what is wrong, and changes nothing", () =>
    Effect.gen(function* () {
      const me = yield* member("careless")
      const deck = yield* newDeck(me)
      const card = yield* newCard(me, deck.id)
      const path = `/api/learn/review/${card.id}`
      const cases: ReadonlyArray<readonly [unknown, RegExp]> = [
        [{ reviewId: randomUUID(), grade: 7, durationMs: 10 }, /grade/],
        [{ reviewId: randomUUID(), button: "maybe", durationMs: 10 }, /button/],
        [{ reviewId: randomUUID(), durationMs: 10 }, /grade \(0–5\) or a button/],
        [{ reviewId: randomUUID(), grade: 1, button: "good", durationMs: 10 }, /Grade 1 is the again button/],
        [{ reviewId: randomUUID(), grade: 4, durationMs: 10, reviewedAt: Date.now() + day }, /future/],
        [{ reviewId: "not-a-uuid", grade: 4, durationMs: 10 }, /reviewId/],
        [{ reviewId: randomUUID(), grade: 4, durationMs: -1 }, /durationMs/],
        [{ reviewId: randomUUID(), grade: 4, durationMs: 10, extra: true }, /extra/],
      ]
      for (const [body, message] of cases) {
        const response = yield* send(me, "POST", path, body)
        assert.strictEqual(response.status, 400, JSON.stringify(response.body))
        assert.match(String(field(response.body, "message")), message)
      }
      const badDecks: ReadonlyArray<unknown> = [
        { name: "" },
        { name: "x", scheduler: { name: "sm3", options: {} } },
        { name: "x", scheduler: { name: "sm2", options: { fuzz: "yes" } } },
        { name: "x", scheduler: { name: "fsrs", options: { requestRetention: 2 } } },
        { name: "x", newPerDay: -1 },
      ]
      for (const body of badDecks) {
        const response = yield* send(me, "POST", "/api/learn/decks", body)
        assert.strictEqual(response.status, 400, JSON.stringify(body))
      }
      const badCard = yield* send(me, "POST", `/api/learn/decks/${deck.id}/cards`, {
        front: "x",
        back: "y",
        tags: ["two words"],
      })
      assert.strictEqual(badCard.status, 400)
      assert.match(String(field(badCard.body, "message")), /without spaces/)
      const badCursor = yield* send(me, "GET", `/api/learn/decks/${deck.id}/cards?cursor=nonsense`)
      assert.strictEqual(badCursor.status, 400)
      assert.isTrue(Card.isNew((yield* me.client.flashcards.get({ path: { cardId: card.id } })).state))

      // A review dated before the card's last one is refused: schedulers only move forward.
      yield* answer(me, card.id, { button: "good", reviewedAt: Date.now() - 1000 })
      const older = yield* failure(answer(me, card.id, { button: "good", reviewedAt: Date.now() - day }))
      assert.strictEqual(older._tag, "ReviewConflict")
    }),
  )

  it.effect("switching a deck's scheduler replays every card's history under the new one and keeps the log", () =>
    Effect.gen(function* () {
      const me = yield* member("switcher")
      const deck = yield* newDeck(me)
      const cards = yield* Effect.forEach([1, 2, 3], (n) => newCard(me, deck.id, `card ${n}`))
      const start = Date.now() - 40 * day
      const log: Array<ReviewLog.ReviewLogEntry> = []
      for (const [index, card] of cards.slice(0, 2).entries()) {
        for (const [step, button] of (["good", "good", "again", "easy"] as const).entries()) {
          log.push(yield* answer(me, card.id, { button, reviewedAt: start + index * 1000 + step * 7 * day }))
        }
      }
      const switched = yield* me.client.decks.update({
        path: { deckId: deck.id },
        payload: { scheduler: { name: "fsrs", options: {} } },
      })
      assert.deepStrictEqual(switched.scheduler, { name: "fsrs", options: {} })
      const replayed = Replay.replay(Fsrs.make({}), log).states
      for (const card of cards) {
        const stored = yield* me.client.flashcards.get({ path: { cardId: card.id } })
        const expected = replayed.get(Card.CardId.make(card.id)) ?? Fsrs.make({}).create(card.state.dueAt)
        assert.deepStrictEqual(stored.state, expected)
      }
      // Reviews go on under FSRS; switching back to SM-2 replays the whole log, both schedulers' parts.
      const first = cards[0]
      if (first === undefined) return assert.fail("no card")
      const fsrsEntry = yield* answer(me, first.id, { button: "good" })
      assert.strictEqual(fsrsEntry.scheduler, "fsrs")
      log.push(fsrsEntry)
      yield* me.client.decks.update({ path: { deckId: deck.id }, payload: { scheduler: { name: "sm2", options: {} } } })
      const back = yield* me.client.flashcards.get({ path: { cardId: first.id } })
      assert.deepStrictEqual(back.state, Replay.replay(Sm2.exact, log).states.get(Card.CardId.make(first.id)))
      const kept = yield* query(
        sql<{ n: number }>`select count(*)::int as n from learn_reviews where user_id = ${me.userId}`,
      )
      assert.strictEqual(kept.rows[0]?.n, log.length)
    }),
  )

  it.effect("the schema refuses what the API never writes", () =>
    Effect.gen(function* () {
      const me = yield* member("schema")
      const deck = yield* newDeck(me)
      const card = yield* newCard(me, deck.id)
      const entry = yield* answer(me, card.id, { button: "good" })
      const refused = (statement: RawBuilder<unknown>) =>
        Effect.map(Effect.either(query(statement)), (result) => Either.isLeft(result))
      // The log is append-only.
      assert.isTrue(yield* refused(sql`update learn_reviews set grade = 5 where id = ${entry.reviewId}`))
      // A grade out of range, a button that is not the grade's.
      const row = (grade: number, button: string) => sql`
        insert into learn_reviews (user_id, id, card_id, deck_id, scheduler, grade, button, reviewed_at, local_day, first_of_day, elapsed_days, duration_ms, state_before, state_after)
        select user_id, ${randomUUID()}, id, deck_id, 'sm2', ${grade}, ${button}, now(), current_date, true, 0, 0, state, state from learn_flashcards where id = ${card.id}`
      assert.isTrue(yield* refused(row(6, "easy")))
      assert.isTrue(yield* refused(row(1, "good")))
      assert.isFalse(yield* refused(row(1, "again")))
      // A card whose state is another scheduler's than its deck's fails at commit.
      const fsrsState = JSON.stringify(Fsrs.standard.create(Date.now()))
      const db = yield* Database
      const mismatch = yield* Effect.either(
        db.transaction(query(sql`update learn_flashcards set state = ${fsrsState}::jsonb where id = ${card.id}`)),
      )
      assert.isTrue(Either.isLeft(mismatch))
    }),
  )
})
