/**
 * Passkeys through the real HTTP server, with a software authenticator
 * whose responses go through @simplewebauthn/server's real verification:
 * registration, sign-in, single-use challenges, origins, signatures,
 * counters, ownership, account status and malformed input, on PGlite and
 * PostgreSQL.
 */
import { HttpApi, HttpApiBuilder } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { type Account, ApiError, AuthApi, SystemApi } from "@ignition/api"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { AuthenticationLive } from "../src/Auth/AuthenticationLive.js"
import { PasskeysLive } from "../src/Auth/PasskeysHttp.js"
import { Sessions } from "../src/Auth/Sessions.js"
import { UserRepo } from "../src/Auth/UserRepo.js"
import { Database } from "../src/Database/Database.js"
import { SystemLive } from "../src/System/Http.js"
import { type Overrides, SoftAuthenticator, type SoftAuthenticatorOptions } from "./support/SoftAuthenticator.js"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"

/** Just the groups these tests need, with the contract's API-wide errors. */
class PasskeysTestApi extends HttpApi.make("ignition")
  .add(SystemApi.SystemApi)
  .add(AuthApi.PasskeysApi)
  .addError(ApiError.BadRequest)
  .addError(ApiError.Forbidden)
  .addError(ApiError.NotFound)
  .addError(ApiError.LengthRequired)
  .addError(ApiError.PayloadTooLarge)
  .addError(ApiError.InternalServerError) {}

const api = HttpApiBuilder.api(PasskeysTestApi).pipe(
  Layer.provide([SystemLive, PasskeysLive]),
  Layer.provide(AuthenticationLive),
)

// -- accounts, made directly in the server's database --------------------------

interface TestAccount {
  readonly id: string
  readonly email: string
  /** The `Cookie` header of a live session. */
  readonly cookie: string
}

class Accounts extends Context.Tag("test/Accounts")<
  Accounts,
  {
    readonly create: (name: string) => Effect.Effect<TestAccount>
    readonly setStatus: (userId: string, status: Account.UserStatus) => Effect.Effect<void>
  }
>() {}

let accountCount = 0

const AccountsLive = Layer.effect(
  Accounts,
  Effect.gen(function* () {
    const users = yield* UserRepo
    const sessions = yield* Sessions
    return {
      create: (name: string) =>
        Effect.gen(function* () {
          accountCount += 1
          const user = yield* users.create(
            {
              email: `${name}-${accountCount}-${Date.now()}@example.com`,
              displayName: name,
              status: "approved",
              timeZone: "UTC",
              birthYear: 1990,
              termsAcceptedAt: new Date(),
              roles: ["member"],
            },
            undefined,
          )
          const issued = yield* sessions.create(user.id, "test")
          return {
            id: user.id,
            email: user.email,
            cookie: `ignition_session=${Redacted.value(issued.token)}`,
          }
        }).pipe(Effect.orDie),
      setStatus: (userId: string, status: Account.UserStatus) => Effect.asVoid(users.update(userId, { status })),
    }
  }),
).pipe(Layer.provide(Layer.merge(Sessions.Default, UserRepo.Default)))

// -- raw HTTP, so tests control Origin, the client address and malformed bodies --

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

interface Caller {
  /** The page the browser is on: sent as `Origin` and written into clientDataJSON. */
  readonly origin: string
  /** The client address (X-Forwarded-For, which TRUST_PROXY makes the server believe). */
  readonly ip: string
  readonly cookie?: string | undefined
}

let addressCount = 0
/** A client address of its own, so one test's attempts do not count against another's. */
const newAddress = () => {
  addressCount += 1
  return `198.51.${Math.floor(addressCount / 250)}.${(addressCount % 250) + 1}`
}

const send = (caller: Caller, method: "GET" | "POST" | "DELETE", path: string, body?: unknown) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestServer
    return yield* Effect.promise(async (): Promise<Answer> => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          origin: caller.origin,
          "x-forwarded-for": caller.ip,
          ...(caller.cookie === undefined ? {} : { cookie: caller.cookie }),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = text === "" ? undefined : JSON.parse(text)
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed }
    })
  })

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined

