/**
 * "Sign in with an OpenID provider" end to end: a real OpenID provider
 * (`oidc-provider`, with its development login and consent pages) on a free
 * port, the Ignition server configured with it, and a scripted browser
 * (fetch plus a cookie jar per origin) that follows every redirect and
 * fills in the provider's forms — on PGlite and PostgreSQL.
 */
import { generateKeyPairSync } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { HttpApi, HttpApiBuilder } from "@effect/platform"
import { assert, describe, it, layer } from "@effect/vitest"
import { AuthApi, SystemApi } from "@ignition/api"
import { ConfigProvider, Context, Effect, Either, Layer, Option, Redacted } from "effect"
import { sql } from "kysely"
import type { Service as AppConfigService } from "../src/AppConfig.js"
import { AuthenticationLive } from "../src/Auth/AuthenticationLive.js"
import { AuthLive } from "../src/Auth/Http.js"
import { safeReturnTo } from "../src/Auth/Oidc.js"
import * as OidcConfig from "../src/Auth/OidcConfig.js"
import * as OidcHttp from "../src/Auth/OidcHttp.js"
import { Sessions } from "../src/Auth/Sessions.js"
import { UserRepo } from "../src/Auth/UserRepo.js"
import { Database } from "../src/Database/Database.js"
import { SystemLive } from "../src/System/Http.js"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"

// ---------------------------------------------------------------------------
// The OpenID provider under test

/** What the provider says about an account (the `sub` is the account id). */
interface IdpAccount {
  readonly email?: string
  readonly email_verified?: unknown
  readonly name?: string
  readonly xms_edov?: boolean
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void

/** The little of oidc-provider's API used here (the package ships no type declarations). */
interface ProviderInstance {
  readonly callback: () => RequestListener
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance

const isProviderModule = (loaded: unknown): loaded is { readonly default: ProviderConstructor } =>
  typeof loaded === "object" && loaded !== null && "default" in loaded && typeof loaded.default === "function"

/** Imported by a non-literal name so the type checker does not look for the declarations the package lacks. */
const loadProvider = Effect.promise(async () => {
  const specifier: string = "oidc-provider"
  const loaded: unknown = await import(specifier)
  if (!isProviderModule(loaded)) throw new Error("oidc-provider has no default export")
  return loaded.default
})

const clientId = "ignition-test"
const clientSecret = "a-client-secret-only-the-test-knows"
const providerId = "test"

class Idp extends Context.Tag("test/Idp")<
  Idp,
  {
    readonly issuer: string
    /** Accounts the provider knows, by `sub`; tests add their own. */
    readonly accounts: Map<string, IdpAccount>
    /** Start answering, with the Ignition callbacks registered as the client's redirect URIs. */
    readonly attach: (redirectUris: ReadonlyArray<string>) => Effect.Effect<void>
  }
>() {}

const providerConfiguration = (redirectUris: ReadonlyArray<string>, accounts: Map<string, IdpAccount>) => ({
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [...redirectUris],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  claims: { openid: ["sub"], email: ["email", "email_verified", "xms_edov"], profile: ["name"] },
  // Put the scope's claims in the ID token, as Google and Entra do; Ignition reads no userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: ["cookie-signing-key-for-tests"] },
  // Explicit lifetimes (seconds) keep the provider from printing a notice for each default it uses.
  ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
  jwks: {
    keys: [{ ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), kid: "k1" }],
  },
  findAccount: (_context: unknown, sub: string) => {
    const account = accounts.get(sub)
    return account === undefined ? undefined : { accountId: sub, claims: async () => ({ sub, ...account }) }
  },
})

/**
 * The provider's HTTP server listens first (its address is the issuer the
 * Ignition server is configured with); the provider itself is created once
 * the Ignition server's port, and so its redirect URI, is known.
 */
const IdpLive = Layer.scoped(
  Idp,
  Effect.gen(function* () {
    const Provider = yield* loadProvider
    let handler: RequestListener | undefined
    const server = createServer((request, response) => {
      if (handler === undefined) {
        response.statusCode = 503
        response.end()
      } else handler(request, response)
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        }),
    )
    const address = server.address()
    if (address === null || typeof address === "string") return yield* Effect.die("expected a TCP address")
    const issuer = `http://127.0.0.1:${address.port}`
    const accounts = new Map<string, IdpAccount>()
    const attach = (redirectUris: ReadonlyArray<string>) =>
      Effect.sync(() => {
        handler = new Provider(issuer, providerConfiguration(redirectUris, accounts)).callback()
      })
    return { issuer, accounts, attach }
  }),
)

