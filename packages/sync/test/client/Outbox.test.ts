import { assert, describe, it } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Random, Stream } from "effect"
import * as Broadcast from "../../src/client/Broadcast.js"
import * as Locks from "../../src/client/Locks.js"
import * as Outbox from "../../src/client/Outbox.js"
import * as OutboxStoreModule from "../../src/client/OutboxStore.js"
import { OutboxStore } from "../../src/client/OutboxStore.js"

/** The memory store made asynchronous like IndexedDB: every call yields, so tabs interleave between the reads and writes. */
const interleaving = (store: OutboxStore["Type"]): OutboxStore["Type"] => ({
  clientId: (candidate) => Effect.zipRight(Effect.yieldNow(), store.clientId(candidate)),
  lastSeq: Effect.zipRight(Effect.yieldNow(), store.lastSeq),
  add: (mutation) => Effect.zipRight(Effect.yieldNow(), store.add(mutation)),
  list: Effect.zipRight(Effect.yieldNow(), store.list),
  acknowledge: (through) => Effect.zipRight(Effect.yieldNow(), store.acknowledge(through)),
})

const draft = (n: number) => ({ entity: "tally", op: "add", args: { id: "total", input: { n } } })

describe("Outbox", () => {
  it.effect("allocates gapless seqs to tabs appending at once, and keeps the seq after acknowledgement", () =>
    Effect.gen(function* () {
      const store = interleaving(yield* OutboxStoreModule.makeMemory)
      const locks = yield* Locks.makeMemory
      const clientId = yield* Effect.provideService(Outbox.clientId, OutboxStore, store)
      const tab = (n: number) =>
        Outbox.append(clientId, draft(n)).pipe(
          Effect.provideService(OutboxStore, store),
          Effect.provideService(Locks.Locks, locks),
        )
      const appended = yield* Effect.all(
        Array.from({ length: 40 }, (_, index) => tab(index + 1)),
        { concurrency: "unbounded" },
      )
      assert.deepStrictEqual(
        appended.map((mutation) => mutation.mutationSeq).sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, index) => index + 1),
      )
      assert.strictEqual(new Set(appended.map((mutation) => mutation.mutationId)).size, 40)
      yield* store.acknowledge(40)
      assert.deepStrictEqual(yield* store.list, [])
      assert.strictEqual((yield* tab(1)).mutationSeq, 41)
    }),
  )

  it.effect("gives every tab of a device the client id the first one stored", () =>
    Effect.gen(function* () {
      const store = yield* OutboxStoreModule.makeMemory
      const first = yield* Effect.provideService(Outbox.clientId, OutboxStore, store)
      const second = yield* Effect.provideService(Outbox.clientId, OutboxStore, store).pipe(
        Effect.withRandom(Random.make("another tab")),
      )
      assert.strictEqual(first, second)
      assert.match(first, /^[A-Za-z0-9_-]{20}$/)
    }),
  )

  it.effect("draws ids from the Random service, so a seed repeats them", () =>
    Effect.gen(function* () {
      const seeded = (seed: string) => Effect.withRandom(Outbox.randomId, Random.make(seed))
      assert.strictEqual(yield* seeded("seed"), yield* seeded("seed"))
      assert.notStrictEqual(yield* seeded("seed"), yield* seeded("other"))
    }),
  )
})

describe("Locks", () => {
  it.effect("hold one holder at a time and release when the holder is interrupted (a closed tab)", () =>
    Effect.gen(function* () {
      const locks = yield* Locks.makeMemory
      const order: Array<string> = []
      const holder = yield* Effect.fork(
        locks.withLock("flush")(
          Effect.zipRight(
            Effect.sync(() => order.push("first in")),
            Effect.never,
          ),
        ),
      )
      yield* Effect.yieldNow()
      const waiter = yield* Effect.fork(locks.withLock("flush")(Effect.sync(() => order.push("second in"))))
      yield* Effect.repeatN(Effect.yieldNow(), 10)
      assert.deepStrictEqual(order, ["first in"])
      // Another name is not blocked.
      yield* locks.withLock("other")(Effect.sync(() => order.push("other")))
      yield* Fiber.interrupt(holder)
      yield* Fiber.join(waiter)
      assert.deepStrictEqual(order, ["first in", "other", "second in"])
    }),
  )
})

describe("Broadcast", () => {
  it.scoped("delivers a tab's messages to the other tabs, not to itself", () =>
    Effect.gen(function* () {
      const hub = yield* Broadcast.makeHub
      const [sender, receiver] = [Broadcast.connect(hub), Broadcast.connect(hub)]
      const toReceiver = yield* Effect.fork(Stream.runCollect(Stream.take(yield* receiver.subscribe, 2)))
      const toSender = yield* Effect.fork(Stream.runCollect(Stream.take(yield* sender.subscribe, 1)))
      yield* sender.publish({ _tag: "outbox-changed" })
      yield* sender.publish({ _tag: "flushed" })
      assert.deepStrictEqual(Chunk.toArray(yield* Fiber.join(toReceiver)), [
        { _tag: "outbox-changed" },
        { _tag: "flushed" },
      ])
      const rejected = { _tag: "rejected", mutationSeq: 1, mutationId: "m", entity: "e", op: "o", reason: "r" } as const
      yield* receiver.publish(rejected)
      // The sender's first message is the receiver's, not one of its own.
      assert.deepStrictEqual(Chunk.toArray(yield* Fiber.join(toSender)), [rejected])
    }),
  )

  it.scoped("does the same over a real BroadcastChannel, ignoring messages it cannot read", () =>
    Effect.gen(function* () {
      const open = Effect.map(Layer.build(Broadcast.layer("ignition-sync-test")), Context.get(Broadcast.Broadcast))
      const [sender, receiver] = [yield* open, yield* open]
      const toReceiver = yield* Effect.fork(Stream.runCollect(Stream.take(yield* receiver.subscribe, 2)))
      const toSender = yield* Effect.fork(Stream.runCollect(Stream.take(yield* sender.subscribe, 1)))
      const foreign = new BroadcastChannel("ignition-sync-test")
      foreign.postMessage({ _tag: "from-another-version" })
      foreign.close()
      yield* sender.publish({ _tag: "outbox-changed" })
      yield* sender.publish({ _tag: "flushed" })
      assert.deepStrictEqual(Chunk.toArray(yield* Fiber.join(toReceiver)), [
        { _tag: "outbox-changed" },
        { _tag: "flushed" },
      ])
      yield* receiver.publish({ _tag: "flushed" })
      assert.deepStrictEqual(Chunk.toArray(yield* Fiber.join(toSender)), [{ _tag: "flushed" }])
    }),
  )
})
