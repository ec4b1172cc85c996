/**
 * A fake Ignition server for stories: no real server, no network. A meta
 * lists the answers its stories share, a story what it changes —
 *
 * ```ts
 * const meta = { beforeEach: mockServer({ "GET /api/auth/methods": ok(methods), "POST /api/auth/login": ok(session) }) }
 * export const WrongPassword = { beforeEach: mockServer({ "POST /api/auth/login": unauthorized("Wrong email or password.") }) }
 * ```
 *
 * — and while the story is shown, `fetch` to {@link origin} is answered from
 * those lists (every other URL goes to the real `fetch`); Storybook runs the
 * returned cleanups when the story is left, which put the real `fetch` back.
 * Bodies are typed by the contract's encoded shapes (see ./fixtures.ts and
 * the error helpers below), so what a story answers is what the server can.
 * Each request shows in the Actions panel as "fetch".
 */
import type { HttpApiError } from "@effect/platform"
import type { ApiError, AuthApi } from "@ignition/api"
import type { Schema } from "effect"
import { action } from "storybook/actions"

/** The server the stories talk to: set it as `base-url` on `<ig-app>` or on an element. */
export const origin = "https://ignition.test"

type Method = "GET" | "POST" | "PUT" | "DELETE"

/** An answer: a status and a JSON body, after `delay` ms (`Infinity`: never, for loading states). */
export interface Answer {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  readonly delay?: number
}

/** The request could not be made at all (offline, DNS, CORS): `fetch` rejects. */
export interface NetworkFailure {
  readonly networkFailure: true
  readonly delay?: number
}

export type Reply = Answer | NetworkFailure

export interface MockRequest {
  readonly method: string
  readonly url: URL
  /** The `:name` segments of the matched route. */
  readonly params: Readonly<Record<string, string>>
  /** The JSON body, when there is one. */
  readonly body: unknown
}

export type Handler = Reply | ((request: MockRequest) => Reply)

/** `"<METHOD> <path>"` → answer; paths may hold `:name` segments (`"DELETE /api/auth/sessions/:id"`). */
export type Routes = Readonly<Partial<Record<`${Method} /api/${string}`, Handler>>>

// ---------------------------------------------------------------------------------------------------------------------
// Answers

/** 200 (or `status`) with a JSON body. */
export const ok = (body: unknown, options: { readonly status?: number; readonly delay?: number } = {}): Answer => ({
  status: options.status ?? 200,
  body,
  ...(options.delay === undefined ? {} : { delay: options.delay }),
})

/** 204, no body. */
export const noContent = (options: { readonly delay?: number } = {}): Answer => ({ status: 204, ...options })

/** The same answer, `ms` later (a visible loading state that then resolves). */
export const delayed = (ms: number, reply: Reply): Reply => ({ ...reply, delay: ms })

/** Never answers: the element stays in its loading state. */
export const pending = (): Answer => ({ status: 200, delay: Number.POSITIVE_INFINITY })

/** `fetch` rejects, as when the device is offline or the server is down. */
export const networkFailure = (options: { readonly delay?: number } = {}): NetworkFailure => ({
  networkFailure: true,
  ...options,
})

type Encoded<S extends Schema.Schema.Any> = Schema.Schema.Encoded<S>

/** An error answer: the status and body the contract declares for it. */
export const refuse = <Body extends { readonly _tag: string; readonly message: string }>(
  status: number,
  body: Body,
): Answer => ({
  status,
  body,
})

/** 401: not signed in, or wrong credentials. */
export const unauthorized = (message = "Sign in to continue."): Answer =>
  refuse(401, { _tag: "Unauthorized", message } satisfies Encoded<typeof ApiError.Unauthorized>)

/** 403 with the reason clients act on. */
export const forbidden = (reason: Encoded<typeof ApiError.ForbiddenReason>, message: string): Answer =>
  refuse(403, { _tag: "Forbidden", message, reason } satisfies Encoded<typeof ApiError.Forbidden>)

/** 404: no such resource. */
export const notFound = (message = "Not found."): Answer =>
  refuse(404, { _tag: "NotFound", message } satisfies Encoded<typeof ApiError.NotFound>)

/** 409: conflicts with what exists. */
export const conflict = (message: string): Answer =>
  refuse(409, { _tag: "Conflict", message } satisfies Encoded<typeof ApiError.Conflict>)

/** 429 with `Retry-After`. */
export const tooManyRequests = (
  retryAfterSeconds: number,
  message = "Too many attempts. Wait and try again.",
): Answer => ({
  ...refuse(429, { _tag: "TooManyRequests", message, retryAfterSeconds } satisfies Encoded<
    typeof ApiError.TooManyRequests
  >),
  headers: { "retry-after": String(retryAfterSeconds) },
})

/** 400 `WeakPassword` (sign-up, password change). */
export const weakPassword = (message: string, suggestions: ReadonlyArray<string>): Answer =>
  refuse(400, { _tag: "WeakPassword", message, suggestions } satisfies Encoded<typeof AuthApi.WeakPassword>)

/** 500 with the request id the server logged. */
export const internalError = (): Answer =>
  refuse(500, {
    _tag: "InternalServerError",
    message: "Something went wrong on the server.",
    requestId: "req_01JSTORYBOOK",
  } satisfies Encoded<typeof ApiError.InternalServerError>)

