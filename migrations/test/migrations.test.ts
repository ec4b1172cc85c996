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

  it("seeds crypto policies v1 (PBKDF2, deprecated) and v2 (Argon2id 64 MiB, t=3, p=1)", async () => {
    const rows = await sql<{ version: number; aead: string; kdf: unknown; deprecated: boolean }>`
      select version, aead, kdf, deprecated from crypto_policies order by version`.execute(db)
    assert.deepStrictEqual(rows.rows, [
      { version: 1, aead: "AES-256-GCM", kdf: { alg: "pbkdf2-sha256", iterations: 100000 }, deprecated: true },
      { version: 2, aead: "AES-256-GCM", kdf: { alg: "argon2id", m: 65536, t: 3, p: 1 }, deprecated: false },
    ])
  })

  it("keeps one vault per user, hex digests only, and one live wrap per credential", async () => {
    const code = (run: Promise<unknown>) =>
      run.then(
        () => "ok",
        (error: { code?: string }) => error.code,
      )
    const user = (
      await sql<{ id: string }>`
      insert into users (email, display_name, status) values ('vault@example.com', 'V', 'approved') returning id`.execute(
        db,
      )
    ).rows[0]?.id
    const vault = "00000000-0000-4000-8000-000000000001"
    const insertVault = (id: string, hash = "a".repeat(64)) =>
      sql`insert into vaults (id, user_id, crypto_policy_version, unlock_proof_hash, current_kid)
          values (${id}, ${user}, 2, ${hash}, 'k1')`.execute(db)
    assert.strictEqual(await code(insertVault(vault, "not-hex")), "23514")
    assert.strictEqual(await code(insertVault(vault)), "ok")
    assert.strictEqual(await code(insertVault("00000000-0000-4000-8000-000000000002")), "23505")
    const wrap = () =>
      sql`insert into vault_key_wraps (vault_id, credential_type, credential_id, blob, policy_version)
          values (${vault}, 'passphrase', 'passphrase', '{}', 2)`.execute(db)
    assert.strictEqual(await code(wrap()), "ok")
    assert.strictEqual(await code(wrap()), "23505")
    await sql`update vault_key_wraps set revoked_at = now() where vault_id = ${vault}`.execute(db)
    assert.strictEqual(await code(wrap()), "ok")
    // Locked means a reason and a time, or neither.
    assert.strictEqual(await code(sql`update vaults set locked_at = now() where id = ${vault}`.execute(db)), "23514")
    // Deleting the user deletes the vault and everything in it.
    await sql`delete from users where id = ${user}`.execute(db)
    const left = await sql<{ n: number }>`select count(*)::int as n from vault_key_wraps`.execute(db)
    assert.strictEqual(left.rows[0]?.n, 0)
  })
})
