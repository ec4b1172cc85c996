/**
 * The review statistics of `@ignition/srs`'s Analytics, computed by SQL over
 * `learn_reviews` and `learn_flashcards`, so they scale with the database
 * rather than with what one request can hold in memory. The definitions are
 * the pure functions' (test/Srs/Analytics.test.ts checks the two agree on
 * random histories):
 *
 * - A review counts for retention when it is its card's first on a local day
 *   (`lag` of the local date over the card's reviews in time order, ties by
 *   review id as `ReviewLog.byTime`) and the card was young or mature before
 *   it (`maturity`, generated from the state before). Pass: any button but
 *   Again; a lapse: a counted Again.
 * - Local days are the learner's time zone's dates (`at time zone`), the
 *   same days `LocalDay` computes with Intl (both read the IANA database).
 *
 * One pass over the log groups it by local day, maturity, button and
 * whether the review counts; heatmap, answer buttons, true retention and the
 * lapse total are sums over those few groups. Lapses per card, weak topics,
 * the interval histogram and the forecast are a query each.
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

/** The log with each review's local date and whether it counts for retention. */
const classified = (query: Query): RawBuilder<unknown> => {
  const localDay = sql`(r.reviewed_at at time zone ${query.timeZone})::date`
  const deckJoin =
    query.deckId === undefined
      ? sql``
      : sql`join learn_flashcards c on c.user_id = r.user_id and c.id = r.card_id and c.deck_id = ${query.deckId}`
  return sql`
    select r.card_id, r.maturity, r.button, ${localDay} as day,
      (lag(${localDay}) over (partition by r.card_id order by r.reviewed_at, r.id)) is distinct from ${localDay}
        and r.maturity <> 'learning' as counted
    from learn_reviews r ${deckJoin}
    where r.user_id = ${query.userId}`
}

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
        const groups = yield* rows((q) =>
          sql<{ day: string; maturity: Maturity; button: Button; counted: boolean; n: number }>`
            select day, maturity, button, counted, count(*)::int as n
            from (${classified(query)}) log
            group by day, maturity, button, counted
            order by day`.execute(q),
        )
        const byCard = yield* rows((q) =>
          sql<{ cardId: string; lapses: number }>`
            select card_id as "cardId", count(*)::int as lapses
            from (${classified(query)}) log
            where counted and button = 'again'
            group by card_id
            order by lapses desc, card_id
            limit ${SrsApi.maxLapseCards}`.execute(q),
        )
        const weakTopics = yield* rows((q) =>
          sql<Analytics.WeakTopic>`
            with topics as (
              select c.topic, count(*)::int as cards from learn_flashcards c
              where ${cardFilter(query)} and c.topic is not null
              group by c.topic
            ),
            stats as (
              select c.topic,
                count(*) filter (where log.button <> 'again')::int as passed,
                count(*) filter (where log.button = 'again')::int as failed
              from (${classified(query)}) log
              join learn_flashcards c on c.user_id = ${query.userId} and c.id = log.card_id
              where log.counted and c.topic is not null
              group by c.topic
            )
            select t.topic, t.cards, s.passed + s.failed as reviews, s.failed as lapses,
              s.passed::float8 / (s.passed + s.failed) as retention
            from topics t join stats s on s.topic = t.topic
            where s.passed + s.failed >= ${Math.max(1, query.minReviews)}
            order by retention, lapses desc, t.topic collate "C"
            limit ${query.topics}`.execute(q),
        )
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
