/**
 * Sign-in through OpenID providers (Google, Microsoft Entra, any issuer):
 * the authorization code flow with PKCE (S256), `state` and `nonce`, by
 * openid-client.
 *
 * - `start` remembers the flow in `oidc_flows` (found by the SHA-256 of its
 *   state, 10 minutes, single use) and sends the browser to the provider;
 *   the state is also bound to the browser (OidcHttp keeps it in a cookie).
 * - `callback` checks that binding, consumes the flow, exchanges the code,
 *   lets openid-client check the ID token (signature, issuer, audience,
 *   nonce, expiry), and finds the account: the identity's (issuer, subject)
 *   if known; else the account with the ID token's email, linked, when the
 *   provider vouches for that email; else a new account for a vouched-for
 *   email. An email the provider does not vouch for never links nor creates
 *   anything.
 *
 * Failures the user should see come back as a redirect to where they were
 * going with `?authError=<code>` (see `AuthErrorCode`), not as JSON. Tokens,
 * codes, state, nonces and ID tokens are never logged.
 */

import { HttpServerRequest } from "@effect/platform"
import { Account } from "@ignition/api"
import { Clock, Data, Duration, Effect, Option, Redacted, Schema, SynchronizedRef } from "effect"
import * as client from "openid-client"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import * as Audit from "./Audit.js"
import { refusal } from "./AuthenticationLive.js"
import { OidcConfig, type Provider } from "./OidcConfig.js"
import { RateLimit } from "./RateLimit.js"
import { clientInfo } from "./RequestInfo.js"
import { Sessions } from "./Sessions.js"
import * as Tokens from "./Tokens.js"
import { type UserRecord, UserRepo } from "./UserRepo.js"

/** No provider is configured under this id. */
export class UnknownProvider extends Data.TaggedError("UnknownProvider")<{ readonly provider: string }> {}

/** The callback's state names no flow in progress: unknown, expired, already used, or another provider's. */
export class InvalidState extends Data.TaggedError("InvalidState") {}

/** What `?authError=` tells the page the user returns to. */
export type AuthErrorCode =
  /** The user declined at the provider. */
  | "access_denied"
  /** The provider reported an error, or could not be reached. */
  | "provider_error"
  /** The provider's answer did not pass verification (code exchange, ID token). */
  | "sign_in_failed"
  /** The provider did not vouch for an email address, so no account could be linked or created. */
  | "email_unverified"
  | "pending_approval"
  | "suspended"
  | "too_many_attempts"

/**
 * Where `start` sends the browser, and the state to bind to it (in a
 * cookie) when a flow was started: the callback only accepts a state the
 * same browser holds, so nobody can sign a victim into the attacker's
 * account by sending them the attacker's callback link.
 */
export interface Started {
  readonly location: string
  readonly state: Option.Option<Redacted.Redacted<string>>
}

/** Where the callback sends the browser, and the session to set when the sign-in succeeded. */
export type Outcome =
  | { readonly _tag: "Redirect"; readonly location: string }
  | { readonly _tag: "SignedIn"; readonly location: string; readonly token: Redacted.Redacted<string> }

/** A failure inside the callback that ends at `returnTo?authError=`. */
class Refused extends Data.TaggedError("Refused")<{ readonly code: AuthErrorCode }> {}

/** A concurrent callback created the same identity or email first; trying again finds it. */
class RaceLost extends Data.TaggedError("RaceLost") {}

const flowLifetime = Duration.minutes(10)
const providerTimeoutSeconds = 10
const scope = "openid email profile"

/** Resolves relative paths only; never a real origin, so nothing resolved against it can leave the site. */
const placeholderOrigin = "http://ignition.invalid"

/** URL parsing drops tabs and newlines and reads `\` as `/`, so `/\evil.example` would become `//evil.example`. */
const hasUnsafeCharacter = (text: string): boolean => {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true
  }
  return false
}

/**
 * A same-origin path (`/today?tab=2`) or `/`: anything absolute,
 * protocol-relative (`//evil.example`), backslashed or with control
 * characters would let a crafted link bounce the user to another site.
 */
