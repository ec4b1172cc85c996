import { assert, describe, it } from "@effect/vitest"
import {
  Chunk,
  Context,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Ref,
  Schema,
  Scope,
  Stream,
  SubscriptionRef,
  TestClock,
  TestServices,
} from "effect"
import { Broadcast, connect } from "../../src/client/Broadcast.js"
import { SyncUnavailable, VaultLocked } from "../../src/client/ClientError.js"
import * as Engine from "../../src/client/Engine.js"
import { Locks } from "../../src/client/Locks.js"
import { OutboxStore } from "../../src/client/OutboxStore.js"
import { SyncTransport } from "../../src/client/SyncTransport.js"
import * as Entity from "../../src/Entity.js"
import { makeDevice, makeServer, makeTab, registry, type TestServer, user, valuesOf } from "./harness.js"

const setTheme = (theme: string) => ({ entity: "settings", op: "set", args: { id: "me", fields: { theme } } })
const putNote = (id: string, baseVersion: number | null, ct: string) => ({
  entity: "journal",
  op: "put",
  args: { id, baseVersion, value: { ct } },
})
const add = (n: number) => ({ entity: "tally", op: "add", args: { id: "total", input: { n } } })

/**
 * Lets forked fibers run whatever is not waiting on the test clock. Cursors
 * are signed with WebCrypto, which answers on the real event loop, so this
 * waits a little real time as well.
 */
const settle = Effect.repeatN(
  Effect.zipRight(Effect.repeatN(Effect.yieldNow(), 20), TestServices.provideLive(Effect.sleep("2 millis"))),
  10,
)

/** Runs `check` until it passes (background work on the real event loop may need a moment), for up to 5 s. */
const eventually = <A, E>(check: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    for (let attempt = 0; ; attempt++) {
      const exit = yield* Effect.exit(check)
      if (Exit.isSuccess(exit) || attempt === 500) return yield* exit
      yield* settle
    }
  })

const status = (engine: Engine.Engine) => SubscriptionRef.get(engine.status)

const storedTotal = (server: TestServer) =>
  Effect.map(
    server.store.transaction(user, (transaction) => transaction.row("tally", "total")),
    (row) => Option.getOrUndefined(Option.flatMap(row, (found) => found.value)),
  )

