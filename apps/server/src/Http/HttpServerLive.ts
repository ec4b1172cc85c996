/**
 * The HTTP stack: the contract's routes and docs, wrapped (outermost first)
 * in request id → access log → security headers → CORS → body limit →
 * JSON error responses, served by a Node HTTP server that shuts down
 * gracefully.
 */
import { createServer, type Server } from "node:http"
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Duration, Effect, Layer, Option } from "effect"
import { AppConfig } from "../AppConfig.js"
import * as AccessLog from "./AccessLog.js"
import * as BodyLimit from "./BodyLimit.js"
import * as Cors from "./Cors.js"
import * as Docs from "./Docs.js"
import * as ErrorResponses from "./ErrorResponses.js"
import * as RequestId from "./RequestId.js"
import * as SecurityHeaders from "./SecurityHeaders.js"

/** The app every request runs through. */
export const makeApp = Effect.gen(function* () {
  const config = yield* AppConfig
  const api = yield* HttpApiBuilder.httpApp
  return api.pipe(
    ErrorResponses.make(config.maxJsonBodyBytes),
    BodyLimit.make(config.maxJsonBodyBytes),
    Cors.make(config.allowedEmbedOrigins),
    SecurityHeaders.make({
      hsts: Option.exists(config.publicOrigin, (origin) => origin.startsWith("https:")),
      frameAncestors: config.allowedEmbedOrigins,
    }),
    AccessLog.middleware,
    RequestId.middleware,
  )
})

/** Serve the app on the `HttpServer` in context (an `HttpApi.Api` must be provided). */
export const serve = Layer.unwrapEffect(Effect.map(makeApp, (app) => HttpServer.serve(app))).pipe(
  Layer.provide(Docs.layer),
  Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer]),
)

/** The Node server object, for the shutdown grace timer. */
class NodeServer extends Context.Tag("@ignition/server/NodeServer")<NodeServer, Server>() {}

/**
 * On shutdown the platform stops accepting and waits for in-flight
 * requests; connections still busy after the grace period are closed so a
 * stuck or streaming request cannot hold the process forever.
 */
const gracePeriod = Layer.scopedDiscard(
  Effect.gen(function* () {
    // Requiring HttpServer builds this after the server, so this finalizer runs before it closes.
    yield* HttpServer.HttpServer
    const server = yield* NodeServer
    const { shutdownGrace } = yield* AppConfig
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        server.closeIdleConnections()
        const timer = setTimeout(() => server.closeAllConnections(), Duration.toMillis(shutdownGrace))
        timer.unref()
        server.once("close", () => clearTimeout(timer))
      }),
    )
  }),
)

/** A Node HTTP server on the configured host and port (`port: 0` picks a free one). */
export const nodeServer = Layer.unwrapEffect(
  Effect.gen(function* () {
    const { host, port } = yield* AppConfig
    const server = createServer()
    return gracePeriod.pipe(
      Layer.provideMerge(NodeHttpServer.layer(() => server, { host, port })),
      Layer.provide(Layer.succeed(NodeServer, server)),
    )
  }),
)
