/**
 * Sync (issue 7): what a pull costs as the stored log grows, and how many
 * mutations a second the push path applies.
 *
 * Both run the server's own code in-process: `@ignition/sync`'s `Server.pull`
 * and `Server.push` over the server's store (`apps/server/src/Sync/Repo.ts`),
 * its pokes (`pg_notify`) and its cursor signer, on the server's declarations
 * of the log (`Entities.registry`, the rules a push's `ideas` puts go through;
 * the knowledge-base tables the HTTP handler mirrors them into are not
 * written). HTTP framing is left out: it is the same whatever the log holds
 * (`bench:http` measures it).
 *
 * 1. Pull: one user's log holds `small` rows (10,000), a client that is 100
 *    changes behind pulls them (a signed cursor 100 versions below the head);
 *    then the same log grows to `large` rows (1,000,000) by later writes and
 *    the same kind of pull runs again. The same user's log, not many users'
 *    logs, because that is the harder case: the rows the index must skip are
 *    the puller's own. Medians of many pulls; goal: large ÷ small ≤ 1.5.
 * 2. Push (meaningful on PostgreSQL): `users` users push concurrently, each
 *    from one client, batches of `batch` new ideas (puts with
 *    `baseVersion: null`) one after the other, as a client drains its outbox.
 *    Against it in the same run: the same number of plain INSERTs, one per
 *    mutation, into a table of the same shape, one transaction per batch, at
 *    the same concurrency. Goal: ≥ 5,000 mutations/s.
 *
 * On PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set (a fresh
 * schema, dropped afterwards), on embedded PGlite otherwise, where the large
 * log defaults to 200,000 rows (a million takes minutes to seed in WASM).
 * `BENCH_SMALL`, `BENCH_LARGE`, `BENCH_PULLS`, `BENCH_USERS`, `BENCH_BATCH` and
 * `BENCH_BATCHES` (per user) override the sizes.
 */
import { randomUUID } from "node:crypto"
import { performance } from "node:perf_hooks"
import { Cursor, Protocol, Server } from "@ignition/sync"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { sql } from "kysely"
import { Database } from "../../apps/server/src/Database/Database.js"
import { migrateToLatest } from "../../apps/server/src/Database/Migrations.js"
import * as CursorSecret from "../../apps/server/src/Sync/CursorSecret.js"
import * as Entities from "../../apps/server/src/Sync/Entities.js"
import { Pokes } from "../../apps/server/src/Sync/Pokes.js"
import * as Repo from "../../apps/server/src/Sync/Repo.js"
import { VaultRepo } from "../../apps/server/src/Vault/Repo.js"
import * as BenchDatabase from "./database.js"
import { machine, median } from "./support.js"

const small = Number(process.env.BENCH_SMALL ?? "10000")
const large = Number(process.env.BENCH_LARGE ?? (BenchDatabase.postgresUrl === undefined ? "200000" : "1000000"))
const pulls = Number(process.env.BENCH_PULLS ?? "200")
const pullChanges = 100
const pushUsers = Number(process.env.BENCH_USERS ?? "4")
const batch = Number(process.env.BENCH_BATCH ?? "200")
const batchesPerUser = Number(process.env.BENCH_BATCHES ?? "10")
const pullGoal = 1.5
const pushGoal = 5_000
/** Rows per seeding INSERT … SELECT, so one statement's memory stays bounded. */
const seedChunk = 250_000

const out = (line: string) => process.stdout.write(`${line}\n`)
const count = (n: number) => n.toLocaleString("en")

// One connection per pushing user, and one for the seeding and the baseline's spare.
const DatabaseLive = BenchDatabase.layer(pushUsers + 1)

/** The server's store, pokes and cursor signer; built after the migrations (the signer reads its secret). */
const ServerSyncLive = Layer.mergeAll(Repo.layer, CursorSecret.layer).pipe(
  Layer.provide(Layer.merge(VaultRepo.Default, Pokes.Default)),
)

const runSql = <R>(query: ReturnType<typeof sql<R>>) =>
  Effect.flatMap(Database, (db) => db.execute((q) => query.execute(q))).pipe(Effect.orDie)

