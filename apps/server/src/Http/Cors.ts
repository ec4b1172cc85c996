/**
 * CORS for sites that embed the components: only origins listed in
 * ALLOWED_EMBED_ORIGINS get `Access-Control-Allow-Origin` (their own
 * origin, never `*`) and credentials. A preflight from any other origin is
 * refused with 403. (`HttpMiddleware.cors` answers `*` for an empty list and
 * sends the credentials header to every origin, hence this module.)
 */
import { HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ApiError } from "@ignition/api"
import { Effect, Schema } from "effect"
import { header as requestIdHeader } from "./RequestId.js"

const allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE"
const preflightMaxAgeSeconds = "600"
const headerList = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/

const encodeForbidden = Schema.encodeSync(ApiError.Forbidden)

export const make = (allowedOrigins: ReadonlyArray<string>) => {
  const allowed = new Set(allowedOrigins)
  const varyOnOrigin = (
    _request: HttpServerRequest.HttpServerRequest,
    response: HttpServerResponse.HttpServerResponse,
  ) => Effect.succeed(HttpServerResponse.setHeader(response, "vary", "Origin"))
  const grant =
    (origin: string) =>
    (_request: HttpServerRequest.HttpServerRequest, response: HttpServerResponse.HttpServerResponse) =>
      Effect.succeed(
        HttpServerResponse.setHeaders(response, {
          "access-control-allow-origin": origin,
          "access-control-allow-credentials": "true",
          "access-control-expose-headers": requestIdHeader,
          vary: "Origin",
        }),
      )

  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const origin = request.headers.origin
      const isPreflight = request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined
      if (origin === undefined || !allowed.has(origin)) {
        if (isPreflight) {
          return HttpServerResponse.unsafeJson(
            encodeForbidden(new ApiError.Forbidden({ message: `Origin ${origin ?? "(none)"} may not call this API` })),
            { status: 403 },
          )
        }
        if (allowed.size > 0) yield* HttpApp.appendPreResponseHandler(varyOnOrigin)
        return yield* app
      }
      if (isPreflight) {
        const requested = request.headers["access-control-request-headers"]
        return HttpServerResponse.empty({
          status: 204,
          headers: {
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
            "access-control-allow-methods": allowedMethods,
            ...(requested !== undefined && headerList.test(requested)
              ? { "access-control-allow-headers": requested }
              : {}),
            "access-control-max-age": preflightMaxAgeSeconds,
            vary: "Origin, Access-Control-Request-Headers",
          },
        })
      }
      yield* HttpApp.appendPreResponseHandler(grant(origin))
      return yield* app
    })
}
