import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { PGlite } from "@electric-sql/pglite"
import { Kysely, PGliteDialect, sql } from "kysely"
import { type MigrationResultSet, Migrator } from "kysely/migration"
import { head, migrations, names, provider } from "../src/index.js"

const expectSuccess = ({ error, results }: MigrationResultSet) => {
  assert.isUndefined(error, String(error))
  return (results ?? []).map((result) => result.migrationName)
}

describe("the migration set", () => {
  it("names sort in application order with unique four-digit prefixes", () => {
    assert.deepStrictEqual([...names], Object.keys(migrations).sort())
    const prefixes = names.map((name) => name.slice(0, 4))
    for (const name of names) assert.match(name, /^\d{4}_[a-z0-9_]+$/)
    assert.strictEqual(new Set(prefixes).size, prefixes.length)
    assert.strictEqual(head, names.at(-1))
  })

  it("every migration can be reverted", () => {
    for (const name of names) assert.isFunction(migrations[name]?.down, `${name} has no down`)
  })
})

describe("on a real PostgreSQL engine (PGlite)", () => {
  let pglite: PGlite
  let db: Kysely<unknown>
  beforeAll(async () => {
    pglite = await PGlite.create()
    db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) })
  })
  afterAll(() => db.destroy())

  it("applies up to head, reverts to nothing, and applies again", async () => {
    const migrator = new Migrator({ db, provider })
    assert.deepStrictEqual(expectSuccess(await migrator.migrateToLatest()), [...names])
    assert.deepStrictEqual(expectSuccess(await migrator.migrateToLatest()), [])

    const reverted: Array<string> = []
    for (;;) {
      const step = expectSuccess(await migrator.migrateDown())
      if (step.length === 0) break
      reverted.push(...step)
    }
    assert.deepStrictEqual(reverted, [...names].reverse())
    const tables = await sql<{ tablename: string }>`
      select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(db)
    assert.deepStrictEqual(tables.rows, [])

    assert.deepStrictEqual(expectSuccess(await migrator.migrateToLatest()), [...names])
  })

  it("creates exactly one instance row with a random id", async () => {
    const rows = await sql<{ id: string }>`select id from instance`.execute(db)
    assert.strictEqual(rows.rows.length, 1)
    assert.match(rows.rows[0]?.id ?? "", /^[0-9a-f-]{36}$/)
    const second = await sql`insert into instance default values`.execute(db).then(
      () => "inserted",
      (error: { code?: string }) => error.code,
    )
    assert.strictEqual(second, "23505")
  })
})
