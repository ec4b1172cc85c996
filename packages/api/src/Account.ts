/**
 * Accounts and sessions on the wire: ids, users, sessions, and the input
 * rules every client shares (email, password length, display name, birth
 * year, time zone, locale).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 */
export const UserId = Schema.UUID.pipe(Schema.brand("UserId"))

/**
 * @since 0.1.0
 */
export type UserId = typeof UserId.Type

/**
 * @since 0.1.0
 */
export const SessionId = Schema.UUID.pipe(Schema.brand("SessionId"))

/**
 * @since 0.1.0
 */
export type SessionId = typeof SessionId.Type

/**
 * An email address as typed: surrounding spaces are dropped; matching is
 * case-insensitive on the server.
 *
 * @since 0.1.0
 */
export const Email = Schema.Trim.pipe(
  Schema.compose(
    Schema.String.pipe(
      Schema.maxLength(254),
      Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: () => "Expected an email address" }),
    ),
  ),
)

/**
 * A password as sent; its strength is judged by the server. Decoded as
 * `Redacted`, so it cannot be logged or printed by accident.
 *
 * @since 0.1.0
 */
export const Password = Schema.Redacted(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1024)))

/**
 * @since 0.1.0
 */
export const DisplayName = Schema.Trim.pipe(
  Schema.compose(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))),
)

/**
 * @since 0.1.0
 */
export const BirthYear = Schema.Int.pipe(Schema.between(1900, 2200))

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * An IANA time zone such as `Europe/Berlin`.
 *
 * @since 0.1.0
 */
export const TimeZone = Schema.String.pipe(
  Schema.maxLength(64),
  Schema.filter((zone) => isTimeZone(zone) || `Unknown time zone "${zone}"`),
)

const isLocale = (locale: string): boolean => {
  try {
    return Intl.getCanonicalLocales(locale).length === 1
  } catch {
    return false
  }
}

/**
 * A BCP 47 language tag such as `en-GB`.
 *
 * @since 0.1.0
 */
export const Locale = Schema.String.pipe(
  Schema.maxLength(35),
  Schema.filter((locale) => isLocale(locale) || `Not a language tag: "${locale}"`),
)

/**
 * @since 0.1.0
 */
export const UserStatus = Schema.Literal("pending", "approved", "suspended")

/**
 * @since 0.1.0
 */
export type UserStatus = typeof UserStatus.Type

/**
 * @since 0.1.0
 */
export const RoleName = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9_-]{1,39}$/))

/**
 * An account as its owner (and administrators) see it.
 *
 * @since 0.1.0
 */
export class User extends Schema.Class<User>("User")({
  id: UserId,
  email: Schema.String,
  displayName: Schema.String,
  status: UserStatus,
  roles: Schema.Array(RoleName),
  timeZone: Schema.String,
  termsAcceptedAt: Schema.NullOr(Schema.DateTimeUtc),
  createdAt: Schema.DateTimeUtc,
}) {}

/**
 * The session a request runs in.
 *
 * @since 0.1.0
 */
export class Session extends Schema.Class<Session>("Session")({
  id: SessionId,
  createdAt: Schema.DateTimeUtc,
  expiresAt: Schema.DateTimeUtc,
  absoluteExpiresAt: Schema.DateTimeUtc,
}) {}

/**
 * Who is signed in, and in which session.
 *
 * @since 0.1.0
 */
export class SessionInfo extends Schema.Class<SessionInfo>("SessionInfo")({
  user: User,
  session: Session,
}) {}

/**
 * One of the caller's signed-in devices.
 *
 * @since 0.1.0
 */
export class DeviceSession extends Schema.Class<DeviceSession>("DeviceSession")({
  id: SessionId,
  createdAt: Schema.DateTimeUtc,
  lastSeenAt: Schema.DateTimeUtc,
  expiresAt: Schema.DateTimeUtc,
  userAgent: Schema.NullOr(Schema.String),
  current: Schema.Boolean,
}) {}
