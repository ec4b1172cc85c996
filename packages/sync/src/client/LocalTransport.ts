/**
 * A `SyncTransport` that runs the server rules in the same process, over
 * whatever `SyncStore` and `CursorSigner` it is given: the engine's tests use
 * it with the in-memory store, and it is the shape of the HTTP handlers
 * (each request's protocol errors pass through typed; a store failure reads
 * as unreachable, like a 503). A subscription to `pokes` opens with one
 * poke, and every push that wrote something pokes every subscriber with the
 * new head version.
 */
import { Effect, Predicate, PubSub, Stream } from "effect"
import { CursorSigner } from "../Cursor.js"
import type { Registry } from "../Entity.js"
import { type Poke, PROTOCOL_VERSION } from "../Protocol.js"
import * as Server from "../Server.js"
import type { StoreUnavailable } from "../SyncError.js"
import { SyncStore } from "../SyncStore.js"
import { SyncUnavailable } from "./ClientError.js"
import { SyncTransport } from "./SyncTransport.js"

const unavailable = (error: StoreUnavailable) => new SyncUnavailable({ message: error.message })

/** The transport of `userId` over the rules of `registry`, and a way to poke its subscribers. */
export const make = (registry: Registry, userId: string) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const signer = yield* CursorSigner
    const pokes = yield* PubSub.unbounded<Poke>()
    /** Runs a request over the store and signer; a store failure reads as unreachable. */
    const run = <A, E>(effect: Effect.Effect<A, E | StoreUnavailable, SyncStore | CursorSigner>) =>
      effect.pipe(
        Effect.provideService(SyncStore, store),
        Effect.provideService(CursorSigner, signer),
        Effect.catchIf(
          (error): error is StoreUnavailable => Predicate.isTagged(error, "StoreUnavailable"),
          unavailable,
        ),
      )
    const poke = (version?: number) =>
      PubSub.publish(
        pokes,
        version === undefined ? { protocolVersion: PROTOCOL_VERSION } : { protocolVersion: PROTOCOL_VERSION, version },
      )

    const transport = SyncTransport.of({
      pull: (request) => run(Server.pull(userId, request)),
      push: (request) =>
        run(
          Server.push(registry, userId, request).pipe(
            Effect.tap((response) =>
              response.results.some((result) => result._tag === "applied" && result.version !== null)
                ? Effect.flatMap(store.head(userId), (head) => poke(head.version))
                : Effect.void,
            ),
          ),
        ),
      poll: (request) => run(Server.poll(registry, userId, request)),
      // A subscription opens with a poke, as a realtime connection does: the client learns the channel is up
      // and catches up on what it missed while it was down.
      pokes: Stream.unwrapScoped(
        Effect.map(PubSub.subscribe(pokes), (subscription) =>
          Stream.concat(Stream.succeed<Poke>({ protocolVersion: PROTOCOL_VERSION }), Stream.fromQueue(subscription)),
        ),
      ),
    })
    return { transport, poke: (version?: number) => Effect.asVoid(poke(version)) }
  })