const CreationOptions = Schema.Struct({
  options: Schema.Struct({
    challenge: Schema.String,
    rp: Schema.Struct({ id: Schema.String, name: Schema.String }),
    user: Schema.Struct({ id: Schema.String, name: Schema.String, displayName: Schema.String }),
    excludeCredentials: Schema.Array(Schema.Struct({ id: Schema.String })),
    authenticatorSelection: Schema.Struct({ residentKey: Schema.String, userVerification: Schema.String }),
    extensions: Schema.Struct({ prf: Schema.Struct({}) }),
  }),
})

const RequestOptions = Schema.Struct({
  challengeId: Schema.UUID,
  options: Schema.Struct({
    challenge: Schema.String,
    rpId: Schema.String,
    allowCredentials: Schema.optional(Schema.Array(Schema.Unknown)),
  }),
})

const PasskeyList = Schema.Array(AuthApi.Passkey)
const decodePasskey = Schema.decodeUnknownSync(AuthApi.Passkey)
const decodeList = Schema.decodeUnknownSync(PasskeyList)
const decodeSessionInfo = Schema.decodeUnknownSync(Schema.Struct({ user: Schema.Struct({ id: Schema.String }) }))

const expectStatus = (answer: Answer, status: number, tag?: string) => {
  assert.strictEqual(answer.status, status, JSON.stringify(answer.body))
  if (tag !== undefined) assert.strictEqual(field(answer.body, "_tag"), tag)
}

/** A signed-in caller for an account. */
const as = (account: TestAccount, origin: string): Caller => ({ origin, ip: newAddress(), cookie: account.cookie })

const registrationOptions = (caller: Caller) =>
  Effect.gen(function* () {
    const answer = yield* send(caller, "POST", "/api/auth/passkeys/register/options")
    expectStatus(answer, 200)
    return Schema.decodeUnknownSync(CreationOptions)(answer.body).options
  })

/** Register an authenticator for the caller's account; the answer, whatever it is. */
const register = (caller: Caller, authenticator: SoftAuthenticator, overrides: Overrides = {}, name?: string) =>
  Effect.gen(function* () {
    const options = yield* registrationOptions(caller)
    const response = authenticator.register(options, caller.origin, overrides)
    return yield* send(caller, "POST", "/api/auth/passkeys/register/verify", {
      response,
      ...(name === undefined ? {} : { name }),
    })
  })

const registered = (caller: Caller, authenticator: SoftAuthenticator, name?: string) =>
  Effect.gen(function* () {
    const answer = yield* register(caller, authenticator, {}, name)
    expectStatus(answer, 201)
    return decodePasskey(answer.body)
  })

const loginOptions = (caller: Caller) =>
  Effect.gen(function* () {
    const answer = yield* send(caller, "POST", "/api/auth/passkeys/login/options")
    expectStatus(answer, 200)
    return Schema.decodeUnknownSync(RequestOptions)(answer.body)
  })

/** Sign in with an authenticator (no cookie: a fresh browser); returns the request body too, for replays. */
const signIn = (caller: Caller, authenticator: SoftAuthenticator, overrides: Overrides = {}) =>
  Effect.gen(function* () {
    const { challengeId, options } = yield* loginOptions(caller)
    const body = { challengeId, response: authenticator.authenticate(options, caller.origin, overrides) }
    const answer = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", body)
    return { answer, body }
  })

const sessionCookieOf = (answer: Answer): string | undefined =>
  answer.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("ignition_session="))
    ?.split(";")[0]

const listPasskeys = (caller: Caller) =>
  Effect.gen(function* () {
    const answer = yield* send(caller, "GET", "/api/auth/passkeys")
    expectStatus(answer, 200)
    return decodeList(answer.body)
  })

const auditRows = (ip: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      q
        .selectFrom("security_audit")
        .select(["action", "subject_user_id", "details"])
        .where("ip", "=", ip)
        .orderBy("id")
        .execute(),
    ),
  ).pipe(Effect.orDie)

const newAuthenticator = (options: SoftAuthenticatorOptions = {}) => new SoftAuthenticator(options)

// -- the relying party from the request's Host (no PUBLIC_ORIGIN) --------------

const hostServer = AccountsLive.pipe(Layer.provideMerge(TestServerLayer.layer({ api, config: { trustProxy: true } })))