// ---------------------------------------------------------------------------
// The Ignition server, configured with that provider

class OidcTestApi extends HttpApi.make("ignition").add(SystemApi.SystemApi).add(AuthApi.AuthApi).add(AuthApi.OidcApi) {}

/** The provider as a plain issuer, and the same provider treated as Microsoft Entra (which vouches for emails differently). */
const testProviders = (issuer: string): ReadonlyArray<OidcConfig.Provider> =>
  [
    { id: providerId, name: "Test IdP", kind: "generic" as const },
    { id: "entra", name: "Microsoft", kind: "entra" as const },
  ].map((provider) => ({ ...provider, issuer, clientId, clientSecret: Redacted.make(clientSecret) }))

const apiWith = (issuer: string) => {
  const providers = OidcConfig.OidcConfig.layerTest(testProviders(issuer))
  return HttpApiBuilder.api(OidcTestApi).pipe(
    Layer.provide([SystemLive, AuthLive, OidcHttp.layerWith(providers)]),
    Layer.provide([AuthenticationLive, providers]),
  )
}

/** The provider, the Ignition server using it, and the repositories behind the server for inspection. */
const environment = (config: Partial<AppConfigService> = {}) => {
  const server = Layer.unwrapEffect(
    Effect.map(Idp, (idp) => TestServerLayer.layer({ api: apiWith(idp.issuer), config })),
  )
  const attach = Layer.effectDiscard(
    Effect.gen(function* () {
      const { baseUrl } = yield* TestServer
      const idp = yield* Idp
      yield* idp.attach(testProviders(idp.issuer).map(({ id }) => `${baseUrl}/api/auth/oidc/${id}/callback`))
    }),
  )
  return attach.pipe(
    Layer.provideMerge(Layer.mergeAll(UserRepo.Default, Sessions.Default).pipe(Layer.provideMerge(server))),
    Layer.provideMerge(IdpLive),
  )
}

// ---------------------------------------------------------------------------
// A scripted browser

interface Answer {
  readonly status: number
  readonly location: string | undefined
  readonly body: unknown
}

/** fetch with a cookie jar per origin (paths and expiry beyond "delete" are ignored: flows here are sequential). */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>()

  private jar(origin: string): Map<string, string> {
    const existing = this.jars.get(origin)
    if (existing !== undefined) return existing
    const created = new Map<string, string>()
    this.jars.set(origin, created)
    return created
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar(origin).get(name)
  }

  setCookie(origin: string, name: string, value: string): void {
    this.jar(origin).set(name, value)
  }

  async send(
    url: string,
    init: { readonly method?: string; readonly form?: Record<string, string>; readonly json?: unknown } = {},
  ): Promise<Response> {
    const target = new URL(url)
    const jar = this.jar(target.origin)
    const headers = new Headers()
    if (jar.size > 0) headers.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "))
    let body: string | undefined
    if (init.form !== undefined) {
      headers.set("content-type", "application/x-www-form-urlencoded")
      body = new URLSearchParams(init.form).toString()
    } else if (init.json !== undefined) {
      headers.set("content-type", "application/json")
      headers.set("origin", target.origin)
      body = JSON.stringify(init.json)
    }
    const response = await fetch(target, {
      method: init.method ?? "GET",
      headers,
      redirect: "manual",
      ...(body === undefined ? {} : { body }),
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";")
      const separator = pair.indexOf("=")
      const name = pair.slice(0, separator).trim()
      const value = pair.slice(separator + 1).trim()
      const expired = attributes.some((attribute) => /^\s*max-age=(0|-\d+)\s*$/i.test(attribute))
      if (expired || value === "") jar.delete(name)
      else jar.set(name, value)
    }
    return response
  }

  async answer(url: string, init: Parameters<Browser["send"]>[1] = {}): Promise<Answer> {
    const response = await this.send(url, init)
    const text = await response.text()
    let body: unknown = text
    try {
      body = text === "" ? undefined : JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, location: response.headers.get("location") ?? undefined, body }
  }
}

/** What the user does at the provider: sign in as an account (and consent), or decline. */
type Choice = { readonly login: string } | { readonly decline: true }

