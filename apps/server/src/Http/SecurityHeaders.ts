/**
 * Security headers on every response. The Content-Security-Policy never
 * allows inline script: an HTML page the server renders with inline scripts
 * (the API docs) gets exactly those scripts allowed by their SHA-256 hashes,
 * computed once per page body.
 */
import { createHash } from "node:crypto"
import { type HttpApp, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"

export interface Options {
  /** Send Strict-Transport-Security (the instance is reached over https). */
  readonly hsts: boolean
  /** Origins that may frame the instance's pages, besides itself. */
  readonly frameAncestors: ReadonlyArray<string>
}

const inlineScript = /<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi
const nonExecutableType = /\btype\s*=\s*["']?(application\/json|application\/ld\+json|text\/plain)/i

/** `'sha256-…'` sources for every executable inline `<script>` of a page. */
export const inlineScriptHashes = (html: string): ReadonlyArray<string> => {
  const hashes: Array<string> = []
  for (const [, attributes = "", body = ""] of html.matchAll(inlineScript)) {
    if (/\bsrc\s*=/i.test(attributes) || nonExecutableType.test(attributes)) continue
    hashes.push(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`)
  }
  return hashes
}

/** A JSON API response needs nothing from the browser. */
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

const pagePolicy = (scriptSources: ReadonlyArray<string>, frameAncestors: ReadonlyArray<string>) =>
  [
    "default-src 'self'",
    // WebAssembly compilation only (the docs UI; hash-wasm's Argon2id in the vault), never JS eval.
    `script-src ${["'self'", "'wasm-unsafe-eval'", ...scriptSources].join(" ")}`,
    // Components and the docs page inject <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${["'self'", ...frameAncestors].join(" ")}`,
  ].join("; ")

export const make = (options: Options) => {
  const fixed: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    ...(options.hsts ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  }
  const pagePolicies = new WeakMap<Uint8Array, string>()
  const policyFor = (response: HttpServerResponse.HttpServerResponse): string => {
    const body = response.body
    const contentType =
      response.headers["content-type"] ??
      ("contentType" in body && typeof body.contentType === "string" ? body.contentType : "")
    // Scripts carry the page policy too: for a service worker it is the worker's own policy.
    if (/^(text|application)\/javascript/.test(contentType)) return pagePolicy([], options.frameAncestors)
    if (!contentType.startsWith("text/html")) return apiPolicy
    if (body._tag !== "Uint8Array") return pagePolicy([], options.frameAncestors)
    let policy = pagePolicies.get(body.body)
    if (policy === undefined) {
      policy = pagePolicy(inlineScriptHashes(new TextDecoder().decode(body.body)), options.frameAncestors)
      pagePolicies.set(body.body, policy)
    }
    return policy
  }
  const withApiPolicy = { ...fixed, "content-security-policy": apiPolicy }
  const addHeaders = (response: HttpServerResponse.HttpServerResponse) => {
    const own = response.headers["content-security-policy"]
    const policy = own ?? policyFor(response)
    return HttpServerResponse.setHeaders(
      response,
      policy === apiPolicy ? withApiPolicy : { ...fixed, "content-security-policy": policy },
    )
  }
  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => Effect.map(app, addHeaders)
}
