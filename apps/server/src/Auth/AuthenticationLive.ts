/**
 * The `Authentication` and `AdminAuthentication` middlewares: the session
 * cookie must name a live session of an approved account that has accepted
 * the terms (and, for admin endpoints, holds the `admin` role).
 */
import { ApiError, Authentication } from "@ignition/api"
import { Effect, Layer, Option, type Redacted } from "effect"
import * as SessionRecords from "./Sessions.js"
import { Sessions } from "./Sessions.js"
import type { UserRecord } from "./UserRepo.js"
import { toApi } from "./UserRepo.js"

const notSignedIn = new ApiError.Unauthorized({ message: "Not signed in, or the session has ended" })

/** Why an account may not use the API now, if it may not. */
export const refusal = (user: UserRecord): Option.Option<ApiError.Forbidden> => {
  switch (user.status) {
    case "pending":
      return Option.some(
        new ApiError.Forbidden({
          message: "The account awaits an administrator's approval",
          reason: "pending_approval",
        }),
      )
    case "suspended":
      return Option.some(new ApiError.Forbidden({ message: "The account is suspended", reason: "suspended" }))
    case "approved":
      return user.termsAcceptedAt === null
        ? Option.some(new ApiError.Forbidden({ message: "Accept the terms to continue", reason: "terms_required" }))
        : Option.none()
  }
}

/** The `CurrentUser` for a session token, or the 401/403 the middlewares answer (also used by `VaultUnlocked`). */
export const authenticate =
  (sessions: Sessions, requireRole: string | undefined) =>
  (
    token: Redacted.Redacted<string>,
  ): Effect.Effect<Authentication.CurrentUser["Type"], ApiError.Unauthorized | ApiError.Forbidden> =>
    Effect.gen(function* () {
      const found = yield* sessions.authenticate(token)
      if (Option.isNone(found)) return yield* notSignedIn
      const { session, user } = found.value
      const refused = refusal(user)
      if (Option.isSome(refused)) return yield* refused.value
      if (requireRole !== undefined && !user.roles.includes(requireRole)) {
        return yield* new ApiError.Forbidden({ message: "This needs the admin role", reason: "admin_required" })
      }
      return { user: toApi(user), sessionId: session.id, session: SessionRecords.toApi(session) }
    })

export const AuthenticationLive = Layer.effect(
  Authentication.Authentication,
  Effect.map(Sessions, (sessions) => ({ session: authenticate(sessions, undefined) })),
)

export const AdminAuthenticationLive = Layer.effect(
  Authentication.AdminAuthentication,
  Effect.map(Sessions, (sessions) => ({ session: authenticate(sessions, "admin") })),
)
