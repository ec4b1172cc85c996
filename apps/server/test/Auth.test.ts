/**
 * Accounts and sessions through the real HTTP server and the derived
 * client, each "browser" with its own cookie jar, on PGlite and PostgreSQL.
 */
import { randomUUID } from "node:crypto"
import { Cookies } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { AuthApi } from "@ignition/api"
import { Duration, Effect, Option, Redacted, Ref } from "effect"
import { sql } from "kysely"
import { Database } from "../src/Database/Database.js"
import * as TestServerLayer from "./support/TestServer.js"
import { browser, TestServer } from "./support/TestServer.js"

const setupToken = "setup-token-for-tests-0123456789"
const strongPassword = "correct-horse-battery-staple-42"
const currentYear = new Date().getUTCFullYear()

type Browser = Effect.Effect.Success<typeof browser>

const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`

const signupRequest = (email: string, extra: Partial<AuthApi.SignupRequest> = {}) =>
  new AuthApi.SignupRequest({
    email,
    password: Redacted.make(strongPassword),
    displayName: email.split("@")[0] ?? "someone",
    birthYear: 1990,
    acceptTerms: true,
    ...extra,
  })

const loginRequest = (email: string, password = strongPassword) =>
  new AuthApi.LoginRequest({ email, password: Redacted.make(password) })

/** A new browser with a freshly signed-up (approved) account. */
const member = (name: string) =>
  Effect.gen(function* () {
    const b = yield* browser
    const email = uniqueEmail(name)
    const result = yield* b.client.auth.signup({ payload: signupRequest(email) })
    assert.strictEqual(result._tag, "SignedIn")
    return { ...b, email, userId: result.user.id }
  })

const sessionCookie = (b: Browser) =>
  Effect.map(Ref.get(b.cookies), (jar) => Option.getOrUndefined(Cookies.get(jar, "ignition_session")))

/** The error a call fails with (fails the test if it succeeds). */
const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

const auditActions = (userId: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{
        action: string
        details: unknown
      }>`select action, details from security_audit where subject_user_id = ${userId} order by id`.execute(q),
    ),
  ).pipe(Effect.map((result) => result.rows))

layer(TestServerLayer.layer({ config: { setupToken: Option.some(Redacted.make(setupToken)), trustProxy: true } }), {
  excludeTestServices: true,
})("accounts and sessions", (it) => {
  it.effect("the first administrator signs up with the setup token, which then stops working", () =>
    Effect.gen(function* () {
      const b = yield* browser
      assert.isTrue((yield* b.client.auth.methods()).setupPending)
      const wrong = yield* failure(
        b.client.auth.signup({ payload: signupRequest(uniqueEmail("mallory"), { setupToken: "guessed" }) }),
      )
      assert.deepInclude(wrong, { _tag: "Forbidden", reason: "setup_token" })

      const email = uniqueEmail("admin")
      const admin = yield* b.client.auth.signup({ payload: signupRequest(email, { setupToken }) })
      assert.strictEqual(admin._tag, "SignedIn")
      assert.includeMembers([...admin.user.roles], ["admin", "member"])
      assert.strictEqual(admin.user.status, "approved")
      assert.isFalse((yield* b.client.auth.methods()).setupPending)

      const again = yield* failure(
        (yield* browser).client.auth.signup({ payload: signupRequest(uniqueEmail("late"), { setupToken }) }),
      )
      assert.deepInclude(again, { _tag: "Forbidden", reason: "setup_token" })
    }),
  )

  it.effect("a refused setup token creates no account: the email stays free", () =>
    Effect.gen(function* () {
      const email = uniqueEmail("free")
      const b = yield* browser
      yield* failure(b.client.auth.signup({ payload: signupRequest(email, { setupToken: "nope" }) }))
      const ok = yield* b.client.auth.signup({ payload: signupRequest(email) })
      assert.strictEqual(ok._tag, "SignedIn")
    }),
  )

  it.effect("sign-up signs in: the session answers who I am, the cookie is HttpOnly and SameSite=Lax", () =>
    Effect.gen(function* () {
      const me = yield* member("ada")
      const info = yield* me.client.auth.session()
      assert.strictEqual(info.user.email, me.email)
      assert.deepStrictEqual([...info.user.roles], ["member"])
      const cookie = yield* sessionCookie(me)
      assert.isDefined(cookie)
      assert.strictEqual(cookie?.options?.httpOnly, true)
      assert.strictEqual(cookie?.options?.sameSite, "lax")
      assert.strictEqual(cookie?.options?.path, "/")
      assert.isAtLeast(cookie?.value.length ?? 0, 43)
    }),
  )

  it.effect("an email is taken whatever its case; bad sign-ups are typed 4xx", () =>
    Effect.gen(function* () {
      const me = yield* member("grace")
      const b = yield* browser
      const taken = yield* failure(b.client.auth.signup({ payload: signupRequest(me.email.toUpperCase()) }))
      assert.strictEqual(taken._tag, "Conflict")
      const weak = yield* failure(
        b.client.auth.signup({ payload: signupRequest(uniqueEmail("weak"), { password: Redacted.make("password1") }) }),
      )
      assert.strictEqual(weak._tag, "WeakPassword")
      const young = yield* failure(
        b.client.auth.signup({ payload: signupRequest(uniqueEmail("kid"), { birthYear: currentYear - 16 }) }),
      )
      assert.deepInclude(young, { _tag: "Forbidden", reason: "age_requirement" })
      const oldEnough = yield* b.client.auth.signup({
        payload: signupRequest(uniqueEmail("teen"), { birthYear: currentYear - 17 }),
      })
      assert.strictEqual(oldEnough._tag, "SignedIn")
    }),
  )

  it.effect("wrong password and unknown email get the same 401; the right one signs in", () =>
    Effect.gen(function* () {
      const me = yield* member("alan")
      const b = yield* browser
      const wrongPassword = yield* failure(b.client.auth.login({ payload: loginRequest(me.email, "not-the-password") }))
      const unknownEmail = yield* failure(b.client.auth.login({ payload: loginRequest(uniqueEmail("nobody")) }))
      assert.deepStrictEqual(wrongPassword, unknownEmail)
      assert.strictEqual(wrongPassword._tag, "Unauthorized")
      const info = yield* b.client.auth.login({ payload: loginRequest(me.email.toUpperCase()) })
      assert.strictEqual(info.user.id, me.userId)
      const actions = (yield* auditActions(me.userId)).map((row) => row.action)
      assert.includeMembers(actions, ["signup", "sign_in", "sign_in_failed"])
      assert.notInclude(JSON.stringify(yield* auditActions(me.userId)), "not-the-password")
    }),
  )

  it.effect("sign-out ends the session: the old cookie is refused", () =>
    Effect.gen(function* () {
      const me = yield* member("linus")
      const token = yield* sessionCookie(me)
      yield* me.client.auth.logout()
      assert.strictEqual((yield* sessionCookie(me))?.value ?? "", "", "the browser was told to drop the cookie")
      // Replay the old token as an attacker who copied it would.
      if (token !== undefined) yield* Ref.update(me.cookies, (jar) => Cookies.unsafeSet(jar, token.name, token.value))
      const refused = yield* failure(me.client.auth.session())
      assert.strictEqual(refused._tag, "Unauthorized")
    }),
  )

  it.effect("my devices: listed with the current one marked; revoking one ends it; strangers get 404", () =>
    Effect.gen(function* () {
      const me = yield* member("barbara")
      const laptop = yield* browser
      yield* laptop.client.auth.login({ payload: loginRequest(me.email) })
      const devices = yield* me.client.auth.sessions()
      assert.strictEqual(devices.length, 2)
      assert.strictEqual(devices.filter((d) => d.current).length, 1)
      const other = devices.find((d) => !d.current)
      if (other === undefined) return assert.fail("no second device")

      const stranger = yield* member("eve")
      const notYours = yield* failure(stranger.client.auth.revokeSession({ path: { id: other.id } }))
      assert.strictEqual(notYours._tag, "NotFound")
      assert.strictEqual((yield* laptop.client.auth.session()).user.id, me.userId)
      assert.strictEqual((yield* stranger.client.auth.sessions()).length, 1)

      yield* me.client.auth.revokeSession({ path: { id: other.id } })
      assert.strictEqual((yield* failure(laptop.client.auth.session()))._tag, "Unauthorized")
      assert.strictEqual((yield* me.client.auth.sessions()).length, 1)
    }),
  )

  it.effect("sign-out everywhere ends every session of mine and none of anyone else's", () =>
    Effect.gen(function* () {
      const me = yield* member("dennis")
      const phone = yield* browser
      yield* phone.client.auth.login({ payload: loginRequest(me.email) })
      const neighbour = yield* member("ken")
      yield* me.client.auth.logoutAll()
      assert.strictEqual((yield* failure(me.client.auth.session()))._tag, "Unauthorized")
      assert.strictEqual((yield* failure(phone.client.auth.session()))._tag, "Unauthorized")
      assert.strictEqual((yield* neighbour.client.auth.session()).user.id, neighbour.userId)
    }),
  )

  it.effect("changing the password rotates my session and ends the others", () =>
    Effect.gen(function* () {
      const me = yield* member("margaret")
      const tablet = yield* browser
      yield* tablet.client.auth.login({ payload: loginRequest(me.email) })
      const before = yield* sessionCookie(me)
      const wrong = yield* failure(
        me.client.auth.changePassword({
          payload: new AuthApi.ChangePasswordRequest({
            currentPassword: Redacted.make("nope"),
            newPassword: Redacted.make("another-long-passphrase-77"),
          }),
        }),
      )
      assert.strictEqual(wrong._tag, "Unauthorized")
      const info = yield* me.client.auth.changePassword({
        payload: new AuthApi.ChangePasswordRequest({
          currentPassword: Redacted.make(strongPassword),
          newPassword: Redacted.make("another-long-passphrase-77"),
        }),
      })
      const after = yield* sessionCookie(me)
      assert.notStrictEqual(after?.value, before?.value)
      assert.strictEqual((yield* me.client.auth.session()).session.id, info.session.id)
      assert.strictEqual((yield* failure(tablet.client.auth.session()))._tag, "Unauthorized")
      const stale = yield* browser
      if (before !== undefined)
        yield* Ref.update(stale.cookies, (jar) => Cookies.unsafeSet(jar, before.name, before.value))
      assert.strictEqual(
        (yield* failure(stale.client.auth.session()))._tag,
        "Unauthorized",
        "the rotated token is dead",
      )
      const fresh = yield* browser
      assert.strictEqual(
        (yield* failure(fresh.client.auth.login({ payload: loginRequest(me.email) })))._tag,
        "Unauthorized",
      )
      yield* fresh.client.auth.login({ payload: loginRequest(me.email, "another-long-passphrase-77") })
    }),
  )

  it.effect("a signed-in request from a foreign origin, or naming none, is refused with 403", () =>
    Effect.gen(function* () {
      const me = yield* member("tim")
      const { baseUrl } = yield* TestServer
      const cookie = yield* sessionCookie(me)
      const post = (headers: Record<string, string>) =>
        Effect.promise(() =>
          fetch(`${baseUrl}/api/auth/logout-all`, { method: "POST", headers }).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as unknown,
          })),
        )
      const jar = `ignition_session=${cookie?.value ?? ""}`
      const foreign = yield* post({ cookie: jar, origin: "https://evil.example" })
      assert.strictEqual(foreign.status, 403)
      assert.deepInclude(foreign.body as object, { _tag: "Forbidden", reason: "origin" })
      const anonymous = yield* post({ cookie: jar })
      assert.strictEqual(anonymous.status, 403)
      const viaReferer = yield* post({ cookie: jar, referer: "https://evil.example/page" })
      assert.strictEqual(viaReferer.status, 403)
      // The session survived all three.
      assert.strictEqual((yield* me.client.auth.session()).user.id, me.userId)
    }),
  )

  it.effect("repeated wrong passwords block the account with Retry-After, even for the right password", () =>
    Effect.gen(function* () {
      const me = yield* member("rate")
      const { baseUrl } = yield* TestServer
      const attempt = (password: string) =>
        Effect.promise(() =>
          fetch(`${baseUrl}/api/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ email: me.email, password }),
          }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.json() })),
        )
      for (let i = 0; i < 5; i++) assert.strictEqual((yield* attempt("wrong-password")).status, 401)
      const blocked = yield* attempt(strongPassword)
      assert.strictEqual(blocked.status, 429)
      assert.isAtLeast(Number(blocked.retryAfter), 1)
      assert.deepInclude(blocked.body as object, { _tag: "TooManyRequests" })
      yield* Effect.sleep(Duration.seconds(Number(blocked.retryAfter) + 0.2))
      assert.strictEqual((yield* attempt(strongPassword)).status, 200)
    }),
  )

  it.effect("settings: defaults, partial updates per field, unknown fields refused, mine only", () =>
    Effect.gen(function* () {
      const me = yield* member("settings")
      const other = yield* member("other")
      const initial = yield* me.client.settings.get()
      assert.deepInclude(initial.settings, { theme: "system", locale: "en", timeZone: "UTC" })
      const updated = yield* me.client.settings.update({ payload: { theme: "dark", timeZone: "Europe/Berlin" } })
      assert.strictEqual(updated.version, initial.version + 1)
      assert.deepInclude(updated.settings, { theme: "dark", timeZone: "Europe/Berlin", locale: "en" })
      assert.isTrue(updated.updatedAt.theme !== undefined && updated.updatedAt.locale !== undefined)
      assert.notDeepEqual(updated.updatedAt.theme, initial.updatedAt.theme)
      assert.deepStrictEqual(updated.updatedAt.locale, initial.updatedAt.locale)
      const unchanged = yield* me.client.settings.update({ payload: { theme: "dark" } })
      assert.strictEqual(unchanged.version, updated.version, "no change, no new version")
      assert.strictEqual((yield* me.client.auth.session()).user.timeZone, "Europe/Berlin")
      assert.deepInclude((yield* other.client.settings.get()).settings, { theme: "system", timeZone: "UTC" })

      const { baseUrl } = yield* TestServer
      const cookie = yield* sessionCookie(me)
      const put = (body: unknown) =>
        Effect.promise(() =>
          fetch(`${baseUrl}/api/settings`, {
            method: "PUT",
            headers: {
              "content-type": "application/json",
              origin: baseUrl,
              cookie: `ignition_session=${cookie?.value}`,
            },
            body: JSON.stringify(body),
          }).then(async (r) => ({ status: r.status, body: (await r.json()) as { _tag?: string; message?: string } })),
        )
      const unknownField = yield* put({ theme: "dark", vaultTimeout: 5 })
      assert.strictEqual(unknownField.status, 400)
      assert.match(unknownField.body.message ?? "", /vaultTimeout/)
      assert.strictEqual((yield* put({ timeZone: "Mars/Olympus" })).status, 400)
      assert.strictEqual((yield* put({ theme: "purple" })).status, 400)
    }),
  )
})

