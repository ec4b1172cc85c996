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
