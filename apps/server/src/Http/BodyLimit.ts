/**
 * The request body limit (MAX_JSON_BODY_BYTES, 1 MiB by default; routes
 * that carry larger records, such as the knowledge base's, get their own —
 * `limitFor` answers per path), enforced
 * before a byte of the body is read: a Content-Length over the limit is
 * answered 413; a body without one (chunked) is answered 411, because a
 * stream cut off mid-read can only be answered by resetting the connection.
 * The platform's read limit (`HttpIncomingMessage.MaxBodySize`, set for the
 * server in HttpServerLive and here to the route's limit) stays as a second
 * line.
 */
import { type HttpApp, HttpIncomingMessage, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ApiError } from "@ignition/api"
import { Effect, Option, Schema } from "effect"
import { pathOf } from "./AccessLog.js"
import { payloadTooLarge } from "./ErrorResponses.js"

/** One limit for every route, or a limit per path. */
export type Limit = number | ((path: string) => number)

/** The limit that applies to a request's URL. */
export const limitOf = (limit: Limit, url: string): number => (typeof limit === "number" ? limit : limit(pathOf(url)))

const lengthRequired = HttpServerResponse.unsafeJson(
  Schema.encodeSync(ApiError.LengthRequired)(
    new ApiError.LengthRequired({ message: "A request body must declare its size in a Content-Length header" }),
  ),
  { status: 411 },
)

export const make = (limit: Limit) => {
  const fixed = typeof limit === "number" ? payloadTooLarge(limit) : undefined
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const limitBytes = limitOf(limit, request.url)
      const declared = request.headers["content-length"]
      if (declared === undefined) {
        if (request.headers["transfer-encoding"] !== undefined) return Effect.succeed(lengthRequired)
      } else if (Number(declared) > limitBytes) {
        return Effect.succeed(fixed ?? payloadTooLarge(limitBytes))
      }
      return fixed === undefined ? HttpIncomingMessage.withMaxBodySize(app, Option.some(limitBytes)) : app
    })
}
