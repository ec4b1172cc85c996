/**
 * Handler of the `syncRealtime` group: `GET /api/sync/realtime`, the
 * signed-in user's own pokes as `text/event-stream`, for as long as the
 * session stays valid (checked again once per heartbeat interval).
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Authentication, IgnitionApi } from "@ignition/api"
import { Effect, Layer, Redacted, Stream } from "effect"
import { authenticate } from "../Auth/AuthenticationLive.js"
import { Sessions } from "../Auth/Sessions.js"
import { Realtime } from "./Realtime.js"

export const RealtimeLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "syncRealtime", (handlers) =>
  Effect.gen(function* () {
    const realtime = yield* Realtime
    const sessions = yield* Sessions
    return handlers.handle("realtime", () =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const request = yield* HttpServerRequest.HttpServerRequest
        const token = Redacted.make(request.cookies[Authentication.sessionCookie] ?? "")
        const stillSignedIn = Effect.match(authenticate(sessions, undefined)(token), {
          onFailure: () => false,
          onSuccess: (current) => current.user.id === user.id,
        })
        return HttpServerResponse.stream(Stream.encodeText(realtime.events(user.id, stillSignedIn)), {
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