export const safeReturnTo = (returnTo: string | undefined): string => {
  if (returnTo === undefined || !returnTo.startsWith("/") || hasUnsafeCharacter(returnTo)) return "/"
  try {
    const url = new URL(returnTo, placeholderOrigin)
    if (url.origin !== placeholderOrigin || url.pathname.startsWith("//")) return "/"
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return "/"
  }
}

const withAuthError = (returnTo: string, code: AuthErrorCode): string => {
  const url = new URL(returnTo, placeholderOrigin)
  url.searchParams.set("authError", code)
  return `${url.pathname}${url.search}${url.hash}`
}

const hostPattern = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * The origin the browser reaches this instance at: PUBLIC_ORIGIN, else the
 * request's own (the proxy's forwarded scheme and host when TRUST_PROXY).
 * The provider only accepts a redirect URI registered with it, so a forged
 * Host header leads nowhere.
 */
export const requestOrigin: Effect.Effect<string, never, AppConfig | HttpServerRequest.HttpServerRequest> = Effect.gen(
  function* () {
    const config = yield* AppConfig
    if (Option.isSome(config.publicOrigin)) return config.publicOrigin.value
    const request = yield* HttpServerRequest.HttpServerRequest
    const first = (name: string) => request.headers[name]?.split(",")[0]?.trim()
    const forwardedProto = config.trustProxy ? first("x-forwarded-proto") : undefined
    const forwardedHost = config.trustProxy ? first("x-forwarded-host") : undefined
    const proto = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : "http"
    const host = forwardedHost ?? request.headers.host ?? ""
    return `${proto}://${hostPattern.test(host) ? host : "localhost"}`
  },
)

const redirectUri = (origin: string, provider: Provider) => `${origin}/api/auth/oidc/${provider.id}/callback`

/** The ID token claims this module reads; openid-client has already checked iss, aud, exp, nonce. */
const Claims = Schema.Struct({
  iss: Schema.String,
  sub: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)),
  email: Schema.optional(Schema.Unknown),
  email_verified: Schema.optional(Schema.Unknown),
  /** Entra: "the email's domain owner has been verified" — Entra sends no `email_verified`. */
  xms_edov: Schema.optional(Schema.Unknown),
  name: Schema.optional(Schema.Unknown),
})
type Claims = typeof Claims.Type

const decodeEmail = Schema.decodeUnknownOption(Account.Email)

/** The email the provider vouches for, if any. */
const verifiedEmail = (provider: Provider, claims: Claims): Option.Option<string> => {
  const vouched = claims.email_verified === true || (provider.kind === "entra" && claims.xms_edov === true)
  return vouched ? decodeEmail(claims.email) : Option.none()
}

/** At most 100 characters (code points, as the database counts them) of the `name` claim, or the email. */
const displayName = (claims: Claims, email: string): string => {
  const name = typeof claims.name === "string" ? claims.name.trim() : ""
  return Array.from(name === "" ? email : name)
    .slice(0, 100)
    .join("")
}

/** Safe to log: the failure's kind and the OAuth error code, never its message (which may quote token contents). */
const describe = (error: unknown): Record<string, string> => {
  if (!(error instanceof Error)) return { errorName: typeof error }
  const fields: Record<string, string> = { errorName: error.name }
  if ("code" in error && typeof error.code === "string") fields.errorCode = error.code
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) {
    fields.oauthError = error.error
  }
  return fields
}

/** OAuth error codes are `[a-z_]`; anything else a caller put in `?error=` is not worth logging verbatim. */
const oauthErrorCode = (value: string) => (/^[a-z_]{1,64}$/.test(value) ? value : "unrecognised")

