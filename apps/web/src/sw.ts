/**
 * The service worker: the app shell and its assets from cache when the
 * network fails (navigations fall back to the cached shell), and GET
 * /api/* network-first with the last answer as fallback, so reading works
 * offline — except /api/sync/*, which the sync engine answers for itself. Writes are never cached or replayed here (the sync engine's
 * outbox owns offline writes). Caches are versioned by the build; an
 * activated worker deletes the older ones.
 */
import { apiCache, shellCache } from "./cacheNames.js"

declare const self: ServiceWorkerGlobalScope

const shell = ["/", "/embed/theme.css", "/embed/ig-theme-boot.js", "/manifest.webmanifest", "/icon.svg"]

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(shellCache)
      .then((cache) => cache.addAll(shell))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((name) => name !== shellCache && name !== apiCache).map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  )
})

const networkFirst = async (request: Request, cacheName: string, fallback?: string): Promise<Response> => {
  const cache = await caches.open(cacheName)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(request, response.clone())
    return response
  } catch (error) {
    const cached = (await cache.match(request)) ?? (fallback === undefined ? undefined : await cache.match(fallback))
    if (cached !== undefined) return cached
    throw error
  }
}

const cacheFirst = async (request: Request): Promise<Response> => {
  const cache = await caches.open(shellCache)
  const cached = await cache.match(request)
  if (cached !== undefined) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

self.addEventListener("fetch", (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== "GET" || url.origin !== self.location.origin) return
  // Sync keeps its own cache and outbox: a stored pull would pass for the server, and the realtime stream never ends.
  if (url.pathname.startsWith("/api/sync/")) return
  if (url.pathname.startsWith("/api/")) {
    event.respondWith(networkFirst(request, apiCache))
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, shellCache, "/"))
  } else if (url.pathname.startsWith("/assets/") || url.pathname.startsWith("/embed/")) {
    // Hashed file names: a cached copy is always the right one.
    event.respondWith(cacheFirst(request))
  }
})
