/**
 * The HTTP stack: the contract's routes and docs, wrapped (outermost first)
 * in request id → access log → security headers → CORS → CSRF origin
 * check → body limit → JSON error responses, served by a Node HTTP server that shuts down
 * gracefully.
 */
import { createServer, type Server } from "node:http"
import {
  FileSystem,
  HttpApiBuilder,
  type HttpApp,
  HttpIncomingMessage,
  HttpMiddleware,
  HttpServer,
  HttpServerResponse,
} from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { ApiError } from "@ignition/api"
import { Context, Duration, Effect, Layer, Option, Schema } from "effect"
import { AppConfig } from "../AppConfig.js"
import * as KnowledgeBaseLimits from "../KnowledgeBase/Limits.js"
import * as UploadLimits from "../Uploads/Limits.js"
import * as AccessLog from "./AccessLog.js"
import * as BodyLimit from "./BodyLimit.js"
import * as Cors from "./Cors.js"
import * as Csrf from "./Csrf.js"
import * as Docs from "./Docs.js"
import * as ErrorResponses from "./ErrorResponses.js"
import * as RequestId from "./RequestId.js"
import * as SecurityHeaders from "./SecurityHeaders.js"
import * as StaticFiles from "./StaticFiles.js"

/** The Node server object, whether the app answers yet, and whether it is shutting down. */
export class NodeServer extends Context.Tag("@ignition/server/NodeServer")<
  NodeServer,
  { readonly server: Server; serving: boolean; draining: boolean }
>() {}

const starting = JSON.stringify(
  Schema.encodeSync(ApiError.ServiceUnavailable)(
    new ApiError.ServiceUnavailable({ message: "The server is starting; try again in a moment" }),
  ),
)

/** While shutting down, answers ask the client to close the connection instead of reusing it. */
const closeWhenDraining =
  (node: NodeServer["Type"]) =>
  <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.map(app, (response) =>
      node.draining ? HttpServerResponse.setHeader(response, "connection", "close") : response,
    )

/** The app every request runs through. */
export const makeApp = Effect.gen(function* () {
  const config = yield* AppConfig
  const node = yield* NodeServer
  const api = yield* HttpApiBuilder.httpApp
  const bodyLimit = UploadLimits.withChunks(KnowledgeBaseLimits.bodyLimit(config))
  return api.pipe(
    ErrorResponses.make(bodyLimit),
    BodyLimit.make(bodyLimit),
    Csrf.make({ publicOrigin: config.publicOrigin, embedOrigins: config.allowedEmbedOrigins }),
    Cors.make(config.allowedEmbedOrigins),
    SecurityHeaders.make({
      hsts: Option.exists(config.publicOrigin, (origin) => origin.startsWith("https:")),
      frameAncestors: config.allowedEmbedOrigins,
    }),
    closeWhenDraining(node),
    AccessLog.middleware,
    RequestId.middleware,
  )
})

/**
 * Serve the app on the `HttpServer` in context (an `HttpApi.Api` must be
 * provided). The read limit is set once here rather than per request, and
 * the platform's per-request tracing span is off: nothing exports spans yet.
 */
const serve = Layer.unwrapEffect(
  Effect.gen(function* () {
    const { maxJsonBodyBytes } = yield* AppConfig
    const app = yield* makeApp
    return HttpServer.serve(app).pipe(
      HttpMiddleware.withTracerDisabledWhen(() => true),
      Layer.provide(Layer.succeed(HttpIncomingMessage.MaxBodySize, Option.some(FileSystem.Size(maxJsonBodyBytes)))),
    )
  }),
).pipe(
  Layer.provide([Docs.layer, StaticFiles.layer]),
  Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer]),
)

/**
 * Graceful shutdown, first of the HTTP finalizers (it is built after
 * `serve`, so it is released before it): mark the server draining so
 * in-flight answers carry `Connection: close`, close idle keep-alive
 * connections, and arm the grace timer. Then the platform stops accepting
 * and waits for in-flight requests; connections still busy when the grace
 * period ends are closed, so a stuck or streaming request cannot hold the
 * process forever.
 */
const drainOnShutdown = Layer.scopedDiscard(
  Effect.gen(function* () {
    const node = yield* NodeServer
    const { shutdownGrace } = yield* AppConfig
    // Built after `serve`: the app's request handler is attached from here on.
    node.serving = true
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        node.draining = true
        node.server.closeIdleConnections()
        const timer = setTimeout(() => node.server.closeAllConnections(), Duration.toMillis(shutdownGrace))
        timer.unref()
        node.server.once("close", () => clearTimeout(timer))
      }),
    )
  }),
)

/** The HTTP stack on the `HttpServer` below it (an `HttpApi.Api` must be provided). */
export const layer = drainOnShutdown.pipe(Layer.provide(serve))

/**
 * A Node HTTP server on the configured host and port (`port: 0` picks a
 * free one). The platform starts listening before the app's handler is
 * attached; a request arriving in between would get no answer at all, so
 * until then this server answers 503 with Retry-After itself.
 */
export const nodeServer = Layer.unwrapEffect(
  Effect.gen(function* () {
    const { host, port } = yield* AppConfig
    const node = { server: createServer(), serving: false, draining: false }
    node.server.on("request", (_request, response) => {
      if (node.serving) return
      response.writeHead(503, { "content-type": "application/json", "retry-after": "1" }).end(starting)
    })
    return NodeHttpServer.layer(() => node.server, { host, port }).pipe(Layer.merge(Layer.succeed(NodeServer, node)))
  }),
)
