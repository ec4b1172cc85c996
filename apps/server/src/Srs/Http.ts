/**
 * Handlers of the `decks`, `flashcards` and `review` groups: the caller's
 * own decks and cards only (anyone else's answer 404, as unknown ones do).
 *
 * A review runs in one transaction that holds its deck's row shared and its
 * card's row for update, answers with the deck's scheduler from
 * `@ignition/srs` in the learner's days (their time zone), logs the answer
 * and stores the new state. The review id is the client's: the same id with
 * the same answer gets the logged entry back, with another answer 409.
 * Switching a deck's scheduler holds the deck's row for update (so no review
 * of it runs meanwhile) and replays every card's history under the new one
 * (`Replay.switchTo`); the log itself is never rewritten. See docs/srs.md.
 */
import { randomUUID } from "node:crypto"
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi, SrsApi } from "@ignition/api"
import { type Card, Fsrs, Grade, LocalDay, Replay, ReviewLog, Scheduler, Sm2 } from "@ignition/srs"
import { Clock, DateTime, Effect, Either, Layer, Option } from "effect"
import { Database, type DatabaseError } from "../Database/Database.js"
import { SrsAnalytics } from "./Analytics.js"
import { type Deck, SrsRepo, type StoredCard } from "./Repo.js"
import * as Transfer from "./Transfer.js"

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

const noDeck = new ApiError.NotFound({ message: "No such deck" })
const noCard = new ApiError.NotFound({ message: "No such card" })

/** How far ahead of the server's clock an offline client's review time may be (clocks drift). */
const clockSkewMs = 5 * 60 * 1000

const defaultQueueSize = 100
const defaultPageSize = 100
/** Rows per INSERT of an import (PostgreSQL takes at most 65,535 parameters per statement). */
const insertBatch = 1000

const toDeck = (deck: Deck): typeof SrsApi.Deck.Type => ({
  ...deck,
  createdAt: DateTime.unsafeFromDate(deck.createdAt),
  updatedAt: DateTime.unsafeFromDate(deck.updatedAt),
})

const toCard = ({ seq: _seq, ...card }: StoredCard): SrsApi.Flashcard => ({
  ...card,
  createdAt: DateTime.unsafeFromDate(card.createdAt),
  updatedAt: DateTime.unsafeFromDate(card.updatedAt),
})

/** An opaque page cursor: the last card's number. */
const encodeCursor = (card: StoredCard) => Buffer.from(String(card.seq), "utf8").toString("base64url")

const decodeCursor = (cursor: string): Option.Option<number> => {
  const text = Buffer.from(cursor, "base64url").toString("utf8")
  return /^\d{1,15}$/.test(text) ? Option.some(Number(text)) : Option.none()
}

/** The deck's scheduling algorithm in the learner's days. */
const algorithmOf = (
  config: SrsApi.SchedulerConfig,
  calendar: LocalDay.Calendar,
): Scheduler.Algorithm<Card.CardState> =>
  config.name === "sm2" ? Sm2.make(config.options, calendar) : Fsrs.make(config.options)

/** The grade an answer gives: its grade or its button, exactly one (or both agreeing). */
const gradeOf = (answer: typeof SrsApi.ReviewRequest.Type): Either.Either<Grade.Grade, SrsApi.InvalidReview> => {
  const { grade, button } = answer
  if (grade === undefined && button === undefined)
    return Either.left(
      new SrsApi.InvalidReview({ message: "An answer needs a grade (0–5) or a button (again, hard, good, easy)" }),
    )
  if (grade !== undefined && button !== undefined && Grade.toButton(grade) !== button)
    return Either.left(
      new SrsApi.InvalidReview({ message: `Grade ${grade} is the ${Grade.toButton(grade)} button, not ${button}` }),
    )
  return Either.right(grade ?? Grade.fromButton(button ?? "again"))
}