/**
 * Follow the sign-in from Ignition's start endpoint through the provider's
 * pages until the provider sends the browser back to Ignition; the URL it
 * sends it to (the callback, or a page with `authError`) is returned
 * without being requested.
 */
const authorize = (browser: Browser, startPath: string, choice: Choice) =>
  Effect.flatMap(TestServer, ({ baseUrl }) =>
    Effect.promise(async () => {
      let url = `${baseUrl}${startPath}`
      for (let hop = 0; hop < 20; hop++) {
        const response = await browser.send(url)
        if (response.status === 302 || response.status === 303) {
          const next = new URL(response.headers.get("location") ?? "", url).href
          if (next.startsWith(`${baseUrl}/`)) return next
          url = next
          continue
        }
        const page = await response.text()
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1]
        if (response.status !== 200 || prompt === undefined) {
          throw new Error(`unexpected ${response.status} at ${url}: ${page.slice(0, 500)}`)
        }
        if ("decline" in choice) {
          url = `${url}/abort`
          continue
        }
        const form: Record<string, string> =
          prompt === "login" ? { prompt, login: choice.login, password: "anything" } : { prompt }
        const submitted = await browser.send(url, { method: "POST", form })
        url = new URL(submitted.headers.get("location") ?? "", url).href
      }
      throw new Error("too many redirects")
    }),
  )

/** Open a URL on the Ignition server in this browser. */
const visit = (browser: Browser, url: string, init: Parameters<Browser["send"]>[1] = {}) =>
  Effect.flatMap(TestServer, ({ baseUrl }) =>
    Effect.promise(() => browser.answer(url.startsWith("/") ? `${baseUrl}${url}` : url, init)),
  )

const sessionOf = (browser: Browser) =>
  Effect.map(TestServer, ({ baseUrl }) => Option.fromNullable(browser.cookie(baseUrl, "ignition_session")))

/** A whole sign-in in a new browser: the callback's answer and the browser after it. */
const signIn = (login: string, returnTo = "/today", provider = providerId) =>
  Effect.gen(function* () {
    const browser = new Browser()
    const start = `/api/auth/oidc/${provider}/start?returnTo=${encodeURIComponent(returnTo)}`
    const callback = yield* authorize(browser, start, { login })
    const answer = yield* visit(browser, callback)
    return { browser, callback, answer, session: yield* sessionOf(browser) }
  })

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined

// ---------------------------------------------------------------------------
// Looking behind the API

const addAccount = (sub: string, account: IdpAccount) => Effect.map(Idp, (idp) => void idp.accounts.set(sub, account))

const userByEmail = (email: string) =>
  Effect.flatMap(UserRepo, (users) => users.findByEmail(email)).pipe(Effect.map(Option.map(({ user }) => user)))

const identitiesOf = (userId: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      q
        .selectFrom("oidc_identities")
        .select(["provider", "issuer", "subject", "email"])
        .where("user_id", "=", userId)
        .execute(),
    ),
  ).pipe(Effect.orDie)

const auditActions = (userId: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{ action: string }>`select action from security_audit where subject_user_id = ${userId} order by id`.execute(
        q,
      ),
    ),
  ).pipe(
    Effect.map((result) => result.rows.map((row) => row.action)),
    Effect.orDie,
  )

const userCount = Effect.flatMap(Database, (db) =>
  db.execute((q) =>
    q
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ),
).pipe(
  Effect.map((row) => Number(row.n)),
  Effect.orDie,
)

/** A password account, as sign-up would have made it. */
const passwordAccount = (email: string, status: "approved" | "suspended" = "approved") =>
  Effect.flatMap(UserRepo, (users) =>
    users.create(
      {
        email,
        displayName: "Password User",
        status,
        timeZone: "UTC",
        birthYear: 1980,
        termsAcceptedAt: new Date(),
        roles: ["member"],
      },
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
    ),
  ).pipe(Effect.orDie)

// ---------------------------------------------------------------------------