export type DecodeIssue = Encoded<typeof HttpApiError.Issue>

/**
 * 400 `HttpApiDecodeError`: the request failed the contract's validation on
 * the server. Each issue's `path` names the field (elements place the
 * message next to it).
 */
export const decodeError = (issues: ReadonlyArray<DecodeIssue>): Answer =>
  refuse(400, {
    _tag: "HttpApiDecodeError",
    issues,
    message: issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"),
  } satisfies Encoded<typeof HttpApiError.HttpApiDecodeError>)

/** An issue for {@link decodeError}: `field` failed with `message`. */
export const issue = (field: string, message: string): DecodeIssue => ({ _tag: "Type", path: [field], message })

// ---------------------------------------------------------------------------------------------------------------------
// The fetch handler

const logRequest = action("fetch")

const nullBodyStatuses = new Set([204, 205, 304])

interface CompiledRoute {
  readonly method: string
  readonly pattern: RegExp
  readonly names: ReadonlyArray<string>
  readonly handler: Handler
}

const compile = (routes: Routes): ReadonlyArray<CompiledRoute> =>
  Object.entries(routes).flatMap(([key, handler]) => {
    if (handler === undefined) return []
    const [method = "", path = ""] = key.split(" ")
    const names: Array<string> = []
    const source = path
      .split("/")
      .map((segment) => {
        if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        names.push(segment.slice(1))
        return "([^/]+)"
      })
      .join("/")
    return [{ method, pattern: new RegExp(`^${source}$`), names, handler }]
  })

const sleep = (ms: number, signal: AbortSignal | null): Promise<void> =>
  new Promise((resolve, reject) => {
    const aborted = () => reject(signal?.reason ?? new DOMException("The request was aborted.", "AbortError"))
    if (signal?.aborted === true) return aborted()
    // Infinity: wait until the element gives up (it aborts when removed).
    const timer = Number.isFinite(ms) ? setTimeout(resolve, ms) : undefined
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer)
        aborted()
      },
      { once: true },
    )
  })

const readBody = async (request: Request): Promise<unknown> => {
  const text = await request.text()
  if (text === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const find = (
  routes: ReadonlyArray<CompiledRoute>,
  method: string,
  path: string,
): { readonly handler: Handler; readonly params: Readonly<Record<string, string>> } | undefined => {
  for (const route of routes) {
    if (route.method !== method) continue
    const found = route.pattern.exec(path)
    if (found === null) continue
    const params = Object.fromEntries(
      route.names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? "")] as const),
    )
    return { handler: route.handler, params }
  }
  return undefined
}

const answer = async (routes: ReadonlyArray<CompiledRoute>, request: Request): Promise<Response> => {
  const url = new URL(request.url)
  const body = await readBody(request)
  const route = find(routes, request.method, url.pathname)
  const reply: Reply =
    route === undefined
      ? notFound(`No story answer for ${request.method} ${url.pathname}: add it to the story's mockServer routes.`)
      : typeof route.handler === "function"
        ? route.handler({ method: request.method, url, params: route.params, body })
        : route.handler
  logRequest(`${request.method} ${url.pathname}${url.search}`, {
    body,
    reply: "networkFailure" in reply ? "network failure" : reply.status,
  })
  await sleep(reply.delay ?? 0, request.signal)
  if ("networkFailure" in reply) throw new TypeError("Failed to fetch")
  const headers = new Headers(reply.headers)
  if (reply.body !== undefined) headers.set("content-type", "application/json")
  const payload = reply.body === undefined || nullBodyStatuses.has(reply.status) ? null : JSON.stringify(reply.body)
  return new Response(payload, { status: reply.status, headers })
}

const urlOf = (input: RequestInfo | URL): URL =>
  new URL(input instanceof Request ? input.url : String(input), globalThis.location.href)

/** The installed route lists, the latest last: a story's own come after its component's (meta's). */
const installed: Array<ReadonlyArray<CompiledRoute>> = []
let realFetch: typeof globalThis.fetch | undefined

const mockFetch: typeof globalThis.fetch = (input, init) => {
  const passThrough = realFetch ?? globalThis.fetch
  return urlOf(input).origin === origin
    ? answer(installed.toReversed().flat(), new Request(input, init))
    : passThrough(input, init)
}

/**
 * A story's `beforeEach` (or a meta's): while the story is shown, `fetch` to
 * {@link origin} is answered from `routes` — unlisted paths answer 404
 * `NotFound` — and the real `fetch` returns when it is left. Storybook runs
 * the meta's `beforeEach` and then the story's: a story's routes take
 * precedence over the meta's, path by path, so a story lists only what it
 * changes. Pass a function returning the routes for a server with state.
 */
export const mockServer =
  (routes: Routes | (() => Routes)): (() => () => void) =>
  () => {
    // A function makes fresh routes each time the story is shown: state kept in its closure (a list
    // that loses a revoked session, say) starts over.
    const compiled = compile(typeof routes === "function" ? routes() : routes)
    if (installed.length === 0) {
      realFetch = globalThis.fetch
      globalThis.fetch = mockFetch
    }
    installed.push(compiled)
    return () => {
      const index = installed.indexOf(compiled)
      if (index !== -1) installed.splice(index, 1)
      if (installed.length === 0 && realFetch !== undefined) {
        globalThis.fetch = realFetch
        realFetch = undefined
      }
    }
  }