export class Srs extends Effect.Service<Srs>()("@ignition/server/Srs", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const repo = yield* SrsRepo
    const analytics = yield* SrsAnalytics

    /** Calendars by time zone: a calendar remembers the day starts it has looked up (LocalDay). */
    const calendars = new Map<string, LocalDay.Calendar>()
    const calendarOf = (userId: string) =>
      Effect.map(repo.timeZone(userId), (timeZone) => {
        const known = calendars.get(timeZone)
        if (known !== undefined) return { timeZone, calendar: known }
        const calendar = LocalDay.make(DateTime.zoneUnsafeMakeNamed(timeZone))
        calendars.set(timeZone, calendar)
        return { timeZone, calendar }
      })

    const transaction = <A, E>(effect: Effect.Effect<A, E | DatabaseError>) =>
      db.transaction(effect).pipe(Effect.catchTag("DatabaseError", Effect.die))

    const existingDeck = (userId: string, deckId: string, lock?: "update" | "share") =>
      Effect.flatMap(repo.deck(userId, deckId, lock), (found) =>
        Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(noDeck),
      )

    const existingCard = (userId: string, cardId: string, lock = false) =>
      Effect.flatMap(repo.card(userId, cardId, lock), (found) =>
        Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(noCard),
      )

    // Decks.

    const listDecks = (userId: string) => Effect.map(repo.decks(userId), (decks) => ({ items: decks.map(toDeck) }))

    const createDeck = (userId: string, payload: typeof SrsApi.CreateDeck.Type) =>
      Effect.gen(function* () {
        const id = randomUUID()
        yield* repo.insertDeck(
          userId,
          {
            id,
            name: payload.name,
            scheduler: payload.scheduler ?? { name: "sm2", options: {} },
            newPerDay: payload.newPerDay ?? 20,
          },
          yield* now,
        )
        return toDeck(yield* existingDeck(userId, id))
      })

    const updateDeck = (userId: string, deckId: string, payload: typeof SrsApi.UpdateDeck.Type) =>
      transaction(
        Effect.gen(function* () {
          const deck = yield* existingDeck(userId, deckId, "update")
          const scheduler = payload.scheduler ?? deck.scheduler
          const at = yield* now
          yield* repo.updateDeck(
            userId,
            deckId,
            { name: payload.name ?? deck.name, scheduler, newPerDay: payload.newPerDay ?? deck.newPerDay },
            at,
          )
          if (scheduler.name !== deck.scheduler.name) {
            // Every card's history replayed under the new scheduler; a card without history starts new, due when it was.
            const { calendar } = yield* calendarOf(userId)
            const switched = Replay.switchTo(
              algorithmOf(scheduler, calendar),
              yield* repo.cards(userId, deckId),
              yield* repo.reviewsOfDeck(userId, deckId),
            )
            yield* Effect.forEach(switched, (card) => repo.setState(userId, card.id, card.state, at), { discard: true })
          }
          return toDeck(yield* existingDeck(userId, deckId))
        }),
      )

    const removeDeck = (userId: string, deckId: string) =>
      Effect.flatMap(repo.deleteDeck(userId, deckId), (deleted) => (deleted ? Effect.void : Effect.fail(noDeck)))

    const exportDeck = (userId: string, deckId: string, format: Transfer.Format) =>
      Effect.gen(function* () {
        yield* existingDeck(userId, deckId)
        return Transfer.formatFile(format, yield* repo.cards(userId, deckId))
      })

    const importDeck = (
      userId: string,
      deckId: string,
      options: { readonly format: Transfer.Format; readonly strict: boolean },
      text: string,
    ) =>
      Effect.gen(function* () {
        if (Buffer.byteLength(text, "utf8") > SrsApi.importMaxBytes)
          return yield* new ApiError.PayloadTooLarge({
            message: `An import file may hold at most ${SrsApi.importMaxBytes} bytes`,
            limitBytes: SrsApi.importMaxBytes,
          })
        const parsed = yield* Transfer.parseFile(options.format, text)
        if (parsed.rows.length + parsed.rejected.length > SrsApi.importMaxRows)
          return yield* new ApiError.PayloadTooLarge({
            message: `An import file may hold at most ${SrsApi.importMaxRows} rows`,
            limitBytes: SrsApi.importMaxBytes,
          })
        if (options.strict && parsed.rejected.length > 0)
          return yield* new SrsApi.InvalidImport({
            message: `${parsed.rejected.length} rows cannot be imported; nothing was stored`,
            rejected: parsed.rejected,
          })
        return yield* transaction(
          Effect.gen(function* () {
            const deck = yield* existingDeck(userId, deckId, "update")
            const at = yield* now
            const { calendar } = yield* calendarOf(userId)
            const algorithm = algorithmOf(deck.scheduler, calendar)
            for (let start = 0; start < parsed.rows.length; start += insertBatch) {
              const batch = parsed.rows.slice(start, start + insertBatch).map((row) => ({
                id: randomUUID(),
                front: row.front,
                back: row.back,
                tags: row.tags,
                topic: row.topic,
                state: algorithm.create(at.getTime()),
              }))
              yield* repo.insertCards(userId, deckId, batch, at)
            }
            return { imported: parsed.rows.length, rejected: parsed.rejected }
          }),
        )
      })

    // Cards.

    const listCards = (
      userId: string,
      deckId: string,
      params: { readonly limit?: number | undefined; readonly cursor?: string | undefined },
    ) =>
      Effect.gen(function* () {
        yield* existingDeck(userId, deckId)
        const after =
          params.cursor === undefined
            ? undefined
            : yield* Option.match(decodeCursor(params.cursor), {
                onNone: () =>
                  Effect.fail(new ApiError.BadRequest({ message: "The cursor is not one this server gave out" })),
                onSome: Effect.succeed,
              })
        const limit = params.limit ?? defaultPageSize
        const page = yield* repo.cards(userId, deckId, { limit: limit + 1, ...(after === undefined ? {} : { after }) })
        const items = page.slice(0, limit)
        const last = items.at(-1)
        return {
          items: items.map(toCard),
          nextCursor: page.length > limit && last !== undefined ? encodeCursor(last) : null,
        }
      })

    const createCard = (userId: string, deckId: string, payload: typeof SrsApi.CreateCard.Type) =>
      transaction(
        Effect.gen(function* () {
          // Shared: a scheduler switch waits, so the new card's state is the deck's scheduler's.
          const deck = yield* existingDeck(userId, deckId, "share")
          const at = yield* now
          const { calendar } = yield* calendarOf(userId)
          const id = randomUUID()
          yield* repo.insertCards(
            userId,
            deckId,
            [
              {
                id,
                front: payload.front,
                back: payload.back,
                tags: payload.tags ?? [],
                topic: payload.topic ?? null,
                state: algorithmOf(deck.scheduler, calendar).create(at.getTime()),
              },
            ],
            at,
          )
          return toCard(yield* existingCard(userId, id))
        }),
      )

    const updateCard = (userId: string, cardId: string, payload: typeof SrsApi.UpdateCard.Type) =>
      transaction(
        Effect.gen(function* () {
          const card = yield* existingCard(userId, cardId, true)
          yield* repo.updateCard(
            userId,
            cardId,
            {
              front: payload.front ?? card.front,
              back: payload.back ?? card.back,
              tags: payload.tags ?? card.tags,
              topic: payload.topic === undefined ? card.topic : payload.topic,
            },
            yield* now,
          )
          return toCard(yield* existingCard(userId, cardId))
        }),
      )

    const removeCard = (userId: string, cardId: string) =>
      Effect.flatMap(repo.deleteCard(userId, cardId), (deleted) => (deleted ? Effect.void : Effect.fail(noCard)))

    // Review.

    const queue = (
      userId: string,
      params: { readonly deckId?: string | undefined; readonly limit?: number | undefined },
    ) =>
      Effect.gen(function* () {
        if (params.deckId !== undefined) yield* existingDeck(userId, params.deckId)
        const at = yield* now
        const { calendar } = yield* calendarOf(userId)
        const limit = params.limit ?? defaultQueueSize
        const due = yield* repo.dueCards(userId, params.deckId, at, limit)
        const dayStart = new Date(calendar.startOf(calendar.dayOf(at.getTime())))
        const fresh = yield* repo.newCards(userId, params.deckId, dayStart, limit - due.length)
        return { cards: [...due, ...fresh.cards].map(toCard), newRemaining: fresh.remaining }
      })

    /** The logged entry when `payload` repeats the review that wrote it, 409 when it says something else. */
    const repeated = (
      entry: ReviewLog.ReviewLogEntry,
      cardId: string,
      grade: Grade.Grade,
      payload: typeof SrsApi.ReviewRequest.Type,
    ) =>
      entry.cardId === cardId &&
      entry.grade === grade &&
      entry.durationMs === payload.durationMs &&
      (payload.reviewedAt === undefined || payload.reviewedAt === entry.reviewedAt)
        ? Effect.succeed(entry)
        : Effect.fail(
            new SrsApi.ReviewConflict({
              message: `Review ${payload.reviewId} was already logged with another answer; use a new review id`,
            }),
          )

    const answer = (userId: string, cardId: string, payload: typeof SrsApi.ReviewRequest.Type) =>
      Effect.gen(function* () {
        const grade = yield* gradeOf(payload)
        const at = yield* now
        if (payload.reviewedAt !== undefined && payload.reviewedAt > at.getTime() + clockSkewMs)
          return yield* new SrsApi.InvalidReview({ message: "reviewedAt lies in the future" })
        return yield* transaction(
          Effect.gen(function* () {
            // Deck first (shared), then the card: the order a scheduler switch takes them in.
            const { deckId } = yield* existingCard(userId, cardId)
            const deck = yield* existingDeck(userId, deckId, "share")
            const card = yield* existingCard(userId, cardId, true)
            const logged = yield* repo.review(userId, payload.reviewId)
            if (Option.isSome(logged)) return yield* repeated(logged.value, cardId, grade, payload)
            const { calendar } = yield* calendarOf(userId)
            const entry = yield* Scheduler.answer(algorithmOf(deck.scheduler, calendar), card.state, {
              cardId: card.id,
              reviewId: ReviewLog.ReviewId.make(payload.reviewId),
              grade,
              reviewedAt: payload.reviewedAt ?? at.getTime(),
              durationMs: payload.durationMs,
            }).pipe(
              Effect.catchTags({
                ReviewOutOfOrder: (error) => Effect.fail(new SrsApi.ReviewConflict({ message: error.message })),
                // The schema makes a card's scheduler its deck's (checked at commit): a mismatch is a bug.
                SchedulerMismatch: Effect.die,
              }),
            )
            const reviewDay = calendar.dayOf(entry.reviewedAt)
            const localDay = {
              deckId,
              localDay: calendar.isoDate(reviewDay),
              firstOfDay: card.state.lastReviewedAt === null || calendar.dayOf(card.state.lastReviewedAt) !== reviewDay,
            }
            yield* repo.insertReview(userId, entry, localDay).pipe(
              Effect.catchIf(
                (error) => error.isUniqueViolation,
                () =>
                  Effect.fail(
                    new SrsApi.ReviewConflict({
                      message: `Review ${payload.reviewId} was logged meanwhile for another card; use a new review id`,
                    }),
                  ),
              ),
            )
            yield* repo.setState(userId, cardId, entry.stateAfter, at)
            return entry
          }),
        )
      })

    const statistics = (
      userId: string,
      params: {
        readonly deckId?: string | undefined
        readonly forecastDays?: number | undefined
        readonly minReviews?: number | undefined
        readonly topics?: number | undefined
      },
    ) =>
      Effect.gen(function* () {
        if (params.deckId !== undefined) yield* existingDeck(userId, params.deckId)
        const { timeZone, calendar } = yield* calendarOf(userId)
        const computed = yield* analytics.compute({
          userId,
          deckId: params.deckId,
          calendar,
          timeZone,
          now: yield* now,
          forecastDays: params.forecastDays ?? 30,
          minReviews: params.minReviews ?? 20,
          topics: params.topics ?? 10,
        })
        return { timeZone, ...computed }
      })

    return {
      listDecks,
      createDeck,
      updateDeck,
      removeDeck,
      exportDeck,
      importDeck,
      existingDeck,
      existingCard,
      listCards,
      createCard,
      updateCard,
      removeCard,
      queue,
      answer,
      statistics,
    }
  }),
  dependencies: [SrsRepo.Default, SrsAnalytics.Default],
}) {}