layer(environment(), { excludeTestServices: true })("sign-in with an OpenID provider", (it) => {
  it.effect("a first sign-in creates an approved account, without terms accepted, and a working session", () =>
    Effect.gen(function* () {
      const { baseUrl, logs } = yield* TestServer
      const { issuer } = yield* Idp
      yield* addAccount("ada", { email: "Ada@Example.com", email_verified: true, name: "  Ada Lovelace " })

      const { browser, callback, answer, session } = yield* signIn("ada", "/today?tab=2")
      assert.strictEqual(answer.status, 302)
      assert.strictEqual(answer.location, "/today?tab=2")
      assert.isTrue(Option.isSome(session))

      const user = Option.getOrThrow(yield* userByEmail("ada@example.com"))
      assert.strictEqual(user.email, "Ada@Example.com")
      assert.strictEqual(user.displayName, "Ada Lovelace")
      assert.strictEqual(user.status, "approved")
      assert.isNull(user.termsAcceptedAt)
      assert.isNull(user.birthYear)
      assert.deepStrictEqual([...user.roles], ["member"])
      assert.deepStrictEqual(yield* identitiesOf(user.id), [
        { provider: providerId, issuer, subject: "ada", email: "Ada@Example.com" },
      ])
      assert.deepStrictEqual(yield* auditActions(user.id), ["signup", "sign_in"])

      // The session is the user's; the API asks for the terms first, and accepting them lets the user in.
      const sessions = yield* Sessions
      const found = yield* sessions.authenticate(Redacted.make(Option.getOrThrow(session)))
      assert.strictEqual(Option.getOrThrow(found).user.id, user.id)
      const before = yield* visit(browser, "/api/auth/session")
      assert.strictEqual(before.status, 403)
      assert.strictEqual(field(before.body, "reason"), "terms_required")
      const accepted = yield* visit(browser, "/api/auth/terms", {
        method: "POST",
        json: { birthYear: 1990, acceptTerms: true },
      })
      assert.strictEqual(accepted.status, 200, JSON.stringify(accepted.body))
      const after = yield* visit(browser, "/api/auth/session")
      assert.strictEqual(after.status, 200)
      assert.strictEqual(field(field(after.body, "user"), "id"), user.id)

      // Nothing secret reached the log: not the code, the state, nor the session.
      const callbackParams = new URL(callback).searchParams
      const written = logs.join("\n")
      for (const secret of [callbackParams.get("code"), callbackParams.get("state"), Option.getOrThrow(session)]) {
        assert.isString(secret)
        assert.notInclude(written, secret ?? "")
      }
      assert.isTrue(callback.startsWith(`${baseUrl}/api/auth/oidc/${providerId}/callback?`))
    }),
  )

  it.effect("a second sign-in reuses the identity, even when the provider no longer vouches for the email", () =>
    Effect.gen(function* () {
      yield* addAccount("bea", { email: "bea@example.com", email_verified: true, name: "Bea" })
      const first = yield* signIn("bea")
      assert.strictEqual(first.answer.location, "/today")
      const user = Option.getOrThrow(yield* userByEmail("bea@example.com"))
      const users = yield* userCount

      yield* addAccount("bea", { email: "bea@example.com", email_verified: false, name: "Bea" })
      const second = yield* signIn("bea", "/planner")
      assert.strictEqual(second.answer.status, 302)
      assert.strictEqual(second.answer.location, "/planner")
      assert.isTrue(Option.isSome(second.session))
      assert.notStrictEqual(Option.getOrThrow(second.session), Option.getOrThrow(first.session))
      const sessions = yield* Sessions
      const found = yield* sessions.authenticate(Redacted.make(Option.getOrThrow(second.session)))
      assert.strictEqual(Option.getOrThrow(found).user.id, user.id)
      assert.strictEqual(yield* userCount, users)
      assert.lengthOf(yield* identitiesOf(user.id), 1)
      assert.deepStrictEqual(yield* auditActions(user.id), ["signup", "sign_in", "sign_in"])
    }),
  )

  it.effect("an existing password account with the same verified email is linked, whatever the case", () =>
    Effect.gen(function* () {
      const existing = yield* passwordAccount("Grace@Example.com")
      yield* addAccount("grace", { email: "grace@example.COM", email_verified: true, name: "Grace H." })
      const users = yield* userCount

      const { browser, answer } = yield* signIn("grace")
      assert.strictEqual(answer.location, "/today")
      assert.strictEqual(yield* userCount, users)
      const identities = yield* identitiesOf(existing.id)
      assert.deepStrictEqual(
        identities.map((identity) => identity.subject),
        ["grace"],
      )
      assert.deepStrictEqual(yield* auditActions(existing.id), ["oidc_linked", "sign_in"])
      // Terms were accepted at sign-up: the session works at once, and it is the password account's.
      const me = yield* visit(browser, "/api/auth/session")
      assert.strictEqual(me.status, 200)
      assert.strictEqual(field(field(me.body, "user"), "id"), existing.id)
      assert.strictEqual(field(field(me.body, "user"), "displayName"), "Password User")
    }),
  )

  it.effect("an email the provider does not vouch for neither links nor creates an account", () =>
    Effect.gen(function* () {
      const existing = yield* passwordAccount("hopper@example.com")
      yield* addAccount("mallory", { email: "hopper@example.com", email_verified: false, name: "Not Hopper" })
      yield* addAccount("stringly", { email: "hopper@example.com", email_verified: "true" })
      yield* addAccount("newbie", { email: "newbie@example.com", name: "No verification claim" })
      const users = yield* userCount

      for (const login of ["mallory", "stringly", "newbie"]) {
        const { answer, session } = yield* signIn(login, "/")
        assert.strictEqual(answer.status, 302, login)
        assert.strictEqual(answer.location, "/?authError=email_unverified", login)
        assert.isTrue(Option.isNone(session), login)
      }
      assert.strictEqual(yield* userCount, users)
      assert.lengthOf(yield* identitiesOf(existing.id), 0)
      assert.isTrue(Option.isNone(yield* userByEmail("newbie@example.com")))
    }),
  )

  it.effect("Entra vouches for an email with xms_edov (it sends no email_verified); other providers cannot", () =>
    Effect.gen(function* () {
      yield* addAccount("ida", { email: "ida@example.com", xms_edov: true, name: "Ida" })
      const generic = yield* signIn("ida", "/")
      assert.strictEqual(generic.answer.location, "/?authError=email_unverified")
      const entra = yield* signIn("ida", "/", "entra")
      assert.strictEqual(entra.answer.location, "/")
      assert.isTrue(Option.isSome(entra.session))
      const ida = Option.getOrThrow(yield* userByEmail("ida@example.com"))
      assert.deepStrictEqual(
        (yield* identitiesOf(ida.id)).map((identity) => identity.provider),
        ["entra"],
      )
    }),
  )

  it.effect("a state works once, only in the browser that started the sign-in, and only for 10 minutes", () =>
    Effect.gen(function* () {
      const { baseUrl } = yield* TestServer
      const db = yield* Database
      yield* addAccount("cy", { email: "cy@example.com", email_verified: true })
      const start = `/api/auth/oidc/${providerId}/start`
      const cookiePath = (browser: Browser) => browser.cookie(baseUrl, "ignition_oidc_state")

      // The callback link of someone else's sign-in (login CSRF) is refused.
      const attacker = new Browser()
      const attackerCallback = yield* authorize(attacker, start, { login: "cy" })
      const victim = yield* visit(new Browser(), attackerCallback)
      assert.strictEqual(victim.status, 401)
      assert.strictEqual(field(victim.body, "_tag"), "Unauthorized")

      // The rightful browser can use it once; a replay is refused even with the state cookie restored.
      const state = cookiePath(attacker)
      assert.isString(state)
      const first = yield* visit(attacker, attackerCallback)
      assert.strictEqual(first.status, 302)
      assert.isUndefined(cookiePath(attacker), "the state cookie is dropped")
      const again = yield* visit(attacker, attackerCallback)
      assert.strictEqual(again.status, 401)
      attacker.setCookie(baseUrl, "ignition_oidc_state", state ?? "")
      const replay = yield* visit(attacker, attackerCallback)
      assert.strictEqual(replay.status, 401)
      assert.strictEqual(field(replay.body, "_tag"), "Unauthorized")

      // A forged state, with or without a matching cookie; no state at all.
      const forger = new Browser()
      forger.setCookie(baseUrl, "ignition_oidc_state", "forged")
      for (const query of ["code=abc&state=forged", "code=abc&state=other", "code=abc"]) {
        const forged = yield* visit(forger, `/api/auth/oidc/${providerId}/callback?${query}`)
        assert.strictEqual(forged.status, 401, query)
        assert.strictEqual(field(forged.body, "_tag"), "Unauthorized")
        forger.setCookie(baseUrl, "ignition_oidc_state", "forged")
      }

      // An expired flow.
      const late = new Browser()
      const lateCallback = yield* authorize(late, start, { login: "cy" })
      yield* db
        .execute((q) =>
          q
            .updateTable("oidc_flows")
            .set({ expires_at: new Date(Date.now() - 1000) })
            .execute(),
        )
        .pipe(Effect.orDie)
      const expired = yield* visit(late, lateCallback)
      assert.strictEqual(expired.status, 401)
    }),
  )

  it.effect("a returnTo that leaves the site ends at /", () =>
    Effect.gen(function* () {
      yield* addAccount("dot", { email: "dot@example.com", email_verified: true })
      for (const returnTo of ["https://evil.example", "//evil.example/x", "/\\evil.example"]) {
        const { answer, session } = yield* signIn("dot", returnTo)
        assert.strictEqual(answer.status, 302, returnTo)
        assert.strictEqual(answer.location, "/", returnTo)
        assert.isTrue(Option.isSome(session), returnTo)
      }
    }),
  )

  it.effect("declining at the provider returns to the page with authError=access_denied", () =>
    Effect.gen(function* () {
      const browser = new Browser()
      const callback = yield* authorize(browser, `/api/auth/oidc/${providerId}/start?returnTo=%2Fhabits`, {
        decline: true,
      })
      const answer = yield* visit(browser, callback)
      assert.strictEqual(answer.status, 302)
      assert.strictEqual(answer.location, "/habits?authError=access_denied")
      assert.isTrue(Option.isNone(yield* sessionOf(browser)))
    }),
  )

  it.effect("an unknown provider is a 404 NotFound", () =>
    Effect.gen(function* () {
      for (const path of ["/api/auth/oidc/nope/start?returnTo=%2F", "/api/auth/oidc/nope/callback?code=a&state=b"]) {
        const answer = yield* visit(new Browser(), path)
        assert.strictEqual(answer.status, 404, path)
        assert.strictEqual(field(answer.body, "_tag"), "NotFound")
      }
    }),
  )

  it.effect("a suspended user is refused, by identity or by email, and gets no session", () =>
    Effect.gen(function* () {
      yield* addAccount("eve", { email: "eve@example.com", email_verified: true })
      yield* signIn("eve")
      const eve = Option.getOrThrow(yield* userByEmail("eve@example.com"))
      yield* Effect.flatMap(UserRepo, (users) => users.update(eve.id, { status: "suspended" }))
      const byIdentity = yield* signIn("eve", "/today")
      assert.strictEqual(byIdentity.answer.location, "/today?authError=suspended")
      assert.isTrue(Option.isNone(byIdentity.session))

      yield* passwordAccount("fay@example.com", "suspended")
      yield* addAccount("fay", { email: "fay@example.com", email_verified: true })
      const byEmail = yield* signIn("fay", "/")
      assert.strictEqual(byEmail.answer.location, "/?authError=suspended")
      assert.isTrue(Option.isNone(byEmail.session))
      assert.include(yield* auditActions(eve.id), "sign_in_failed")
    }),
  )
})

