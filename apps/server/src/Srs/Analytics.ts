/**
 * The review statistics of `@ignition/srs`'s Analytics, computed by SQL, so
 * they scale with the database rather than with what one request can hold
 * in memory. The definitions are the pure functions' (test/Srs/Analytics.test.ts
 * checks the two agree on random histories):
 *
 * - Each review row carries its local day and whether it was the card's
 *   first that day, both fixed when the review was applied (in the
 *   learner's time zone then, which also makes them the days the learner
 *   lived: a later change of zone does not move old reviews), and the
 *   card's maturity before it (generated from the state before). A review
 *   counts for retention when it was the first of its day for a young or
 *   mature card (`counted`, generated). Pass: any button but Again; a
 *   lapse: a counted Again.
 * - Triggers on the log keep two sums in step with it (migration 0006):
 *   reviews per deck, local day, maturity, button and `counted`
 *   (`learn_review_days`) — heatmap, answer buttons, true retention and the
 *   lapse total are sums over those rows — and per card, its counted
 *   reviews and lapses — the cards with most lapses, and per topic through
 *   the cards. So no statistic reads the log itself: the work grows with the
 *   days and cards, not with the reviews. The interval histogram and the
 *   forecast are a query each over the cards.
 */
import { SrsApi } from "@ignition/api"
import { Analytics, Card, type LocalDay } from "@ignition/srs"
import { Effect, Option } from "effect"
import { type Kysely, type RawBuilder, sql } from "kysely"
import { Database } from "../Database/Database.js"
import type { DatabaseSchema } from "../Database/Schema.js"

export interface Query {
  readonly userId: string
  readonly deckId: string | undefined
  readonly calendar: LocalDay.Calendar
  /** The IANA zone the calendar is in, for SQL. */
  readonly timeZone: string
  readonly now: Date
  readonly forecastDays: number
  readonly minReviews: number
  readonly topics: number
}

type Maturity = "learning" | "young" | "mature"
type Button = "again" | "hard" | "good" | "easy"

/** The caller's rows (of one deck when asked) of a table with `user_id` and `deck_id`, as `alias`. */
const deckFilter = (query: Query, alias: string): RawBuilder<unknown> =>
  query.deckId === undefined
    ? sql`${sql.ref(`${alias}.user_id`)} = ${query.userId}`
    : sql`${sql.ref(`${alias}.user_id`)} = ${query.userId} and ${sql.ref(`${alias}.deck_id`)} = ${query.deckId}`

const tally = (passed: number, failed: number): Analytics.Tally => ({
  passed,
  failed,
  retention: passed + failed === 0 ? Option.none() : Option.some(passed / (passed + failed)),
})

export class SrsAnalytics extends Effect.Service<SrsAnalytics>()("@ignition/server/SrsAnalytics", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const rows = <R>(query: (q: Kysely<DatabaseSchema>) => Promise<{ readonly rows: ReadonlyArray<R> }>) =>
      db.execute(query).pipe(
        Effect.map((result) => result.rows),
        Effect.orDie,
      )

    const compute = (query: Query): Effect.Effect<Omit<typeof SrsApi.ReviewAnalytics.Type, "timeZone">> =>
      Effect.gen(function* () {
        const groups = yield* rows((q) =>
          sql<{ day: string; maturity: Maturity; button: Button; counted: boolean; n: number }>`
            select d.local_day as day, d.maturity, d.button, d.counted, sum(d.reviews)::int as n
            from learn_review_days d
            where ${deckFilter(query, "d")}
            group by d.local_day, d.maturity, d.button, d.counted
            having sum(d.reviews) > 0
            order by d.local_day`.execute(q),
        )
        const byCard = yield* rows((q) =>
          sql<{ cardId: string; lapses: number }>`
            select c.id as "cardId", c.lapses from learn_flashcards c
            where ${deckFilter(query, "c")} and c.lapses > 0
            order by c.lapses desc, c.id
            limit ${SrsApi.maxLapseCards}`.execute(q),
        )
        const weakTopics = yield* rows((q) =>
          sql<Analytics.WeakTopic>`
            select c.topic, count(*)::int as cards, sum(c.counted_reviews)::int as reviews, sum(c.lapses)::int as lapses,
              (sum(c.counted_reviews) - sum(c.lapses))::float8 / sum(c.counted_reviews) as retention
            from learn_flashcards c
            where ${deckFilter(query, "c")} and c.topic is not null
            group by c.topic
            having sum(c.counted_reviews) >= ${Math.max(1, query.minReviews)}
            order by retention, lapses desc, c.topic collate "C"
            limit ${query.topics}`.execute(q),
        )
        const edges = Analytics.defaultIntervalEdges
        const intervals = yield* rows((q) =>
          sql<{ bucket: number; cards: number }>`
            select width_bucket(c.interval_days, ${sql.val([...edges])}::int[]) as bucket, count(*)::int as cards
            from learn_flashcards c
            where ${deckFilter(query, "c")} and c.last_reviewed_at is not null
            group by bucket`.execute(q),
        )
        const forecast = yield* rows((q) =>
          sql<{ offset: number; due: number }>`
            select "offset", count(*)::int as due from (
              select case
                when c.due_at <= ${query.now} or c.redrill_until > ${query.now} then 0
                else (c.due_at at time zone ${query.timeZone})::date - (${query.now}::timestamptz at time zone ${query.timeZone})::date
              end as "offset"
              from learn_flashcards c
              where ${deckFilter(query, "c")} and c.last_reviewed_at is not null
            ) due
            where "offset" < ${query.forecastDays}
            group by "offset"`.execute(q),
        )

        const heatmap = new Map<string, number>()
        const buttons = {
          learning: { again: 0, hard: 0, good: 0, easy: 0 },
          young: { again: 0, hard: 0, good: 0, easy: 0 },
          mature: { again: 0, hard: 0, good: 0, easy: 0 },
        }
        const retention = { young: { passed: 0, failed: 0 }, mature: { passed: 0, failed: 0 } }
        let lapses = 0
        for (const group of groups) {
          heatmap.set(group.day, (heatmap.get(group.day) ?? 0) + group.n)
          buttons[group.maturity][group.button] += group.n
          if (!group.counted || group.maturity === "learning") continue
          if (group.button === "again") {
            retention[group.maturity].failed += group.n
            lapses += group.n
          } else retention[group.maturity].passed += group.n
        }
        const cardsInBucket = new Map(intervals.map((row) => [row.bucket, row.cards]))
        const dueOn = new Map(forecast.map((row) => [row.offset, row.due]))
        const today = query.calendar.dayOf(query.now.getTime())

        return {
          trueRetention: {
            young: tally(retention.young.passed, retention.young.failed),
            mature: tally(retention.mature.passed, retention.mature.failed),
          },
          lapses: {
            total: lapses,
            byCard: byCard.map((row) => ({ cardId: Card.CardId.make(row.cardId), lapses: row.lapses })),
          },
          intervals: edges.map((from, index) => ({
            from,
            to: edges[index + 1] ?? null,
            cards: cardsInBucket.get(index + 1) ?? 0,
          })),
          forecast: Array.from({ length: query.forecastDays }, (_, offset) => ({
            date: query.calendar.isoDate(today + offset),
            due: dueOn.get(offset) ?? 0,
          })),
          heatmap: [...heatmap].map(([date, reviews]) => ({ date, reviews })),
          answerButtons: buttons,
          weakTopics,
        }
      })

    return { compute }
  }),
}) {}
