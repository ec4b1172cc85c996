import * as http from "node:http"
import { assert, describe, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Layer, Scope } from "effect"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"

/** Start a server in its own scope, so the test decides when it shuts down. */
const startServer = (options: TestServerLayer.Options = {}) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(TestServerLayer.layer(options), scope)
    return { server: Context.get(context, TestServer), scope }
  })

const outcome = (request: Promise<Response>) =>
  request.then(
    async (response) => ({ status: response.status, body: (await response.json()) as unknown }),
    (error: unknown) => ({ failed: error instanceof Error ? error.message : String(error) }),
  )

describe("shutdown", () => {
  it.live("lets in-flight requests finish, then refuses new connections", () =>
    Effect.gen(function* () {
      const { server, scope } = yield* startServer()
      const inFlight = outcome(fetch(`${server.baseUrl}/test/slow?ms=400`))
      yield* Effect.sleep("100 millis")
      yield* Scope.close(scope, Exit.void)
      assert.deepStrictEqual(yield* Effect.promise(() => inFlight), { status: 200, body: { waitedMs: 400 } })
      const after = yield* Effect.promise(() => outcome(fetch(`${server.baseUrl}/health`)))
      assert.property(after, "failed")
    }),
  )

  it.live("asks keep-alive clients to close the connection on answers sent while draining", () =>
    Effect.gen(function* () {
      const { server, scope } = yield* startServer()
      const agent = new http.Agent({ keepAlive: true })
      const headers = (path: string) =>
        new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
          http
            .get(`${server.baseUrl}${path}`, { agent }, (response) => {
              response.resume()
              response.on("end", () => resolve(response.headers))
            })
            .on("error", reject)
        })
      assert.strictEqual((yield* Effect.promise(() => headers("/health"))).connection, "keep-alive")
      const inFlight = headers("/test/slow?ms=400")
      yield* Effect.sleep("100 millis")
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual((yield* Effect.promise(() => inFlight)).connection, "close")
      agent.destroy()
    }),
  )

  it.live("closes connections still busy after the grace period instead of waiting for them", () =>
    Effect.gen(function* () {
      const { server, scope } = yield* startServer({ config: { shutdownGrace: Duration.millis(200) } })
      const stuck = outcome(fetch(`${server.baseUrl}/test/slow?ms=60000`))
      yield* Effect.sleep("100 millis")
      // Without the grace period this would wait a minute and the test would time out.
      yield* Scope.close(scope, Exit.void)
      const result = yield* Effect.promise(() => stuck)
      assert.property(result, "failed")
    }),
  )
})