layer(environment({ requireApproval: true }), { excludeTestServices: true })("with REQUIRE_APPROVAL", (it) => {
  it.effect("a new account waits for approval and gets no session until then", () =>
    Effect.gen(function* () {
      yield* addAccount("gil", { email: "gil@example.com", email_verified: true, name: "Gil" })
      const first = yield* signIn("gil", "/")
      assert.strictEqual(first.answer.location, "/?authError=pending_approval")
      assert.isTrue(Option.isNone(first.session))
      const gil = Option.getOrThrow(yield* userByEmail("gil@example.com"))
      assert.strictEqual(gil.status, "pending")

      yield* Effect.flatMap(UserRepo, (users) => users.update(gil.id, { status: "approved" }))
      const approved = yield* signIn("gil", "/")
      assert.strictEqual(approved.answer.location, "/")
      assert.isTrue(Option.isSome(approved.session))
    }),
  )
})

describe("returnTo", () => {
  it("keeps a same-origin path with its query and fragment", () => {
    assert.strictEqual(safeReturnTo("/today?tab=2#top"), "/today?tab=2#top")
    assert.strictEqual(safeReturnTo("/a/../b"), "/b")
  })

  it("turns anything else into /", () => {
    for (const returnTo of [
      undefined,
      "",
      "today",
      "https://evil.example/today",
      "//evil.example",
      "/\\evil.example",
      "/%0d%0aSet-Cookie:x=1".replace("%0d%0a", "\r\n"),
      "javascript:alert(1)",
      "///evil.example",
    ]) {
      assert.strictEqual(safeReturnTo(returnTo), "/", String(returnTo))
    }
  })
})

