/**
 * Handlers of the `settings` group: the signed-in user's own document only.
 */
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi } from "@ignition/api"
import { Clock, Effect, Layer, Option } from "effect"
import { SettingsRepo } from "./Repo.js"

const gone = new ApiError.Unauthorized({ message: "Not signed in, or the session has ended" })

export const SettingsLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "settings", (handlers) =>
  Effect.gen(function* () {
    const repo = yield* SettingsRepo
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
          const updated = yield* repo.update(user.id, payload, at)
          return Option.isSome(updated) ? updated.value : yield* gone
        }),
      )
  }),
).pipe(Layer.provide(SettingsRepo.Default))
