/**
 * CORS for sites that embed the components: only origins listed in
 * ALLOWED_EMBED_ORIGINS get `Access-Control-Allow-Origin` (their own
 * origin, never `*`) and credentials. A preflight from any other origin is
 * refused with 403. (`HttpMiddleware.cors` answers `*` for an empty list and
 * sends the credentials header to every origin, hence this module.)
 */
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ApiError } from "@ignition/api"
import { Effect, Schema } from "effect"
import { header as requestIdHeader } from "./RequestId.js"

const allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE"
const preflightMaxAgeSeconds = "600"
const headerList = /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/

const encodeForbidden = Schema.encodeSync(ApiError.Forbidden)

const refusePreflight = (origin: string | undefined) =>
  HttpServerResponse.unsafeJson(
    encodeForbidden(new ApiError.Forbidden({ message: `Origin ${origin ?? "(none)"} may not call this API` })),
    { status: 403 },
  )

const allowPreflight = (origin: string, requestedHeaders: string | undefined) =>
  HttpServerResponse.empty({
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": allowedMethods,
      ...(requestedHeaders !== undefined && headerList.test(requestedHeaders)
        ? { "access-control-allow-headers": requestedHeaders }
        : {}),
      "access-control-max-age": preflightMaxAgeSeconds,
      vary: "Origin, Access-Control-Request-Headers",
    },
  })

const varyOnOrigin = (response: HttpServerResponse.HttpServerResponse) =>
  HttpServerResponse.setHeader(response, "vary", "Origin")

const grant = (origin: string) => (response: HttpServerResponse.HttpServerResponse) =>
  HttpServerResponse.setHeaders(response, {
    "access-control-allow-origin": origin,
    "access-control-allow-credentials": "true",
    "access-control-expose-headers": requestIdHeader,
    vary: "Origin",
  })

export const make = (allowedOrigins: ReadonlyArray<string>) => {
  const allowed = new Set(allowedOrigins)
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const origin = request.headers.origin
      const isPreflight = request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined
      if (origin === undefined || !allowed.has(origin)) {
        if (isPreflight) return Effect.succeed(refusePreflight(origin))
        return allowed.size > 0 ? Effect.map(app, varyOnOrigin) : app
      }
      if (isPreflight) {
        return Effect.succeed(allowPreflight(origin, request.headers["access-control-request-headers"]))
      }
      return Effect.map(app, grant(origin))
    })
}
