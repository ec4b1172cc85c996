import { createHash } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Effect, FastCheck, Option } from "effect"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

/** A raw request (the derived client cannot send malformed input). */
const send = (path: string, init: RequestInit = {}) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestServer
    return yield* Effect.promise(async (): Promise<Answer> => {
      const response = await fetch(`${baseUrl}${path}`, init)
      const text = await response.text()
      let body: unknown = text
      try {
        body = text === "" ? undefined : JSON.parse(text)
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body }
    })
  })

const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  send(path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } })

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined

const MiB = 1024 * 1024

layer(TestServerLayer.layer())("bad input", (it) => {
  it.effect("a well-formed body reaches the handler", () =>
    Effect.gen(function* () {
      const answer = yield* postJson("/test/echo", JSON.stringify({ note: "hello" }))
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(answer.body, { noteLength: 5 })
    }),
  )

  it.effect("malformed JSON is a 400 BadRequest that names the problem", () =>
    Effect.gen(function* () {
      const answer = yield* postJson("/test/echo", '{"note": "unterminated')
      assert.strictEqual(answer.status, 400)
      assert.strictEqual(field(answer.body, "_tag"), "BadRequest")
      assert.match(String(field(answer.body, "message")), /^The request body is not valid JSON: /)
    }),
  )

  it.effect("JSON of the wrong shape is a 400 HttpApiDecodeError saying what was expected", () =>
    Effect.gen(function* () {
      const answer = yield* postJson("/test/echo", JSON.stringify({ note: 42 }))
      assert.strictEqual(answer.status, 400)
      assert.strictEqual(field(answer.body, "_tag"), "HttpApiDecodeError")
      assert.match(String(field(answer.body, "message")), /Expected string, actual 42/)
    }),
  )

  it.effect("a declared body over 1 MiB is a 413 before it is read", () =>
    Effect.gen(function* () {
      const answer = yield* postJson("/test/echo", JSON.stringify({ note: "x".repeat(MiB + 10) }))
      assert.strictEqual(answer.status, 413)
      assert.deepStrictEqual(answer.body, {
        _tag: "PayloadTooLarge",
        message: "The request body exceeds the limit of 1 MiB",
        limitBytes: MiB,
      })
    }),
  )

  it.effect("a streamed (chunked) body is refused with 411: bodies must declare their length", () =>
    Effect.gen(function* () {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ note: "streamed" })))
          controller.close()
        },
      })
      const answer = yield* send("/test/echo", {
        method: "POST",
        body: stream,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as RequestInit)
      assert.strictEqual(answer.status, 411)
      assert.deepStrictEqual(answer.body, {
        _tag: "LengthRequired",
        message: "A request body must declare its size in a Content-Length header",
      })
    }),
  )

  it.effect("a defect is a 500 whose body carries only the request id", () =>
    Effect.gen(function* () {
      const answer = yield* postJson("/test/defect", JSON.stringify({ token: "t" }))
      assert.strictEqual(answer.status, 500)
      const requestId = answer.headers.get("x-request-id")
      assert.isNotNull(requestId)
      assert.deepStrictEqual(answer.body, { _tag: "InternalServerError", message: "Internal server error", requestId })
      const { logs } = yield* TestServer
      const entry = logs.map((line) => JSON.parse(line)).find((e) => e.requestId === requestId && e.error)
      assert.isDefined(entry, "the defect is logged under the request id")
      assert.strictEqual(entry.level, "ERROR")
    }),
  )

  it.effect("whatever the body or path, the answer is a JSON 4xx or a success, never a 5xx", () =>
    Effect.gen(function* () {
      const samples = FastCheck.sample(
        FastCheck.record({
          path: FastCheck.constantFrom(
            "/test/echo",
            "/health",
            "/api/version",
            "/nope",
            "/test/echo?x=1",
            "/api/auth/signup",
            "/api/auth/login",
            "/api/auth/terms",
            "/api/auth/sessions/not-a-uuid",
            "/api/auth/passkeys/login/verify",
            "/api/auth/oidc/google/callback?state=x&code=y",
            "/api/settings",
            "/api/admin/users/00000000-0000-0000-0000-000000000000/role",
          ),
          method: FastCheck.constantFrom("GET", "POST", "PUT", "DELETE"),
          contentType: FastCheck.constantFrom("application/json", "text/plain", "application/octet-stream", ""),
          body: FastCheck.oneof(FastCheck.json(), FastCheck.string(), FastCheck.string({ unit: "binary" })),
        }),
        { numRuns: 120, seed: 20261121 },
      )
      for (const sample of samples) {
        const hasBody = sample.method !== "GET"
        const answer = yield* send(sample.path, {
          method: sample.method,
          ...(hasBody ? { body: sample.body } : {}),
          headers: sample.contentType === "" ? {} : { "content-type": sample.contentType },
        })
        assert.isBelow(answer.status, 500, `${sample.method} ${sample.path} ${JSON.stringify(sample.body)}`)
        if (answer.status >= 400) assert.isString(field(answer.body, "_tag"))
      }
    }),
  )
})

