/**
 * Handlers of the `system` group: liveness, readiness, version.
 */
import { createRequire } from "node:module"
import { HttpApiBuilder } from "@effect/platform"
import { IgnitionApi, SystemApi } from "@ignition/api"
import { Clock, Effect, Layer, Schema } from "effect"
import * as Migrations from "../Database/Migrations.js"
import { SystemRepo } from "./Repo.js"

const readinessTimeout = "2 seconds"

/** The server's release, from its package.json (same relative place under src/ and dist/). */
const serverVersion = Schema.decodeUnknownSync(Schema.Struct({ version: Schema.String }))(
  createRequire(import.meta.url)("../../package.json"),
).version

export const SystemLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "system", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* SystemRepo

    const unreachable = new SystemApi.NotReady({
      message: "The database does not answer",
      database: "unreachable",
      pendingMigrations: [],
    })

    const ready = Effect.gen(function* () {
      const started = yield* Clock.currentTimeMillis
      yield* repo.ping.pipe(
        Effect.timeout(readinessTimeout),
        Effect.catchAll(() => Effect.fail(unreachable)),
      )
      const latencyMs = (yield* Clock.currentTimeMillis) - started
      const status = yield* repo.migrationStatus.pipe(Effect.catchAll(() => Effect.fail(unreachable)))
      if (status.pending.length > 0) {
        return yield* new SystemApi.NotReady({
          message: `${status.pending.length} migration(s) not applied yet`,
          database: "reachable",
          pendingMigrations: status.pending,
        })
      }
      return new SystemApi.Readiness({
        status: "ready",
        database: { engine: repo.engine, latencyMs },
        migrations: { applied: status.applied.length, head: Migrations.head },
      })
    })

    return handlers
      .handle("health", () => Effect.succeed(new SystemApi.Health({ status: "ok" })))
      .handle("ready", () => ready)
      .handle("version", () =>
        Effect.map(
          repo.instanceId,
          (instanceId) =>
            new SystemApi.VersionInfo({
              name: "ignition",
              version: serverVersion,
              contractVersion: IgnitionApi.contractVersion,
              instanceId,
            }),
        ),
      )
  }),
).pipe(Layer.provide(SystemRepo.Default))