const currentUserId = Effect.map(Authentication.CurrentUser, ({ user }) => user.id)

export const DecksLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "decks", (handlers) =>
  Effect.map(Srs, (srs) =>
    handlers
      .handle("list", () => Effect.flatMap(currentUserId, srs.listDecks))
      .handle("create", ({ payload }) => Effect.flatMap(currentUserId, (userId) => srs.createDeck(userId, payload)))
      .handle("get", ({ path }) =>
        Effect.flatMap(currentUserId, (userId) => Effect.map(srs.existingDeck(userId, path.deckId), toDeck)),
      )
      .handle("update", ({ path, payload }) =>
        Effect.flatMap(currentUserId, (userId) => srs.updateDeck(userId, path.deckId, payload)),
      )
      .handle("remove", ({ path }) => Effect.flatMap(currentUserId, (userId) => srs.removeDeck(userId, path.deckId)))
      .handle("export", ({ path, urlParams }) =>
        Effect.flatMap(currentUserId, (userId) => srs.exportDeck(userId, path.deckId, urlParams.format ?? "csv")),
      )
      .handle("import", ({ path, urlParams, payload }) =>
        Effect.flatMap(currentUserId, (userId) =>
          srs.importDeck(
            userId,
            path.deckId,
            { format: urlParams.format ?? "csv", strict: urlParams.strict ?? false },
            payload,
          ),
        ),
      ),
  ),
)