const makeUser = Effect.suspend(() =>
  runSql(
    sql<{ id: string }>`insert into users (email, display_name, status)
      values (${`${randomUUID()}@example.com`}, 'Bench', 'approved') returning id`,
  ),
).pipe(Effect.map((result) => result.rows[0]?.id ?? ""))

/** An idea's value as a client pushes it: an envelope of a few hundred bytes and its metadata. */
const ideaValue = (n: number) => ({
  mode: "standard",
  content: { v: 1, kid: "k1", iv: "AAAAAAAAAAAAAAAA", ct: "x".repeat(256) },
  meta: null,
  key: "Am",
  bpm: 90 + (n % 60),
  moodTags: [],
})

/** Appends versions `from`…`to` to the user's log, one idea per version, and moves the counter to `to`. */
const appendLog = (userId: string, from: number, to: number) =>
  Effect.gen(function* () {
    const value = JSON.stringify(ideaValue(0))
    yield* runSql(sql`insert into sync_users (user_id) values (${userId}) on conflict do nothing`)
    for (let first = from; first <= to; first += seedChunk) {
      const last = Math.min(to, first + seedChunk - 1)
      yield* runSql(sql`
        insert into sync_rows (user_id, entity, id, version, value, written_at)
        select ${userId}, 'ideas', md5(n::text)::uuid::text, n, ${value}::jsonb,
          now() - make_interval(secs => ${to}::int - n)
        from generate_series(${first}::int, ${last}::int) n`)
    }
    yield* runSql(sql`update sync_users set version = ${to} where user_id = ${userId}`)
    yield* runSql(sql`analyze sync_rows`)
  })

const time = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const begin = performance.now()
    const result = yield* effect
    return [performance.now() - begin, result] as const
  })

/** Median time of a client 100 changes behind pulling them, over `pulls` pulls after a warm-up. */
const measurePull = (userId: string, head: number) =>
  Effect.gen(function* () {
    const cursors = yield* Cursor.CursorSigner
    const cursor = yield* cursors.encode(userId, { version: head - pullChanges, horizon: 0 })
    const pull = Server.pull(userId, {
      protocolVersion: Protocol.PROTOCOL_VERSION,
      clientId: Protocol.ClientId.make("bench"),
      cursor,
      limit: pullChanges,
    })
    const times: Array<number> = []
    for (let round = -20; round < pulls; round++) {
      const [ms, response] = yield* time(pull)
      if (response.changes.length !== pullChanges || response.hasMore) {
        return yield* Effect.dieMessage(`pulled ${response.changes.length} changes, hasMore ${response.hasMore}`)
      }
      if (round >= 0) times.push(ms)
    }
    return median(times)
  })

const pullBenchmark = Effect.gen(function* () {
  const userId = yield* makeUser
  const seeded = performance.now()
  yield* appendLog(userId, 1, small)
  out(`seeded ${count(small)} rows in ${((performance.now() - seeded) / 1000).toFixed(1)} s`)
  const smallMs = yield* measurePull(userId, small)
  out(`pull of ${pullChanges} changes, ${count(small)} rows stored: median ${smallMs.toFixed(2)} ms`)
  const grown = performance.now()
  yield* appendLog(userId, small + 1, large)
  out(`grew the log to ${count(large)} rows in ${((performance.now() - grown) / 1000).toFixed(1)} s`)
  const largeMs = yield* measurePull(userId, large)
  out(`pull of ${pullChanges} changes, ${count(large)} rows stored: median ${largeMs.toFixed(2)} ms`)
  const ratio = largeMs / smallMs
  out(`pull ratio ${ratio.toFixed(2)}× (goal ≤ ${pullGoal}×) ${ratio <= pullGoal ? "met" : "NOT met"}`)
  return ratio <= pullGoal
})