export class Oidc extends Effect.Service<Oidc>()("@ignition/server/Oidc", {
  effect: Effect.gen(function* () {
    const { providers } = yield* OidcConfig
    const db = yield* Database
    const appConfig = yield* AppConfig
    const users = yield* UserRepo
    const sessions = yield* Sessions
    const rateLimit = yield* RateLimit

    const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

    const audit = (entry: Audit.AuditEntry) =>
      Audit.record(entry).pipe(Effect.provideService(Database, db), Effect.provideService(AppConfig, appConfig))

    const find = (id: string) => {
      const provider = providers.find((p) => p.id === id)
      return provider === undefined ? Effect.fail(new UnknownProvider({ provider: id })) : Effect.succeed(provider)
    }

    /**
     * Discovery happens on first use, not at startup, so an unreachable
     * provider cannot stop the server; a success is kept for the process's
     * life (signing keys rotate through openid-client's own JWKS refresh),
     * a failure is retried at the next sign-in.
     */
    const discovered = new Map(
      yield* Effect.forEach(providers, (provider) =>
        Effect.map(SynchronizedRef.make(Option.none<client.Configuration>()), (ref) => [provider.id, ref] as const),
      ),
    )
    const configuration = (provider: Provider) => {
      const ref = discovered.get(provider.id)
      if (ref === undefined) return Effect.dieMessage(`no discovery cache for ${provider.id}`)
      return SynchronizedRef.modifyEffect(ref, (cached) =>
        Option.match(cached, {
          onSome: (found) => Effect.succeed([found, cached] as const),
          onNone: () =>
            Effect.tryPromise({
              try: () =>
                client.discovery(
                  new URL(provider.issuer),
                  provider.clientId,
                  undefined,
                  // Basic is the method every OAuth server must support (RFC 6749 §2.3.1).
                  client.ClientSecretBasic(Redacted.value(provider.clientSecret)),
                  {
                    timeout: providerTimeoutSeconds,
                    // Plain http is only configurable for loopback issuers (OidcConfig), i.e. a provider under test.
                    execute: provider.issuer.startsWith("http:") ? [client.allowInsecureRequests] : [],
                  },
                ),
              catch: (error) => error,
            }).pipe(
              Effect.tapError((error) =>
                Effect.logWarning("OpenID discovery failed", { provider: provider.id, ...describe(error) }),
              ),
              Effect.map((found) => [found, Option.some(found)] as const),
            ),
        }),
      )
    }

    /** Send the browser to the provider, remembering what the callback must check. */
    const start = (providerId: string, returnTo: string | undefined, origin: string) =>
      Effect.gen(function* () {
        const provider = yield* find(providerId)
        const target = safeReturnTo(returnTo)
        const refuse = (code: AuthErrorCode): Started => ({
          location: withAuthError(target, code),
          state: Option.none(),
        })

        // Each start stores a row: the sign-in budget per address bounds how many a client can create.
        const limited = yield* Effect.flatMap(clientInfo, (caller) => rateLimit.guard("sign_in", caller.ip)).pipe(
          Effect.provideService(AppConfig, appConfig),
          Effect.as(false),
          Effect.catchTag("TooManyRequests", () => Effect.succeed(true)),
        )
        if (limited) return refuse("too_many_attempts")

        const found = yield* Effect.either(configuration(provider))
        if (found._tag === "Left") return refuse("provider_error")

        const state = Tokens.generate()
        const nonce = client.randomNonce()
        const codeVerifier = client.randomPKCECodeVerifier()
        const codeChallenge = yield* Effect.promise(() => client.calculatePKCECodeChallenge(codeVerifier))
        const at = yield* now
        yield* db.execute((q) => q.deleteFrom("oidc_flows").where("expires_at", "<=", at).execute()).pipe(Effect.orDie)
        yield* db
          .execute((q) =>
            q
              .insertInto("oidc_flows")
              .values({
                state_hash: Tokens.digest(state),
                provider: provider.id,
                code_verifier: codeVerifier,
                nonce,
                return_to: target,
                expires_at: new Date(at.getTime() + Duration.toMillis(flowLifetime)),
              })
              .execute(),
          )
          .pipe(Effect.orDie)
        const url = client.buildAuthorizationUrl(found.right, {
          redirect_uri: redirectUri(origin, provider),
          scope,
          state: Redacted.value(state),
          nonce,
          code_challenge: codeChallenge,
          code_challenge_method: "S256",
        })
        return { location: url.href, state: Option.some(state) } satisfies Started
      })

    /** The flow a state belongs to, deleted in the same statement so a state works once. */
    const consumeFlow = (provider: Provider, state: string) =>
      Effect.gen(function* () {
        const at = yield* now
        const flow = yield* db
          .execute((q) =>
            q.deleteFrom("oidc_flows").where("state_hash", "=", Tokens.digest(state)).returningAll().executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (flow === undefined || flow.provider !== provider.id || flow.expires_at <= at) {
          return yield* new InvalidState()
        }
        return flow
      })

    const exchange = (
      provider: Provider,
      params: Readonly<Record<string, string>>,
      origin: string,
      flow: { readonly code_verifier: string; readonly nonce: string },
      state: string,
    ) =>
      Effect.gen(function* () {
        const config = yield* configuration(provider).pipe(
          Effect.mapError(() => new Refused({ code: "provider_error" })),
        )
        // openid-client takes the redirect URI from this URL (without its query) and the response from its query.
        const currentUrl = new URL(redirectUri(origin, provider))
        for (const [key, value] of Object.entries(params)) currentUrl.searchParams.set(key, value)
        const tokens = yield* Effect.tryPromise({
          try: () =>
            client.authorizationCodeGrant(config, currentUrl, {
              pkceCodeVerifier: flow.code_verifier,
              expectedState: state,
              expectedNonce: flow.nonce,
              idTokenExpected: true,
            }),
          catch: (error) => error,
        }).pipe(
          Effect.tapError((error) =>
            Effect.logWarning("OpenID code exchange failed", { provider: provider.id, ...describe(error) }),
          ),
          Effect.mapError(() => new Refused({ code: "sign_in_failed" })),
        )
        return yield* Schema.decodeUnknown(Claims)(tokens.claims()).pipe(
          Effect.tapError(() => Effect.logWarning("OpenID ID token lacks usable claims", { provider: provider.id })),
          Effect.mapError(() => new Refused({ code: "sign_in_failed" })),
        )
      })

    const identityOwner = (claims: Claims) =>
      db
        .execute((q) =>
          q
            .selectFrom("oidc_identities")
            .select(["id", "user_id"])
            .where("issuer", "=", claims.iss)
            .where("subject", "=", claims.sub)
            .executeTakeFirst(),
        )
        .pipe(Effect.orDie)

    const link = (provider: Provider, claims: Claims, userId: string, email: string | null, at: Date) =>
      db
        .execute((q) =>
          q
            .insertInto("oidc_identities")
            .values({
              user_id: userId,
              provider: provider.id,
              issuer: claims.iss,
              subject: claims.sub,
              email,
              last_used_at: at,
            })
            .onConflict((oc) => oc.columns(["issuer", "subject"]).doNothing())
            .returning("id")
            .executeTakeFirst(),
        )
        .pipe(
          Effect.orDie,
          Effect.flatMap((row) => (row === undefined ? Effect.fail(new RaceLost()) : Effect.void)),
        )

    const mustFindUser = (id: string) =>
      Effect.flatMap(users.findById(id), (found) =>
        Option.match(found, { onNone: () => Effect.dieMessage(`user ${id} vanished`), onSome: Effect.succeed }),
      )

    /** The account for these claims: known identity, linked by verified email, or new. */
    const resolveUser = (provider: Provider, claims: Claims) =>
      db
        .transaction(
          Effect.gen(function* () {
            const at = yield* now
            const known = yield* identityOwner(claims)
            const email = verifiedEmail(provider, claims)
            if (known !== undefined) {
              yield* db
                .execute((q) =>
                  q
                    .updateTable("oidc_identities")
                    .set({ last_used_at: at, ...(Option.isSome(email) ? { email: email.value } : {}) })
                    .where("id", "=", known.id)
                    .execute(),
                )
                .pipe(Effect.orDie)
              return yield* mustFindUser(known.user_id)
            }
            if (Option.isNone(email)) return yield* new Refused({ code: "email_unverified" })

            const existing = yield* users.findByEmail(email.value)
            if (Option.isSome(existing)) {
              const { user } = existing.value
              yield* link(provider, claims, user.id, email.value, at)
              yield* audit({
                action: "oidc_linked",
                actor: user.id,
                subject: user.id,
                details: { provider: provider.id },
              })
              return user
            }

            const user = yield* users
              .create(
                {
                  email: email.value,
                  displayName: displayName(claims, email.value),
                  status: appConfig.requireApproval ? "pending" : "approved",
                  timeZone: "UTC",
                  birthYear: null,
                  // Not accepted here: the user accepts the terms (and states a birth year) via POST /api/auth/terms.
                  termsAcceptedAt: null,
                  roles: ["member"],
                },
                undefined,
              )
              .pipe(Effect.catchTag("EmailTaken", () => Effect.fail(new RaceLost())))
            yield* link(provider, claims, user.id, email.value, at)
            yield* audit({
              action: "signup",
              actor: user.id,
              subject: user.id,
              details: { method: "oidc", provider: provider.id },
            })
            return user
          }),
        )
        .pipe(
          Effect.catchTag("DatabaseError", (error) => Effect.die(error)),
          // The loser of a race rolled back; on the second pass the winner's identity or account is there.
          Effect.retry({ times: 1, while: (error) => error._tag === "RaceLost" }),
          Effect.catchTag("RaceLost", () => Effect.fail(new Refused({ code: "sign_in_failed" }))),
        )

    const signIn = (provider: Provider, user: UserRecord, returnTo: string) =>
      Effect.gen(function* () {
        const refused = refusal(user)
        const reason = Option.getOrUndefined(refused)?.reason
        // Terms still to accept do not block the session: accepting them needs one.
        if (reason === "pending_approval" || reason === "suspended") {
          yield* audit({
            action: "sign_in_failed",
            subject: user.id,
            details: { method: "oidc", provider: provider.id, reason },
          })
          return yield* new Refused({ code: reason })
        }
        const { userAgent } = yield* clientInfo.pipe(Effect.provideService(AppConfig, appConfig))
        const { token } = yield* sessions.create(user.id, userAgent)
        yield* audit({
          action: "sign_in",
          actor: user.id,
          subject: user.id,
          details: { method: "oidc", provider: provider.id },
        })
        return { _tag: "SignedIn", location: returnTo, token } satisfies Outcome
      })

    /** Finish a sign-in the provider sent the browser back from; `boundState` is the state the browser's cookie holds. */
    const callback = (
      providerId: string,
      params: Readonly<Record<string, string>>,
      origin: string,
      boundState: string | undefined,
    ) =>
      Effect.gen(function* () {
        const provider = yield* find(providerId)
        const state = params.state
        if (state === undefined || boundState === undefined || state.length > 512) return yield* new InvalidState()
        if (!Tokens.equalDigests(Tokens.digest(state), Tokens.digest(boundState))) return yield* new InvalidState()
        const flow = yield* consumeFlow(provider, state)
        return yield* Effect.gen(function* () {
          if (params.error !== undefined) {
            yield* Effect.logInfo("OpenID provider refused the sign-in", {
              provider: provider.id,
              oauthError: oauthErrorCode(params.error),
            })
            return yield* new Refused({ code: params.error === "access_denied" ? "access_denied" : "provider_error" })
          }
          const claims = yield* exchange(provider, params, origin, flow, state)
          const user = yield* resolveUser(provider, claims)
          return yield* signIn(provider, user, flow.return_to)
        }).pipe(
          Effect.catchTag(
            "Refused",
            (refused): Effect.Effect<Outcome> =>
              Effect.succeed({ _tag: "Redirect", location: withAuthError(flow.return_to, refused.code) }),
          ),
        )
      })

    return { start, callback }
  }),
  dependencies: [OidcConfig.layer],
}) {}
