/**
 * The request body limit (MAX_JSON_BODY_BYTES, 1 MiB by default), enforced
 * before a byte of the body is read: a Content-Length over the limit is
 * answered 413; a body without one (chunked) is answered 411, because a
 * stream cut off mid-read can only be answered by resetting the connection.
 * The platform's read limit (`HttpIncomingMessage.MaxBodySize`, set once
 * for the server in HttpServerLive) stays as a second line.
 */
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ApiError } from "@ignition/api"
import { Effect, Schema } from "effect"
import { payloadTooLarge } from "./ErrorResponses.js"

const lengthRequired = HttpServerResponse.unsafeJson(
  Schema.encodeSync(ApiError.LengthRequired)(
    new ApiError.LengthRequired({ message: "A request body must declare its size in a Content-Length header" }),
  ),
  { status: 411 },
)

export const make = (limitBytes: number) => {
  const tooLarge = payloadTooLarge(limitBytes)
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const declared = request.headers["content-length"]
      if (declared === undefined) {
        if (request.headers["transfer-encoding"] !== undefined) return Effect.succeed(lengthRequired)
      } else if (Number(declared) > limitBytes) {
        return Effect.succeed(tooLarge)
      }
      return app
    })
}
