/**
 * The review statistics of `@ignition/srs`'s Analytics, computed by SQL over
 * `learn_reviews` and `learn_flashcards`, so they scale with the database
 * rather than with what one request can hold in memory. The definitions are
 * the pure functions' (test/Srs/Analytics.test.ts checks the two agree on
 * random histories):
 *
 * - Each review row carries its local day and whether it was the card's
 *   first that day, both fixed when the review was applied (in the
 *   learner's time zone then, which is also what makes them the days the
 *   learner lived: a later change of zone does not move old reviews), and
 *   the card's maturity before it (generated from the state before). A
 *   review counts for retention when it was the first of its day for a
 *   young or mature card (`counted`, generated). Pass: any button but
 *   Again; a lapse: a counted Again.
 * - So no window and no time-zone arithmetic runs over the log: one pass
 *   groups it by day, maturity, button and `counted` (heatmap, answer
 *   buttons, true retention and the lapse total are sums over those few
 *   groups), and one pass groups the counted reviews by card (lapses per
 *   card, and per topic through the cards). Both read only what the
 *   covering index `learn_reviews_analytics_idx` holds. The interval
 *   histogram and the forecast are a query each over the cards.
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

/** The caller's reviews (of one deck's cards when asked). */
const reviews = (query: Query): RawBuilder<unknown> =>
  query.deckId === undefined
    ? sql`select r.card_id, r.local_day, r.maturity, r.button, r.counted from learn_reviews r
        where r.user_id = ${query.userId}`
    : sql`select r.card_id, r.local_day, r.maturity, r.button, r.counted from learn_reviews r
        where r.user_id = ${query.userId} and r.card_id in (
          select c.id from learn_flashcards c where c.user_id = ${query.userId} and c.deck_id = ${query.deckId})`

const cardFilter = (query: Query): RawBuilder<unknown> =>
  query.deckId === undefined
    ? sql`c.user_id = ${query.userId}`
    : sql`c.user_id = ${query.userId} and c.deck_id = ${query.deckId}`

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
        // One pass over the log, two groupings: by day, maturity, button and `counted`, and by card (counted reviews).
        const logStatistics = yield* rows((q) =>
          sql<{
            groups: ReadonlyArray<{
              day: string
              maturity: Maturity
              button: Button
              counted: boolean
              n: number
            }> | null
            byCard: ReadonlyArray<{ cardId: string; lapses: number }> | null
            weakTopics: ReadonlyArray<Analytics.WeakTopic> | null
          }>`
            with grouped as materialized (
              select grouping(card_id) = 0 as per_card, local_day, maturity, button, counted, card_id,
                count(*)::int as n,
                count(*) filter (where counted and button <> 'again')::int as passed,
                count(*) filter (where counted and button = 'again')::int as failed
              from (${reviews(query)}) log
              group by grouping sets ((local_day, maturity, button, counted), (card_id))
            ),
            per_card as (
              select card_id, passed, failed from grouped where per_card and passed + failed > 0
            ),
            worst as (
              select card_id, failed from per_card where failed > 0
              order by failed desc, card_id
              limit ${SrsApi.maxLapseCards}
            ),
            topics as (
              select c.topic, count(*)::int as cards from learn_flashcards c
              where ${cardFilter(query)} and c.topic is not null
              group by c.topic
            ),
            stats as (
              select c.topic, sum(p.passed)::int as passed, sum(p.failed)::int as failed
              from per_card p
              join learn_flashcards c on c.user_id = ${query.userId} and c.id = p.card_id
              where c.topic is not null
              group by c.topic
            ),
            weak as (
              select t.topic, t.cards, s.passed + s.failed as reviews, s.failed as lapses,
                s.passed::float8 / (s.passed + s.failed) as retention
              from topics t join stats s on s.topic = t.topic
              where s.passed + s.failed >= ${Math.max(1, query.minReviews)}
              order by retention, lapses desc, t.topic collate "C"
              limit ${query.topics}
            )
            select
              (select json_agg(json_build_object('day', local_day, 'maturity', maturity, 'button', button,
                  'counted', counted, 'n', n) order by local_day)
                from grouped where not per_card) as groups,
              (select json_agg(json_build_object('cardId', card_id, 'lapses', failed) order by failed desc, card_id)
                from worst) as "byCard",
              (select json_agg(json_build_object('topic', topic, 'cards', cards, 'reviews', reviews,
                  'lapses', lapses, 'retention', retention)
                order by retention, lapses desc, topic collate "C") from weak) as "weakTopics"`.execute(q),
        )
        const groups = logStatistics[0]?.groups ?? []
        const byCard = logStatistics[0]?.byCard ?? []
        const weakTopics = logStatistics[0]?.weakTopics ?? []
        const edges = Analytics.defaultIntervalEdges
        const intervals = yield* rows((q) =>
          sql<{ bucket: number; cards: number }>`
            select width_bucket(c.interval_days, ${sql.val([...edges])}::int[]) as bucket, count(*)::int as cards
            from learn_flashcards c
            where ${cardFilter(query)} and c.last_reviewed_at is not null
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
              where ${cardFilter(query)} and c.last_reviewed_at is not null
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
