/**
 * The client's HTTP `SyncTransport` against the real server: pull, push and
 * poll round trips; the server's answers as the engine's failures (400
 * `InvalidCursor`, 423 `VaultLocked`, 401 and 413 `SyncRefused`, an
 * unreachable server `SyncUnavailable`); pokes from the realtime stream, kept
 * up by heartbeats and failed by the watchdog when they stop; and an engine
 * over it whose write reaches a second device through a poke.
 */
import { randomUUID } from "node:crypto"
import { Cookies } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { Protocol } from "@ignition/sync"
import { Broadcast, Engine, HttpTransport, Locks, OutboxStore, SyncTransport } from "@ignition/sync/client"
import { Duration, Effect, Fiber, Layer, Option, Ref, Stream, SubscriptionRef } from "effect"
import { registry } from "../../src/Sync/Entities.js"
import { envelopeJson } from "../support/KnowledgeBase.js"
import * as TestServerLayer from "../support/TestServer.js"
import { TestServer } from "../support/TestServer.js"
import { createVault, type Member, member } from "../support/Vault.js"

const heartbeat = Duration.millis(300)
const phone = Protocol.ClientId.make("phone")

/** The transport as `m`'s browser would use it: its session cookie and the page's `Origin` on every request. */
const transportOf = (m: Member, options: Omit<HttpTransport.Options, "fetch"> = {}) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestServer
    const cookie = Cookies.toCookieHeader(yield* Ref.get(m.cookies))
    return HttpTransport.make({
      baseUrl,
      heartbeat,
      ...options,
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: baseUrl } }),
    })
  })

const mutation = (mutationSeq: number, entity: string, op: string, args: unknown): Protocol.Mutation => ({
  mutationSeq,
  mutationId: `m${mutationSeq}-${randomUUID().slice(0, 8)}`,
  entity,
  op,
  args,
})

const theme = (seq: number, value: string) =>
  mutation(seq, "settings", "set", { id: "settings", fields: { theme: value } })

const pushRequest = (mutations: ReadonlyArray<Protocol.Mutation>): Protocol.PushRequest => ({
  protocolVersion: Protocol.PROTOCOL_VERSION,
  clientId: phone,
  mutations,
})

const pullRequest = (cursor: string | null): Protocol.PullRequest => ({
  protocolVersion: Protocol.PROTOCOL_VERSION,
  clientId: phone,
  cursor,
  limit: 500,
})

/** An engine of its own device (memory outbox, locks and tab hub) over `transport`, running in the scope. */
const device = (transport: SyncTransport.SyncTransport["Type"]) =>
  Effect.gen(function* () {
    const hub = yield* Broadcast.makeHub
    const context = yield* Layer.build(
      Engine.layer({ registry, baseDelay: "50 millis", maxDelay: "200 millis", pollInterval: "10 seconds" }).pipe(
        Layer.provide(
          Layer.mergeAll(
            OutboxStore.layerTest,
            Locks.layerTest,
            Broadcast.layerTest(hub),
            Layer.succeed(SyncTransport.SyncTransport, transport),
          ),
        ),
      ),
    )
    return Engine.SyncEngine.pipe(Effect.provide(context))
  }).pipe(Effect.flatten)

/** Waits (up to 10 s) until `check` holds. */
const eventually = (check: Effect.Effect<boolean>) =>
  Effect.gen(function* () {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (yield* check) return
      yield* Effect.sleep("50 millis")
    }
    assert.fail("the condition did not hold within 10 s")
  })

const status = (engine: Engine.Engine) => SubscriptionRef.get(engine.status)

