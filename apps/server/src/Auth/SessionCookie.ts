/**
 * The session cookie: HttpOnly always; `Secure` when the instance is served
 * over https (PUBLIC_ORIGIN) or embedded cross-site; `SameSite=Lax` unless
 * embed origins are configured, which need `None` (and so `Secure`, which
 * browsers allow on http://localhost too). It lasts as long as the session
 * may (SESSION_MAX_AGE); the server enforces the idle expiry.
 */
import { HttpApiBuilder, HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Authentication } from "@ignition/api"
import { Effect, Option, Redacted } from "effect"
import { AppConfig, type Service as AppConfigService } from "../AppConfig.js"

const attributes = (config: AppConfigService) => {
  const embedded = config.allowedEmbedOrigins.length > 0
  return {
    path: "/",
    httpOnly: true,
    secure: embedded || Option.exists(config.publicOrigin, (origin) => origin.startsWith("https:")),
    sameSite: embedded ? ("none" as const) : ("lax" as const),
  }
}

/** Send the session token with the response. */
export const set = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(AppConfig, (config) =>
    HttpApiBuilder.securitySetCookie(Authentication.sessionSecurity, token, {
      ...attributes(config),
      maxAge: config.sessionMaxAge,
    }),
  )

/** Tell the browser to drop the session cookie. */
export const clear = Effect.flatMap(AppConfig, (config) =>
  HttpApp.appendPreResponseHandler((_request, response) =>
    Effect.orDie(
      HttpServerResponse.setCookie(response, Authentication.sessionCookie, "", {
        ...attributes(config),
        maxAge: 0,
        expires: new Date(0),
      }),
    ),
  ),
)

/** The session token the request carries, if any. */
export const read = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
  const token = request.cookies[Authentication.sessionCookie]
  return token === undefined || token === "" ? Option.none() : Option.some(Redacted.make(token))
})
