/**
 * The `auth` group: sign-up, sign-in with a password, an OpenID provider or
 * a passkey; the session and the caller's devices.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  BirthYear,
  DeviceSession,
  DisplayName,
  Email,
  Password,
  SessionId,
  SessionInfo,
  TimeZone,
  User,
} from "./Account.js"
import { Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized } from "./ApiError.js"
import { Authentication } from "./Authentication.js"

/**
 * The password was refused as too guessable; `suggestions` say how to do
 * better.
 *
 * @since 0.1.0
 */
export class WeakPassword extends Schema.TaggedError<WeakPassword>()(
  "WeakPassword",
  { message: Schema.String, suggestions: Schema.Array(Schema.String) },
  HttpApiSchema.annotations({ status: 400, description: "The password is too easy to guess" }),
) {}

/**
 * @since 0.1.0
 */
export class SignupRequest extends Schema.Class<SignupRequest>("SignupRequest")({
  email: Email,
  password: Password,
  displayName: DisplayName,
  birthYear: BirthYear,
  acceptTerms: Schema.Literal(true),
  timeZone: Schema.optional(TimeZone),
  /** The instance's one-time setup token: makes this account the first administrator. */
  setupToken: Schema.optional(Schema.String.pipe(Schema.maxLength(256))),
}) {}

/**
 * @since 0.1.0
 */
export class SignedIn extends Schema.TaggedClass<SignedIn>()("SignedIn", {
  user: User,
  session: SessionInfo.fields.session,
}) {}

/**
 * The account exists but waits for an administrator's approval: no session yet.
 *
 * @since 0.1.0
 */
export class AwaitingApproval extends Schema.TaggedClass<AwaitingApproval>()("AwaitingApproval", {
  user: User,
}) {}

/**
 * What a sign-up answers: 201 `SignedIn`, or 202 `AwaitingApproval`.
 *
 * @since 0.1.0
 */
export const SignupResult = Schema.Union(SignedIn, AwaitingApproval)

/**
 * @since 0.1.0
 */
export class LoginRequest extends Schema.Class<LoginRequest>("LoginRequest")({
  email: Email,
  password: Password,
}) {}

/**
 * @since 0.1.0
 */
export class AcceptTermsRequest extends Schema.Class<AcceptTermsRequest>("AcceptTermsRequest")({
  birthYear: BirthYear,
  acceptTerms: Schema.Literal(true),
}) {}

/**
 * @since 0.1.0
 */
export class ChangePasswordRequest extends Schema.Class<ChangePasswordRequest>("ChangePasswordRequest")({
  currentPassword: Password,
  newPassword: Password,
}) {}

/**
 * The sign-in methods this instance offers.
 *
 * @since 0.1.0
 */
export class SignInMethods extends Schema.Class<SignInMethods>("SignInMethods")({
  password: Schema.Boolean,
  passkeys: Schema.Boolean,
  oidc: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })),
  requireApproval: Schema.Boolean,
  setupPending: Schema.Boolean,
}) {}

/**
 * A passkey of the caller's.
 *
 * @since 0.1.0
 */
export class Passkey extends Schema.Class<Passkey>("Passkey")({
  id: Schema.UUID,
  name: Schema.String,
  createdAt: Schema.DateTimeUtc,
  lastUsedAt: Schema.NullOr(Schema.DateTimeUtc),
  deviceType: Schema.Literal("singleDevice", "multiDevice"),
  backedUp: Schema.Boolean,
  /** The authenticator supports WebAuthn PRF, so the vault can wrap its key with this passkey. */
  prfCapable: Schema.Boolean,
}) {}

/** WebAuthn JSON (options to pass to the browser, responses it produced), checked by the server. */
const WebAuthnJson = Schema.Record({ key: Schema.String, value: Schema.Unknown })

const ProviderPath = Schema.Struct({ provider: Schema.String.pipe(Schema.pattern(/^[a-z0-9-]{1,32}$/)) })

/**
 * @since 0.1.0
 */
