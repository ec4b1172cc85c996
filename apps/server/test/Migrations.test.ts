/**
 * Applying the migrations against a real engine: status on a migrated and an
 * unmigrated database, idempotence, instances racing to migrate one database
 * (separate pools on PostgreSQL, one instance on PGlite), and a failing
 * migration.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Redacted } from "effect"
import { type RawBuilder, sql } from "kysely"
import { Database, layerPGlite, layerPostgres } from "../src/Database/Database.js"
import * as Migrations from "../src/Database/Migrations.js"
import * as TestDatabase from "./support/TestDatabase.js"

const rows = <R>(query: RawBuilder<R>) =>
  Effect.flatMap(Database, (db) => db.execute((kysely) => query.execute(kysely))).pipe(
    Effect.map((result) => result.rows),
  )

/** The names recorded in Kysely's migration table, in order. */
const recorded = Effect.map(rows(sql<{ name: string }>`select name from kysely_migration order by name`), (found) =>
  found.map((row) => row.name),
)

/** Advisory locks held by the session that runs this query. */
const advisoryLocksHeld = Effect.map(
  rows(sql<{ n: number }>`select count(*) as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`),
  ([row]) => row?.n,
)

const postgresUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL
  if (url === undefined || url === "") throw new Error("The postgres test project needs TEST_DATABASE_URL")
  return url
}

/**
 * `count` handles on one new, unmigrated database: on PostgreSQL each its own
 * pool (one connection each, so they race across sessions) on a fresh schema;
 * on PGlite one in-memory instance shared by all.
 */
const unmigratedDatabases = (count: number) =>
  Effect.gen(function* () {
    const build = (database: Layer.Layer<Database, unknown>) =>
      Effect.map(Layer.build(Layer.orDie(database)), Context.get(Database))
    if (TestDatabase.engine === "postgres") {
      const searchPath = yield* TestDatabase.freshSchema
      return yield* Effect.all(
        Array.from({ length: count }, () =>
          build(layerPostgres({ url: Redacted.make(postgresUrl()), poolMax: 1, searchPath })),
        ),
        { concurrency: "unbounded" },
      )
    }
    const shared = yield* build(layerPGlite({}))
    return Array.from({ length: count }, () => shared)
  })

const on =
  (db: Context.Tag.Service<Database>) =>
  <A, E>(effect: Effect.Effect<A, E, Database>) =>
    Effect.provideService(effect, Database, db)

layer(TestDatabase.layer)("Migrations on a migrated database", (it) => {
  it.effect("status: nothing pending, every known migration applied", () =>
    Effect.gen(function* () {
      const status = yield* Migrations.status
      assert.deepStrictEqual(status.pending, [])
      assert.deepStrictEqual(status.applied, Migrations.names)
    }),
  )

  it.effect("names are sorted, non-empty, and head is the last of them", () =>
    Effect.sync(() => {
      assert.isAtLeast(Migrations.names.length, 1)
      assert.deepStrictEqual([...Migrations.names].sort(), Migrations.names)
      assert.strictEqual(Migrations.head, Migrations.names[Migrations.names.length - 1])
    }),
  )

  it.effect("migrateToLatest again applies nothing (idempotent)", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* Migrations.migrateToLatest, [])
      assert.deepStrictEqual(yield* Migrations.migrateToLatest, [])
      assert.deepStrictEqual(yield* recorded, Migrations.names)
      assert.deepStrictEqual((yield* Migrations.status).pending, [])
    }),
  )

  it.effect("the first migration created the instance row", () =>
    Effect.gen(function* () {
      const instances = yield* rows(sql<{ id: string; created_at: Date }>`select id, created_at from instance`)
      assert.strictEqual(instances.length, 1)
      const [instance] = instances
      assert.match(instance?.id ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.instanceOf(instance?.created_at, Date)
    }),
  )
})

layer(TestDatabase.empty)("Migrations on an unmigrated database", (it) => {
  it.effect("status lists every migration as pending and none applied", () =>
    Effect.gen(function* () {
      const status = yield* Migrations.status
      assert.deepStrictEqual(status.applied, [])
      assert.deepStrictEqual(status.pending, Migrations.names)
    }),
  )

  it.effect("4 concurrent migrateToLatest runs apply each migration exactly once", () =>
    Effect.scoped(
      Effect.gen(function* () {
        // PGlite: four runs on this file's one instance; PostgreSQL: four pools on one fresh schema.
        const shared = yield* Database
        const handles =
          TestDatabase.engine === "postgres" ? yield* unmigratedDatabases(4) : Array.from({ length: 4 }, () => shared)
        const first = handles[0]
        if (first === undefined) return assert.fail("no database")
        assert.deepStrictEqual((yield* on(first)(Migrations.status)).pending, Migrations.names)

        const reports = yield* Effect.all(
          handles.map((db) => on(db)(Migrations.migrateToLatest)),
          { concurrency: "unbounded" },
        )
        const applied = reports.flat()
        assert.strictEqual(new Set(applied).size, applied.length, `a migration was reported twice: ${applied}`)
        assert.deepStrictEqual([...applied].sort(), Migrations.names)
        // Whoever applied something applied it in order.
        for (const report of reports) {
          assert.deepStrictEqual(
            report,
            Migrations.names.filter((name) => report.includes(name)),
          )
        }

        for (const db of handles) {
          assert.deepStrictEqual(yield* on(db)(recorded), Migrations.names)
          const status = yield* on(db)(Migrations.status)
          assert.deepStrictEqual(status.applied, Migrations.names)
          assert.deepStrictEqual(status.pending, [])
          assert.deepStrictEqual(yield* on(db)(Migrations.migrateToLatest), [])
        }
      }),
    ),
  )
})

describe("Migrations on a fresh database of their own", () => {
  it.effect("a first migrateToLatest applies every migration in order and releases the advisory lock", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const [db] = yield* unmigratedDatabases(1)
        if (db === undefined) return assert.fail("no database")
        assert.deepStrictEqual(yield* on(db)(Migrations.migrateToLatest), Migrations.names)
        assert.deepStrictEqual(yield* on(db)(recorded), Migrations.names)
        assert.strictEqual(yield* on(db)(advisoryLocksHeld), 0)
      }),
    ),
  )

  it.effect("a failing migration is MigrationFailed naming it, applies nothing and releases the lock", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const [db] = yield* unmigratedDatabases(1)
        const first = Migrations.names[0]
        if (db === undefined || first === undefined) return assert.fail("no database or no migration")
        // The first migration creates `instance`: a table already there makes it fail.
        yield* on(db)(rows(sql`create table instance (taken int)`))
        const exit = yield* Effect.exit(on(db)(Migrations.migrateToLatest))
        assert.isTrue(Exit.isFailure(exit))
        if (Exit.isSuccess(exit)) return
        const error = yield* Effect.flip(exit)
        assert.strictEqual(error._tag, "MigrationFailed")
        assert.strictEqual(error.migration, first)
        assert.include(error.message, `Migration ${first} failed`)
        assert.include(error.message, "instance")
        const status = yield* on(db)(Migrations.status)
        assert.deepStrictEqual(status.applied, [])
        assert.deepStrictEqual(status.pending, Migrations.names)
        assert.strictEqual(yield* on(db)(advisoryLocksHeld), 0)
        // Once the obstacle is gone, migrating succeeds.
        yield* on(db)(rows(sql`drop table instance`))
        assert.deepStrictEqual(yield* on(db)(Migrations.migrateToLatest), Migrations.names)
      }),
    ),
  )
})