layer(TestServerLayer.layer({ config: { requireApproval: true, trustProxy: true } }), { excludeTestServices: true })(
  "an instance that requires approval",
  (it) => {
    it.effect("a new account waits: no session, a 403 saying so at sign-in", () =>
      Effect.gen(function* () {
        const b = yield* browser
        const email = uniqueEmail("waiting")
        const result = yield* b.client.auth.signup({ payload: signupRequest(email) })
        assert.strictEqual(result._tag, "AwaitingApproval")
        assert.strictEqual(result.user.status, "pending")
        assert.isUndefined(yield* sessionCookie(b))
        const refused = yield* failure(b.client.auth.login({ payload: loginRequest(email) }))
        assert.deepInclude(refused, { _tag: "Forbidden", reason: "pending_approval" })
        const wrong = yield* failure(b.client.auth.login({ payload: loginRequest(email, "guess-guess") }))
        assert.strictEqual(wrong._tag, "Unauthorized", "a wrong password does not learn the account is pending")
      }),
    )
  },
)

layer(
  TestServerLayer.layer({
    config: { sessionIdleTimeout: Duration.seconds(1), sessionMaxAge: Duration.seconds(30), trustProxy: true },
  }),
  { excludeTestServices: true },
)("session expiry", (it) => {
  it.effect("a session unused for longer than the idle timeout is refused", () =>
    Effect.gen(function* () {
      const me = yield* member("sleepy")
      assert.strictEqual((yield* me.client.auth.session()).user.id, me.userId)
      yield* Effect.sleep("1200 millis")
      assert.strictEqual((yield* failure(me.client.auth.session()))._tag, "Unauthorized")
    }),
  )
})
