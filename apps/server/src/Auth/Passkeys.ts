/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: registration for a
 * signed-in user and discoverable sign-in (docs/passkeys.md).
 *
 * - The relying party is PUBLIC_ORIGIN (its host is the RP id); without
 *   it, the origin the request was sent to (its Host header), so a local
 *   instance works with no configuration.
 * - Every ceremony starts with a challenge row in `webauthn_challenges`
 *   that lives five minutes and is deleted when used, so a response can be
 *   verified at most once.
 * - Registration asks for the PRF extension: a passkey that reports it
 *   enabled (`prf_capable`) can later wrap the vault key.
 * - Sign-in keeps the authenticator's signature counter and refuses one
 *   that does not increase (a cloned authenticator), except for
 *   authenticators that always report zero.
 *
 * WebAuthn JSON that is not what a browser produces is a 400; a response
 * that does not verify is a 401.
 */
import { HttpServerRequest } from "@effect/platform"
import { type Account, type ApiError, AuthApi } from "@ignition/api"
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server"
import { decodeAttestationObject, parseAuthenticatorData } from "@simplewebauthn/server/helpers"
import { Array as Arr, Clock, Data, DateTime, Duration, Effect, Either, Option, ParseResult, Schema } from "effect"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import * as Audit from "./Audit.js"
import { refusal } from "./AuthenticationLive.js"
import { RateLimit } from "./RateLimit.js"
import { clientInfo } from "./RequestInfo.js"
import * as SessionCookie from "./SessionCookie.js"
import { type Issued, Sessions } from "./Sessions.js"
import { type UserRecord, UserRepo } from "./UserRepo.js"

/** The WebAuthn JSON is not what a browser produces (400). */
export class MalformedResponse extends Data.TaggedError("MalformedResponse")<{ readonly message: string }> {}

/** This instance cannot tell its own origin: no PUBLIC_ORIGIN and no usable Host header (400). */
export class UnknownOrigin extends Data.TaggedError("UnknownOrigin")<{ readonly message: string }> {}

/** The credential is already registered (to this or another account) (400). */
export class AlreadyRegistered extends Data.TaggedError("AlreadyRegistered") {}

/** None of the caller's passkeys has this id (404). */
export class PasskeyNotFound extends Data.TaggedError("PasskeyNotFound") {}

export type FailureReason =
  | "no_challenge"
  | "origin_mismatch"
  | "unknown_credential"
  | "user_handle_mismatch"
  | "verification_failed"
  | "counter_regression"

/** A ceremony that did not verify (401); `detail` is for the log, `message` for the caller. */
export class CeremonyFailed extends Data.TaggedError("CeremonyFailed")<{
  readonly reason: FailureReason
  readonly message: string
  readonly detail?: string | undefined
  /** The account the presented passkey belongs to, once known. */
  readonly userId?: string | undefined
}> {}

/** How long a ceremony may take, from options to verification. */
export const challengeLifetime = Duration.minutes(5)

const rpName = "Ignition"

// ---------------------------------------------------------------------------
// The WebAuthn JSON a browser sends (PublicKeyCredential.toJSON()), checked
// before anything is verified, so malformed input is a 400 and not a library
// exception.

const Base64Url = Schema.String.pipe(
  Schema.minLength(1, { message: () => "Expected a non-empty base64url string" }),
  Schema.pattern(/^[A-Za-z0-9_-]+={0,2}$/, { message: () => "Expected a base64url string" }),
)

// A credential id is at most 1023 bytes (WebAuthn §6.1), 1364 base64url characters.
const CredentialId = Base64Url.pipe(Schema.maxLength(1366, { message: () => "A credential id is at most 1023 bytes" }))

const Transports = Schema.Array(Schema.String.pipe(Schema.maxLength(32))).pipe(Schema.maxItems(16))

const RegistrationResponse = Schema.Struct({
  id: CredentialId,
  rawId: CredentialId,
  type: Schema.Literal("public-key"),
  response: Schema.Struct({
    clientDataJSON: Base64Url,
    attestationObject: Base64Url,
    transports: Schema.optional(Transports),
  }),
  clientExtensionResults: Schema.optional(
    Schema.Struct({ prf: Schema.optional(Schema.Struct({ enabled: Schema.optional(Schema.Boolean) })) }),
  ),
})

