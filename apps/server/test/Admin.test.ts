/**
 * User administration and terms acceptance through the real HTTP server.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Account, AuthApi } from "@ignition/api"
import { Effect, Option, Redacted } from "effect"
import { sql } from "kysely"
import { Database } from "../src/Database/Database.js"
import * as TestServerLayer from "./support/TestServer.js"
import { browser } from "./support/TestServer.js"

const setupToken = "admin-tests-setup-token-9876543210"
const password = "correct-horse-battery-staple-42"

const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`

const signup = (name: string, token?: string) =>
  Effect.gen(function* () {
    const b = yield* browser
    const email = uniqueEmail(name)
    const result = yield* b.client.auth.signup({
      payload: new AuthApi.SignupRequest({
        email,
        password: Redacted.make(password),
        displayName: name,
        birthYear: 1985,
        acceptTerms: true,
        ...(token === undefined ? {} : { setupToken: token }),
      }),
    })
    return { ...b, email, userId: result.user.id }
  })

const login = (email: string) =>
  Effect.gen(function* () {
    const b = yield* browser
    yield* b.client.auth.login({ payload: new AuthApi.LoginRequest({ email, password: Redacted.make(password) }) })
    return b
  })

const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

const audited = (subject: string, action: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{ actor_user_id: string | null }>`
        select actor_user_id from security_audit where subject_user_id = ${subject} and action = ${action}`.execute(q),
    ),
  ).pipe(Effect.map((result) => result.rows))

layer(TestServerLayer.layer({ config: { setupToken: Option.some(Redacted.make(setupToken)), trustProxy: true } }), {
  excludeTestServices: true,
})("the admin API", (it) => {
  // The first test makes the administrator; the others reuse it.
  const admin = Effect.cached(signup("root", setupToken)).pipe(Effect.runSync)

  it.effect("needs a session (401) and the admin role (403)", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const anonymous = yield* browser
      assert.strictEqual((yield* failure(anonymous.client.admin.users({ urlParams: {} })))._tag, "Unauthorized")
      const member = yield* signup("member")
      const refused = yield* failure(member.client.admin.users({ urlParams: {} }))
      assert.deepInclude(refused, { _tag: "Forbidden", reason: "admin_required" })
      const notMine = yield* failure(member.client.admin.suspend({ path: { id: root.userId } }))
      assert.strictEqual(notMine._tag, "Forbidden")
      assert.strictEqual((yield* root.client.auth.session()).user.status, "approved")
    }),
  )

  it.effect("lists users newest first, filtered by status, page by page", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const made = yield* Effect.forEach(["p1", "p2", "p3"], (name) => signup(name))
      const first = yield* root.client.admin.users({ urlParams: { limit: 2 } })
      assert.strictEqual(first.users.length, 2)
      assert.deepStrictEqual(
        first.users.map((u) => u.id),
        made
          .slice(-2)
          .reverse()
          .map((m) => m.userId),
      )
      assert.isNotNull(first.nextCursor)
      const second = yield* root.client.admin.users({ urlParams: { limit: 2, cursor: first.nextCursor ?? "" } })
      assert.strictEqual(second.users[0]?.id, made[0]?.userId)
      const seen = new Set([...first.users, ...second.users].map((u) => u.id))
      assert.strictEqual(seen.size, first.users.length + second.users.length, "no user on two pages")
      assert.isAtLeast(first.users[0]?.activeSessions ?? 0, 1)
      const suspended = yield* root.client.admin.users({ urlParams: { status: "suspended" } })
      assert.isTrue(suspended.users.every((u) => u.status === "suspended"))
      const badCursor = yield* failure(root.client.admin.users({ urlParams: { cursor: "not-a-cursor" } }))
      assert.strictEqual(badCursor._tag, "BadRequest")
    }),
  )

  it.effect("suspending ends the user's sessions and refuses their sign-in; approving lets them back", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const user = yield* signup("suspect")
      const suspended = yield* root.client.admin.suspend({ path: { id: user.userId } })
      assert.strictEqual(suspended.status, "suspended")
      assert.strictEqual(suspended.activeSessions, 0)
      assert.strictEqual((yield* failure(user.client.auth.session()))._tag, "Unauthorized")
      const refused = yield* failure(
        user.client.auth.login({
          payload: new AuthApi.LoginRequest({ email: user.email, password: Redacted.make(password) }),
        }),
      )
      assert.deepInclude(refused, { _tag: "Forbidden", reason: "suspended" })
      assert.strictEqual((yield* root.client.admin.approve({ path: { id: user.userId } })).status, "approved")
      yield* login(user.email)
      const entries = yield* audited(user.userId, "user_suspended")
      assert.deepStrictEqual(
        entries.map((e) => e.actor_user_id),
        [root.userId],
      )
    }),
  )

  it.effect("changing roles ends the target's sessions; the new role works after signing in again", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const user = yield* signup("promoted")
      const promoted = yield* root.client.admin.setRoles({
        path: { id: user.userId },
        payload: { roles: ["admin", "member"] },
      })
      assert.deepStrictEqual([...promoted.roles], ["admin", "member"])
      assert.strictEqual((yield* failure(user.client.auth.session()))._tag, "Unauthorized")
      const again = yield* login(user.email)
      assert.isArray((yield* again.client.admin.users({ urlParams: {} })).users)
      const unknown = yield* failure(
        root.client.admin.setRoles({ path: { id: user.userId }, payload: { roles: ["overlord"] } }),
      )
      assert.strictEqual(unknown._tag, "BadRequest")
      yield* root.client.admin.setRoles({ path: { id: user.userId }, payload: { roles: ["member"] } })
      assert.strictEqual((yield* failure(again.client.auth.session()))._tag, "Unauthorized")
    }),
  )

  it.effect("the last administrator can be neither demoted nor suspended, not even by themselves", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const demote = yield* failure(
        root.client.admin.setRoles({ path: { id: root.userId }, payload: { roles: ["member"] } }),
      )
      assert.strictEqual(demote._tag, "Conflict")
      const self = yield* failure(root.client.admin.suspend({ path: { id: root.userId } }))
      assert.strictEqual(self._tag, "Conflict")
      assert.includeMembers([...(yield* root.client.auth.session()).user.roles], ["admin"])
    }),
  )

  it.effect("signing a user out everywhere, and 404 for a user that does not exist", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const user = yield* signup("signedout")
      const other = yield* login(user.email)
      yield* root.client.admin.signOut({ path: { id: user.userId } })
      assert.strictEqual((yield* failure(user.client.auth.session()))._tag, "Unauthorized")
      assert.strictEqual((yield* failure(other.client.auth.session()))._tag, "Unauthorized")
      const ghost = Account.UserId.make(randomUUID())
      assert.strictEqual((yield* failure(root.client.admin.approve({ path: { id: ghost } })))._tag, "NotFound")
      assert.strictEqual((yield* failure(root.client.admin.suspend({ path: { id: ghost } })))._tag, "NotFound")
      assert.strictEqual((yield* failure(root.client.admin.signOut({ path: { id: ghost } })))._tag, "NotFound")
      assert.lengthOf(yield* audited(user.userId, "admin_signed_out_user"), 1)
    }),
  )

  it.effect("an account without accepted terms must accept them; acceptance rotates the session", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const user = yield* signup("terms")
      // As an account made through an OpenID provider starts: no terms, no birth year.
      yield* db.execute((q) =>
        q
          .updateTable("users")
          .set({ terms_accepted_at: null, birth_year: null })
          .where("id", "=", user.userId)
          .execute(),
      )
      const refused = yield* failure(user.client.auth.session())
      assert.deepInclude(refused, { _tag: "Forbidden", reason: "terms_required" })
      const young = yield* failure(
        user.client.auth.acceptTerms({
          payload: new AuthApi.AcceptTermsRequest({ birthYear: new Date().getUTCFullYear() - 10, acceptTerms: true }),
        }),
      )
      assert.deepInclude(young, { _tag: "Forbidden", reason: "age_requirement" })
      const accepted = yield* user.client.auth.acceptTerms({
        payload: new AuthApi.AcceptTermsRequest({ birthYear: 1985, acceptTerms: true }),
      })
      assert.isNotNull(accepted.user.termsAcceptedAt)
      assert.strictEqual((yield* user.client.auth.session()).session.id, accepted.session.id)
      const stored = yield* db.execute((q) =>
        q.selectFrom("users").select("birth_year").where("id", "=", user.userId).executeTakeFirst(),
      )
      assert.strictEqual(stored?.birth_year, 1985)
      assert.lengthOf(yield* audited(user.userId, "session_rotated"), 1)
    }),
  )
})
