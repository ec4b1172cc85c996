/**
 * The realtime stream of one signed-in user, as Server-Sent Events: a `poke`
 * as soon as the subscription is in place (whatever happened before it, the
 * client pulls once), then one per change, and a `heartbeat` whenever
 * `realtimeHeartbeat` passes without an event (so a client hears something
 * at least that often). The session is checked again at the first event
 * after each heartbeat interval, and the stream ends once the session has
 * ended. Pending pokes coalesce into one, and the response
 * respects the socket's back-pressure, so a slow reader costs a bounded
 * amount of memory. Every stream ends cleanly when the server shuts down
 * (clients reconnect, to another instance if there is one).
 */
import { SyncRealtimeApi } from "@ignition/api"
import { Clock, Deferred, Duration, Effect, Option, Ref, Stream } from "effect"
import { AppConfig } from "../AppConfig.js"
import { Pokes, poke } from "./Pokes.js"

/** One SSE event: a name and a single JSON data line. */
const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`

export const pokeEvent = event(SyncRealtimeApi.events.poke, poke)
export const heartbeatEvent = event(SyncRealtimeApi.events.heartbeat, {})

export class Realtime extends Effect.Service<Realtime>()("@ignition/server/Realtime", {
  scoped: Effect.gen(function* () {
    const pokes = yield* Pokes
    const { realtimeHeartbeat } = yield* AppConfig
    // Completed when this layer is released, which is before the HTTP server waits for open connections.
    const closing = yield* Deferred.make<void>()
    yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined))

    /**
     * The SSE text of `userId`'s realtime stream; it subscribes when it starts
     * and unsubscribes when it ends. `stillSignedIn` is asked again once a
     * heartbeat interval has passed since it last was (at the next event): the
     * stream ends once the session has ended or been revoked.
     */
    const events = (userId: string, stillSignedIn: Effect.Effect<boolean>): Stream.Stream<string> =>
      Stream.unwrapScoped(
        Effect.gen(function* () {
          const subscription = yield* pokes.subscribe(userId)
          const checkedAt = yield* Ref.make(yield* Clock.currentTimeMillis)
          const nextEvent = Effect.timeoutTo(subscription.next, {
            duration: realtimeHeartbeat,
            onSuccess: () => pokeEvent,
            onTimeout: () => heartbeatEvent,
          })
          const signedIn = Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis
            if (now - (yield* Ref.get(checkedAt)) < Duration.toMillis(realtimeHeartbeat)) return true
            yield* Ref.set(checkedAt, now)
            return yield* stillSignedIn
          })
          // Pulled one event at a time, so a reader that is not keeping up holds back pokes in the flag.
          return Stream.concat(
            Stream.make(pokeEvent),
            Stream.repeatEffectOption(
              Effect.zipLeft(
                nextEvent,
                Effect.filterOrFail(
                  signedIn,
                  (yes) => yes,
                  () => Option.none(),
                ),
              ),
            ),
          )
        }),
      ).pipe(Stream.interruptWhen(Deferred.await(closing)))

    return { events } as const
  }),
}) {}