layer(
  TestServerLayer.layer({
    config: { realtimeHeartbeat: heartbeat, maxJsonBodyBytes: 64 * 1024, recordMaxBytes: 1024 },
  }),
  {
    excludeTestServices: true,
  },
)("the HTTP sync transport", (it) => {
  it.effect("pulls, pushes and polls the signed-in user's change log", () =>
    Effect.gen(function* () {
      const me = yield* member("transport")
      const transport = yield* transportOf(me)
      const pushed = yield* transport.push(pushRequest([theme(1, "dark"), theme(3, "light")]))
      assert.deepStrictEqual(
        pushed.results.map((result) => result._tag),
        ["applied", "skipped-gap"],
      )
      const page = yield* transport.pull(pullRequest(null))
      assert.deepStrictEqual(
        page.changes.map((change) => [change._tag, change.entity, change.id]),
        [["put", "settings", "settings"]],
      )
      assert.strictEqual(page.lastMutationSeq, 1)
      const quiet = yield* transport.poll({
        protocolVersion: Protocol.PROTOCOL_VERSION,
        clientId: phone,
        cursor: page.cursor,
      })
      assert.isFalse(quiet.changed)
      assert.strictEqual(quiet.cursor, page.cursor)
    }),
  )

  it.effect("maps the server's refusals onto the engine's failures", () =>
    Effect.gen(function* () {
      const me = yield* member("transport-refusals")
      const transport = yield* transportOf(me)
      const garbage = yield* Effect.flip(transport.pull(pullRequest("not-a-cursor")))
      assert.strictEqual(garbage._tag, "InvalidCursor")

      const journal = mutation(1, "journal", "put", {
        id: randomUUID(),
        baseVersion: null,
        value: { mode: "standard", content: envelopeJson(), meta: null, entryDate: "2026-11-22", tags: [] },
      })
      yield* createVault(me)
      yield* me.client.vault.lock({ payload: { reason: "manual" } })
      const locked = yield* Effect.flip(transport.push(pushRequest([journal])))
      assert.strictEqual(locked._tag, "VaultLocked")

      const tooBig = Array.from({ length: 40 }, (_, index) =>
        mutation(index + 1, "settings", "set", { id: "settings", fields: { displayName: "x".repeat(2_000) } }),
      )
      const large = yield* Effect.flip(transport.push(pushRequest(tooBig)))
      assert.deepStrictEqual([large._tag, large._tag === "SyncRefused" ? large.status : 0], ["SyncRefused", 413])

      const { baseUrl } = yield* TestServer
      const anonymous = HttpTransport.make({ baseUrl })
      const signedOut = yield* Effect.flip(anonymous.pull(pullRequest(null)))
      assert.deepStrictEqual(
        [signedOut._tag, signedOut._tag === "SyncRefused" ? signedOut.status : 0],
        ["SyncRefused", 401],
      )
      const refusedStream = yield* Effect.flip(Stream.runDrain(anonymous.pokes))
      assert.strictEqual(refusedStream._tag, "SyncRefused")

      // Port 9 (discard) on loopback: nothing listens, the connection is refused.
      const nowhere = HttpTransport.make({ baseUrl: "http://127.0.0.1:9" })
      assert.strictEqual((yield* Effect.flip(nowhere.pull(pullRequest(null))))._tag, "SyncUnavailable")
      assert.strictEqual((yield* Effect.flip(Stream.runDrain(nowhere.pokes)))._tag, "SyncUnavailable")
    }),
  )

  it.effect("deletes a conflict copy through a push, leaving the record it came from", () =>
    Effect.gen(function* () {
      const me = yield* member("transport-copy")
      const transport = yield* transportOf(me)
      yield* createVault(me)
      const id = randomUUID()
      const value = { mode: "standard", content: envelopeJson(), meta: null, entryDate: "2026-11-22", tags: [] }
      const put = (seq: number) => mutation(seq, "journal", "put", { id, baseVersion: null, value })
      const written = yield* transport.push(pushRequest([put(1), put(2)]))
      const [, stale] = written.results
      const copyId = stale?._tag === "applied" ? stale.conflictCopyId : undefined
      if (copyId === undefined) return assert.fail("the stale put made no conflict copy")
      const copyVersion = stale?._tag === "applied" ? stale.version : null
      const removed = yield* transport.push(
        pushRequest([mutation(3, "journal", "delete", { id: copyId, baseVersion: copyVersion })]),
      )
      assert.strictEqual(removed.results[0]?._tag, "applied")
      const page = yield* transport.pull(pullRequest(null))
      assert.deepStrictEqual(
        page.changes.map((change) => [change._tag, change.id]),
        [
          ["put", id],
          ["deleted", copyId],
        ],
      )
      const entries = yield* me.client.journal.list({ urlParams: {} })
      assert.deepStrictEqual(
        entries.items.map((entry) => entry.id),
        [id],
      )
    }),
  )

  it.scoped("streams pokes across heartbeats; a stream that falls silent fails", () =>
    Effect.gen(function* () {
      const me = yield* member("transport-pokes")
      const transport = yield* transportOf(me)
      const received = yield* Ref.make(0)
      const listening = yield* Effect.forkScoped(
        Stream.runForEach(transport.pokes, () => Ref.update(received, (count) => count + 1)),
      )
      yield* eventually(Effect.map(Ref.get(received), (count) => count === 1))
      // Several heartbeat intervals without a write: heartbeats keep the watchdog quiet.
      yield* Effect.sleep(Duration.times(heartbeat, 4))
      assert.isTrue(Option.isNone(yield* Fiber.poll(listening)))
      yield* transport.push(pushRequest([theme(1, "dark")]))
      yield* eventually(Effect.map(Ref.get(received), (count) => count === 2))

      // A client expecting heartbeats ten times as often as this server sends them gives up on the stream.
      const impatient = yield* transportOf(me, { heartbeat: Duration.millis(30) })
      const failure = yield* Effect.flip(Stream.runDrain(impatient.pokes))
      assert.strictEqual(failure._tag, "SyncUnavailable")
      assert.include(failure.message, "heartbeat")
    }),
  )

  it.scoped("an engine's write reaches another device of the same user through a poke", () =>
    Effect.gen(function* () {
      const me = yield* member("transport-engine")
      const laptop = yield* device(yield* transportOf(me))
      const tablet = yield* device(yield* transportOf(me))
      yield* eventually(Effect.map(status(laptop), (status) => status.realtime))
      yield* eventually(Effect.map(status(tablet), (status) => status.realtime))
      const outcome = yield* laptop.mutate({
        entity: "settings",
        op: "set",
        args: { id: "settings", fields: { theme: "dark" } },
      })
      assert.strictEqual(outcome._tag, "Queued")
      yield* eventually(
        Effect.map(tablet.view("settings"), (rows) =>
          JSON.stringify(rows[0]?.value ?? null).includes('"theme":"dark"'),
        ),
      )
      yield* eventually(Effect.map(status(laptop), (status) => status.outbox === 0))
      const settings = yield* me.client.settings.get()
      assert.strictEqual(settings.settings.theme, "dark")
    }),
  )
})
