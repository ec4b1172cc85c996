/**
 * The `Database` service against a real engine: PGlite by default, the test
 * PostgreSQL when the project runs with IGNITION_TEST_DATABASE=postgres.
 * Every test creates its own tables, so tests never see each other's rows.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Cause, Data, Deferred, Effect, Exit, Fiber, Option } from "effect"
import { type RawBuilder, sql } from "kysely"
import { Database, DatabaseError } from "../src/Database/Database.js"
import * as TestDatabase from "./support/TestDatabase.js"

/** Run a raw query through `Database.execute` (so it joins the current transaction) and answer its rows. */
const rows = <R>(query: RawBuilder<R>): Effect.Effect<ReadonlyArray<R>, DatabaseError, Database> =>
  Effect.flatMap(Database, (db) => db.execute((kysely) => query.execute(kysely))).pipe(
    Effect.map((result) => result.rows),
  )

/** A new table with a unique name; answers the name. */
const createTable = (columns: string) =>
  Effect.gen(function* () {
    const name = `t_${randomUUID().replaceAll("-", "")}`
    yield* rows(sql`create table ${sql.table(name)} (${sql.raw(columns)})`)
    return name
  })

/** A table of integer ids, for the transaction tests. */
const idTable = createTable("id int primary key")

const insertId = (table: string, id: number) => rows(sql`insert into ${sql.table(table)} (id) values (${id})`)

const ids = (table: string) =>
  Effect.map(rows(sql<{ id: number }>`select id from ${sql.table(table)} order by id`), (found) =>
    found.map((row) => row.id),
  )

class Boom extends Data.TaggedError("Boom")<{ readonly reason: string }> {}

/** Let other fibers and pending I/O run for a moment of real time (the test clock does not move). */
const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 100)))

