/**
 * Every request gets an id: the caller's `X-Request-Id` when it is a sane
 * token (so a proxy's id carries through), a fresh UUID otherwise. It
 * annotates every log line of the request and is echoed in the response.
 */
import { randomUUID } from "node:crypto"
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, FiberRef, HashMap, Option } from "effect"

export const header = "x-request-id"

const annotation = "requestId"
const acceptable = /^[A-Za-z0-9._:-]{8,128}$/

/** The current request's id (read back from the log annotations the middleware sets). */
export const current: Effect.Effect<string> = Effect.map(FiberRef.get(FiberRef.currentLogAnnotations), (annotations) =>
  Option.match(HashMap.get(annotations, annotation), { onNone: () => "", onSome: String }),
)

export const middleware = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const incoming = request.headers[header]
    const id = incoming !== undefined && acceptable.test(incoming) ? incoming : randomUUID()
    return app.pipe(
      Effect.map((response) => HttpServerResponse.setHeader(response, header, id)),
      Effect.annotateLogs(annotation, id),
    )
  })