describe("Engine", () => {
  it.effect("shows a write at once, pushes it, and drops it from the outbox once a pull reports it consumed", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      const outcome = yield* tab.mutate(setTheme("dark"))
      assert.strictEqual(outcome._tag, "Queued")
      const [pending] = yield* tab.view("settings")
      assert.isTrue(pending?.pending)
      assert.deepStrictEqual(pending?.value, { fields: { theme: "dark" }, stamps: { theme: 1 } })
      assert.strictEqual((yield* status(tab)).outbox, 1)

      yield* tab.flush
      const [saved] = yield* tab.view("settings")
      assert.isFalse(saved?.pending)
      assert.deepStrictEqual(saved?.value, { fields: { theme: "dark" }, stamps: { theme: 1 } })
      assert.strictEqual((yield* status(tab)).outbox, 0)
      assert.strictEqual(yield* server.store.lastMutationSeq(user, tab.clientId), 1)
    }),
  )

  it.effect("rebases a pending field over a newer pull: the pending write stays on top", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const mine = yield* makeTab(yield* makeDevice, server.transport)
      const other = yield* makeTab(yield* makeDevice, server.transport)
      yield* mine.mutate({ entity: "settings", op: "set", args: { id: "me", fields: { theme: "dark" } } })
      yield* other.mutate({
        entity: "settings",
        op: "set",
        args: { id: "me", fields: { theme: "light", locale: "de" } },
      })
      yield* other.flush
      yield* mine.pull
      const view = yield* valuesOf(mine, "settings")
      assert.deepStrictEqual(view.me, { fields: { theme: "dark", locale: "de" }, stamps: { theme: 2, locale: 1 } })
      yield* mine.flush
      yield* other.pull
      assert.deepStrictEqual(yield* valuesOf(other, "settings"), yield* valuesOf(mine, "settings"))
    }),
  )

  it.effect("surfaces a rejection once and does not retry it", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      yield* tab.mutate(add(0))
      yield* tab.mutate(add(5))
      yield* tab.flush
      yield* tab.flush
      const current = yield* status(tab)
      assert.strictEqual(current.rejections.length, 1)
      assert.strictEqual(current.rejections[0]?.mutationSeq, 1)
      assert.match(current.rejections[0]?.reason ?? "", /invalid arguments/)
      assert.strictEqual(current.outbox, 0)
      assert.strictEqual((yield* Ref.get(server.calls)).push, 1)
      assert.deepStrictEqual(yield* storedTotal(server), { total: 5 })
      yield* tab.dismissRejection(1)
      assert.strictEqual((yield* status(tab)).rejections.length, 0)
    }),
  )

  it.scoped("retries an unreachable server with exponential back-off and jitter, then delivers", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      yield* Ref.set(server.online, false)
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      yield* tab.start
      yield* settle
      yield* tab.mutate(setTheme("dark"))
      yield* settle
      const pushes = () => Effect.map(Ref.get(server.calls), (calls) => calls.push)
      assert.strictEqual(yield* pushes(), 1)
      assert.isFalse((yield* status(tab)).online)
      // Delays of 1 s, 2 s, 4 s, 8 s, 16 s, each jittered to 80–120 %: nothing before 80 %, a retry by 120 %.
      // The clock moves in steps of 2 % of a delay, so a retry is seen up to one step late.
      for (const [index, base] of [1000, 2000, 4000, 8000, 16000].entries()) {
        yield* TestClock.adjust(base * 0.78)
        yield* Effect.repeatN(Effect.yieldNow(), 5)
        assert.strictEqual(yield* pushes(), index + 1, `no retry ${index + 1} before 80 % of ${base} ms`)
        let waited = base * 0.78
        while ((yield* pushes()) === index + 1 && waited <= base * 1.2) {
          yield* TestClock.adjust(base / 50)
          yield* Effect.repeatN(Effect.yieldNow(), 5)
          waited += base / 50
        }
        assert.strictEqual(yield* pushes(), index + 2, `retry ${index + 1} by 120 % of ${base} ms`)
      }
      yield* Ref.set(server.online, true)
      yield* TestClock.adjust("40 seconds")
      yield* eventually(
        Effect.map(status(tab), (current) => {
          assert.strictEqual(current.outbox, 0)
          assert.isTrue(current.online)
        }),
      )
      assert.strictEqual(yield* server.store.lastMutationSeq(user, tab.clientId), 1)
    }),
  )

  it.effect("keeps a write in view when a pull reports it consumed before its row is in the pulled page", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const gates = [yield* Deferred.make<void>(), yield* Deferred.make<void>()]
      const pulls = yield* Ref.make(0)
      // The first pull reads its page, then (after a push commits) the client's last seq: the server's read order.
      const racing = SyncTransport.of({
        ...server.transport,
        pull: (request) =>
          Effect.gen(function* () {
            const call = yield* Ref.getAndUpdate(pulls, (n) => n + 1)
            if (call === 1) yield* Deferred.await(gates[1] ?? assert.fail("no gate"))
            const page = yield* server.transport.pull(request)
            if (call !== 0) return page
            yield* Deferred.await(gates[0] ?? assert.fail("no gate"))
            const lastMutationSeq = yield* Effect.orDie(server.store.lastMutationSeq(user, request.clientId))
            return { ...page, lastMutationSeq }
          }),
      })
      const tab = yield* makeTab(yield* makeDevice, racing)
      yield* tab.mutate({ entity: "slots", op: "upsert", args: { id: "a", value: { seq: 1 } } })
      const pulling = yield* Effect.fork(tab.pull)
      yield* Effect.repeatN(Effect.yieldNow(), 10)
      const flushing = yield* Effect.fork(tab.flush)
      while ((yield* server.store.lastMutationSeq(user, tab.clientId)) < 1) yield* Effect.yieldNow()
      yield* Deferred.succeed(gates[0] ?? assert.fail("no gate"), undefined)
      yield* Fiber.join(pulling)
      assert.deepStrictEqual(yield* valuesOf(tab, "slots"), { a: { seq: 1 } }, "still shown, from the pending write")
      yield* Deferred.succeed(gates[1] ?? assert.fail("no gate"), undefined)
      yield* Fiber.join(flushing)
      const [row] = yield* tab.view("slots")
      assert.isFalse(row?.pending)
      assert.deepStrictEqual(row?.value, { seq: 1 })
    }),
  )

  it.effect("answers 410 with a full resync that keeps the outbox", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      const other = yield* makeTab(yield* makeDevice, server.transport)
      yield* tab.pull
      yield* other.mutate({ entity: "slots", op: "upsert", args: { id: "a", value: { seq: 1 } } })
      yield* other.mutate({ entity: "slots", op: "upsert", args: { id: "b", value: { seq: 2 } } })
      yield* other.mutate({ entity: "slots", op: "delete", args: { id: "a" } })
      yield* other.flush
      assert.isAbove(yield* server.store.expireTombstones(user, Number.MAX_SAFE_INTEGER), 0)
      yield* tab.mutate(setTheme("light"))

      yield* tab.pull
      assert.deepStrictEqual(yield* valuesOf(tab, "slots"), { b: { seq: 2 } })
      const [pending] = yield* tab.view("settings")
      assert.isTrue(pending?.pending)
      assert.deepInclude(pending?.value, { fields: { theme: "light" } })
      assert.strictEqual((yield* status(tab)).outbox, 1, "the outbox survives the resync")
      yield* tab.flush
      assert.strictEqual((yield* status(tab)).outbox, 0)
    }),
  )

  it.effect("never queues an encrypted write offline: it is unsaved and nothing is stored", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const device = yield* makeDevice
      const tab = yield* makeTab(device, server.transport)
      yield* Ref.set(server.online, false)
      yield* Effect.flip(tab.pull)
      const outcome = yield* tab.mutate(putNote("n1", null, "sealed"))
      assert.deepStrictEqual(outcome, { _tag: "Unsaved", reason: "offline" })
      assert.deepStrictEqual(yield* device.outbox.list, [])
      assert.deepStrictEqual((yield* status(tab)).unsaved, [{ entity: "journal", id: "n1", reason: "offline" }])
      // Other writes are queued as usual.
      assert.strictEqual((yield* tab.mutate(setTheme("dark")))._tag, "Queued")

      yield* Ref.set(server.online, true)
      yield* tab.setOnline(true)
      const saved = yield* tab.mutate(putNote("n1", null, "sealed"))
      assert.strictEqual(saved._tag, "Saved")
      assert.deepStrictEqual((yield* status(tab)).unsaved, [])
      assert.deepStrictEqual(yield* valuesOf(tab, "journal"), { n1: { ct: "sealed" } })
    }),
  )

  it.effect("takes the platform's offline hint, and forgets an unsaved write the user discards", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      yield* tab.setOnline(false)
      assert.deepStrictEqual(yield* tab.mutate(putNote("n1", null, "sealed")), { _tag: "Unsaved", reason: "offline" })
      assert.strictEqual((yield* Ref.get(server.calls)).push, 0, "nothing was sent")
      yield* tab.discardUnsaved("journal", "n1")
      assert.deepStrictEqual((yield* status(tab)).unsaved, [])
    }),
  )

  it.effect("lists an encrypted write the server has not acknowledged as unsaved until it has", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      yield* Ref.set(server.online, false)
      const outcome = yield* tab.mutate(putNote("n1", null, "sealed"))
      assert.strictEqual(outcome._tag, "Sending")
      assert.deepStrictEqual((yield* status(tab)).unsaved, [{ entity: "journal", id: "n1", reason: "sending" }])
      yield* Ref.set(server.online, true)
      yield* tab.flush
      assert.deepStrictEqual((yield* status(tab)).unsaved, [])
    }),
  )

  it.effect("turns a stale encrypted write into a conflict copy and lists it", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const mine = yield* makeTab(yield* makeDevice, server.transport)
      const other = yield* makeTab(yield* makeDevice, server.transport)
      yield* mine.mutate(putNote("n1", null, "first"))
      yield* other.pull
      yield* mine.mutate(putNote("n1", 1, "second"))
      const stale = yield* other.mutate(putNote("n1", 1, "theirs"))
      assert.strictEqual(stale._tag, "Saved")
      const copy = stale._tag === "Saved" ? stale.conflictCopyId : null
      assert.isNotNull(copy)
      yield* mine.pull
      assert.deepStrictEqual(
        (yield* status(mine)).conflicts.map(({ entity, id, origin }) => ({ entity, id, origin })),
        [{ entity: "journal", id: copy ?? "", origin: "n1" }],
      )
    }),
  )

  it.effect("applies the vault state from every pull and never lets an older epoch unlock a newer lock", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      yield* server.store.setVault(user, { locked: true, epoch: 2, reason: "remote" })
      yield* tab.pull
      assert.deepStrictEqual((yield* status(tab)).vault, { locked: true, epoch: 2, reason: "remote" })
      assert.deepStrictEqual(yield* tab.mutate(putNote("n1", null, "x")), { _tag: "Unsaved", reason: "vault-locked" })

      yield* server.store.setVault(user, { locked: false, epoch: 1, reason: null })
      yield* tab.pull
      assert.isTrue((yield* status(tab)).vault?.locked)
      yield* server.store.setVault(user, { locked: false, epoch: 2, reason: null })
      yield* tab.poll
      assert.isFalse((yield* status(tab)).vault?.locked)
      assert.strictEqual((yield* tab.mutate(putNote("n1", null, "x")))._tag, "Saved")
    }),
  )

  it.scoped("stops pushing on 423 and resumes once a pull shows the vault unlocked", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const guarded = SyncTransport.of({
        ...server.transport,
        push: (request) =>
          Effect.flatMap(Effect.orDie(server.store.head(user)), (head) =>
            head.vault.locked
              ? Effect.zipRight(
                  Ref.update(server.calls, (calls) => ({ ...calls, push: calls.push + 1 })),
                  Effect.fail(new VaultLocked({ message: "the vault is locked" })),
                )
              : server.transport.push(request),
          ),
      })
      const tab = yield* makeTab(yield* makeDevice, guarded)
      yield* tab.start
      yield* settle
      yield* server.store.setVault(user, { locked: true, epoch: 1, reason: "idle" })
      yield* tab.mutate(setTheme("dark"))
      yield* settle
      yield* TestClock.adjust("10 minutes")
      yield* settle
      assert.strictEqual((yield* Ref.get(server.calls)).push, 1, "a 423 is not retried on a timer")
      assert.strictEqual((yield* status(tab)).outbox, 1)

      yield* server.store.setVault(user, { locked: false, epoch: 1, reason: null })
      yield* tab.pull
      yield* eventually(Effect.map(status(tab), (current) => assert.strictEqual(current.outbox, 0)))
      assert.strictEqual(yield* server.store.lastMutationSeq(user, tab.clientId), 1)
    }),
  )

  it.scoped("pulls when poked, and not when already at the poked version", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      const other = yield* makeTab(yield* makeDevice, server.transport)
      yield* tab.start
      yield* eventually(Effect.map(status(tab), (current) => assert.isTrue(current.realtime)))
      yield* other.mutate(add(3))
      yield* other.flush
      yield* eventually(
        Effect.map(valuesOf(tab, "tally"), (values) => assert.deepStrictEqual(values.total, { total: 3 })),
      )
      const pulls = (yield* Ref.get(server.calls)).pull
      yield* server.local.poke(1)
      yield* settle
      assert.strictEqual((yield* Ref.get(server.calls)).pull, pulls)
    }),
  )

  it.scoped("polls every 60 s while the realtime channel is down, and resyncs a cache that drifted", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const noRealtime = SyncTransport.of({
        ...server.transport,
        pokes: Stream.fail(new SyncUnavailable({ message: "no realtime" })),
      })
      const other = yield* makeTab(yield* makeDevice, server.transport)
      yield* other.mutate(add(1))
      yield* other.flush
      const tab = yield* makeTab(yield* makeDevice, noRealtime)
      yield* tab.start
      yield* settle
      const polls = () => Effect.map(Ref.get(server.calls), (calls) => calls.poll)
      assert.isFalse((yield* status(tab)).realtime)
      yield* TestClock.adjust("59 seconds")
      yield* settle
      assert.strictEqual(yield* polls(), 0)
      // A row the cache never got, at a version it already passed: only the digest can tell.
      yield* server.store.transaction(user, (transaction) =>
        Effect.flatMap(transaction.version, (version) =>
          transaction.write({
            entity: "slots",
            id: "lost",
            version,
            value: Option.some({ seq: 9 }),
            writtenAt: 0,
          }),
        ),
      )
      yield* TestClock.adjust("1 second")
      yield* eventually(
        Effect.map(valuesOf(tab, "slots"), (values) => assert.deepStrictEqual(values, { lost: { seq: 9 } })),
      )
      assert.strictEqual(yield* polls(), 1)
      yield* TestClock.adjust("60 seconds")
      yield* settle
      assert.strictEqual(yield* polls(), 2)
    }),
  )

  it.effect("polls focus and planner entities every 30 s, others every 60 s", () =>
    Effect.sync(() => {
      assert.strictEqual(Engine.pollIntervalFor(registry).toString(), "Duration(1m)")
      const planner = Entity.lwwFields("planner", Schema.Struct({ day: Schema.String }))
      assert.strictEqual(Engine.pollIntervalFor(Entity.registry(planner)).toString(), "Duration(30s)")
    }),
  )

  it.scoped("tells the other tabs of the device: they show its pending writes and pull after its flush", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const device = yield* makeDevice
      const writer = yield* makeTab(device, server.transport)
      const reader = yield* makeTab(device, server.transport)
      assert.strictEqual(writer.clientId, reader.clientId, "tabs of one device push as one client")
      yield* reader.start
      yield* settle
      yield* writer.mutate(add(4))
      yield* eventually(
        Effect.map(reader.view("tally"), ([pending]) => {
          assert.isTrue(pending?.pending)
          assert.deepStrictEqual(pending?.value, { total: 4 })
        }),
      )
      yield* writer.flush
      yield* eventually(
        Effect.map(reader.view("tally"), ([pulled]) => {
          assert.isFalse(pulled?.pending)
          assert.deepStrictEqual(pulled?.value, { total: 4 })
        }),
      )
      assert.strictEqual((yield* status(reader)).outbox, 0)
    }),
  )

  it.scoped(
    "keeps one realtime channel per device: its holder relays pokes, and another tab takes over when it closes",
    () =>
      Effect.gen(function* () {
        const server = yield* makeServer
        const subscriptions = yield* Ref.make(0)
        const counted = SyncTransport.of({
          ...server.transport,
          pokes: Stream.unwrap(
            Effect.as(
              Ref.update(subscriptions, (n) => n + 1),
              server.transport.pokes,
            ),
          ),
        })
        const device = yield* makeDevice
        const [first, second] = [yield* makeTab(device, counted), yield* makeTab(device, counted)]
        const firstScope = yield* Scope.make()
        yield* Scope.extend(first.start, firstScope)
        yield* settle
        yield* second.start
        yield* eventually(
          Effect.map(status(second), (current) =>
            assert.isTrue(current.realtime, "the holder tells the others the channel is up"),
          ),
        )
        assert.strictEqual(yield* Ref.get(subscriptions), 1)

        const other = yield* makeTab(yield* makeDevice, server.transport)
        yield* other.mutate(add(6))
        yield* other.flush
        yield* eventually(
          Effect.map(valuesOf(second, "tally"), (values) =>
            assert.deepStrictEqual(values.total, { total: 6 }, "a relayed poke"),
          ),
        )

        yield* Scope.close(firstScope, Exit.void)
        yield* eventually(
          Effect.map(Ref.get(subscriptions), (count) => assert.strictEqual(count, 2, "the next tab opens the channel")),
        )
        yield* other.mutate(add(1))
        yield* other.flush
        yield* eventually(
          Effect.map(valuesOf(second, "tally"), (values) => assert.deepStrictEqual(values.total, { total: 7 })),
        )
      }),
  )

  it.effect("a tab killed mid-flush strands nothing: another tab resends and the server applies it once", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const device = yield* makeDevice
      const never = yield* Deferred.make<never>()
      // The push reaches the server, and the tab dies before the answer does.
      const dying = SyncTransport.of({
        ...server.transport,
        push: (request) => Effect.zipRight(server.transport.push(request), Deferred.await(never)),
      })
      const doomed = yield* makeTab(device, dying)
      const survivor = yield* makeTab(device, server.transport)
      yield* doomed.mutate(add(2))
      yield* doomed.mutate(add(3))
      const flushing = yield* Effect.fork(doomed.flush)
      yield* Effect.repeatN(Effect.yieldNow(), 20)
      yield* Fiber.interrupt(flushing)
      const results = yield* survivor.flush
      assert.deepStrictEqual(
        results.map((result) => result._tag),
        ["duplicate", "duplicate"],
      )
      assert.deepStrictEqual(yield* storedTotal(server), { total: 5 })
      assert.strictEqual((yield* status(survivor)).outbox, 0)
    }),
  )

  it.scoped("streams a view that follows writes and pulls", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      const views = yield* Effect.fork(
        Stream.runCollect(
          tab.views("tally").pipe(
            Stream.map((rows) => rows.map((row) => ({ value: row.value, pending: row.pending }))),
            Stream.changesWith((a, b) => JSON.stringify(a) === JSON.stringify(b)),
            Stream.take(3),
          ),
        ),
      )
      yield* settle
      yield* tab.mutate(add(2))
      // A view is computed when the stream gets to it: one that falls behind sees only the latest state.
      yield* settle
      yield* tab.flush
      assert.deepStrictEqual(Chunk.toArray(yield* Fiber.join(views)), [
        [],
        [{ value: { total: 2 }, pending: true }],
        [{ value: { total: 2 }, pending: false }],
      ])
    }),
  )

  it.scoped("runs as a layer: the engine service with its background work started", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const device = yield* makeDevice
      // Built in the test's scope: the background work runs until the test ends.
      const services = yield* Layer.build(
        Engine.layer({ registry }).pipe(
          Layer.provide(
            Layer.mergeAll(
              Layer.succeed(OutboxStore, device.outbox),
              Layer.succeed(Locks, device.locks),
              Layer.succeed(Broadcast, connect(device.hub)),
              Layer.succeed(SyncTransport, server.transport),
            ),
          ),
        ),
      )
      const engine = Context.get(services, Engine.SyncEngine)
      yield* engine.mutate(add(8))
      yield* eventually(Effect.map(status(engine), (current) => assert.strictEqual(current.outbox, 0)))
      assert.deepStrictEqual(yield* storedTotal(server), { total: 8 })
    }),
  )

  it.scoped("streams the outbox count for the offline banner", () =>
    Effect.gen(function* () {
      const server = yield* makeServer
      const tab = yield* makeTab(yield* makeDevice, server.transport)
      const counts = yield* Effect.fork(Stream.runCollect(Stream.take(tab.outboxCount, 4)))
      yield* settle
      yield* tab.mutate(add(1))
      yield* tab.mutate(add(1))
      yield* tab.flush
      assert.deepStrictEqual(Chunk.toArray(yield* Fiber.join(counts)), [0, 1, 2, 0])
    }),
  )
})
