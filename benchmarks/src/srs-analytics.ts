/**
 * Review analytics in SQL (`apps/server/src/Srs/Analytics.ts`, what
 * `GET /api/learn/review/analytics` runs) over 1,000,000 review-log rows,
 * against a bare `count(*)` over the same rows in the same run.
 * Goal: analytics ≤ 3× the count.
 *
 * One learner, one SM-2 deck of 20,000 cards (50 topics) with 50 reviews
 * each, generated in SQL: answers every few days over a year with every
 * other one repeated ten minutes later (so first-of-day matters), grades
 * spread over 0–5, intervals growing so young and mature reviews both
 * occur; the learner's days are Europe/Berlin's. The sides alternate, a
 * warm-up round first; medians are compared.
 *
 * On PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set (a
 * fresh schema, dropped afterwards), on embedded PGlite otherwise.
 * `BENCH_ROUNDS` sets the measured rounds (default 5), `BENCH_REVIEWS` the
 * log's size (default 1,000,000).
 */
import { randomUUID } from "node:crypto"
import { performance } from "node:perf_hooks"
import { DateTime, Effect, Layer, Logger, LogLevel, Redacted } from "effect"
import { sql } from "kysely"
import pg from "pg"
import { Database, layerPGlite, layerPostgres } from "../../apps/server/src/Database/Database.js"
import { migrateToLatest } from "../../apps/server/src/Database/Migrations.js"
import { SrsAnalytics } from "../../apps/server/src/Srs/Analytics.js"
import * as LocalDay from "../../packages/srs/src/LocalDay.js"
import { machine, median } from "./support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? "5")
const reviewsWanted = Number(process.env.BENCH_REVIEWS ?? "1000000")
const reviewsPerCard = 50
const cards = Math.ceil(reviewsWanted / reviewsPerCard)
const cardsPerInsert = 2_000
const goal = 3
const timeZone = "Europe/Berlin"
const day = 86_400_000
/** Monday 5 January 2026, 09:00 UTC: the first answers; the log ends about a year later. */
const start = Date.UTC(2026, 0, 5, 9)
const now = new Date(start + 400 * day)

const out = (line: string) => process.stdout.write(`${line}\n`)
const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined

const adminQuery = (url: string, text: string) =>
  Effect.promise(async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  })

const DatabaseLive: Layer.Layer<Database> =
  postgresUrl === undefined
    ? layerPGlite({}).pipe(Layer.orDie)
    : Layer.unwrapScoped(
        Effect.map(
          Effect.acquireRelease(
            Effect.sync(() => `bench_${randomUUID().replaceAll("-", "").slice(0, 16)}`).pipe(
              Effect.tap((schema) => adminQuery(postgresUrl, `create schema ${schema}`)),
            ),
            (schema) => adminQuery(postgresUrl, `drop schema ${schema} cascade`),
          ),
          (searchPath) => layerPostgres({ url: Redacted.make(postgresUrl), poolMax: 2, searchPath }),
        ),
      ).pipe(Layer.orDie)

