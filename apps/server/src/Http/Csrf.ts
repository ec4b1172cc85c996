/**
 * Cross-site request forgery protection: a state-changing request (any
 * method but GET, HEAD, OPTIONS) is refused with 403 when its Origin — or,
 * without one, its Referer's origin — is not this instance (PUBLIC_ORIGIN,
 * or the Host it was sent to) or an allowed embed origin. A request that
 * carries the session cookie must name its origin at all; one that names
 * none and carries no cookie is not from a browser session and passes
 * (sign-in from scripts, server-to-server calls).
 */
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ApiError, Authentication } from "@ignition/api"
import { Effect, Option, Schema } from "effect"

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

const refuse = (message: string) =>
  Effect.succeed(
    HttpServerResponse.unsafeJson(
      Schema.encodeSync(ApiError.Forbidden)(new ApiError.Forbidden({ message, reason: "origin" })),
      { status: 403 },
    ),
  )

const originOf = (url: string | undefined): string | undefined => {
  if (url === undefined || url === "" || url === "null") return url === "null" ? "null" : undefined
  try {
    return new URL(url).origin
  } catch {
    return "null"
  }
}

export const make = (options: {
  readonly publicOrigin: Option.Option<string>
  readonly embedOrigins: ReadonlyArray<string>
}) => {
  const allowed = new Set([...options.embedOrigins, ...Option.toArray(options.publicOrigin)])
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      if (safeMethods.has(request.method)) return app
      const origin = originOf(request.headers.origin) ?? originOf(request.headers.referer)
      if (origin === undefined) {
        return request.cookies[Authentication.sessionCookie] === undefined
          ? app
          : refuse("A signed-in request that changes something must say where it comes from (Origin header)")
      }
      const ownHost = request.headers.host
      const sameHost = Option.isNone(options.publicOrigin) && ownHost !== undefined && origin.endsWith(`//${ownHost}`)
      return allowed.has(origin) || sameHost ? app : refuse(`Requests from ${origin} may not change anything here`)
    })
}
