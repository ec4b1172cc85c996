/**
 * Handlers of the `settings` group: the signed-in user's own document only.
 * An update also sets the changed fields in the user's sync log in the same
 * transaction (docs/sync-protocol.md, "One source of truth").
 */
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi } from "@ignition/api"
import { SyncStore } from "@ignition/sync"
import { Clock, Effect, Layer, Option } from "effect"
import { logSettings } from "../Sync/Entities.js"
import * as SyncRepo from "../Sync/Repo.js"
import { SettingsRepo } from "./Repo.js"

const gone = new ApiError.Unauthorized({ message: "Not signed in, or the session has ended" })

export const SettingsLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "settings", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* SettingsRepo
    const store = yield* SyncStore.SyncStore
    return handlers
      .handle("get", () =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          return yield* Effect.flatMap(repo.get(user.id), (found) =>
            Option.isSome(found) ? Effect.succeed(found.value) : gone,
          )
        }),
      )
      .handle("update", ({ payload }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const at = new Date(yield* Clock.currentTimeMillis)
          // The change and its entry in the sync log commit together, so the next pull carries it.
          const updated = yield* store
            .transaction(user.id, (transaction) =>
              Effect.tap(repo.update(user.id, payload, at), (document) =>
                Option.isSome(document) ? logSettings(transaction, payload) : Effect.void,
              ),
            )
            .pipe(Effect.catchTag("StoreUnavailable", Effect.die))
          return Option.isSome(updated) ? updated.value : yield* gone
        }),
      )
  }),
).pipe(Layer.provide(Layer.merge(SettingsRepo.Default, SyncRepo.layer)))