export class AuthApi extends HttpApiGroup.make("auth")
  .add(HttpApiEndpoint.get("methods", "/api/auth/methods").addSuccess(SignInMethods))
  .add(
    HttpApiEndpoint.post("signup", "/api/auth/signup")
      .setPayload(SignupRequest)
      .addSuccess(SignedIn, { status: 201 })
      .addSuccess(AwaitingApproval, { status: 202 })
      .addError(WeakPassword)
      .addError(Conflict)
      .addError(Forbidden)
      .addError(TooManyRequests),
  )
  .add(
    HttpApiEndpoint.post("login", "/api/auth/login")
      .setPayload(LoginRequest)
      .addSuccess(SessionInfo)
      .addError(Unauthorized)
      .addError(Forbidden)
      .addError(TooManyRequests),
  )
  .add(HttpApiEndpoint.post("logout", "/api/auth/logout").addSuccess(Schema.Void, { status: 204 }))
  .add(
    HttpApiEndpoint.post("logoutAll", "/api/auth/logout-all")
      .addSuccess(Schema.Void, { status: 204 })
      .middleware(Authentication),
  )
  .add(HttpApiEndpoint.get("session", "/api/auth/session").addSuccess(SessionInfo).middleware(Authentication))
  .add(
    HttpApiEndpoint.get("sessions", "/api/auth/sessions")
      .addSuccess(Schema.Array(DeviceSession))
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.del("revokeSession", "/api/auth/sessions/:id")
      .setPath(Schema.Struct({ id: SessionId }))
      .addSuccess(Schema.Void, { status: 204 })
      .addError(NotFound)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("acceptTerms", "/api/auth/terms")
      .setPayload(AcceptTermsRequest)
      .addSuccess(SessionInfo)
      .addError(Unauthorized)
      .addError(Forbidden),
  )
  .add(
    HttpApiEndpoint.put("changePassword", "/api/auth/password")
      .setPayload(ChangePasswordRequest)
      .addSuccess(SessionInfo)
      .addError(WeakPassword)
      .addError(TooManyRequests)
      .middleware(Authentication),
  )
  .annotate(OpenApi.Title, "Auth")
  .annotate(OpenApi.Description, "Sign-up, password sign-in, sessions and devices") {}

/**
 * The `oidc` group: "Sign in with Google / Microsoft / any OpenID provider"
 * (authorization code with PKCE). Both endpoints answer with redirects.
 *
 * @since 0.1.0
 */
export class OidcApi extends HttpApiGroup.make("oidc")
  .add(
    HttpApiEndpoint.get("start", "/api/auth/oidc/:provider/start")
      .setPath(ProviderPath)
      .setUrlParams(Schema.Struct({ returnTo: Schema.optional(Schema.String.pipe(Schema.maxLength(2048))) }))
      .addSuccess(Schema.Void, { status: 302 })
      .addError(NotFound),
  )
  .add(
    HttpApiEndpoint.get("callback", "/api/auth/oidc/:provider/callback")
      .setPath(ProviderPath)
      .setUrlParams(Schema.Record({ key: Schema.String, value: Schema.String }))
      .addSuccess(Schema.Void, { status: 302 })
      .addError(NotFound)
      .addError(Unauthorized),
  )
  .annotate(OpenApi.Title, "OpenID Connect")
  .annotate(OpenApi.Description, "Sign-in through the OpenID providers configured on this instance") {}

/**
 * The `passkeys` group: WebAuthn registration and sign-in. Registration asks
 * for the PRF extension so the vault can later wrap its key with a passkey.
 *
 * @since 0.1.0
 */
export class PasskeysApi extends HttpApiGroup.make("passkeys")
  .add(
    HttpApiEndpoint.post("registerOptions", "/api/auth/passkeys/register/options")
      .addSuccess(Schema.Struct({ options: WebAuthnJson }))
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("registerVerify", "/api/auth/passkeys/register/verify")
      .setPayload(Schema.Struct({ response: WebAuthnJson, name: Schema.optional(DisplayName) }))
      .addSuccess(Passkey, { status: 201 })
      .addError(Unauthorized)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("loginOptions", "/api/auth/passkeys/login/options")
      .addSuccess(Schema.Struct({ challengeId: Schema.UUID, options: WebAuthnJson }))
      .addError(TooManyRequests),
  )
  .add(
    HttpApiEndpoint.post("loginVerify", "/api/auth/passkeys/login/verify")
      .setPayload(Schema.Struct({ challengeId: Schema.UUID, response: WebAuthnJson }))
      .addSuccess(SessionInfo)
      .addError(Unauthorized)
      .addError(Forbidden)
      .addError(TooManyRequests),
  )
  .add(HttpApiEndpoint.get("list", "/api/auth/passkeys").addSuccess(Schema.Array(Passkey)).middleware(Authentication))
  .add(
    HttpApiEndpoint.del("remove", "/api/auth/passkeys/:id")
      .setPath(Schema.Struct({ id: Schema.UUID }))
      .addSuccess(Schema.Void, { status: 204 })
      .addError(NotFound)
      .middleware(Authentication),
  )
  .annotate(OpenApi.Title, "Passkeys")
  .annotate(OpenApi.Description, "WebAuthn passkeys: registration, sign-in, listing and removal") {}
