/**
 * Turns what escapes the API's own error handling into the contract's JSON
 * errors: an unknown route → 404 `NotFound`, an unreadable or malformed body
 * → 400 `BadRequest`, a body over the limit → 413 `PayloadTooLarge`, and any
 * other failure → 500 `InternalServerError` whose cause is logged (through
 * the red-line filter) under the request id. Nothing reaches the client
 * without a JSON body.
 */
import { type HttpApp, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ApiError } from "@ignition/api"
import { Cause, Effect, Option, Schema } from "effect"
import { pathOf } from "./AccessLog.js"
import * as RequestId from "./RequestId.js"

const encode = {
  notFound: Schema.encodeSync(ApiError.NotFound),
  badRequest: Schema.encodeSync(ApiError.BadRequest),
  payloadTooLarge: Schema.encodeSync(ApiError.PayloadTooLarge),
  internal: Schema.encodeSync(ApiError.InternalServerError),
}

const formatBytes = (bytes: number): string =>
  bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`

/** The 413 answer, also used by the body limit before a body is read. */
export const payloadTooLarge = (limitBytes: number): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(
    encode.payloadTooLarge(
      new ApiError.PayloadTooLarge({
        message: `The request body exceeds the limit of ${formatBytes(limitBytes)}`,
        limitBytes,
      }),
    ),
    { status: 413 },
  )

const badRequest = (message: string) =>
  HttpServerResponse.unsafeJson(encode.badRequest(new ApiError.BadRequest({ message })), { status: 400 })

/** The platform reports a body over `MaxBodySize` as a RequestError caused by this. */
const isBodyTooLarge = (cause: unknown) => cause instanceof Error && cause.message === "maxBytes exceeded"

const toResponse = (
  reason: unknown,
  request: HttpServerRequest.HttpServerRequest,
  limitBytes: number,
): Option.Option<HttpServerResponse.HttpServerResponse> => {
  if (HttpServerResponse.isServerResponse(reason)) return Option.some(reason)
  if (!HttpServerError.isServerError(reason)) return Option.none()
  switch (reason._tag) {
    case "RouteNotFound":
      return Option.some(
        HttpServerResponse.unsafeJson(
          encode.notFound(new ApiError.NotFound({ message: `No route for ${request.method} ${pathOf(request.url)}` })),
          { status: 404 },
        ),
      )
    case "RequestError":
      if (isBodyTooLarge(reason.cause)) return Option.some(payloadTooLarge(limitBytes))
      if (reason.cause instanceof SyntaxError) {
        return Option.some(badRequest(`The request body is not valid JSON: ${reason.cause.message}`))
      }
      return Option.some(badRequest("The request body could not be read"))
    default:
      return Option.none()
  }
}

export const make =
  (limit: number | ((path: string) => number)) =>
  <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<never, R> =>
    Effect.catchAllCause(app, (cause) =>
      Effect.gen(function* () {
        if (Cause.isInterruptedOnly(cause)) return yield* Effect.failCause(cause as Cause.Cause<never>)
        const request = yield* HttpServerRequest.HttpServerRequest
        const limitBytes = typeof limit === "number" ? limit : limit(pathOf(request.url))
        const known = toResponse(Cause.squash(cause), request, limitBytes)
        if (Option.isSome(known)) return known.value
        yield* Effect.logError("request failed", cause)
        const requestId = yield* RequestId.current
        return HttpServerResponse.unsafeJson(
          encode.internal(new ApiError.InternalServerError({ message: "Internal server error", requestId })),
          { status: 500 },
        )
      }),
    )
