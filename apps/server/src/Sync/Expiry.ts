/**
 * Expires the change log's tombstones once they are older than
 * `TOMBSTONE_RETENTION` (90 days by default), raising each user's horizon
 * past them: a client whose cursor is older then gets `410
 * resync_required` instead of missing a deletion. Runs at start and then
 * hourly; a failed run is logged and retried at the next.
 */
import { Server, type SyncStore } from "@ignition/sync"
import { Clock, Duration, Effect, Layer, Schedule } from "effect"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import * as Repo from "./Repo.js"

/** How often the log's expired tombstones are dropped (also once at start). */
export const expiryInterval = Duration.hours(1)

/** Drops every user's expired tombstones, as of the Clock's now; answers how many users had some. */
export const expireAll = Effect.gen(function* () {
  const db = yield* Database
  const { tombstoneRetention } = yield* AppConfig
  const cutoff = new Date((yield* Clock.currentTimeMillis) - Duration.toMillis(tombstoneRetention))
  const users = yield* db
    .execute((q) =>
      q
        .selectFrom("sync_rows")
        .select("user_id")
        .distinct()
        .where("value", "is", null)
        .where("written_at", "<", cutoff)
        .execute(),
    )
    .pipe(Effect.orDie)
  yield* Effect.forEach(users, (user) => Server.expireTombstones(user.user_id, tombstoneRetention), { discard: true })
  return users.length
})

export const layer: Layer.Layer<never, never, Database | AppConfig | SyncStore.SyncStore> = Layer.scopedDiscard(
  Effect.forkScoped(
    expireAll.pipe(
      Effect.tap((users) => (users > 0 ? Effect.logInfo("sync: expired tombstones dropped", { users }) : Effect.void)),
      Effect.catchAllCause((cause) => Effect.logWarning("sync: tombstone expiry failed", cause)),
      Effect.repeat(Schedule.spaced(expiryInterval)),
    ),
  ),
)

/** The expiry over the server's store. */
export const ExpiryLive = layer.pipe(Layer.provide(Repo.layer))
