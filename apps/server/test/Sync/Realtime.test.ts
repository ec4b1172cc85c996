/**
 * The realtime event stream on the test clock: a poke first, a heartbeat
 * after each 30 s (the default) without an event, pokes coalesced while the
 * reader is away, the end of a stream whose session has ended, and the end
 * of every stream when the service closes.
 */
import { randomUUID } from "node:crypto"
import { assert, it } from "@effect/vitest"
import { Chunk, Context, Effect, Either, Exit, Fiber, Layer, Option, Ref, Scope, Stream, TestClock } from "effect"
import { AppConfig } from "../../src/AppConfig.js"
import { Pokes } from "../../src/Sync/Pokes.js"
import { heartbeatEvent, pokeEvent, Realtime } from "../../src/Sync/Realtime.js"
import * as TestDatabase from "../support/TestDatabase.js"

const RealtimeTest = Realtime.Default.pipe(
  Layer.provideMerge(Pokes.Default),
  Layer.provideMerge(TestDatabase.layer),
  Layer.provide(AppConfig.layerTest()),
)

/** `userId`'s events, pulled only when the test asks for the next chunk (as a socket that is read slowly). */
const open = (userId: string, stillSignedIn: Effect.Effect<boolean> = Effect.succeed(true)) =>
  Effect.gen(function* () {
    const realtime = yield* Realtime
    const pull = yield* Stream.toPull(realtime.events(userId, stillSignedIn))
    return {
      next: Effect.map(Effect.orDie(pull), Chunk.toReadonlyArray),
      /** Whether the stream has ended (pulling it fails with `None`). */
      ended: Effect.map(Effect.either(pull), Either.isLeft),
    }
  })

it.scoped("a poke on connect, then a heartbeat after each 30 s without an event", () =>
  Effect.gen(function* () {
    const pokes = yield* Pokes
    const userId = randomUUID()
    const events = yield* open(userId)
    assert.deepStrictEqual(yield* events.next, [pokeEvent])
    const heartbeat = yield* Effect.fork(events.next)
    yield* TestClock.adjust("29 seconds")
    assert.isTrue(Option.isNone(yield* Fiber.poll(heartbeat)))
    yield* TestClock.adjust("1 second")
    assert.deepStrictEqual(yield* Fiber.join(heartbeat), [heartbeatEvent])
    const poked = yield* Effect.fork(events.next)
    yield* TestClock.adjust("10 seconds")
    yield* pokes.publish(userId)
    assert.deepStrictEqual(yield* Fiber.join(poked), [pokeEvent])
  }).pipe(Effect.provide(RealtimeTest)),
)

it.scoped("pokes that arrive while the reader is away are one event", () =>
  Effect.gen(function* () {
    const pokes = yield* Pokes
    const userId = randomUUID()
    const witness = randomUUID()
    const events = yield* open(userId)
    const witnessEvents = yield* open(witness)
    assert.deepStrictEqual(yield* events.next, [pokeEvent])
    assert.deepStrictEqual(yield* witnessEvents.next, [pokeEvent])
    for (let i = 0; i < 10; i++) yield* pokes.publish(userId)
    // Delivery is in commit order: once the witness is poked, the ten have been delivered.
    yield* pokes.publish(witness)
    assert.deepStrictEqual(yield* witnessEvents.next, [pokeEvent])
    assert.deepStrictEqual(yield* events.next, [pokeEvent])
    const after = yield* Effect.fork(events.next)
    yield* TestClock.adjust("30 seconds")
    assert.deepStrictEqual(yield* Fiber.join(after), [heartbeatEvent])
  }).pipe(Effect.provide(RealtimeTest)),
)

it.scoped("a stream ends at the first heartbeat after its session has ended", () =>
  Effect.gen(function* () {
    const signedIn = yield* Ref.make(true)
    const events = yield* open(randomUUID(), Ref.get(signedIn))
    assert.deepStrictEqual(yield* events.next, [pokeEvent])
    const heartbeat = yield* Effect.fork(events.next)
    yield* TestClock.adjust("30 seconds")
    assert.deepStrictEqual(yield* Fiber.join(heartbeat), [heartbeatEvent])
    yield* Ref.set(signedIn, false)
    const ended = yield* Effect.fork(events.ended)
    yield* TestClock.adjust("30 seconds")
    assert.isTrue(yield* Fiber.join(ended))
  }).pipe(Effect.provide(RealtimeTest)),
)

it.scoped("a stream that is poked more often than the heartbeat still ends within one interval of its session", () =>
  Effect.gen(function* () {
    const pokes = yield* Pokes
    const userId = randomUUID()
    const signedIn = yield* Ref.make(true)
    const events = yield* open(userId, Ref.get(signedIn))
    assert.deepStrictEqual(yield* events.next, [pokeEvent])
    yield* Ref.set(signedIn, false)
    for (let second = 10; second < 30; second += 10) {
      yield* TestClock.adjust("10 seconds")
      yield* pokes.publish(userId)
      assert.deepStrictEqual(yield* events.next, [pokeEvent])
    }
    yield* TestClock.adjust("10 seconds")
    yield* pokes.publish(userId)
    assert.isTrue(yield* events.ended)
  }).pipe(Effect.provide(RealtimeTest)),
)

it.scoped("every stream ends when the service closes", () =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const realtime = Context.get(yield* Layer.buildWithScope(RealtimeTest, scope), Realtime)
    const collected = yield* Effect.fork(Stream.runCollect(realtime.events(randomUUID(), Effect.succeed(true))))
    yield* TestClock.adjust("1 second")
    yield* Scope.close(scope, Exit.void)
    assert.deepStrictEqual(Chunk.toReadonlyArray(yield* Fiber.join(collected)), [pokeEvent])
  }),
)