layer(TestServerLayer.layer())("request ids and security headers", (it) => {
  it.effect("a sane incoming X-Request-Id is kept, anything else is replaced by a UUID", () =>
    Effect.gen(function* () {
      const kept = yield* send("/health", { headers: { "x-request-id": "proxy-1234.abcd" } })
      assert.strictEqual(kept.headers.get("x-request-id"), "proxy-1234.abcd")
      const replaced = yield* send("/health", { headers: { "x-request-id": "not ok <script>" } })
      assert.match(replaced.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/)
    }),
  )

  it.effect("JSON answers carry a deny-all CSP, nosniff and no-referrer; no HSTS over plain http", () =>
    Effect.gen(function* () {
      for (const path of ["/health", "/nope"]) {
        const { headers } = yield* send(path)
        assert.strictEqual(headers.get("x-content-type-options"), "nosniff")
        assert.strictEqual(headers.get("referrer-policy"), "no-referrer")
        assert.match(headers.get("content-security-policy") ?? "", /^default-src 'none'/)
        assert.isNull(headers.get("strict-transport-security"))
      }
    }),
  )

  it.effect("the docs page allows exactly its own inline scripts, by hash, and no inline script otherwise", () =>
    Effect.gen(function* () {
      const answer = yield* send("/docs")
      assert.strictEqual(answer.status, 200)
      const html = String(answer.body)
      const csp = answer.headers.get("content-security-policy") ?? ""
      const scriptSrc = csp.split(";").find((directive) => directive.trim().startsWith("script-src")) ?? ""
      const sources = scriptSrc.trim().split(/\s+/).slice(1)
      assert.notInclude(sources, "'unsafe-inline'")
      assert.notInclude(sources, "'unsafe-eval'")
      const executable = [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)].filter(
        ([, attributes = ""]) => !/type="application\/json"/.test(attributes),
      )
      assert.isAtLeast(executable.length, 1)
      for (const [, , body = ""] of executable) {
        const hash = createHash("sha256").update(body).digest("base64")
        assert.include(scriptSrc, `'sha256-${hash}'`)
      }
      // Assets are inline: the markup outside the inline scripts loads nothing from elsewhere.
      const markup = html.replace(/<script(\s[^>]*)?>[\s\S]*?<\/script>/g, "<script></script>")
      assert.notMatch(markup, /(src|href)\s*=\s*["']?https?:/)
    }),
  )

  it.effect("a request from another origin gets no CORS grant when no embed origin is configured", () =>
    Effect.gen(function* () {
      const simple = yield* send("/health", { headers: { origin: "https://elsewhere.example" } })
      assert.strictEqual(simple.status, 200)
      assert.isNull(simple.headers.get("access-control-allow-origin"))
      assert.isNull(simple.headers.get("access-control-allow-credentials"))
      const preflight = yield* send("/api/version", {
        method: "OPTIONS",
        headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET" },
      })
      assert.strictEqual(preflight.status, 403)
      assert.strictEqual(field(preflight.body, "_tag"), "Forbidden")
    }),
  )
})

layer(
  TestServerLayer.layer({
    config: { publicOrigin: Option.some("https://ignition.example"), allowedEmbedOrigins: ["https://embed.example"] },
  }),
)("an https instance that allows one embedding origin", (it) => {
  it.effect("sends HSTS", () =>
    Effect.gen(function* () {
      const { headers } = yield* send("/health")
      assert.strictEqual(headers.get("strict-transport-security"), "max-age=63072000; includeSubDomains")
    }),
  )

  it.effect("answers the allowed origin's preflight with its origin, credentials and methods", () =>
    Effect.gen(function* () {
      const answer = yield* send("/api/version", {
        method: "OPTIONS",
        headers: {
          origin: "https://embed.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type, x-request-id",
        },
      })
      assert.strictEqual(answer.status, 204)
      assert.strictEqual(answer.headers.get("access-control-allow-origin"), "https://embed.example")
      assert.strictEqual(answer.headers.get("access-control-allow-credentials"), "true")
      assert.include(answer.headers.get("access-control-allow-methods") ?? "", "POST")
      assert.strictEqual(answer.headers.get("access-control-allow-headers"), "content-type, x-request-id")
    }),
  )

  it.effect("grants the allowed origin on real requests, exposing the request id", () =>
    Effect.gen(function* () {
      const answer = yield* send("/api/version", { headers: { origin: "https://embed.example" } })
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(answer.headers.get("access-control-allow-origin"), "https://embed.example")
      assert.strictEqual(answer.headers.get("access-control-allow-credentials"), "true")
      assert.strictEqual(answer.headers.get("access-control-expose-headers"), "x-request-id")
      assert.include(answer.headers.get("vary") ?? "", "Origin")
    }),
  )

  it.effect("refuses other origins: 403 preflight, no grant on real requests", () =>
    Effect.gen(function* () {
      const preflight = yield* send("/api/version", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      })
      assert.strictEqual(preflight.status, 403)
      const simple = yield* send("/api/version", { headers: { origin: "https://evil.example" } })
      assert.isNull(simple.headers.get("access-control-allow-origin"))
      assert.include(simple.headers.get("vary") ?? "", "Origin")
    }),
  )

  it.effect("lets the allowed origin frame pages", () =>
    Effect.gen(function* () {
      const { headers } = yield* send("/docs")
      assert.include(headers.get("content-security-policy") ?? "", "frame-ancestors 'self' https://embed.example")
    }),
  )
})