/** The learner, the deck, its cards and their reviews. */
const populate = Effect.gen(function* () {
  const db = yield* Database
  const run = <R>(query: ReturnType<typeof sql<R>>) => db.execute((q) => query.execute(q)).pipe(Effect.orDie)
  const user = yield* run(
    sql<{ id: string }>`insert into users (email, display_name, status, time_zone)
      values ('bench@example.com', 'Bench', 'approved', ${timeZone}) returning id`,
  )
  const userId = user.rows[0]?.id ?? ""
  const deckId = randomUUID()
  yield* run(sql`insert into learn_decks (user_id, id, name, scheduler, created_at, updated_at)
    values (${userId}, ${deckId}, 'Bench', 'sm2', now(), now())`)
  for (let first = 1; first <= cards; first += cardsPerInsert) {
    const last = Math.min(cards, first + cardsPerInsert - 1)
    yield* run(sql`
      insert into learn_flashcards (user_id, id, deck_id, front, back, topic, state, created_at, updated_at)
      select ${userId}, gen_random_uuid(), ${deckId}, 'front ' || n, 'back', 'topic ' || (n % 50),
        jsonb_build_object('_tag', 'Sm2', 'efactor', 2.5, 'repetitions', 5, 'interval', n % 200,
          'lastReviewedAt', ${start}::bigint + 360 * ${day}::bigint, 'dueAt', ${now.getTime()}::bigint + (n % 60 - 10) * ${day}::bigint,
          'redrillUntil', null),
        now(), now()
      from generate_series(${first}::int, ${last}::int) n`)
    // Review r of card n: every third day, every other one ten minutes after the one before.
    yield* run(sql`
      insert into learn_reviews (user_id, id, card_id, deck_id, scheduler, grade, button, reviewed_at, local_day, first_of_day,
        elapsed_days, duration_ms, state_before, state_after)
      select ${userId}, gen_random_uuid(), c.id, c.deck_id, 'sm2', g.grade,
        case when g.grade <= 2 then 'again' when g.grade = 3 then 'hard' when g.grade = 4 then 'good' else 'easy' end,
        to_timestamp((${start}::bigint + t.at) / 1000.0),
        (to_timestamp((${start}::bigint + t.at) / 1000.0) at time zone ${timeZone})::date,
        r.r = 1 or (to_timestamp((${start}::bigint + t.at) / 1000.0) at time zone ${timeZone})::date
          <> (to_timestamp((${start}::bigint + t.at - 600000) / 1000.0) at time zone ${timeZone})::date
          or r.r % 2 = 0,
        3, 5000,
        jsonb_build_object('_tag', 'Sm2', 'efactor', 2.5, 'repetitions', r.r - 1, 'interval', (r.r - 1) * (1 + c.seq % 3),
          'lastReviewedAt', case when r.r = 1 then null else ${start}::bigint + t.at - 600000 end,
          'dueAt', ${start}::bigint + t.at, 'redrillUntil', null),
        jsonb_build_object('_tag', 'Sm2', 'efactor', 2.5, 'repetitions', r.r, 'interval', r.r * (1 + c.seq % 3),
          'lastReviewedAt', ${start}::bigint + t.at, 'dueAt', ${start}::bigint + t.at + ${day}::bigint, 'redrillUntil', null)
      from learn_flashcards c
      cross join generate_series(1, ${reviewsPerCard}::int) r(r)
      cross join lateral (select ((c.seq * 7 + r.r * 13) % 6)::smallint as grade) g
      cross join lateral (select ((r.r / 2) * 7 * ${day}::bigint + (r.r % 2) * 600000 + (c.seq % 600) * 60000) as at) t
      where c.user_id = ${userId} and c.seq between ${first} and ${last}`)
  }
  yield* run(sql`analyze`)
  const counted = yield* run(sql<{ n: number }>`select count(*)::int as n from learn_reviews where user_id = ${userId}`)
  return { userId, reviews: counted.rows[0]?.n ?? 0 }
})

const time = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const begin = performance.now()
    yield* effect
    return performance.now() - begin
  })

const program = Effect.gen(function* () {
  const db = yield* Database
  yield* migrateToLatest
  out(`srs analytics benchmark on ${postgresUrl === undefined ? "PGlite (embedded)" : "PostgreSQL"} — ${machine()}`)
  const filled = performance.now()
  const { userId, reviews } = yield* populate
  out(
    `populated ${reviews.toLocaleString("en")} reviews of ${cards.toLocaleString("en")} cards in ${((performance.now() - filled) / 1000).toFixed(1)} s`,
  )

  const analytics = yield* SrsAnalytics
  const calendar = LocalDay.make(DateTime.zoneUnsafeMakeNamed(timeZone))
  const compute = analytics.compute({
    userId,
    deckId: undefined,
    calendar,
    timeZone,
    now,
    forecastDays: 30,
    minReviews: 20,
    topics: 10,
  })
  const count = db
    .execute((q) => sql`select count(*) from learn_reviews where user_id = ${userId}`.execute(q))
    .pipe(Effect.orDie)

  const times = { analytics: [] as Array<number>, count: [] as Array<number> }
  for (let round = 0; round <= rounds; round++) {
    // Alternate which side goes first.
    let countMs: number
    let analyticsMs: number
    if (round % 2 === 0) {
      countMs = yield* time(count)
      analyticsMs = yield* time(compute)
    } else {
      analyticsMs = yield* time(compute)
      countMs = yield* time(count)
    }
    out(
      `${round === 0 ? "warm-up" : `round ${round}`}: count(*) ${countMs.toFixed(0)} ms, analytics ${analyticsMs.toFixed(0)} ms`,
    )
    if (round === 0) continue
    times.count.push(countMs)
    times.analytics.push(analyticsMs)
  }
  const ratio = median(times.analytics) / median(times.count)
  out(
    `median: count(*) ${median(times.count).toFixed(0)} ms, analytics ${median(times.analytics).toFixed(0)} ms — ratio ${ratio.toFixed(2)}× (goal ≤ ${goal}×) ${ratio <= goal ? "met" : "NOT met"}`,
  )
  return ratio <= goal
})

const met = await Effect.runPromise(
  program.pipe(
    Effect.provide(SrsAnalytics.Default),
    Effect.provide(DatabaseLive),
    Effect.scoped,
    Logger.withMinimumLogLevel(LogLevel.Warning),
  ),
)
process.exitCode = met ? 0 : 1