layer(hostServer, { excludeTestServices: true })("passkeys, relying party from the Host header", (it) => {
  /** The origin the browser sees: the server's own, as fetch reaches it. */
  const origin = Effect.map(TestServer, ({ baseUrl }) => baseUrl)
  const account = (name: string) =>
    Effect.gen(function* () {
      const accounts = yield* Accounts
      const created = yield* accounts.create(name)
      return { account: created, caller: as(created, yield* origin) }
    })

  it.effect(
    "registration options ask for a discoverable credential and PRF, for this host, excluding my passkeys",
    () =>
      Effect.gen(function* () {
        const { account: me, caller } = yield* account("ada")
        const first = yield* registrationOptions(caller)
        assert.strictEqual(first.rp.id, "127.0.0.1")
        assert.strictEqual(first.rp.name, "Ignition")
        assert.strictEqual(Buffer.from(first.user.id, "base64url").toString("utf8"), me.id)
        assert.strictEqual(first.user.name, me.email)
        assert.strictEqual(first.authenticatorSelection.residentKey, "required")
        assert.strictEqual(first.authenticatorSelection.userVerification, "preferred")
        assert.deepStrictEqual(first.extensions, { prf: {} })
        assert.deepStrictEqual(first.excludeCredentials, [])

        const authenticator = newAuthenticator({ prf: true })
        yield* registered(caller, authenticator)
        const second = yield* registrationOptions(caller)
        assert.deepStrictEqual(
          second.excludeCredentials.map((credential) => credential.id),
          [authenticator.credentialId],
        )
      }),
  )

  it.effect("register → the list shows each passkey with prfCapable, device type and backup as reported", () =>
    Effect.gen(function* () {
      const { account: me, caller } = yield* account("grace")
      const withPrf = yield* registered(caller, newAuthenticator({ prf: true }), "Laptop")
      assert.strictEqual(withPrf.name, "Laptop")
      assert.isTrue(withPrf.prfCapable)
      assert.strictEqual(withPrf.deviceType, "singleDevice")
      assert.isFalse(withPrf.backedUp)
      assert.isNull(withPrf.lastUsedAt)

      const synced = yield* registered(caller, newAuthenticator({ backupEligible: true, backedUp: true }))
      assert.isFalse(synced.prfCapable)
      assert.strictEqual(synced.deviceType, "multiDevice")
      assert.isTrue(synced.backedUp)
      assert.strictEqual(synced.name, "Passkey")

      const list = yield* listPasskeys(caller)
      assert.deepStrictEqual(
        list.map((passkey) => [passkey.id, passkey.prfCapable]),
        [
          [withPrf.id, true],
          [synced.id, false],
        ],
      )
      const audit = yield* auditRows(caller.ip)
      assert.deepStrictEqual(
        audit.map((row) => [row.action, row.subject_user_id]),
        [
          ["passkey_registered", me.id],
          ["passkey_registered", me.id],
        ],
      )
    }),
  )

  it.effect("sign in with a passkey → SessionInfo and a session cookie that works for a protected call", () =>
    Effect.gen(function* () {
      const { account: me, caller } = yield* account("alan")
      const authenticator = newAuthenticator({ counter: 1 })
      const passkey = yield* registered(caller, authenticator)

      const stranger: Caller = { origin: caller.origin, ip: newAddress() }
      const { answer } = yield* signIn(stranger, authenticator)
      expectStatus(answer, 200)
      assert.strictEqual(decodeSessionInfo(answer.body).user.id, me.id)
      const cookie = sessionCookieOf(answer)
      assert.isDefined(cookie)
      assert.notStrictEqual(cookie, me.cookie)
      assert.match(answer.headers.getSetCookie().join("\n"), /HttpOnly/i)

      const list = yield* listPasskeys({ ...stranger, cookie })
      assert.deepStrictEqual(
        list.map((p) => p.id),
        [passkey.id],
      )
      assert.isNotNull(list[0]?.lastUsedAt)
      const audit = yield* auditRows(stranger.ip)
      assert.deepStrictEqual(
        audit.map((row) => [row.action, row.subject_user_id, field(row.details, "method")]),
        [["sign_in", me.id, "passkey"]],
      )
    }),
  )

  it.effect(
    "a challenge serves once: replayed sign-ins and registrations are 401, as are unknown and expired ones",
    () =>
      Effect.gen(function* () {
        const { caller } = yield* account("barbara")
        const authenticator = newAuthenticator()
        const options = yield* registrationOptions(caller)
        const response = authenticator.register(options, caller.origin)
        expectStatus(yield* send(caller, "POST", "/api/auth/passkeys/register/verify", { response }), 201)
        expectStatus(
          yield* send(caller, "POST", "/api/auth/passkeys/register/verify", { response }),
          401,
          "Unauthorized",
        )

        const { answer, body } = yield* signIn(caller, authenticator)
        expectStatus(answer, 200)
        const replay = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", body)
        expectStatus(replay, 401, "Unauthorized")
        assert.isUndefined(sessionCookieOf(replay))

        const unknown = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
          ...body,
          challengeId: "00000000-0000-4000-8000-000000000000",
        })
        expectStatus(unknown, 401, "Unauthorized")

        const fresh = yield* loginOptions(caller)
        const db = yield* Database
        yield* db
          .execute((q) =>
            q
              .updateTable("webauthn_challenges")
              .set({ expires_at: new Date(Date.now() - 1000) })
              .where("id", "=", fresh.challengeId)
              .execute(),
          )
          .pipe(Effect.orDie)
        const expired = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
          challengeId: fresh.challengeId,
          response: authenticator.authenticate(fresh.options, caller.origin),
        })
        expectStatus(expired, 401, "Unauthorized")
      }),
  )

  it.effect("a response made on another origin is a 401, at registration and at sign-in", () =>
    Effect.gen(function* () {
      const { caller } = yield* account("edsger")
      const authenticator = newAuthenticator()
      const wrongRegistration = yield* register(caller, authenticator, { origin: "https://evil.example" })
      expectStatus(wrongRegistration, 401, "Unauthorized")
      assert.match(String(field(wrongRegistration.body, "message")), /evil\.example/)
      assert.deepStrictEqual(yield* listPasskeys(caller), [])

      yield* registered(caller, authenticator)
      const { answer } = yield* signIn(caller, authenticator, { origin: "https://evil.example" })
      expectStatus(answer, 401, "Unauthorized")
      assert.isUndefined(sessionCookieOf(answer))
    }),
  )

  it.effect("a tampered signature is a 401; the passkey still works afterwards", () =>
    Effect.gen(function* () {
      const { caller } = yield* account("leslie")
      const authenticator = newAuthenticator({ counter: 1 })
      yield* registered(caller, authenticator)
      const tampered = yield* signIn(caller, authenticator, { tamperSignature: true })
      expectStatus(tampered.answer, 401, "Unauthorized")
      const audit = yield* auditRows(caller.ip)
      assert.strictEqual(audit.at(-1)?.action, "sign_in_failed")
      assert.strictEqual(field(audit.at(-1)?.details, "reason"), "verification_failed")
      expectStatus((yield* signIn(caller, authenticator)).answer, 200)
    }),
  )

  it.effect("a counter that does not move forward is a 401 (a cloned authenticator); zero-counting ones pass", () =>
    Effect.gen(function* () {
      const { caller } = yield* account("donald")
      const counting = newAuthenticator({ counter: 10 })
      yield* registered(caller, counting)
      expectStatus((yield* signIn(caller, counting)).answer, 200) // 11
      for (const stale of [11, 5, 0]) {
        const { answer } = yield* signIn(caller, counting, { counter: stale })
        expectStatus(answer, 401, "Unauthorized")
        assert.match(String(field(answer.body, "message")), /cloned/)
      }
      expectStatus((yield* signIn(caller, counting, { counter: 12 })).answer, 200)
      const reasons = (yield* auditRows(caller.ip))
        .filter((row) => row.action === "sign_in_failed")
        .map((row) => field(row.details, "reason"))
      assert.deepStrictEqual(reasons, ["counter_regression", "counter_regression", "counter_regression"])

      const notCounting = newAuthenticator()
      yield* registered(caller, notCounting)
      expectStatus((yield* signIn(caller, notCounting)).answer, 200)
      expectStatus((yield* signIn(caller, notCounting)).answer, 200)
    }),
  )

  it.effect("an unknown credential is a 401, audited as sign_in_failed", () =>
    Effect.gen(function* () {
      const caller: Caller = { origin: yield* origin, ip: newAddress() }
      const { answer } = yield* signIn(caller, newAuthenticator())
      expectStatus(answer, 401, "Unauthorized")
      const audit = yield* auditRows(caller.ip)
      assert.deepStrictEqual(
        audit.map((row) => [row.action, row.subject_user_id, field(row.details, "reason")]),
        [["sign_in_failed", null, "unknown_credential"]],
      )
    }),
  )

  it.effect("an assertion naming another user, or none, in its user handle is a 401", () =>
    Effect.gen(function* () {
      const { caller } = yield* account("radia")
      const other = yield* account("frances")
      const authenticator = newAuthenticator()
      yield* registered(caller, authenticator)
      const { answer } = yield* signIn(caller, authenticator, {
        userHandle: Buffer.from(other.account.id, "utf8").toString("base64url"),
      })
      expectStatus(answer, 401, "Unauthorized")
      const anonymous = yield* signIn(caller, authenticator, { omitUserHandle: true })
      expectStatus(anonymous.answer, 401, "Unauthorized")
      expectStatus((yield* signIn(caller, authenticator)).answer, 200)
    }),
  )

  it.effect("another user can neither remove my passkey (404) nor complete my registration challenge (401)", () =>
    Effect.gen(function* () {
      const me = yield* account("mine")
      const them = yield* account("theirs")
      const passkey = yield* registered(me.caller, newAuthenticator())

      expectStatus(yield* send(them.caller, "DELETE", `/api/auth/passkeys/${passkey.id}`), 404, "NotFound")
      assert.lengthOf(yield* listPasskeys(me.caller), 1)

      // Both start a registration, mine last (the newest challenge of all); they answer mine with their session.
      yield* registrationOptions(them.caller)
      const mine = yield* registrationOptions(me.caller)
      const authenticator = newAuthenticator()
      const stolen = authenticator.register(mine, them.caller.origin)
      expectStatus(
        yield* send(them.caller, "POST", "/api/auth/passkeys/register/verify", { response: stolen }),
        401,
        "Unauthorized",
      )
      assert.deepStrictEqual(yield* listPasskeys(them.caller), [])
      // My challenge was not theirs to use up.
      const response = authenticator.register(mine, me.caller.origin)
      expectStatus(yield* send(me.caller, "POST", "/api/auth/passkeys/register/verify", { response }), 201)

      expectStatus(yield* send(me.caller, "DELETE", `/api/auth/passkeys/${passkey.id}`), 204)
      expectStatus(yield* send(me.caller, "DELETE", `/api/auth/passkeys/${passkey.id}`), 404, "NotFound")
      assert.lengthOf(yield* listPasskeys(me.caller), 1)
    }),
  )

  it.effect("suspended and pending accounts are refused with 403 and no session", () =>
    Effect.gen(function* () {
      const accounts = yield* Accounts
      const { account: me, caller } = yield* account("suspended")
      const authenticator = newAuthenticator()
      yield* registered(caller, authenticator)

      yield* accounts.setStatus(me.id, "suspended")
      const suspended = (yield* signIn(caller, authenticator)).answer
      expectStatus(suspended, 403, "Forbidden")
      assert.strictEqual(field(suspended.body, "reason"), "suspended")
      assert.isUndefined(sessionCookieOf(suspended))

      yield* accounts.setStatus(me.id, "pending")
      const pending = (yield* signIn(caller, authenticator)).answer
      expectStatus(pending, 403, "Forbidden")
      assert.strictEqual(field(pending.body, "reason"), "pending_approval")

      yield* accounts.setStatus(me.id, "approved")
      expectStatus((yield* signIn(caller, authenticator)).answer, 200)
    }),
  )

  it.effect("malformed input is a 400 that says what is wrong, and uses up no challenge", () =>
    Effect.gen(function* () {
      const { caller } = yield* account("garbage")
      const authenticator = newAuthenticator()

      const notJson = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", '{"challengeId": ')
      expectStatus(notJson, 400, "BadRequest")

      const { challengeId, options } = yield* loginOptions(caller)
      const notWebAuthn = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
        challengeId,
        response: { hello: "world" },
      })
      expectStatus(notWebAuthn, 400, "BadRequest")
      assert.match(String(field(notWebAuthn.body, "message")), /^response\.id: /)

      yield* registered(caller, authenticator)
      const good = authenticator.authenticate(options, caller.origin)
      const badClientData = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
        challengeId,
        response: {
          ...good,
          response: { ...good.response, clientDataJSON: Buffer.from("{oops").toString("base64url") },
        },
      })
      expectStatus(badClientData, 400, "BadRequest")
      assert.match(String(field(badClientData.body, "message")), /^response\.clientDataJSON/)

      const badAuthData = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
        challengeId,
        response: { ...good, response: { ...good.response, authenticatorData: "AAAA" } },
      })
      expectStatus(badAuthData, 400, "BadRequest")

      const notBase64 = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
        challengeId,
        response: { ...good, response: { ...good.response, signature: "not base64url!" } },
      })
      expectStatus(notBase64, 400, "BadRequest")
      assert.match(String(field(notBase64.body, "message")), /response\.response\.signature/)

      const badId = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", {
        challengeId: "nope",
        response: good,
      })
      expectStatus(badId, 400)

      const registrationOptionsForGarbage = yield* registrationOptions(caller)
      const badAttestation = yield* send(caller, "POST", "/api/auth/passkeys/register/verify", {
        response: {
          ...authenticator.register(registrationOptionsForGarbage, caller.origin),
          response: { clientDataJSON: good.response.clientDataJSON, attestationObject: "AAAA" },
        },
      })
      expectStatus(badAttestation, 400, "BadRequest")
      assert.match(String(field(badAttestation.body, "message")), /attestationObject/)

      // None of that used the sign-in challenge: the real response still goes through.
      const answer = yield* send(caller, "POST", "/api/auth/passkeys/login/verify", { challengeId, response: good })
      expectStatus(answer, 200)
    }),
  )

  it.effect("without a session, registering and listing are 401", () =>
    Effect.gen(function* () {
      const caller: Caller = { origin: yield* origin, ip: newAddress() }
      expectStatus(yield* send(caller, "POST", "/api/auth/passkeys/register/options"), 401, "Unauthorized")
      expectStatus(yield* send(caller, "GET", "/api/auth/passkeys"), 401, "Unauthorized")
    }),
  )

  it.effect("sign-in attempts are rate limited per client address (429 with Retry-After)", () =>
    Effect.gen(function* () {
      const caller: Caller = { origin: yield* origin, ip: newAddress() }
      for (let attempt = 0; attempt < 30; attempt++) {
        expectStatus(yield* send(caller, "POST", "/api/auth/passkeys/login/options"), 200)
      }
      const limited = yield* send(caller, "POST", "/api/auth/passkeys/login/options")
      expectStatus(limited, 429, "TooManyRequests")
      assert.isNotNull(limited.headers.get("retry-after"))
    }),
  )
})

