/**
 * `npm run migrate`: apply pending migrations to the configured database
 * and exit.
 */
import { Effect } from "effect"
import * as Migrations from "./Database/Migrations.js"
import * as Entrypoint from "./Entrypoint.js"
import { DatabaseLive } from "./Server.js"

Entrypoint.run(
  Effect.gen(function* () {
    const applied = yield* Migrations.migrateToLatest
    yield* Effect.logInfo(
      applied.length === 0 ? "database already at head" : `applied ${applied.length} migration(s)`,
      {
        head: Migrations.head,
      },
    )
  }).pipe(Effect.provide(DatabaseLive)),
  { done: "migrate finished", failed: "migrate failed" },
)
