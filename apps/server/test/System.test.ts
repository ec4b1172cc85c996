import { HttpApi, HttpApiBuilder } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { SystemApi } from "@ignition/api"
import { Effect, Layer } from "effect"
import * as Migrations from "../src/Database/Migrations.js"
import { SystemLive } from "../src/System/Http.js"
import * as TestDatabase from "./support/TestDatabase.js"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

layer(TestServerLayer.layer())("system endpoints through the derived client", (it) => {
  it.effect("GET /health answers ok", () =>
    Effect.gen(function* () {
      const { client } = yield* TestServer
      const health = yield* client.system.health()
      assert.strictEqual(health.status, "ok")
    }),
  )

  it.effect("GET /ready reports the engine and the migration head", () =>
    Effect.gen(function* () {
      const { client } = yield* TestServer
      const ready = yield* client.system.ready()
      assert.strictEqual(ready.status, "ready")
      assert.strictEqual(ready.database.engine, TestDatabase.engine)
      assert.strictEqual(ready.migrations.head, Migrations.head)
      assert.isAtLeast(ready.migrations.applied, 1)
      assert.isAtLeast(ready.database.latencyMs, 0)
    }),
  )

  it.effect("GET /api/version names the release, the contract and a stable instance id", () =>
    Effect.gen(function* () {
      const { client } = yield* TestServer
      const first = yield* client.system.version()
      const second = yield* client.system.version()
      assert.strictEqual(first.name, "ignition")
      assert.match(first.version, /^\d+\.\d+\.\d+/)
      assert.strictEqual(first.contractVersion, 1)
      assert.match(first.instanceId, uuid)
      assert.strictEqual(second.instanceId, first.instanceId)
    }),
  )

  it.effect("GET /api/openapi.json documents every system endpoint", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestServer
      const response = yield* Effect.promise(() => fetch(`${baseUrl}/api/openapi.json`))
      assert.strictEqual(response.status, 200)
      const spec = (yield* Effect.promise(() => response.json())) as { openapi: string; paths: Record<string, unknown> }
      assert.match(spec.openapi, /^3\./)
      for (const path of ["/health", "/ready", "/api/version"]) assert.property(spec.paths, path)
    }),
  )

  it.effect("an unknown route answers 404 with a JSON NotFound", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestServer
      const response = yield* Effect.promise(() => fetch(`${baseUrl}/no/such/route?secret=1`))
      assert.strictEqual(response.status, 404)
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/)
      const body = (yield* Effect.promise(() => response.json())) as { _tag: string; message: string }
      assert.deepStrictEqual(body, { _tag: "NotFound", message: "No route for GET /no/such/route" })
    }),
  )
})

// Only the system group: the other handlers read their tables when they start.
const systemOnly = HttpApiBuilder.api(HttpApi.make("ignition").add(SystemApi.SystemApi)).pipe(Layer.provide(SystemLive))

layer(TestServerLayer.layer({ database: TestDatabase.empty, api: systemOnly }))(
  "a server over an unmigrated database",
  (it) => {
    it.effect("answers /ready with 503 NotReady listing the pending migrations", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* TestServer
        const answer = yield* Effect.promise(() =>
          fetch(`${baseUrl}/ready`).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown })),
        )
        assert.strictEqual(answer.status, 503)
        assert.deepStrictEqual(answer.body, {
          _tag: "NotReady",
          message: `${Migrations.names.length} migration(s) not applied yet`,
          database: "reachable",
          pendingMigrations: Migrations.names,
        })
      }),
    )

    it.effect("still answers /health: the process is alive", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* TestServer
        assert.strictEqual(yield* Effect.promise(() => fetch(`${baseUrl}/health`).then((r) => r.status)), 200)
      }),
    )
  },
)