layer(TestDatabase.layer)("Database", (it) => {
  it.effect("reports the engine the test project runs on", () =>
    Effect.gen(function* () {
      const db = yield* Database
      assert.strictEqual(db.engine, TestDatabase.engine)
    }),
  )

  it.effect("execute runs a query and answers the same JavaScript types on both engines", () =>
    Effect.gen(function* () {
      const [row] = yield* rows(
        sql<{
          big: number
          negative: number
          counted: number
          at: Date
          doc: { a: number; b: ReadonlyArray<boolean | null>; c: { d: string } }
          id: string
          yes: boolean
          no: boolean
          amount: string
          small: number
          double: number
          text: string
          nothing: null
        }>`select
          9007199254740991::int8 as big,
          (-9007199254740991)::int8 as negative,
          (select count(*) from (values (1), (2), (3)) as v (x)) as counted,
          '2024-01-02T03:04:05.678Z'::timestamptz as at,
          '{"a": 1, "b": [true, null], "c": {"d": "e"}}'::jsonb as doc,
          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as id,
          true as yes,
          false as no,
          12345678901234567890.123456789::numeric as amount,
          42::int4 as small,
          1.5::float8 as double,
          'héllo'::text as text,
          null::int4 as nothing`,
      )
      if (row === undefined) return assert.fail("no row")
      assert.strictEqual(row.big, Number.MAX_SAFE_INTEGER)
      assert.strictEqual(row.negative, -Number.MAX_SAFE_INTEGER)
      assert.strictEqual(row.counted, 3)
      assert.strictEqual(typeof row.counted, "number")
      assert.instanceOf(row.at, Date)
      assert.strictEqual(row.at.toISOString(), "2024-01-02T03:04:05.678Z")
      assert.deepStrictEqual(row.doc, { a: 1, b: [true, null], c: { d: "e" } })
      assert.strictEqual(row.id, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
      assert.strictEqual(row.yes, true)
      assert.strictEqual(row.no, false)
      assert.strictEqual(row.amount, "12345678901234567890.123456789")
      assert.strictEqual(row.small, 42)
      assert.strictEqual(row.double, 1.5)
      assert.strictEqual(row.text, "héllo")
      assert.isNull(row.nothing)
    }),
  )

  it.effect("column values read back from a table keep their types", () =>
    Effect.gen(function* () {
      const table = yield* createTable(
        "id bigint generated always as identity primary key, at timestamptz not null default now(), doc jsonb not null, key uuid not null default gen_random_uuid(), flag boolean not null, amount numeric(12, 2) not null",
      )
      yield* rows(
        sql`insert into ${sql.table(table)} (doc, flag, amount) values (${JSON.stringify({ tags: ["x"] })}::jsonb, ${true}, ${"10.50"})`,
      )
      const [row] = yield* rows(
        sql<{ id: number; at: Date; doc: unknown; key: string; flag: boolean; amount: string }>`
          select id, at, doc, key, flag, amount from ${sql.table(table)}`,
      )
      if (row === undefined) return assert.fail("no row")
      assert.strictEqual(row.id, 1)
      assert.instanceOf(row.at, Date)
      assert.isBelow(Math.abs(Date.now() - row.at.getTime()), 60_000)
      assert.deepStrictEqual(row.doc, { tags: ["x"] })
      assert.match(row.key, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      assert.strictEqual(row.flag, true)
      assert.strictEqual(row.amount, "10.50")
      const [counted] = yield* rows(sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`)
      assert.deepStrictEqual(counted, { n: 1 })
    }),
  )

  it.effect("dates, intervals and int8 arrays read the same on both engines", () =>
    Effect.gen(function* () {
      const [row] = yield* rows(
        sql<{ day: string; span: string; counts: ReadonlyArray<number>; empty: ReadonlyArray<number> }>`
          select date '2026-11-21' as day, interval '1 day 02:03:04' as span,
                 array[1, 2, 9007199254740991]::int8[] as counts, array[]::int8[] as empty`,
      )
      assert.deepStrictEqual(row, {
        day: "2026-11-21",
        span: "1 day 02:03:04",
        counts: [1, 2, 9007199254740991],
        empty: [],
      })
      const overflow = yield* Effect.exit(rows(sql`select array[9007199254740993]::int8[] as counts`))
      assert.isTrue(Exit.isFailure(overflow))
    }),
  )

  it.effect("an int8 beyond Number.MAX_SAFE_INTEGER fails the query instead of answering a wrong number", () =>
    Effect.gen(function* () {
      for (const value of ["9007199254740992", "9223372036854775807", "-9007199254740993"]) {
        const exit = yield* Effect.exit(rows(sql`select ${sql.raw(value)}::int8 as too_big`))
        assert.isTrue(Exit.isFailure(exit), `${value} must not be answered`)
        if (Exit.isSuccess(exit)) continue
        const failure = Cause.failureOption(exit.cause)
        const message = Option.match(failure, {
          onNone: () => Cause.pretty(exit.cause),
          onSome: (error) => error.message,
        })
        assert.include(message, value)
        assert.include(message, "safe integer range")
      }
      // The connection is still usable afterwards.
      assert.deepStrictEqual(yield* rows(sql<{ one: number }>`select 1::int8 as one`), [{ one: 1 }])
    }),
  )

  it.effect("a failing query is a typed DatabaseError carrying the SQLSTATE", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(rows(sql`select * from no_such_table_${sql.raw(randomUUID().slice(0, 8))}`))
      assert.instanceOf(missing, DatabaseError)
      assert.strictEqual(missing._tag, "DatabaseError")
      assert.strictEqual(missing.code, "42P01")
      assert.isFalse(missing.isUniqueViolation)
      const syntax = yield* Effect.flip(rows(sql`selec 1`))
      assert.strictEqual(syntax.code, "42601")
    }),
  )

  it.effect("a unique violation is a DatabaseError with code 23505, isUniqueViolation and the constraint name", () =>
    Effect.gen(function* () {
      const constraint = `uq_${randomUUID().replaceAll("-", "").slice(0, 16)}`
      const table = yield* createTable(`id int primary key, email text not null constraint ${constraint} unique`)
      yield* rows(sql`insert into ${sql.table(table)} (id, email) values (1, 'a@example.org')`)
      const error = yield* Effect.flip(
        rows(sql`insert into ${sql.table(table)} (id, email) values (2, 'a@example.org')`),
      )
      assert.instanceOf(error, DatabaseError)
      assert.strictEqual(error.code, "23505")
      assert.isTrue(error.isUniqueViolation)
      assert.strictEqual(error.constraint, constraint)
      assert.include(error.message, constraint)
      const primary = yield* Effect.flip(
        rows(sql`insert into ${sql.table(table)} (id, email) values (1, 'b@example.org')`),
      )
      assert.isTrue(primary.isUniqueViolation)
      assert.strictEqual(primary.constraint, `${table}_pkey`)
    }),
  )

  it.effect("transaction commits on success and answers the effect's value", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const value = yield* db.transaction(
        Effect.gen(function* () {
          yield* insertId(table, 1)
          yield* insertId(table, 2)
          return "done"
        }),
      )
      assert.strictEqual(value, "done")
      assert.deepStrictEqual(yield* ids(table), [1, 2])
    }),
  )

  it.effect("transaction rolls back on a typed failure and returns that failure unchanged", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const boom = new Boom({ reason: "typed" })
      const error = yield* Effect.flip(
        db.transaction(
          Effect.gen(function* () {
            yield* insertId(table, 1)
            return yield* boom
          }),
        ),
      )
      assert.strictEqual(error, boom)
      assert.deepStrictEqual(yield* ids(table), [])
    }),
  )

  it.effect("transaction rolls back when a query inside it fails, returning that DatabaseError", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const error = yield* Effect.flip(
        db.transaction(
          Effect.gen(function* () {
            yield* insertId(table, 1)
            yield* insertId(table, 1)
          }),
        ),
      )
      assert.instanceOf(error, DatabaseError)
      assert.isTrue(error instanceof DatabaseError && error.isUniqueViolation)
      assert.deepStrictEqual(yield* ids(table), [])
    }),
  )

  it.effect("a caught query failure without a savepoint makes the commit fail instead of silently losing writes", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const exit = yield* Effect.exit(
        db.transaction(
          Effect.gen(function* () {
            yield* insertId(table, 1)
            // The failed statement aborts the whole transaction on PostgreSQL.
            const duplicate = yield* Effect.either(insertId(table, 1))
            assert.isTrue(duplicate._tag === "Left")
            return "claimed success"
          }),
        ),
      )
      assert.isTrue(Exit.isFailure(exit), "the transaction must not report success")
      assert.deepStrictEqual(yield* ids(table), [])
    }),
  )

  it.effect("a COMMIT that fails (deferred constraint) releases its connection: the database stays usable", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* createTable(
        `id int, constraint ${`u_${randomUUID().replaceAll("-", "")}`} unique (id) deferrable initially deferred`,
      )
      // More failures than the test pool has connections: a leak would hang the next query.
      for (let attempt = 0; attempt < 6; attempt++) {
        const failure = yield* Effect.flip(db.transaction(rows(sql`insert into ${sql.table(table)} values (1), (1)`)))
        assert.strictEqual(failure._tag, "DatabaseError")
        if (failure._tag === "DatabaseError") assert.isTrue(failure.isUniqueViolation)
      }
      const counted = yield* rows(sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`).pipe(
        Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("the connection was not released") }),
      )
      assert.deepStrictEqual(counted, [{ n: 0 }])
    }),
  )

  it.effect("transaction rolls back on a defect and keeps the defect", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const exit = yield* Effect.exit(db.transaction(Effect.zipRight(insertId(table, 1), Effect.die("kaboom"))))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        assert.isTrue(Cause.isDie(exit.cause))
        assert.deepStrictEqual(Cause.dieOption(exit.cause), Option.some("kaboom"))
      }
      assert.deepStrictEqual(yield* ids(table), [])
    }),
  )

  it.effect("transaction rolls back when interrupted, and the database stays usable", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const inserted = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        db.transaction(
          Effect.gen(function* () {
            yield* insertId(table, 1)
            yield* Deferred.succeed(inserted, undefined)
            return yield* Effect.never
          }),
        ),
      )
      yield* Deferred.await(inserted)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.deepStrictEqual(yield* ids(table), [])
      // A later transaction on the same database commits normally.
      yield* db.transaction(insertId(table, 2))
      assert.deepStrictEqual(yield* ids(table), [2])
    }),
  )

  it.effect("a nested transaction is a savepoint: a caught inner failure undoes only the inner writes", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const boom = new Boom({ reason: "inner" })
      const inner = yield* db.transaction(
        Effect.gen(function* () {
          yield* insertId(table, 1)
          const inner = yield* Effect.either(
            db.transaction(
              Effect.gen(function* () {
                yield* insertId(table, 2)
                // Visible inside the savepoint before it is rolled back.
                assert.deepStrictEqual(yield* ids(table), [1, 2])
                return yield* boom
              }),
            ),
          )
          assert.deepStrictEqual(yield* ids(table), [1])
          yield* insertId(table, 3)
          return inner
        }),
      )
      assert.isTrue(inner._tag === "Left" && inner.left === boom)
      assert.deepStrictEqual(yield* ids(table), [1, 3])
    }),
  )

  it.effect("a nested transaction recovers from a unique violation with catchAll, the outer one commits", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      yield* db.transaction(
        Effect.gen(function* () {
          yield* insertId(table, 1)
          const code = yield* db
            .transaction(Effect.as(insertId(table, 1), "inserted"))
            .pipe(
              Effect.catchAll((error) =>
                Effect.succeed(error instanceof DatabaseError && error.isUniqueViolation ? "duplicate" : "other"),
              ),
            )
          assert.strictEqual(code, "duplicate")
          yield* insertId(table, 2)
        }),
      )
      assert.deepStrictEqual(yield* ids(table), [1, 2])
    }),
  )

  it.effect("savepoints nest several levels deep; successful inner levels commit with the outer", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      yield* db.transaction(
        Effect.gen(function* () {
          yield* insertId(table, 1)
          yield* db.transaction(
            Effect.gen(function* () {
              yield* insertId(table, 2)
              const deepest = yield* Effect.either(
                db.transaction(Effect.zipRight(insertId(table, 3), Effect.fail(new Boom({ reason: "deepest" })))),
              )
              assert.strictEqual(deepest._tag, "Left")
              yield* db.transaction(insertId(table, 4))
            }),
          )
        }),
      )
      assert.deepStrictEqual(yield* ids(table), [1, 2, 4])
    }),
  )

  it.effect("a failing outer transaction also undoes its released savepoints", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const error = yield* Effect.flip(
        db.transaction(
          Effect.gen(function* () {
            yield* db.transaction(insertId(table, 1))
            yield* insertId(table, 2)
            return yield* new Boom({ reason: "outer" })
          }),
        ),
      )
      assert.strictEqual(error._tag, "Boom")
      assert.deepStrictEqual(yield* ids(table), [])
    }),
  )

  it.effect("execute inside a transaction sees its uncommitted writes; others see them only after commit", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const written = yield* Deferred.make<ReadonlyArray<number>>()
      const commit = yield* Deferred.make<void>()
      const writer = yield* Effect.fork(
        db.transaction(
          Effect.gen(function* () {
            yield* insertId(table, 1)
            yield* Deferred.succeed(written, yield* ids(table))
            yield* Deferred.await(commit)
          }),
        ),
      )
      assert.deepStrictEqual(yield* Deferred.await(written), [1])

      // A read outside the transaction, from another fiber.
      const reader = yield* Effect.fork(ids(table))
      yield* settle
      if (TestDatabase.engine === "postgres") {
        // Another pooled connection: read committed isolation hides the uncommitted row.
        assert.deepStrictEqual(yield* Fiber.join(reader), [])
      } else {
        // PGlite has one connection: the outside read waits until the transaction ends.
        assert.isTrue(Option.isNone(yield* Fiber.poll(reader)), "the read must wait for the transaction")
      }

      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(writer)
      if (TestDatabase.engine === "pglite") {
        assert.deepStrictEqual(yield* Fiber.join(reader), [1])
      }
      assert.deepStrictEqual(yield* ids(table), [1])
    }),
  )

  it.effect("fibers forked inside a transaction run their queries in it", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const error = yield* Effect.flip(
        db.transaction(
          Effect.gen(function* () {
            const child = yield* Effect.fork(insertId(table, 1))
            yield* Fiber.join(child)
            assert.deepStrictEqual(yield* ids(table), [1])
            return yield* new Boom({ reason: "undo the child's write" })
          }),
        ),
      )
      assert.strictEqual(error._tag, "Boom")
      assert.deepStrictEqual(yield* ids(table), [])
    }),
  )

  it.effect("20 concurrent transactions incrementing one counter all succeed and the counter ends at 20", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* createTable("id int primary key, n int not null")
      yield* rows(sql`insert into ${sql.table(table)} (id, n) values (1, 0)`)
      const seen = yield* Effect.all(
        Array.from({ length: 20 }, () =>
          db.transaction(
            Effect.gen(function* () {
              const [row] = yield* rows(
                sql<{ n: number }>`update ${sql.table(table)} set n = n + 1 where id = 1 returning n`,
              )
              yield* Effect.yieldNow()
              return row?.n
            }),
          ),
        ),
        { concurrency: "unbounded" },
      )
      assert.deepStrictEqual(
        [...seen].sort((a, b) => (a ?? 0) - (b ?? 0)),
        Array.from({ length: 20 }, (_, i) => i + 1),
      )
      assert.deepStrictEqual(yield* rows(sql<{ n: number }>`select n from ${sql.table(table)} where id = 1`), [
        { n: 20 },
      ])
    }),
  )

  it.effect("concurrent transactions where some fail leave exactly the successful writes", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const table = yield* idTable
      const results = yield* Effect.all(
        Array.from({ length: 12 }, (_, i) =>
          Effect.either(
            db.transaction(
              Effect.gen(function* () {
                yield* insertId(table, i)
                yield* Effect.yieldNow()
                if (i % 3 === 0) return yield* new Boom({ reason: `${i}` })
                return i
              }),
            ),
          ),
        ),
        { concurrency: "unbounded" },
      )
      assert.strictEqual(results.filter((result) => result._tag === "Left").length, 4)
      assert.deepStrictEqual(yield* ids(table), [1, 2, 4, 5, 7, 8, 10, 11])
    }),
  )
})
