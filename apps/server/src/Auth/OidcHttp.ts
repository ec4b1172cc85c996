/**
 * Handlers of the `oidc` group: both endpoints answer with a redirect (to
 * the provider, or back to the page the sign-in started from); only an
 * unknown provider (404) and a callback whose state names no flow in
 * progress in this browser (401) answer JSON.
 *
 * `start` binds the flow's state to the browser with a short-lived HttpOnly
 * cookie scoped to the callback path; `callback` requires it and drops it.
 * `SameSite=Lax` is enough: the provider sends the browser back with a
 * top-level GET navigation.
 */
import { HttpApiBuilder, HttpApp, HttpServerResponse } from "@effect/platform"
import { ApiError, IgnitionApi } from "@ignition/api"
import { Duration, Effect, Layer, Option, Redacted } from "effect"
import { AppConfig } from "../AppConfig.js"
import { Oidc, type Outcome, requestOrigin, type Started } from "./Oidc.js"
import type { OidcConfig } from "./OidcConfig.js"
import * as SessionCookie from "./SessionCookie.js"

const stateCookie = "ignition_oidc_state"

/** As long as a flow lives in `oidc_flows`. */
const stateCookieLifetime = Duration.minutes(10)

const callbackPath = (provider: string) => `/api/auth/oidc/${provider}/callback`

/** Redirects carry codes and single-use state: no cache may keep them. */
const redirect = (location: string) =>
  HttpServerResponse.redirect(location, { status: 302, headers: { "cache-control": "no-store" } })

const notFound = (provider: string) =>
  new ApiError.NotFound({ message: `No OpenID provider "${provider}" is configured on this instance` })

const invalidState = new ApiError.Unauthorized({
  message: "This sign-in link is unknown, expired, already used or from another browser; start the sign-in again",
})

/** Set (or, with `Option.none()`, drop) the state cookie on whatever response this request ends with. */
const setStateCookie = (provider: string, state: Option.Option<Redacted.Redacted<string>>) =>
  Effect.flatMap(AppConfig, (config) =>
    HttpApp.appendPreResponseHandler((_request, response) =>
      Effect.orDie(
        HttpServerResponse.setCookie(
          response,
          stateCookie,
          Option.match(state, { onNone: () => "", onSome: Redacted.value }),
          {
            path: callbackPath(provider),
            httpOnly: true,
            secure: Option.exists(config.publicOrigin, (origin) => origin.startsWith("https:")),
            sameSite: "lax",
            ...(Option.isSome(state) ? { maxAge: stateCookieLifetime } : { maxAge: 0, expires: new Date(0) }),
          },
        ),
      ),
    ),
  )

const started = (provider: string, outcome: Started) =>
  Option.isSome(outcome.state)
    ? Effect.as(setStateCookie(provider, outcome.state), redirect(outcome.location))
    : Effect.succeed(redirect(outcome.location))

const finished = (outcome: Outcome) =>
  outcome._tag === "SignedIn"
    ? Effect.as(SessionCookie.set(outcome.token), redirect(outcome.location))
    : Effect.succeed(redirect(outcome.location))

/** The handlers, given the `Oidc` service. */
export const OidcHandlers = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "oidc", (handlers) =>
  Effect.gen(function* () {
    const oidc = yield* Oidc
    return handlers
      .handle("start", ({ path, urlParams }) =>
        requestOrigin.pipe(
          Effect.flatMap((origin) => oidc.start(path.provider, urlParams.returnTo, origin)),
          Effect.flatMap((outcome) => started(path.provider, outcome)),
          Effect.catchTag("UnknownProvider", (error) => Effect.fail(notFound(error.provider))),
        ),
      )
      .handle("callback", ({ path, urlParams, request }) =>
        Effect.gen(function* () {
          // Single use, whatever the outcome.
          yield* setStateCookie(path.provider, Option.none())
          const origin = yield* requestOrigin
          const outcome = yield* oidc.callback(path.provider, urlParams, origin, request.cookies[stateCookie])
          return yield* finished(outcome)
        }).pipe(
          Effect.catchTags({
            UnknownProvider: (error) => Effect.fail(notFound(error.provider)),
            InvalidState: () => Effect.fail(invalidState),
          }),
        ),
      )
  }),
)

/** The handlers with providers from the environment (OIDC_*). */
export const OidcLive = OidcHandlers.pipe(Layer.provide(Oidc.Default))

/** The handlers with the given provider configuration (`OidcConfig.layerTest` in tests). */
export const layerWith = <E>(config: Layer.Layer<OidcConfig, E>) =>
  OidcHandlers.pipe(Layer.provide(Oidc.DefaultWithoutDependencies), Layer.provide(config))