// -- the relying party from PUBLIC_ORIGIN -------------------------------------

const publicOrigin = "https://ignition.example"

const publicServer = AccountsLive.pipe(
  Layer.provideMerge(
    TestServerLayer.layer({ api, config: { trustProxy: true, publicOrigin: Option.some(publicOrigin) } }),
  ),
)

layer(publicServer, { excludeTestServices: true })("passkeys, relying party from PUBLIC_ORIGIN", (it) => {
  it.effect("the RP id is PUBLIC_ORIGIN's host whatever Host the request carries; its origin is the only one", () =>
    Effect.gen(function* () {
      const accounts = yield* Accounts
      const me = yield* accounts.create("public")
      const caller = as(me, publicOrigin)
      const options = yield* registrationOptions(caller)
      assert.strictEqual(options.rp.id, "ignition.example")

      const authenticator = newAuthenticator()
      const response = authenticator.register(options, publicOrigin)
      expectStatus(yield* send(caller, "POST", "/api/auth/passkeys/register/verify", { response }), 201)

      const stranger: Caller = { origin: publicOrigin, ip: newAddress() }
      const { answer } = yield* signIn(stranger, authenticator)
      expectStatus(answer, 200)
      assert.strictEqual(decodeSessionInfo(answer.body).user.id, me.id)

      // The address the server was actually reached at is not this instance's origin.
      const { baseUrl } = yield* TestServer
      const { challengeId, options: requestOptions } = yield* loginOptions(stranger)
      const hostOrigin = yield* send(stranger, "POST", "/api/auth/passkeys/login/verify", {
        challengeId,
        response: authenticator.authenticate(requestOptions, baseUrl),
      })
      expectStatus(hostOrigin, 401, "Unauthorized")
    }),
  )
})
