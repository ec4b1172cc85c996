/**
 * The web app at `/` (apps/web's build) and the embeddable components at
 * `/embed/` (ui-components' library build). A browser navigating to an
 * unknown path that looks like an app place (no file extension) gets the
 * app's index.html, so deep links work; anything under /api/ stays the
 * API's, and other clients get the JSON 404.
 * Hashed files are cached for a year; everything else is revalidated.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { HttpApiBuilder, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Layer } from "effect"
import { pathOf } from "./AccessLog.js"

/** apps/web/dist and ui-components/dist, from this file under apps/server/{src,dist}/Http/. */
export const webDir = fileURLToPath(new URL("../../../web/dist/", import.meta.url))
export const embedDir = fileURLToPath(new URL("../../../../ui-components/dist/", import.meta.url))

const immutable = "public, max-age=31536000, immutable"
const revalidate = "no-cache"

/** The file under `root` a URL path names, or undefined (outside root, missing, not a file). */
const fileUnder = (root: string, urlPath: string): string | undefined => {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  const candidate = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`)
  if (!candidate.startsWith(root)) return undefined
  try {
    return fs.statSync(candidate).isFile() ? candidate : undefined
  } catch {
    return undefined
  }
}

const serve = (file: string, cacheControl: string) =>
  HttpServerResponse.file(file).pipe(
    Effect.map((response) => HttpServerResponse.setHeader(response, "cache-control", cacheControl)),
    Effect.orDie,
  )

const notFound = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.fail(new HttpServerError.RouteNotFound({ request })),
)

const embedded = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const file = fileUnder(embedDir, pathOf(request.url).slice("/embed".length))
  if (file === undefined) return yield* notFound
  return yield* serve(file, file.includes(`${path.sep}chunks${path.sep}`) ? immutable : revalidate)
})

const app = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const urlPath = pathOf(request.url)
  if (urlPath.startsWith("/api/")) return yield* notFound
  const file = fileUnder(webDir, urlPath === "/" ? "/index.html" : urlPath)
  if (file !== undefined) return yield* serve(file, urlPath.startsWith("/assets/") ? immutable : revalidate)
  // A browser navigating to an app place (a deep link) gets the app, which routes it; anything
  // else — a missing file, a script asking for JSON — is a real 404.
  const index = fileUnder(webDir, "/index.html")
  const navigating = (request.headers.accept ?? "").includes("text/html")
  if (!navigating || path.extname(urlPath) !== "" || index === undefined) return yield* notFound
  return yield* serve(index, revalidate)
})

export const layer = HttpApiBuilder.Router.use((router) =>
  Effect.all(
    [
      router.get("/embed/*", embedded),
      router.head("/embed/*", embedded),
      router.get("/", app),
      router.get("/*", app),
      router.head("/*", app),
    ],
    { discard: true },
  ),
).pipe(Layer.orDie)
