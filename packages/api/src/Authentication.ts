/**
 * How requests are authenticated: an opaque session token in an HttpOnly
 * cookie. Endpoints behind `Authentication` get the `CurrentUser`; admin
 * endpoints sit behind `AdminAuthentication`, which also requires the
 * `admin` role.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware, HttpApiSecurity } from "@effect/platform"
import { Context, Schema } from "effect"
import type { Session, SessionId, User } from "./Account.js"
import { Forbidden, Unauthorized } from "./ApiError.js"

/**
 * The session cookie's name.
 *
 * @since 0.1.0
 */
export const sessionCookie = "ignition_session"

/**
 * @since 0.1.0
 */
export const sessionSecurity = HttpApiSecurity.apiKey({ in: "cookie", key: sessionCookie })

/**
 * The signed-in user and their session, for handlers behind `Authentication`.
 *
 * @since 0.1.0
 */
export class CurrentUser extends Context.Tag("@ignition/api/CurrentUser")<
  CurrentUser,
  { readonly user: User; readonly sessionId: SessionId; readonly session: Session }
>() {}

/**
 * A valid session of an approved account that has accepted the terms;
 * 401 without one, 403 when the account is pending, suspended or has terms
 * to accept.
 *
 * @since 0.1.0
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@ignition/api/Authentication", {
  failure: Schema.Union(Unauthorized, Forbidden),
  provides: CurrentUser,
  security: { session: sessionSecurity },
}) {}

/**
 * Like `Authentication`, and the user must hold the `admin` role (403
 * otherwise).
 *
 * @since 0.1.0
 */
export class AdminAuthentication extends HttpApiMiddleware.Tag<AdminAuthentication>()(
  "@ignition/api/AdminAuthentication",
  {
    failure: Schema.Union(Unauthorized, Forbidden),
    provides: CurrentUser,
    security: { session: sessionSecurity },
  },
) {}
