/**
 * The port the client engine talks to a sync server through, so the engine
 * does not know whether that is HTTP (`GET /api/sync/pull`, `POST
 * /api/sync/push`, `GET /api/sync/poll`, `/api/sync/realtime`) or the server
 * rules in memory (`LocalTransport`, tests).
 *
 * `pokes` is the realtime channel: each element is a data-free hint to pull.
 * It fails or ends when the connection drops — an implementation that
 * expects a heartbeat every 30 s fails it once a heartbeat is missed — and
 * the engine then polls until a new subscription stays up.
 */
import { Context, type Effect, type Stream } from "effect"
import type {
  Poke,
  PollRequest,
  PollResponse,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
} from "../Protocol.js"
import type { InvalidCursor, ResyncRequired } from "../SyncError.js"
import type { SyncRefused, SyncUnavailable, VaultLocked } from "./ClientError.js"

export type TransportFailure = SyncUnavailable | SyncRefused

export class SyncTransport extends Context.Tag("@ignition/sync/client/SyncTransport")<
  SyncTransport,
  {
    readonly pull: (
      request: PullRequest,
    ) => Effect.Effect<PullResponse, TransportFailure | ResyncRequired | InvalidCursor>
    readonly push: (request: PushRequest) => Effect.Effect<PushResponse, TransportFailure | VaultLocked>
    readonly poll: (request: PollRequest) => Effect.Effect<PollResponse, TransportFailure | InvalidCursor>
    readonly pokes: Stream.Stream<Poke, TransportFailure>
  }
>() {}
