/**
 * Exclusive named locks shared by every tab of the device: the Web Locks API
 * in browsers (`layer`), a mutex per name in memory for tests (`layerTest`).
 * A lock is released when the effect holding it ends, fails or is
 * interrupted — and, in a browser, when its tab closes or crashes — so a tab
 * killed mid-flush never strands the others.
 */
import { Context, Deferred, Effect, Layer, Scope } from "effect"

export class Locks extends Context.Tag("@ignition/sync/client/Locks")<
  Locks,
  {
    /** Runs `effect` while holding the lock `name`, waiting for it first. */
    readonly withLock: (name: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>() {}

/** The Web Locks API (`navigator.locks`); the lock is held until the effect's scope closes. */
export const layer: Layer.Layer<Locks> = Layer.succeed(
  Locks,
  Locks.of({
    withLock: (name) => (effect) =>
      Effect.scoped(
        Effect.gen(function* () {
          const scope = yield* Effect.scope
          const released = yield* Deferred.make<void>()
          yield* Scope.addFinalizer(scope, Deferred.succeed(released, undefined))
          const controller = new AbortController()
          yield* Effect.async<void>((resume) => {
            globalThis.navigator.locks
              .request(name, { signal: controller.signal }, () => {
                resume(Effect.void)
                // Held until the scope's finalizer completes the deferred.
                return Effect.runPromise(Deferred.await(released))
              })
              // An aborted request (we were interrupted while waiting) rejects; nothing is held then.
              .catch(() => undefined)
            return Effect.sync(() => controller.abort())
          })
          return yield* effect
        }),
      ),
  }),
)

/** A mutex per name, shared by everyone holding this service value (all simulated tabs of a test). */
export const makeMemory: Effect.Effect<Locks["Type"]> = Effect.sync(() => {
  const mutexes = new Map<string, Effect.Semaphore>()
  const mutex = (name: string) => {
    let found = mutexes.get(name)
    if (found === undefined) {
      found = Effect.unsafeMakeSemaphore(1)
      mutexes.set(name, found)
    }
    return found
  }
  return Locks.of({ withLock: (name) => (effect) => mutex(name).withPermits(1)(effect) })
})

export const layerTest: Layer.Layer<Locks> = Layer.effect(Locks, makeMemory)
