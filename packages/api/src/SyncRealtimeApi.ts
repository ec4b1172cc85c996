/**
 * Sync's realtime channel: a Server-Sent Events stream of data-free pokes
 * for the signed-in user (see docs/sync-protocol.md, "Realtime"). Browsers
 * read it with `EventSource`; the typed client is not meant for it.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Authentication } from "./Authentication.js"

/**
 * The SSE event names: `poke` (pull now; also sent once on connect) and
 * `heartbeat` (the connection is alive), each with a JSON `data` line.
 *
 * @since 0.1.0
 */
export const events = { poke: "poke", heartbeat: "heartbeat" } as const

/**
 * @since 0.1.0
 */
export class SyncRealtimeApi extends HttpApiGroup.make("syncRealtime")
  .add(
    HttpApiEndpoint.get("realtime", "/api/sync/realtime")
      .addSuccess(HttpApiSchema.Text({ contentType: "text/event-stream" }))
      .annotate(
        OpenApi.Description,
        'A text/event-stream that stays open while the session lasts: `poke` events (data `{"protocolVersion":1}`, ' +
          "one on connect, then one whenever the user's data changed; pending pokes coalesce) and a `heartbeat` " +
          "event after each 30 s without an event. It carries no data: on a poke, pull. Without it, poll " +
          "`GET /api/sync/poll`.",
      ),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Sync realtime")
  .annotate(OpenApi.Description, "Pokes that tell the signed-in user's clients to pull") {}