export const FlashcardsLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "flashcards", (handlers) =>
  Effect.map(Srs, (srs) =>
    handlers
      .handle("list", ({ path, urlParams }) =>
        Effect.flatMap(currentUserId, (userId) => srs.listCards(userId, path.deckId, urlParams)),
      )
      .handle("create", ({ path, payload }) =>
        Effect.flatMap(currentUserId, (userId) => srs.createCard(userId, path.deckId, payload)),
      )
      .handle("get", ({ path }) =>
        Effect.flatMap(currentUserId, (userId) => Effect.map(srs.existingCard(userId, path.cardId), toCard)),
      )
      .handle("update", ({ path, payload }) =>
        Effect.flatMap(currentUserId, (userId) => srs.updateCard(userId, path.cardId, payload)),
      )
      .handle("remove", ({ path }) => Effect.flatMap(currentUserId, (userId) => srs.removeCard(userId, path.cardId))),
  ),
)

export const ReviewLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "review", (handlers) =>
  Effect.map(Srs, (srs) =>
    handlers
      .handle("queue", ({ urlParams }) => Effect.flatMap(currentUserId, (userId) => srs.queue(userId, urlParams)))
      .handle("answer", ({ path, payload }) =>
        Effect.flatMap(currentUserId, (userId) => srs.answer(userId, path.cardId, payload)),
      )
      .handle("analytics", ({ urlParams }) =>
        Effect.flatMap(currentUserId, (userId) => srs.statistics(userId, urlParams)),
      ),
  ),
)

/** The three groups over one `Srs` service. */
export const layer = Layer.mergeAll(DecksLive, FlashcardsLive, ReviewLive).pipe(Layer.provide(Srs.Default))
