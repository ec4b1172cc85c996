import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, FastCheck, Redacted } from "effect"
import { isSecretName, maxValueBytes, redactedMarker, scrub, truncate } from "../src/Logging/RedLine.js"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"

const canary = "CANARY-7f3e9c1d-never-log-me"

describe("the red-line filter", () => {
  it("recognises secret field names and leaves ordinary ones alone", () => {
    const secret = [
      "password",
      "newPassword",
      "passphrase",
      "token",
      "sessionToken",
      "refresh_token",
      "secret",
      "clientSecret",
      "ciphertext",
      "cipher",
      "plaintext",
      "content_text",
      "bodyText",
      "text",
      "key",
      "wrappedKey",
      "api_key",
      "privateKey",
      "kek",
      "iv",
      "ct",
      "salt",
      "nonce",
      "authorization",
      "cookie",
      "recoveryCode",
      "prf",
      "userOtp",
      "bodyCt",
      "APIKEY",
    ]
    const ordinary = ["requestId", "method", "path", "status", "context", "userId", "keyId", "kid", "count", "message"]
    for (const name of secret) assert.isTrue(isSecretName(name), `${name} should be red-lined`)
    for (const name of ordinary) assert.isFalse(isSecretName(name), `${name} should be kept`)
  })

  it("drops secret-named fields at any depth, in errors, arrays and Redacted values", () => {
    const error = Object.assign(new Error("boom"), { token: canary, detail: { password: canary } })
    const out = JSON.stringify(
      scrub({
        user: { name: "ada", password: canary },
        list: [{ ciphertext: canary }, Redacted.make(canary)],
        error,
        bytes: new TextEncoder().encode(canary),
      }),
    )
    assert.notInclude(out, canary)
    assert.include(out, redactedMarker)
    assert.include(out, '"name":"ada"')
    assert.include(out, "[binary 28 bytes]")
    assert.include(out, '"message":"boom"')
  })

  it.prop(
    "no secret-named field survives, whatever the surrounding data",
    [
      FastCheck.jsonValue({ maxDepth: 3 }),
      FastCheck.constantFrom("password", "token", "ciphertext", "wrappedKey", "content_text", "passphrase"),
    ],
    ([data, secretName]) => {
      const out = JSON.stringify(scrub({ data, nested: { deeper: { [secretName]: canary } }, [secretName]: canary }))
      return !out.includes(canary)
    },
  )

  it.prop(
    "truncates every value to at most 1 KiB of UTF-8 and keeps shorter values whole",
    [FastCheck.string({ unit: "grapheme", maxLength: 3000 })],
    ([value]) => {
      const bytes = new TextEncoder().encode(value).length
      const out = truncate(value)
      if (bytes <= maxValueBytes) return out === value
      const kept = out.slice(0, out.lastIndexOf("…[truncated"))
      return new TextEncoder().encode(kept).length <= maxValueBytes && out.includes("…[truncated")
    },
  )

  it("cuts a secret that follows 1 KiB of harmless text", () => {
    assert.notInclude(truncate(`${"x".repeat(2000)}${canary}`), canary)
  })
})

layer(TestServerLayer.layer())("a canary secret sent through every path", (it) => {
  it.effect("never reaches the log, while the requests themselves are logged", () =>
    Effect.gen(function* () {
      const { baseUrl, logs } = yield* TestServer
      const post = (path: string, body: string, headers: Record<string, string> = {}) =>
        Effect.promise(() =>
          fetch(`${baseUrl}${path}`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json", ...headers },
          }).then((response) => response.status),
        )
      const statuses = [
        // request bodies: accepted, malformed, wrong shape, oversized
        yield* post("/test/echo", JSON.stringify({ note: canary, password: canary })),
        yield* post("/test/echo", `{"note": "${canary}`),
        yield* post("/test/echo", JSON.stringify({ note: 1, password: canary })),
        yield* post("/test/echo", JSON.stringify({ note: `${"x".repeat(1024 * 1024)}${canary}` })),
        // a sign-in and a sign-up whose passwords are the secret
        yield* post("/api/auth/login", JSON.stringify({ email: "nobody@example.com", password: canary })),
        yield* post(
          "/api/auth/signup",
          JSON.stringify({ email: "x@example.com", password: canary, displayName: canary, birthYear: 1990 }),
        ),
        // an error carrying the secret in a field
        yield* post("/test/defect", JSON.stringify({ token: canary })),
        // explicit logs: secret annotations, a secret object, a secret after 2 KiB of text
        yield* post("/test/log", JSON.stringify({ passphrase: canary, ciphertext: canary, note: canary })),
        // a secret in the query string and in headers
        yield* Effect.promise(() =>
          fetch(`${baseUrl}/nope?token=${canary}`, {
            headers: { authorization: `Bearer ${canary}`, cookie: `session=${canary}` },
          }).then((response) => response.status),
        ),
      ]
      assert.deepStrictEqual(statuses, [200, 400, 400, 413, 401, 400, 500, 204, 404])

      const entries = logs.map((line) => JSON.parse(line) as Record<string, unknown>)
      // The paths were really exercised and logged…
      assert.isTrue(entries.some((e) => e.message === "request" && e.path === "/nope" && e.status === 404))
      assert.isTrue(entries.some((e) => e.message === "request failed" && e.error !== undefined))
      const explicit = entries.filter((e) => String(e.message).startsWith("explicit log"))
      assert.strictEqual(explicit.length, 3)
      assert.isTrue(explicit.some((e) => e.passphrase === redactedMarker && e.ciphertext === redactedMarker))
      // …and the canary is nowhere.
      const hits = logs.filter((line) => line.includes(canary))
      assert.deepStrictEqual(hits, [])
    }),
  )
})
