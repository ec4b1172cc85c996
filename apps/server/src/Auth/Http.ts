/**
 * Handlers of the `auth` group: sign-up, password sign-in and sign-out,
 * the session, the caller's devices, terms acceptance and password change.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Account, ApiError, AuthApi, Authentication, IgnitionApi } from "@ignition/api"
import { Clock, DateTime, Effect, Layer, Option, type Redacted } from "effect"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import * as Audit from "./Audit.js"
import { refusal } from "./AuthenticationLive.js"
import { OidcConfig } from "./OidcConfig.js"
import { type HasherBusy, Passwords } from "./Passwords.js"
import { RateLimit } from "./RateLimit.js"
import { clientInfo } from "./RequestInfo.js"
import * as SessionCookie from "./SessionCookie.js"
import { type Issued, Sessions, toApi as sessionToApi } from "./Sessions.js"
import { Setup } from "./Setup.js"
import { type UserRecord, UserRepo, toApi as userToApi } from "./UserRepo.js"

/** Minimum age to hold an account. */
export const minimumAge = 16

/**
 * With only a birth year we cannot tell whether this year's birthday has
 * passed, so someone born `minimumAge` years ago may still be younger:
 * accept only birth years that make the user `minimumAge` whatever the day.
 */
export const oldEnough = (birthYear: number, currentYear: number): boolean => currentYear - birthYear - 1 >= minimumAge

const tooYoung = new ApiError.Forbidden({
  message: `You must be at least ${minimumAge} to use Ignition`,
  reason: "age_requirement",
})

const wrongCredentials = new ApiError.Unauthorized({ message: "Wrong email or password" })
const notSignedIn = new ApiError.Unauthorized({ message: "Not signed in, or the session has ended" })

/** A saturated hashing pool is load, answered like a rate limit. */
const busy = (_: HasherBusy) =>
  new ApiError.TooManyRequests({ message: "The server is busy; try again in a second", retryAfterSeconds: 1 })

const currentYear = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis).getUTCFullYear())

export const sessionInfo = (user: UserRecord, issued: Pick<Issued, "session">) =>
  new Account.SessionInfo({ user: userToApi(user), session: sessionToApi(issued.session) })

/** Start a session for a user and hand its token to the browser. */
export const signIn = (user: UserRecord) =>
  Effect.gen(function* () {
    const sessions = yield* Sessions
    const client = yield* clientInfo
    const issued = yield* sessions.create(user.id, client.userAgent)
    yield* SessionCookie.set(issued.token)
    yield* Audit.record({ action: "sign_in", actor: user.id, subject: user.id })
    return issued
  })

