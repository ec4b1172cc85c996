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

/** Probes log at debug while they succeed (a failing probe is worth a warning); 5xx at error. */
const log = (method: string, path: string, status: number, durationMs: number) => {
  const fields = { method, path, status, durationMs }
  if (probePaths.has(path)) {
    return status < 400 ? Effect.logDebug("request", fields) : Effect.logWarning("request", fields)
  }
  return status >= 500 ? Effect.logError("request", fields) : Effect.logInfo("request", fields)
}

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
