/**
 * `npm run migrate`: apply pending migrations to the configured database
 * and exit.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect, LogLevel } from "effect"
import { AppConfig } from "./AppConfig.js"
import * as Migrations from "./Database/Migrations.js"
import * as JsonLogger from "./Logging/JsonLogger.js"
import { DatabaseLive } from "./Server.js"

Effect.gen(function* () {
  const applied = yield* Migrations.migrateToLatest
  yield* Effect.logInfo(applied.length === 0 ? "database already at head" : `applied ${applied.length} migration(s)`, {
    head: Migrations.head,
  })
}).pipe(
  Effect.provide(DatabaseLive),
  Effect.provide(AppConfig.layer),
  Effect.tapErrorCause((cause) => Effect.logFatal("migration failed", cause)),
  Effect.provide(JsonLogger.layer(JsonLogger.stdout, LogLevel.Info)),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