const AuthenticationResponse = Schema.Struct({
  id: CredentialId,
  rawId: CredentialId,
  type: Schema.Literal("public-key"),
  response: Schema.Struct({
    clientDataJSON: Base64Url,
    authenticatorData: Base64Url,
    signature: Base64Url,
    userHandle: Schema.optional(Schema.NullOr(Base64Url)),
  }),
})

const ClientData = Schema.parseJson(
  Schema.Struct({ type: Schema.String, challenge: Schema.String, origin: Schema.String }),
)

/** The first problem a parse error reports, and where: short enough for a 400 message. */
const firstIssue = (what: string, error: ParseResult.ParseError): string =>
  Option.match(Arr.head(ParseResult.ArrayFormatter.formatErrorSync(error)), {
    onNone: () => `${what} is not a WebAuthn response`,
    onSome: (issue) => `${[what, ...issue.path.map(String)].join(".")}: ${issue.message}`,
  })

const decode =
  <A, I>(schema: Schema.Schema<A, I>, what: string) =>
  (input: unknown): Effect.Effect<A, MalformedResponse> =>
    Either.match(Schema.decodeUnknownEither(schema)(input), {
      onLeft: (error) => Effect.fail(new MalformedResponse({ message: firstIssue(what, error) })),
      onRight: Effect.succeed,
    })

const fromBase64Url = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(text, "base64url"))

/** The decoded clientDataJSON: its origin is compared before anything else is verified. */
const clientData = (encoded: string) =>
  decode(ClientData, "response.clientDataJSON")(Buffer.from(encoded, "base64url").toString("utf8"))

/** Binary fields that do not decode are malformed input (400), not a failed verification. */
const binary = <A>(what: string, parse: () => A) =>
  Effect.try({
    try: parse,
    catch: (cause) =>
      new MalformedResponse({
        message: `${what} could not be decoded${cause instanceof Error ? `: ${cause.message}` : ""}`,
      }),
  })

// ---------------------------------------------------------------------------

export interface RelyingParty {
  readonly id: string
  readonly origin: string
}

interface PasskeyRow {
  readonly id: string
  readonly user_id: string
  readonly credential_id: string
  readonly public_key: Uint8Array
  readonly sign_count: number
  readonly transports: Array<string>
  readonly device_type: "singleDevice" | "multiDevice"
  readonly backed_up: boolean
  readonly prf_capable: boolean
  readonly name: string
  readonly created_at: Date
  readonly last_used_at: Date | null
}

const columns = [
  "id",
  "user_id",
  "credential_id",
  "public_key",
  "sign_count",
  "transports",
  "device_type",
  "backed_up",
  "prf_capable",
  "name",
  "created_at",
  "last_used_at",
] as const

/** The wire form of a passkey. */
export const toApi = (row: PasskeyRow): AuthApi.Passkey =>
  new AuthApi.Passkey({
    id: row.id,
    name: row.name,
    createdAt: DateTime.unsafeFromDate(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : DateTime.unsafeFromDate(row.last_used_at),
    deviceType: row.device_type,
    backedUp: row.backed_up,
    prfCapable: row.prf_capable,
  })

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

/**
 * The rate limit's refusal, which the ceremonies pass on. (Named here so the
 * service's declared type can name it: `tsc -b` needs the import in scope.)
 */
export type Throttled = ApiError.TooManyRequests

const failed = (reason: FailureReason, message: string, extra: { detail?: string; userId?: string } = {}) =>
  new CeremonyFailed({ reason, message, ...extra })

/** A library exception while verifying is a response that does not verify. */
const verification = <A>(run: () => Promise<A>, userId?: string) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) =>
      failed("verification_failed", "The passkey's response did not verify", {
        detail: cause instanceof Error ? cause.message : String(cause),
        ...(userId === undefined ? {} : { userId }),
      }),
  })

