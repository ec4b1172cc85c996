/**
 * `GET /api/sync/realtime` through the real HTTP server: the session is
 * required, a connection starts with a poke, a write pokes only its user's
 * streams, heartbeats keep coming, signing out ends the stream at the next
 * heartbeat, and a shutdown ends every stream at once
 * instead of holding the server for its grace period. The writes are
 * published by a second `Pokes` over the same database, as another instance
 * would.
 */
import { Cookies } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Layer, Queue, Ref, Scope } from "effect"
import { Pokes } from "../../src/Sync/Pokes.js"
import * as RealtimeClient from "../support/RealtimeClient.js"
import * as TestServerLayer from "../support/TestServer.js"
import { TestServer } from "../support/TestServer.js"
import { type Member, member } from "../support/Vault.js"

const heartbeat = Duration.millis(300)

const connect = (m: Member) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestServer
    return yield* RealtimeClient.connect(baseUrl, Cookies.toCookieHeader(yield* Ref.get(m.cookies)))
  })

const nextEvent = (connection: RealtimeClient.RealtimeConnection) =>
  Queue.take(connection.events).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "no event" }))

layer(Layer.provideMerge(Pokes.Default, TestServerLayer.layer({ config: { realtimeHeartbeat: heartbeat } })), {
  excludeTestServices: true,
})("/api/sync/realtime", (it) => {
  it.scoped("refuses a request without a session (401)", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestServer
      const connection = yield* RealtimeClient.connect(baseUrl, "")
      assert.strictEqual(connection.status, 401)
    }),
  )

  it.scoped("streams the user's pokes as Server-Sent Events, starting with one", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const me = yield* member("realtime")
      const connection = yield* connect(me)
      assert.strictEqual(connection.status, 200)
      assert.strictEqual(connection.contentType, "text/event-stream")
      assert.deepStrictEqual(yield* nextEvent(connection), { event: "poke", data: '{"protocolVersion":1}' })
      yield* pokes.publish(me.userId)
      let next = yield* nextEvent(connection)
      while (next.event === "heartbeat") next = yield* nextEvent(connection)
      assert.deepStrictEqual(next, { event: "poke", data: '{"protocolVersion":1}' })
    }),
  )

  it.scoped("another user's write never reaches this user's stream; heartbeats keep coming", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const me = yield* member("quiet")
      const other = yield* member("busy")
      const mine = yield* connect(me)
      const theirs = yield* connect(other)
      assert.strictEqual((yield* nextEvent(mine)).event, "poke")
      assert.strictEqual((yield* nextEvent(theirs)).event, "poke")
      for (let i = 0; i < 5; i++) yield* pokes.publish(other.userId)
      let received = yield* nextEvent(theirs)
      while (received.event === "heartbeat") received = yield* nextEvent(theirs)
      // Both streams hang off the same listener: by now a leaked poke would have reached `mine`.
      const seen = yield* Effect.forEach([1, 2, 3], () => nextEvent(mine))
      assert.deepStrictEqual(
        seen.map((event) => event.event),
        ["heartbeat", "heartbeat", "heartbeat"],
      )
      assert.deepStrictEqual(seen[0], { event: "heartbeat", data: "{}" })
    }),
  )

  it.scoped("a stream ends at the next heartbeat once its session is signed out", () =>
    Effect.gen(function* () {
      const me = yield* member("leaving")
      const connection = yield* connect(me)
      assert.strictEqual((yield* nextEvent(connection)).event, "poke")
      yield* me.client.auth.logout()
      yield* Deferred.await(connection.ended).pipe(
        Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "open" }),
      )
    }),
  )
})

describe("/api/sync/realtime on shutdown", () => {
  it.live("ends every open stream when the server stops, well within the shutdown grace period", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const server = yield* Layer.buildWithScope(
        TestServerLayer.layer({ config: { shutdownGrace: Duration.seconds(20) } }),
        scope,
      )
      const me = yield* member("leaving").pipe(Effect.provide(server))
      const connection = yield* Effect.scoped(
        Effect.gen(function* () {
          const connection = yield* connect(me).pipe(Effect.provide(server))
          assert.strictEqual((yield* nextEvent(connection)).event, "poke")
          const started = Date.now()
          yield* Scope.close(scope, Exit.void)
          yield* Deferred.await(connection.ended)
          assert.isBelow(Date.now() - started, 10_000)
          return connection
        }),
      )
      assert.isTrue(yield* Deferred.isDone(connection.ended))
    }),
  )
})
