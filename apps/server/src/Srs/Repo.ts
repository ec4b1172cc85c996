/**
 * The flashcard tables: `learn_decks`, `learn_flashcards` (each card's
 * `@ignition/srs` state as JSON, with the columns queries need generated
 * from it) and the append-only `learn_reviews`. Every query is scoped by the
 * user, so a request can never reach another user's deck, card or review.
 * States and log entries are decoded into `@ignition/srs` types on the way
 * out; a stored value that does not decode is a bug, so it is a defect, as
 * are infrastructure failures (except the unique violation a racing review
 * id causes, which the caller handles).
 */
import { SrsApi } from "@ignition/api"
import { Card, ReviewLog } from "@ignition/srs"
import { Effect, Option, Schema } from "effect"
import { type Kysely, sql } from "kysely"
import { Database } from "../Database/Database.js"
import type { DatabaseSchema } from "../Database/Schema.js"

export interface Deck {
  readonly id: string
  readonly name: string
  readonly scheduler: SrsApi.SchedulerConfig
  readonly newPerDay: number
  readonly cards: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface StoredCard {
  readonly id: Card.CardId
  readonly deckId: string
  /** The order cards were added in, across the user's decks. */
  readonly seq: number
  readonly front: string
  readonly back: string
  readonly tags: ReadonlyArray<string>
  readonly topic: string | null
  readonly state: Card.CardState
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface CardContent {
  readonly front: string
  readonly back: string
  readonly tags: ReadonlyArray<string>
  readonly topic: string | null
}

const decodeScheduler = Schema.decodeUnknown(SrsApi.SchedulerConfig)
const decodeState = Schema.decodeUnknown(Card.CardState)
const encodeState = Schema.encodeSync(Card.CardState)
const decodeEntry = Schema.decodeUnknown(ReviewLog.ReviewLogEntry)

/** A state as the JSON column stores it. */
export const stateJson = (state: Card.CardState): string => JSON.stringify(encodeState(state))

const cardColumns = [
  "c.id",
  "c.deck_id",
  "c.seq",
  "c.front",
  "c.back",
  "c.tags",
  "c.topic",
  "c.state",
  "c.created_at",
  "c.updated_at",
] as const

interface CardRow {
  readonly id: string
  readonly deck_id: string
  readonly seq: number
  readonly front: string
  readonly back: string
  readonly tags: Array<string>
  readonly topic: string | null
  readonly state: Record<string, unknown>
  readonly created_at: Date
  readonly updated_at: Date
}

const fromCardRow = (row: CardRow) =>
  Effect.map(
    decodeState(row.state),
    (state): StoredCard => ({
      id: Card.CardId.make(row.id),
      deckId: row.deck_id,
      seq: row.seq,
      front: row.front,
      back: row.back,
      tags: row.tags,
      topic: row.topic,
      state,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
  ).pipe(Effect.orDie)

interface ReviewRow {
  readonly id: string
  readonly card_id: string
  readonly scheduler: "sm2" | "fsrs"
  readonly grade: number
  readonly button: string
  readonly reviewed_at: Date
  readonly elapsed_days: number
  readonly duration_ms: number
  readonly state_before: Record<string, unknown>
  readonly state_after: Record<string, unknown>
}

const fromReviewRow = (row: ReviewRow) =>
  decodeEntry({
    reviewId: row.id,
    cardId: row.card_id,
    scheduler: row.scheduler,
    grade: row.grade,
    button: row.button,
    reviewedAt: row.reviewed_at.getTime(),
    elapsedDays: row.elapsed_days,
    durationMs: row.duration_ms,
    stateBefore: row.state_before,
    stateAfter: row.state_after,
  }).pipe(Effect.orDie)

const reviewColumns = [
  "r.id",
  "r.card_id",
  "r.scheduler",
  "r.grade",
  "r.button",
  "r.reviewed_at",
  "r.elapsed_days",
  "r.duration_ms",
  "r.state_before",
  "r.state_after",
] as const

export class SrsRepo extends Effect.Service<SrsRepo>()("@ignition/server/SrsRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const run = <A>(query: (q: Kysely<DatabaseSchema>) => Promise<A>) => db.execute(query).pipe(Effect.orDie)

    const timeZone = (userId: string) =>
      run((q) => q.selectFrom("users").select("time_zone").where("id", "=", userId).executeTakeFirst()).pipe(
        Effect.map((row) => row?.time_zone ?? "UTC"),
      )

    const decks = (userId: string, options: { readonly deckId?: string; readonly lock?: "update" | "share" } = {}) =>
      run((q) => {
        let query = q
          .selectFrom("learn_decks as d")
          .select((eb) => [
            "d.id",
            "d.name",
            "d.scheduler",
            "d.options",
            "d.new_per_day",
            "d.created_at",
            "d.updated_at",
            eb
              .selectFrom("learn_flashcards as c")
              .select(sql<number>`count(*)::int`.as("n"))
              .whereRef("c.user_id", "=", "d.user_id")
              .whereRef("c.deck_id", "=", "d.id")
              .as("cards"),
          ])
          .where("d.user_id", "=", userId)
          .orderBy("d.name")
          .orderBy("d.id")
        if (options.deckId !== undefined) query = query.where("d.id", "=", options.deckId)
        return (
          options.lock === "update" ? query.forUpdate("d") : options.lock === "share" ? query.forShare("d") : query
        ).execute()
      }).pipe(
        Effect.flatMap((rows) =>
          Effect.forEach(rows, (row) =>
            Effect.map(
              decodeScheduler({ name: row.scheduler, options: row.options }),
              (scheduler): Deck => ({
                id: row.id,
                name: row.name,
                scheduler,
                newPerDay: row.new_per_day,
                cards: row.cards ?? 0,
                createdAt: row.created_at,
                updatedAt: row.updated_at,
              }),
            ).pipe(Effect.orDie),
          ),
        ),
      )

    /** One deck; `lock` holds its row until the transaction ends (for update: scheduler switches, imports). */
    const deck = (userId: string, deckId: string, lock?: "update" | "share") =>
      Effect.map(decks(userId, lock === undefined ? { deckId } : { deckId, lock }), (rows) =>
        Option.fromNullable(rows[0]),
      )

    const insertDeck = (
      userId: string,
      fields: {
        readonly id: string
        readonly name: string
        readonly scheduler: SrsApi.SchedulerConfig
        readonly newPerDay: number
      },
      at: Date,
    ) =>
      run((q) =>
        q
          .insertInto("learn_decks")
          .values({
            user_id: userId,
            id: fields.id,
            name: fields.name,
            scheduler: fields.scheduler.name,
            options: JSON.stringify(fields.scheduler.options),
            new_per_day: fields.newPerDay,
            created_at: at,
            updated_at: at,
          })
          .execute(),
      )

    const updateDeck = (
      userId: string,
      deckId: string,
      fields: {
        readonly name: string
        readonly scheduler: SrsApi.SchedulerConfig
        readonly newPerDay: number
      },
      at: Date,
    ) =>
      run((q) =>
        q
          .updateTable("learn_decks")
          .set({
            name: fields.name,
            scheduler: fields.scheduler.name,
            options: JSON.stringify(fields.scheduler.options),
            new_per_day: fields.newPerDay,
            updated_at: at,
          })
          .where("user_id", "=", userId)
          .where("id", "=", deckId)
          .execute(),
      )

    const deleteDeck = (userId: string, deckId: string) =>
      run((q) =>
        q.deleteFrom("learn_decks").where("user_id", "=", userId).where("id", "=", deckId).executeTakeFirst(),
      ).pipe(Effect.map((result) => result.numDeletedRows > 0n))

    /** A deck's cards in the order they were added, after the card numbered `after`. */
    const cards = (userId: string, deckId: string, page: { readonly limit?: number; readonly after?: number } = {}) =>
      run((q) => {
        let query = q
          .selectFrom("learn_flashcards as c")
          .select(cardColumns)
          .where("c.user_id", "=", userId)
          .where("c.deck_id", "=", deckId)
          .orderBy("c.seq")
        if (page.after !== undefined) query = query.where("c.seq", ">", page.after)
        return (page.limit === undefined ? query : query.limit(page.limit)).execute()
      }).pipe(Effect.flatMap((rows) => Effect.forEach(rows, fromCardRow)))

    /** One card; `lock` holds its row until the transaction ends (a review). */
    const card = (userId: string, cardId: string, lock = false) =>
      run((q) => {
        const query = q
          .selectFrom("learn_flashcards as c")
          .select(cardColumns)
          .where("c.user_id", "=", userId)
          .where("c.id", "=", cardId)
        return (lock ? query.forUpdate() : query).executeTakeFirst()
      }).pipe(Effect.flatMap((row) => Effect.transposeMapOption(Option.fromNullable(row), fromCardRow)))

    /** New cards, one statement however many (an import). */
    const insertCards = (
      userId: string,
      deckId: string,
      rows: ReadonlyArray<CardContent & { readonly id: string; readonly state: Card.CardState }>,
      at: Date,
    ) =>
      rows.length === 0
        ? Effect.void
        : run((q) =>
            q
              .insertInto("learn_flashcards")
              .values(
                rows.map((row) => ({
                  user_id: userId,
                  id: row.id,
                  deck_id: deckId,
                  front: row.front,
                  back: row.back,
                  tags: [...row.tags],
                  topic: row.topic,
                  state: stateJson(row.state),
                  created_at: at,
                  updated_at: at,
                })),
              )
              .execute(),
          ).pipe(Effect.asVoid)

    const updateCard = (userId: string, cardId: string, content: CardContent, at: Date) =>
      run((q) =>
        q
          .updateTable("learn_flashcards")
          .set({
            front: content.front,
            back: content.back,
            tags: [...content.tags],
            topic: content.topic,
            updated_at: at,
          })
          .where("user_id", "=", userId)
          .where("id", "=", cardId)
          .execute(),
      )

    const setState = (userId: string, cardId: string, state: Card.CardState, at: Date) =>
      run((q) =>
        q
          .updateTable("learn_flashcards")
          .set({ state: stateJson(state), updated_at: at })
          .where("user_id", "=", userId)
          .where("id", "=", cardId)
          .execute(),
      )

    const deleteCard = (userId: string, cardId: string) =>
      run((q) =>
        q.deleteFrom("learn_flashcards").where("user_id", "=", userId).where("id", "=", cardId).executeTakeFirst(),
      ).pipe(Effect.map((result) => result.numDeletedRows > 0n))

    const review = (userId: string, reviewId: string) =>
      run((q) =>
        q
          .selectFrom("learn_reviews as r")
          .select(reviewColumns)
          .where("r.user_id", "=", userId)
          .where("r.id", "=", reviewId)
          .executeTakeFirst(),
      ).pipe(Effect.flatMap((row) => Effect.transposeMapOption(Option.fromNullable(row), fromReviewRow)))

    /** Every review of a deck's cards (a scheduler switch replays them). */
    const reviewsOfDeck = (userId: string, deckId: string) =>
      run((q) =>
        q
          .selectFrom("learn_reviews as r")
          .innerJoin("learn_flashcards as c", (join) =>
            join.onRef("c.user_id", "=", "r.user_id").onRef("c.id", "=", "r.card_id"),
          )
          .select(reviewColumns)
          .where("r.user_id", "=", userId)
          .where("c.deck_id", "=", deckId)
          .execute(),
      ).pipe(Effect.flatMap((rows) => Effect.forEach(rows, fromReviewRow)))

    /**
     * Logs a review with its card's deck, its local day (`YYYY-MM-DD`) and
     * whether it is the card's first that day; fails with the `DatabaseError` of a unique
     * violation when its id is taken meanwhile.
     */
    const insertReview = (
      userId: string,
      entry: ReviewLog.ReviewLogEntry,
      day: { readonly deckId: string; readonly localDay: string; readonly firstOfDay: boolean },
    ) =>
      db.execute((q) =>
        q
          .insertInto("learn_reviews")
          .values({
            user_id: userId,
            id: entry.reviewId,
            card_id: entry.cardId,
            deck_id: day.deckId,
            scheduler: entry.scheduler,
            grade: entry.grade,
            button: entry.button,
            reviewed_at: new Date(entry.reviewedAt),
            local_day: day.localDay,
            first_of_day: day.firstOfDay,
            elapsed_days: entry.elapsedDays,
            duration_ms: entry.durationMs,
            state_before: stateJson(entry.stateBefore),
            state_after: stateJson(entry.stateAfter),
          })
          .execute(),
      )

    /** Reviewed cards due at `now` (a pending re-drill too), most overdue first. */
    const dueCards = (userId: string, deckId: string | undefined, now: Date, limit: number) =>
      run((q) => {
        let query = q
          .selectFrom("learn_flashcards as c")
          .select(cardColumns)
          .where("c.user_id", "=", userId)
          .where("c.last_reviewed_at", "is not", null)
          .where((eb) => eb.or([eb("c.due_at", "<=", now), eb("c.redrill_until", ">", now)]))
          .orderBy("c.due_at")
          .orderBy("c.id")
          .limit(limit)
        if (deckId !== undefined) query = query.where("c.deck_id", "=", deckId)
        return query.execute()
      }).pipe(Effect.flatMap((rows) => Effect.forEach(rows, fromCardRow)))

    /**
     * New cards each deck may still introduce on the local day that began at
     * `dayStart` (its daily limit less the new cards first reviewed since),
     * oldest first, and how many that is in all.
     */
    const newCards = (userId: string, deckId: string | undefined, dayStart: Date, limit: number) =>
      Effect.gen(function* () {
        const deckFilter = deckId === undefined ? sql`` : sql`and d.id = ${deckId}`
        const remaining = sql`
          select d.id, greatest(0, d.new_per_day - (
            select count(*) from learn_reviews r
            where r.user_id = d.user_id and r.deck_id = d.id and r.first_review and r.reviewed_at >= ${dayStart}
          ))::int as remaining
          from learn_decks d
          where d.user_id = ${userId} ${deckFilter}`
        const total = yield* run((q) =>
          sql<{ total: number }>`select coalesce(sum(remaining), 0)::int as total from (${remaining}) q`.execute(q),
        )
        const rows = yield* run((q) =>
          sql<CardRow>`
            select c.id, c.deck_id, c.seq, c.front, c.back, c.tags, c.topic, c.state, c.created_at, c.updated_at
            from (${remaining}) q
            cross join lateral (
              select * from learn_flashcards c
              where c.user_id = ${userId} and c.deck_id = q.id and c.last_reviewed_at is null
              order by c.seq
              limit q.remaining
            ) c
            order by c.seq
            limit ${limit}`.execute(q),
        )
        return {
          remaining: total.rows[0]?.total ?? 0,
          cards: yield* Effect.forEach(rows.rows, fromCardRow),
        }
      })

    return {
      timeZone,
      decks,
      deck,
      insertDeck,
      updateDeck,
      deleteDeck,
      cards,
      card,
      insertCards,
      updateCard,
      setState,
      deleteCard,
      review,
      reviewsOfDeck,
      insertReview,
      dueCards,
      newCards,
    }
  }),
}) {}