export class Passkeys extends Effect.Service<Passkeys>()("@ignition/server/Passkeys", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const config = yield* AppConfig
    const users = yield* UserRepo
    const sessions = yield* Sessions
    const rateLimit = yield* RateLimit

    /** Audit entries, the client's address and the cookie need the database and configuration this service holds. */
    const withInfra = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      effect.pipe(Effect.provideService(Database, db), Effect.provideService(AppConfig, config))

    const audit = (entry: Audit.AuditEntry) => withInfra(Audit.record(entry))
    const client = withInfra(clientInfo)

    /**
     * Who we are to the authenticator. Without PUBLIC_ORIGIN, the origin the
     * browser reached us at: the Host header, with the scheme the proxy saw
     * when TRUST_PROXY says its headers may be believed.
     */
    const relyingParty: Effect.Effect<RelyingParty, UnknownOrigin, HttpServerRequest.HttpServerRequest> = Option.match(
      config.publicOrigin,
      {
        onSome: (origin) => Effect.succeed({ id: new URL(origin).hostname, origin }),
        onNone: () =>
          Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
            const host = request.headers.host?.trim().toLowerCase()
            const forwardedProto = config.trustProxy
              ? request.headers["x-forwarded-proto"]?.split(",")[0]?.trim().toLowerCase()
              : undefined
            const scheme = forwardedProto === "https" ? "https" : "http"
            const unknown = new UnknownOrigin({
              message: "Cannot tell this instance's origin from the request's Host header; set PUBLIC_ORIGIN",
            })
            if (host === undefined || host === "") return Effect.fail(unknown)
            try {
              const url = new URL(`${scheme}://${host}`)
              // Anything but a bare host[:port] (a path, credentials, a query) is not a Host header a browser sends.
              const bare =
                url.hostname !== "" &&
                url.pathname === "/" &&
                url.username === "" &&
                url.password === "" &&
                url.search === "" &&
                url.hash === ""
              return bare ? Effect.succeed({ id: url.hostname, origin: url.origin }) : Effect.fail(unknown)
            } catch {
              return Effect.fail(unknown)
            }
          }),
      },
    )

    /** Store a challenge; expired ones are swept at the same time, so the table stays small. */
    const storeChallenge = (purpose: "register" | "login", userId: string | null, challenge: string) =>
      Effect.gen(function* () {
        const at = yield* now
        const expiresAt = new Date(at.getTime() + Duration.toMillis(challengeLifetime))
        return yield* db
          .transaction(
            Effect.gen(function* () {
              yield* db.execute((q) => q.deleteFrom("webauthn_challenges").where("expires_at", "<=", at).execute())
              const row = yield* db.execute((q) =>
                q
                  .insertInto("webauthn_challenges")
                  .values({ purpose, user_id: userId, challenge, expires_at: expiresAt })
                  .returning("id")
                  .executeTakeFirstOrThrow(),
              )
              return row.id
            }),
          )
          .pipe(Effect.orDie)
      })

    const findByUser = (userId: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("passkeys")
            .select(columns)
            .where("user_id", "=", userId)
            .orderBy("created_at")
            .orderBy("id")
            .execute(),
        )
        .pipe(Effect.orDie)

    // -- registration ---------------------------------------------------------

    /** Options for `navigator.credentials.create()`, for the signed-in user. */
    const registrationOptions = (user: Account.User) =>
      Effect.gen(function* () {
        const rp = yield* relyingParty
        const existing = yield* findByUser(user.id)
        const options = yield* Effect.promise(() =>
          generateRegistrationOptions({
            rpName,
            rpID: rp.id,
            userName: user.email,
            userDisplayName: user.displayName,
            // The user handle the authenticator returns at sign-in: checked against the passkey's owner.
            userID: new TextEncoder().encode(user.id),
            timeout: Duration.toMillis(challengeLifetime),
            attestationType: "none",
            // The same authenticator twice would be one credential under two names.
            excludeCredentials: existing.map((passkey) => ({
              id: passkey.credential_id,
              transports: passkey.transports,
            })),
            // Discoverable, so sign-in needs no username first.
            authenticatorSelection: {
              residentKey: "required",
              requireResidentKey: true,
              userVerification: "preferred",
            },
            // Asked for now so the vault can later derive a key-wrapping key from this passkey.
            extensions: { prf: {} },
          }),
        )
        yield* storeChallenge("register", user.id, options.challenge)
        return { ...options }
      })

    /** The user's latest live registration challenge, deleted as it is read so it serves once. */
    const consumeRegistrationChallenge = (userId: string) =>
      Effect.gen(function* () {
        const at = yield* now
        const row = yield* db
          .execute((q) =>
            q
              .deleteFrom("webauthn_challenges")
              .where("id", "=", (eb) =>
                eb
                  .selectFrom("webauthn_challenges")
                  .select("id")
                  .where("user_id", "=", userId)
                  .where("purpose", "=", "register")
                  .where("expires_at", ">", at)
                  .orderBy("expires_at", "desc")
                  .limit(1),
              )
              .returning("challenge")
              .executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (row === undefined) {
          return yield* failed("no_challenge", "No passkey registration is in progress, or it expired; start again", {
            userId,
          })
        }
        return row.challenge
      })

    const expectOrigin = (rp: RelyingParty, origin: string, userId?: string) =>
      origin === rp.origin
        ? Effect.void
        : Effect.fail(
            failed("origin_mismatch", `The passkey response was made for ${origin}, not for ${rp.origin}`, {
              ...(userId === undefined ? {} : { userId }),
            }),
          )

    /** Verify a `navigator.credentials.create()` response and keep the new passkey. */
    const register = (user: Account.User, input: { readonly response: unknown; readonly name?: string | undefined }) =>
      Effect.gen(function* () {
        const rp = yield* relyingParty
        const response = yield* decode(RegistrationResponse, "response")(input.response)
        const data = yield* clientData(response.response.clientDataJSON)
        yield* binary("response.attestationObject", () =>
          parseAuthenticatorData(
            decodeAttestationObject(fromBase64Url(response.response.attestationObject)).get("authData"),
          ),
        )
        // Consumed before verifying: a response that fails still used up its one chance.
        const challenge = yield* consumeRegistrationChallenge(user.id)
        yield* expectOrigin(rp, data.origin, user.id)
        const json: RegistrationResponseJSON = {
          id: response.id,
          rawId: response.rawId,
          type: response.type,
          response: {
            clientDataJSON: response.response.clientDataJSON,
            attestationObject: response.response.attestationObject,
            ...(response.response.transports === undefined ? {} : { transports: [...response.response.transports] }),
          },
          clientExtensionResults: {},
        }
        const verified = yield* verification(
          () =>
            verifyRegistrationResponse({
              response: json,
              expectedChallenge: challenge,
              expectedOrigin: rp.origin,
              expectedRPID: rp.id,
              // The options said "preferred": an authenticator without user verification may register.
              requireUserVerification: false,
            }),
          user.id,
        )
        if (!verified.verified) {
          return yield* failed("verification_failed", "The passkey's response did not verify", { userId: user.id })
        }
        const info = verified.registrationInfo
        const prfCapable = response.clientExtensionResults?.prf?.enabled === true
        return yield* db
          .transaction(
            Effect.gen(function* () {
              const row = yield* db.execute((q) =>
                q
                  .insertInto("passkeys")
                  .values({
                    user_id: user.id,
                    credential_id: info.credential.id,
                    public_key: info.credential.publicKey,
                    sign_count: info.credential.counter,
                    transports: info.credential.transports ?? [],
                    device_type: info.credentialDeviceType,
                    backed_up: info.credentialBackedUp,
                    prf_capable: prfCapable,
                    ...(input.name === undefined ? {} : { name: input.name }),
                  })
                  .returning(columns)
                  .executeTakeFirstOrThrow(),
              )
              yield* audit({
                action: "passkey_registered",
                actor: user.id,
                subject: user.id,
                details: {
                  passkey: row.id,
                  deviceType: row.device_type,
                  backedUp: row.backed_up,
                  prfCapable: row.prf_capable,
                  userVerified: info.userVerified,
                },
              })
              return toApi(row)
            }),
          )
          .pipe(
            Effect.catchTag("DatabaseError", (error) =>
              error.isUniqueViolation ? Effect.fail(new AlreadyRegistered()) : Effect.die(error),
            ),
          )
      })

    // -- sign-in --------------------------------------------------------------

    /** Options for `navigator.credentials.get()`: any passkey of this site may answer (discoverable credentials). */
    const loginOptions = Effect.gen(function* () {
      const { ip } = yield* client
      // Every options call stores a row for anyone who asks, so it is limited like an attempt.
      yield* rateLimit.guard("sign_in", ip)
      const rp = yield* relyingParty
      const options = yield* Effect.promise(() =>
        generateAuthenticationOptions({
          rpID: rp.id,
          userVerification: "preferred",
          timeout: Duration.toMillis(challengeLifetime),
        }),
      )
      const challengeId = yield* storeChallenge("login", null, options.challenge)
      return { challengeId, options: { ...options } }
    })

    const consumeLoginChallenge = (challengeId: string) =>
      Effect.gen(function* () {
        const at = yield* now
        const row = yield* db
          .execute((q) =>
            q
              .deleteFrom("webauthn_challenges")
              .where("id", "=", challengeId)
              .where("purpose", "=", "login")
              .where("expires_at", ">", at)
              .returning("challenge")
              .executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (row === undefined) {
          return yield* failed("no_challenge", "This sign-in attempt is unknown, expired or already used; start again")
        }
        return row.challenge
      })

    const findByCredentialId = (credentialId: string) =>
      db
        .execute((q) =>
          q.selectFrom("passkeys").select(columns).where("credential_id", "=", credentialId).executeTakeFirst(),
        )
        .pipe(Effect.orDie)

    /**
     * Keep the new counter, only if it moved forward: done in the update's
     * condition so two sign-ins racing with the same counter cannot both
     * pass. A counter of zero that stays zero is an authenticator that does
     * not count (synced passkeys usually don't); a counter that stops,
     * goes back or drops to zero means two authenticators share the key.
     */
    const advanceCounter = (passkey: PasskeyRow, counter: number, backedUp: boolean, at: Date) =>
      db
        .execute((q) =>
          q
            .updateTable("passkeys")
            .set({ sign_count: counter, backed_up: backedUp, last_used_at: at })
            .where("id", "=", passkey.id)
            .where("sign_count", counter === 0 ? "=" : "<", counter)
            .returning("id")
            .executeTakeFirst(),
        )
        .pipe(Effect.orDie)

    /** The ceremony proper: which account the response proves, or why it proves nothing. */
    const authenticate = (rp: RelyingParty, challengeId: string, response: typeof AuthenticationResponse.Type) =>
      Effect.gen(function* () {
        const data = yield* clientData(response.response.clientDataJSON)
        const authenticatorData = yield* binary("response.authenticatorData", () =>
          parseAuthenticatorData(fromBase64Url(response.response.authenticatorData)),
        )
        // Consumed first: whatever happens next, this challenge has had its one use.
        const challenge = yield* consumeLoginChallenge(challengeId)
        const passkey = yield* findByCredentialId(response.id)
        if (passkey === undefined) {
          return yield* failed("unknown_credential", "This passkey is not registered here")
        }
        const owner = passkey.user_id
        yield* expectOrigin(rp, data.origin, owner)
        const { userHandle } = response.response
        // No user was named before the ceremony, so the discoverable credential must name one, and it must be
        // the passkey's owner (WebAuthn §7.2 step 6).
        if (typeof userHandle !== "string" || Buffer.from(userHandle, "base64url").toString("utf8") !== owner) {
          return yield* failed("user_handle_mismatch", "The passkey's response did not verify", { userId: owner })
        }
        const json: AuthenticationResponseJSON = {
          id: response.id,
          rawId: response.rawId,
          type: response.type,
          response: {
            clientDataJSON: response.response.clientDataJSON,
            authenticatorData: response.response.authenticatorData,
            signature: response.response.signature,
            userHandle,
          },
          clientExtensionResults: {},
        }
        const verified = yield* verification(
          () =>
            verifyAuthenticationResponse({
              response: json,
              expectedChallenge: challenge,
              expectedOrigin: rp.origin,
              expectedRPID: rp.id,
              // Counter 0 turns the library's own counter check off: ours runs in the update below,
              // after the signature has proved the counter genuine.
              credential: {
                id: passkey.credential_id,
                publicKey: new Uint8Array(passkey.public_key),
                counter: 0,
                transports: passkey.transports,
              },
              requireUserVerification: false,
            }),
          owner,
        )
        if (!verified.verified) {
          return yield* failed("verification_failed", "The passkey's response did not verify", { userId: owner })
        }
        const at = yield* now
        const counter = authenticatorData.counter
        const advanced = yield* advanceCounter(passkey, counter, verified.authenticationInfo.credentialBackedUp, at)
        if (advanced === undefined) {
          return yield* failed(
            "counter_regression",
            "This passkey's signature counter went backwards: it may have been cloned. Sign in another way and remove it",
            { userId: owner, detail: `stored ${passkey.sign_count}, presented ${counter}` },
          )
        }
        return { passkey, userVerified: verified.authenticationInfo.userVerified }
      })

    /** Count, audit and log a failed sign-in. */
    const recordFailure = (ip: string | null, failure: CeremonyFailed) =>
      Effect.gen(function* () {
        yield* rateLimit.failed(ip)
        yield* audit({
          action: "sign_in_failed",
          subject: failure.userId,
          details: { method: "passkey", reason: failure.reason },
        })
        yield* Effect.logInfo("passkey sign-in refused", { reason: failure.reason, detail: failure.detail ?? null })
      })

    /** Verify a `navigator.credentials.get()` response and start a session for the passkey's owner. */
    const login = (input: { readonly challengeId: string; readonly response: unknown }) =>
      Effect.gen(function* () {
        const { ip, userAgent } = yield* client
        yield* rateLimit.guard("sign_in", ip)
        const rp = yield* relyingParty
        const response = yield* decode(AuthenticationResponse, "response")(input.response)
        const { passkey, userVerified } = yield* authenticate(rp, input.challengeId, response).pipe(
          Effect.tapErrorTag("CeremonyFailed", (failure) => recordFailure(ip, failure)),
        )
        const found = yield* users.findById(passkey.user_id)
        if (Option.isNone(found)) {
          // The account went away between the lookups (its passkeys go with it).
          const gone = failed("unknown_credential", "This passkey is not registered here")
          yield* recordFailure(ip, gone)
          return yield* gone
        }
        const user: UserRecord = found.value
        yield* rateLimit.succeeded(user.email)
        // As for passwords: an account that still has to accept the terms gets a session to do so with.
        const refused = refusal(user)
        if (Option.isSome(refused) && refused.value.reason !== "terms_required") {
          yield* audit({
            action: "sign_in_failed",
            subject: user.id,
            details: { method: "passkey", reason: refused.value.reason ?? "refused" },
          })
          return yield* refused.value
        }
        const issued: Issued = yield* sessions.create(user.id, userAgent)
        yield* withInfra(SessionCookie.set(issued.token))
        yield* audit({
          action: "sign_in",
          actor: user.id,
          subject: user.id,
          details: { method: "passkey", passkey: passkey.id, userVerified },
        })
        return { user, issued }
      })

    // -- management -----------------------------------------------------------

    /** The user's passkeys, oldest first. */
    const list = (userId: string) => Effect.map(findByUser(userId), (rows) => rows.map(toApi))

    /** Remove one of the user's passkeys; another user's is not found. */
    const remove = (userId: string, passkeyId: string) =>
      Effect.gen(function* () {
        const row = yield* db
          .execute((q) =>
            q
              .deleteFrom("passkeys")
              .where("id", "=", passkeyId)
              .where("user_id", "=", userId)
              .returning("id")
              .executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (row === undefined) return yield* new PasskeyNotFound()
        yield* audit({ action: "passkey_removed", actor: userId, subject: userId, details: { passkey: passkeyId } })
      })

    return { relyingParty, registrationOptions, register, loginOptions, login, list, remove }
  }),
}) {}