/** Runs `perBatch(user, index)` for every user concurrently, each user's batches in order; returns mutations/s. */
const throughput = <E, R>(
  userIds: ReadonlyArray<string>,
  perBatch: (userId: string, index: number) => Effect.Effect<void, E, R>,
) =>
  Effect.map(
    time(
      Effect.forEach(
        userIds,
        (userId) =>
          Effect.forEach(
            Array.from({ length: batchesPerUser }, (_, index) => index),
            (index) => perBatch(userId, index),
            { discard: true },
          ),
        { concurrency: "unbounded", discard: true },
      ),
    ),
    ([ms]) => (userIds.length * batchesPerUser * batch) / (ms / 1000),
  )

const pushBatch = (userId: string, index: number) =>
  Effect.gen(function* () {
    const mutations = Array.from({ length: batch }, (_, offset) => {
      const mutationSeq = index * batch + offset + 1
      return {
        mutationSeq,
        mutationId: `m${mutationSeq}`,
        entity: "ideas",
        op: "put",
        args: { id: randomUUID(), baseVersion: null, value: ideaValue(mutationSeq) },
      }
    })
    const response = yield* Server.push(Entities.registry, userId, {
      protocolVersion: Protocol.PROTOCOL_VERSION,
      clientId: Protocol.ClientId.make("bench"),
      mutations,
    })
    const refused = response.results.find((result) => result._tag !== "applied")
    if (refused !== undefined) return yield* Effect.dieMessage(`push refused a mutation: ${JSON.stringify(refused)}`)
  })

/** The baseline: the batch's rows as plain INSERTs, one statement each, in one transaction. */
const insertBatch = (userId: string, index: number) =>
  Effect.flatMap(Database, (db) =>
    db.transaction(
      Effect.forEach(
        Array.from({ length: batch }, (_, offset) => index * batch + offset + 1),
        (version) =>
          db.execute((q) =>
            sql`insert into bench_rows (user_id, entity, id, version, value, written_at)
              values (${userId}, 'ideas', ${randomUUID()}, ${version}, ${JSON.stringify(ideaValue(version))}::jsonb, now())`.execute(
              q,
            ),
          ),
        { discard: true },
      ),
    ),
  ).pipe(Effect.orDie)

const pushBenchmark = Effect.gen(function* () {
  yield* runSql(sql`create table bench_rows (like sync_rows including all)`)
  const pushers = yield* Effect.forEach(Array.from({ length: pushUsers }), () => makeUser)
  const inserters = yield* Effect.forEach(Array.from({ length: pushUsers }), () => makeUser)
  const total = pushUsers * batchesPerUser * batch
  out(`push: ${pushUsers} users at once, each ${batchesPerUser} pushes of ${batch} mutations (${count(total)} in all)`)
  // Warm up on users of their own: the measured users' seqs start at 1.
  const warmUsers = yield* Effect.forEach(Array.from({ length: pushUsers }), () => makeUser)
  yield* Effect.forEach(warmUsers, (userId) => pushBatch(userId, 0), { concurrency: "unbounded", discard: true })
  const baselineRate = yield* throughput(inserters, insertBatch)
  const pushRate = yield* throughput(pushers, pushBatch)
  out(`plain INSERTs (one transaction per batch): ${count(Math.round(baselineRate))} rows/s`)
  out(
    `push: ${count(Math.round(pushRate))} mutations/s — ${(baselineRate / pushRate).toFixed(1)}× the baseline's time (goal ≥ ${count(pushGoal)}/s) ${pushRate >= pushGoal ? "met" : "NOT met"}`,
  )
  return pushRate >= pushGoal
})

const program = Effect.gen(function* () {
  yield* migrateToLatest
  out(
    `sync benchmark on ${BenchDatabase.postgresUrl === undefined ? "PGlite (embedded)" : "PostgreSQL"} — ${machine()}`,
  )
  const pullMet = yield* Effect.provide(pullBenchmark, ServerSyncLive)
  const pushMet = yield* Effect.provide(pushBenchmark, ServerSyncLive)
  return pullMet && pushMet
})

const met = await Effect.runPromise(
  program.pipe(Effect.provide(DatabaseLive), Effect.scoped, Logger.withMinimumLogLevel(LogLevel.Warning)),
)
process.exitCode = met ? 0 : 1
