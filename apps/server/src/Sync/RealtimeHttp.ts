/**
 * Handler of the `syncRealtime` group: `GET /api/sync/realtime`, the
 * signed-in user's own pokes as `text/event-stream`.
 */
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Authentication, IgnitionApi } from "@ignition/api"
import { Effect, Layer, Stream } from "effect"
import { Realtime } from "./Realtime.js"

export const RealtimeLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "syncRealtime", (handlers) =>
  Effect.gen(function* () {
    const realtime = yield* Realtime
    return handlers.handle("realtime", () =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        return HttpServerResponse.stream(Stream.encodeText(realtime.events(user.id)), {
          contentType: "text/event-stream",
          headers: {
            "cache-control": "no-cache, no-transform",
            // Reverse proxies (nginx) would otherwise hold events back to fill a buffer.
            "x-accel-buffering": "no",
          },
        })
      }),
    )
  }),
).pipe(Layer.provide(Realtime.Default))