describe("OidcConfig", () => {
  const read = (env: Record<string, string>) =>
    Effect.either(Effect.withConfigProvider(OidcConfig.config, ConfigProvider.fromMap(new Map(Object.entries(env)))))

  const failureOf = (env: Record<string, string>) =>
    Effect.map(read(env), (result) => (Either.isLeft(result) ? String(result.left) : "no failure"))

  it.effect("no providers by default", () =>
    Effect.gen(function* () {
      const result = yield* read({})
      assert.deepStrictEqual(Either.getOrThrow(result), { providers: [] })
    }),
  )

  it.effect("knows Google's and Entra's issuers and names; a generic issuer is spelled out", () =>
    Effect.gen(function* () {
      const result = yield* read({
        OIDC_PROVIDERS: "google, entra ,my-idp",
        OIDC_GOOGLE_CLIENT_ID: "g-id",
        OIDC_GOOGLE_CLIENT_SECRET: "g-secret",
        OIDC_ENTRA_TENANT: "8eaef023-2b34-4da1-9baa-8bc8c9d6a490",
        OIDC_ENTRA_CLIENT_ID: "e-id",
        OIDC_ENTRA_CLIENT_SECRET: "e-secret",
        OIDC_MY_IDP_ISSUER: "https://id.example.com/realms/main/",
        OIDC_MY_IDP_CLIENT_ID: "m-id",
        OIDC_MY_IDP_CLIENT_SECRET: "m-secret",
        OIDC_MY_IDP_NAME: "Example SSO",
      })
      const { providers } = Either.getOrThrow(result)
      assert.deepStrictEqual(
        providers.map(({ id, kind, issuer, name, clientId }) => ({ id, kind, issuer, name, clientId })),
        [
          { id: "google", kind: "google", issuer: "https://accounts.google.com", name: "Google", clientId: "g-id" },
          {
            id: "entra",
            kind: "entra",
            issuer: "https://login.microsoftonline.com/8eaef023-2b34-4da1-9baa-8bc8c9d6a490/v2.0",
            name: "Microsoft",
            clientId: "e-id",
          },
          {
            id: "my-idp",
            kind: "generic",
            issuer: "https://id.example.com/realms/main/",
            name: "Example SSO",
            clientId: "m-id",
          },
        ],
      )
      assert.strictEqual(Redacted.value(providers[0]?.clientSecret ?? Redacted.make("")), "g-secret")
    }),
  )

  it.effect("invalid configuration names the variable", () =>
    Effect.gen(function* () {
      assert.include(yield* failureOf({ OIDC_PROVIDERS: "Bad Id" }), "OIDC_PROVIDERS")
      assert.include(yield* failureOf({ OIDC_PROVIDERS: "google,google" }), "OIDC_PROVIDERS")
      assert.include(
        yield* failureOf({ OIDC_PROVIDERS: "entra", OIDC_ENTRA_CLIENT_ID: "x", OIDC_ENTRA_CLIENT_SECRET: "y" }),
        "OIDC_ENTRA_TENANT",
      )
      assert.include(
        yield* failureOf({
          OIDC_PROVIDERS: "entra",
          OIDC_ENTRA_TENANT: "contoso/../x",
          OIDC_ENTRA_CLIENT_ID: "x",
          OIDC_ENTRA_CLIENT_SECRET: "y",
        }),
        "OIDC_ENTRA_TENANT",
      )
      assert.include(
        yield* failureOf({ OIDC_PROVIDERS: "corp", OIDC_CORP_CLIENT_ID: "x", OIDC_CORP_CLIENT_SECRET: "y" }),
        "OIDC_CORP_ISSUER",
      )
      assert.include(
        yield* failureOf({
          OIDC_PROVIDERS: "corp",
          OIDC_CORP_ISSUER: "http://id.example.com",
          OIDC_CORP_CLIENT_ID: "x",
          OIDC_CORP_CLIENT_SECRET: "y",
        }),
        "OIDC_CORP_ISSUER",
      )
      assert.include(
        yield* failureOf({ OIDC_PROVIDERS: "google", OIDC_GOOGLE_CLIENT_SECRET: "y" }),
        "OIDC_GOOGLE_CLIENT_ID",
      )
      assert.include(
        yield* failureOf({ OIDC_PROVIDERS: "google", OIDC_GOOGLE_CLIENT_ID: "x" }),
        "OIDC_GOOGLE_CLIENT_SECRET",
      )
    }),
  )
})
