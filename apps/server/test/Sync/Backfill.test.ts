/**
 * Migration 0005 puts what existed before sync into the log: every
 * knowledge-base record (tombstones too) with the value the knowledge base
 * would log for it, then the settings fields the user had changed, and the
 * user's counter at the last of them — so a first pull carries it all.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import * as Migrations from "@ignition/migrations"
import { Effect } from "effect"
import { sql } from "kysely"
import { Migrator } from "kysely/migration"
import { Database } from "../../src/Database/Database.js"
import * as TestDatabase from "../support/TestDatabase.js"

const envelope = { v: 1, kid: "k1", iv: "AAAAAAAAAAAAAAAA", ct: "AAAAAAAAAAAAAAAAAAAAAA" }

layer(TestDatabase.empty, { excludeTestServices: true })("migration 0005's backfill", (it) => {
  it.effect("logs existing records and changed settings, in write order", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const migrator = new Migrator({ db: db.kysely, provider: Migrations.provider })
      const migrateTo = (name: string) =>
        Effect.promise(() => migrator.migrateTo(name)).pipe(
          Effect.tap(({ error }) => (error === undefined ? Effect.void : Effect.die(error))),
        )
      yield* migrateTo("0004_knowledge_base")
      const userId = randomUUID()
      const run = (query: ReturnType<typeof sql>) => db.execute((q) => query.execute(q)).pipe(Effect.orDie)
      yield* run(sql`
        insert into users (id, email, display_name, status, time_zone)
        values (${userId}, ${`${userId}@example.com`}, 'Ada', 'approved', 'Europe/Zurich')`)
      const [idea, journal, note] = [randomUUID(), randomUUID(), randomUUID()]
      const content = JSON.stringify(envelope)
      yield* run(sql`
        insert into knowledge_items
          (user_id, type, id, mode, version, content, meta, metadata, size_bytes, created_at, updated_at, deleted_at)
        values
          (${userId}, 'journal', ${journal}, 'private', 1, ${content}, ${content}, null, 1,
           '2026-01-02', '2026-01-02', null),
          (${userId}, 'idea', ${idea}, 'standard', 2, ${content}, null,
           '{"key": "Am", "bpm": 90, "moodTags": []}', 1, '2026-01-01', '2026-01-01', null),
          (${userId}, 'infobase', ${note}, 'standard', 3, null, null, null, 0,
           '2026-01-01', '2026-01-03', '2026-01-03')`)
      yield* run(sql`
        insert into user_settings (user_id, version, settings, updated_at)
        values (${userId}, 3,
          '{"values": {"theme": "dark"}, "updatedAt": {"theme": "2026-01-04T00:00:00Z", "timeZone": "2026-01-04T00:00:00Z"}}',
          '2026-01-04')`)
      yield* migrateTo("0005_sync")

      const rows = yield* db
        .execute((q) =>
          q
            .selectFrom("sync_rows")
            .select(["entity", "id", "version", "value"])
            .where("user_id", "=", userId)
            .orderBy("version")
            .execute(),
        )
        .pipe(Effect.orDie)
      assert.deepStrictEqual(rows, [
        {
          entity: "ideas",
          id: idea,
          version: 1,
          value: { mode: "standard", content: envelope, meta: null, key: "Am", bpm: 90, moodTags: [] },
        },
        {
          entity: "journal",
          id: journal,
          version: 2,
          value: { mode: "private", content: envelope, meta: envelope, entryDate: null, tags: null },
        },
        { entity: "infobase", id: note, version: 3, value: null },
        {
          entity: "settings",
          id: "settings",
          version: 4,
          value: { fields: { theme: "dark", timeZone: "Europe/Zurich" }, stamps: { theme: 4, timeZone: 4 } },
        },
      ])
      const counter = yield* db
        .execute((q) => q.selectFrom("sync_users").select("version").where("user_id", "=", userId).execute())
        .pipe(Effect.orDie)
      assert.deepStrictEqual(counter, [{ version: 4 }])
    }),
  )
})
