/**
 * A reference point for the HTTP overhead benchmark, not its baseline: the
 * least an `@effect/platform` server can do for `GET /health` (one route,
 * no middleware, tracing off), so the report shows how much of Ignition's
 * overhead is the platform's and how much is Ignition's own. Prints its port.
 */
import { createServer } from "node:http"
import { HttpMiddleware, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"

const app = HttpRouter.empty.pipe(
  HttpRouter.get("/health", Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))),
)

const reportPort = Layer.effectDiscard(
  Effect.flatMap(HttpServer.HttpServer, ({ address }) =>
    Effect.sync(() => {
      if (address._tag === "TcpAddress") process.stdout.write(`${JSON.stringify({ port: address.port })}\n`)
    }),
  ),
)

NodeRuntime.runMain(
  Layer.launch(
    Layer.merge(HttpServer.serve(app).pipe(HttpMiddleware.withTracerDisabledWhen(() => true)), reportPort).pipe(
      Layer.provide(NodeHttpServer.layer(createServer, { host: "127.0.0.1", port: 0 })),
    ),
  ),
)
