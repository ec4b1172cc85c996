/**
 * One log line per request: method, path (never the query string, which can
 * carry tokens), status and duration. Probe endpoints log at debug level so
 * health checks do not drown the log.
 */
import { HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Effect, Exit } from "effect"

const probePaths = new Set(["/health", "/ready"])

/** The path of a request URL, without its query string. */
export const pathOf = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

const log = (method: string, path: string, status: number, durationMs: number) =>
  Effect.annotateLogs(
    status >= 500
      ? Effect.logError("request")
      : probePaths.has(path)
        ? Effect.logDebug("request")
        : Effect.logInfo("request"),
    { method, path, status, durationMs },
  )

const statusOf = (exit: Exit.Exit<HttpServerResponse.HttpServerResponse, unknown>): number =>
  Exit.isSuccess(exit)
    ? exit.value.status
    : // 499: the client went away before the answer (nginx's convention).
      Exit.isInterrupted(exit)
      ? 499
      : 500

export const middleware = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest>,
) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const started = yield* Clock.currentTimeNanos
    return yield* Effect.onExit(app, (exit) =>
      Effect.flatMap(Clock.currentTimeNanos, (now) =>
        log(request.method, pathOf(request.url), statusOf(exit), Number((now - started) / 10_000n) / 100),
      ),
    )
  })