export const AuthLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "auth", (handlers) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const db = yield* Database
    const users = yield* UserRepo
    const sessions = yield* Sessions
    const passwords = yield* Passwords
    const rateLimit = yield* RateLimit
    const setup = yield* Setup
    const oidc = yield* OidcConfig

    /** The session the request's cookie names, whatever the account's state. */
    const cookieSession = Effect.flatMap(SessionCookie.read, (token) =>
      Option.match(token, {
        onNone: () => Effect.succeed(Option.none()),
        onSome: (t: Redacted.Redacted<string>) => sessions.authenticate(t),
      }),
    )

    const refuseWeak = (password: Redacted.Redacted<string>, userInputs: ReadonlyArray<string>) =>
      Effect.flatMap(passwords.strength(password, userInputs), (strength) =>
        strength.acceptable
          ? Effect.void
          : Effect.fail(
              new AuthApi.WeakPassword({
                message: strength.warning === "" ? "Choose a password that is harder to guess" : strength.warning,
                suggestions: [...strength.suggestions],
              }),
            ),
      )

    const signup = (request: AuthApi.SignupRequest) =>
      Effect.gen(function* () {
        const client = yield* clientInfo
        yield* rateLimit.guard("sign_up", client.ip)
        if (!oldEnough(request.birthYear, yield* currentYear)) return yield* tooYoung
        yield* refuseWeak(request.password, [request.email, request.displayName])
        const hash = yield* passwords.hash(request.password).pipe(Effect.mapError(busy))
        const asAdmin = request.setupToken !== undefined
        const acceptedAt = new Date(yield* Clock.currentTimeMillis)
        const user = yield* db
          .transaction(
            Effect.gen(function* () {
              const created = yield* users.create(
                {
                  email: request.email,
                  displayName: request.displayName,
                  status: asAdmin || !config.requireApproval ? "approved" : "pending",
                  timeZone: request.timeZone ?? "UTC",
                  birthYear: request.birthYear,
                  termsAcceptedAt: acceptedAt,
                  roles: asAdmin ? ["admin", "member"] : ["member"],
                },
                hash,
              )
              if (request.setupToken !== undefined && !(yield* setup.consume(request.setupToken, created.id))) {
                return yield* new ApiError.Forbidden({
                  message: "The setup token is wrong or already used",
                  reason: "setup_token",
                })
              }
              yield* Audit.record({ action: "signup", actor: created.id, subject: created.id })
              if (asAdmin) yield* Audit.record({ action: "setup_completed", actor: created.id, subject: created.id })
              return created
            }),
          )
          .pipe(
            Effect.catchTags({
              EmailTaken: () =>
                Effect.fail(new ApiError.Conflict({ message: "An account with this email already exists" })),
              DatabaseError: Effect.die,
            }),
          )
        if (user.status !== "approved") return new AuthApi.AwaitingApproval({ user: userToApi(user) })
        const issued = yield* signIn(user)
        return new AuthApi.SignedIn({ user: userToApi(user), session: sessionToApi(issued.session) })
      })

    const login = (request: AuthApi.LoginRequest) =>
      Effect.gen(function* () {
        const client = yield* clientInfo
        yield* rateLimit.guard("sign_in", client.ip, request.email)
        const found = yield* users.findByEmail(request.email)
        const stored = Option.match(found, { onNone: () => undefined, onSome: (f) => f.passwordHash ?? undefined })
        const matches = yield* passwords.verify(request.password, stored).pipe(Effect.mapError(busy))
        if (!matches || Option.isNone(found)) {
          yield* rateLimit.failed(client.ip, request.email)
          yield* Audit.record({
            action: "sign_in_failed",
            subject: Option.getOrUndefined(Option.map(found, (f) => f.user.id)),
            details: { method: "password" },
          })
          return yield* wrongCredentials
        }
        yield* rateLimit.succeeded(request.email)
        const { user } = found.value
        // Refused only after the password matched, so these answers reveal nothing to a guesser.
        const refused = refusal(user)
        if (Option.isSome(refused) && refused.value.reason !== "terms_required") return yield* refused.value
        if (stored !== undefined && passwords.needsRehash(stored)) {
          yield* Effect.flatMap(passwords.hash(request.password), (hash) => users.setPassword(user.id, hash)).pipe(
            Effect.catchTag("HasherBusy", () => Effect.void),
          )
        }
        return sessionInfo(user, yield* signIn(user))
      })

    const logout = Effect.gen(function* () {
      const found = yield* cookieSession
      if (Option.isSome(found)) {
        yield* sessions.revoke(found.value.session.id, "sign_out")
        yield* Audit.record({ action: "sign_out", actor: found.value.user.id, subject: found.value.user.id })
      }
      yield* SessionCookie.clear
    })

    const logoutAll = Effect.gen(function* () {
      const { user } = yield* Authentication.CurrentUser
      const count = yield* sessions.revokeAll(user.id, "sign_out_everywhere")
      yield* Audit.record({
        action: "sign_out_everywhere",
        actor: user.id,
        subject: user.id,
        details: { sessions: count },
      })
      yield* SessionCookie.clear
    })

    const devices = Effect.gen(function* () {
      const { user, sessionId } = yield* Authentication.CurrentUser
      const live = yield* sessions.listLive(user.id)
      return live.map(
        (session) =>
          new Account.DeviceSession({
            id: session.id,
            createdAt: DateTime.unsafeFromDate(session.createdAt),
            lastSeenAt: DateTime.unsafeFromDate(session.lastSeenAt),
            expiresAt: DateTime.unsafeFromDate(session.expiresAt),
            userAgent: session.userAgent,
            current: session.id === sessionId,
          }),
      )
    })

    const revokeSession = (id: Account.SessionId) =>
      Effect.gen(function* () {
        const { user, sessionId } = yield* Authentication.CurrentUser
        if (!(yield* sessions.revokeOwn(user.id, id, "revoked"))) {
          return yield* new ApiError.NotFound({ message: "No such session" })
        }
        yield* Audit.record({ action: "session_revoked", actor: user.id, subject: user.id, details: { session: id } })
        if (id === sessionId) yield* SessionCookie.clear
      })

    /** Replace the caller's session (after a sensitive change) and hand over the new token. */
    const rotate = (user: UserRecord, session: Parameters<typeof sessions.rotate>[0]) =>
      Effect.gen(function* () {
        const rotated = yield* sessions.rotate(session)
        if (Option.isNone(rotated)) return yield* notSignedIn
        yield* SessionCookie.set(rotated.value.token)
        yield* Audit.record({ action: "session_rotated", actor: user.id, subject: user.id })
        return sessionInfo(user, rotated.value)
      })

    const acceptTerms = (request: AuthApi.AcceptTermsRequest) =>
      Effect.gen(function* () {
        const found = yield* cookieSession
        if (Option.isNone(found)) return yield* notSignedIn
        const { session, user } = found.value
        const refused = refusal(user)
        if (Option.isSome(refused) && refused.value.reason !== "terms_required") return yield* refused.value
        if (!oldEnough(request.birthYear, yield* currentYear)) return yield* tooYoung
        const updated = yield* users.update(user.id, {
          birthYear: request.birthYear,
          termsAcceptedAt: new Date(yield* Clock.currentTimeMillis),
        })
        if (Option.isNone(updated)) return yield* notSignedIn
        yield* Audit.record({ action: "terms_accepted", actor: user.id, subject: user.id })
        return yield* rotate(updated.value, session)
      })

    const changePassword = (request: AuthApi.ChangePasswordRequest) =>
      Effect.gen(function* () {
        const { user, sessionId } = yield* Authentication.CurrentUser
        const client = yield* clientInfo
        yield* rateLimit.guard("sign_in", client.ip, user.email)
        const stored = yield* users.passwordHash(user.id)
        const matches = yield* passwords.verify(request.currentPassword, stored).pipe(Effect.mapError(busy))
        if (!matches) {
          yield* rateLimit.failed(client.ip, user.email)
          return yield* new ApiError.Unauthorized({ message: "The current password is wrong" })
        }
        yield* refuseWeak(request.newPassword, [user.email, user.displayName])
        const hash = yield* passwords.hash(request.newPassword).pipe(Effect.mapError(busy))
        yield* users.setPassword(user.id, hash)
        yield* sessions.revokeAll(user.id, "password_changed", sessionId)
        yield* Audit.record({ action: "password_changed", actor: user.id, subject: user.id })
        const record = yield* users.findById(user.id)
        const live = yield* sessions.listLive(user.id)
        const current = live.find((session) => session.id === sessionId)
        if (Option.isNone(record) || current === undefined) return yield* notSignedIn
        return yield* rotate(record.value, current)
      })

    const methods = Effect.gen(function* () {
      return new AuthApi.SignInMethods({
        password: true,
        passkeys: true,
        oidc: oidc.providers.map((provider) => ({ id: provider.id, name: provider.name })),
        requireApproval: config.requireApproval,
        setupPending: yield* setup.pending,
      })
    })

    return handlers
      .handle("methods", () => methods)
      .handle("signup", ({ payload }) => signup(payload))
      .handle("login", ({ payload }) => login(payload))
      .handle("logout", () => logout)
      .handle("logoutAll", () => logoutAll)
      .handle("session", () =>
        Effect.map(Authentication.CurrentUser, ({ user, session }) => new Account.SessionInfo({ user, session })),
      )
      .handle("sessions", () => devices)
      .handle("revokeSession", ({ path }) => revokeSession(path.id))
      .handle("acceptTerms", ({ payload }) => acceptTerms(payload))
      .handle("changePassword", ({ payload }) => changePassword(payload))
  }),
).pipe(Layer.provide(Setup.Default))
