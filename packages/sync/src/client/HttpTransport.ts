/**
 * The `SyncTransport` over HTTP: `pull`, `push` and `poll` are `fetch`es of
 * `/api/sync/*` with the protocol's schemas, cookies included (`credentials:
 * "include"`, so a page embedding the components on another origin works),
 * and `pokes` reads the Server-Sent Events of `/api/sync/realtime`.
 *
 * The realtime stream is read with `fetch` too, not `EventSource`: the
 * engine owns reconnecting (with its back-off) and the heartbeat watchdog
 * owns detecting a dead connection, so `EventSource`'s own silent
 * reconnects would only hide both; and one code path runs in browsers and in
 * Node, where the tests read it from the real server.
 *
 * Answers map onto the engine's failures: a network failure, 408, 429 or a
 * 5xx is `SyncUnavailable` (retry); 400 `InvalidCursor` and 410
 * `ResyncRequired` pass through typed; 423 is `VaultLocked`; any other 4xx
 * (401 signed out, 413 too large, …) is `SyncRefused`. No message carries a
 * cursor, a value or a token.
 */
import { Duration, Effect, Layer, Schema, Stream } from "effect"
import {
  Poke,
  type PollRequest,
  PollResponse,
  type PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
} from "../Protocol.js"
import { InvalidCursor, ResyncRequired } from "../SyncError.js"
import { SyncRefused, SyncUnavailable, VaultLocked } from "./ClientError.js"
import { SyncTransport, type TransportFailure } from "./SyncTransport.js"

/** The server's heartbeat interval; the stream counts as dead after twice this without any event. */
export const HEARTBEAT = Duration.seconds(30)

export interface Options {
  /** The server's origin (and path prefix), without a trailing slash; `""` (the default) is the page's own. */
  readonly baseUrl?: string
  /** The `fetch` to call (the global one by default); tests pass one that sends a session cookie. */
  readonly fetch?: typeof globalThis.fetch
  /** The server's heartbeat interval (30 s by default). */
  readonly heartbeat?: Duration.DurationInput
}

/** One Server-Sent Event: its `event` name (`message` when absent) and its `data` lines joined. */
export interface ServerSentEvent {
  readonly event: string
  readonly data: string
}

interface PendingEvent {
  readonly event: string
  readonly data: ReadonlyArray<string>
}

const noEvent: PendingEvent = { event: "message", data: [] }

/** The events of a `text/event-stream` body split into lines: each blank line ends one (comments and ids ignored). */
export const parseEvents = <E, R>(lines: Stream.Stream<string, E, R>): Stream.Stream<ServerSentEvent, E, R> =>
  lines.pipe(
    Stream.mapAccum(
      noEvent,
      (pending: PendingEvent, line: string): readonly [PendingEvent, ReadonlyArray<ServerSentEvent>] => {
        if (line === "") {
          const done = pending.data.length === 0 ? [] : [{ event: pending.event, data: pending.data.join("\n") }]
          return [noEvent, done]
        }
        const colon = line.indexOf(":")
        // A line starting with a colon is a comment; a line without one is a field with an empty value.
        if (colon === 0) return [pending, []]
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "")
        if (field === "event") return [{ ...pending, event: value }, []]
        if (field === "data") return [{ ...pending, data: [...pending.data, value] }, []]
        return [pending, []]
      },
    ),
    Stream.flattenIterables,
  )

const unreachable = (what: string) => () => new SyncUnavailable({ message: `${what}: the server could not be reached` })

/** The `message` of an error body, when it has one (the server's messages are safe to show). */
const ErrorBody = Schema.Struct({ _tag: Schema.optional(Schema.String), message: Schema.optional(Schema.String) })
const ResyncBody = Schema.Struct({ horizon: Schema.Int })

const readJson = (response: Response) =>
  Effect.tryPromise({ try: () => response.json() as Promise<unknown>, catch: () => undefined }).pipe(
    Effect.orElseSucceed(() => undefined),
  )

/**
 * The failure an answer that is not 200 stands for. `InvalidCursor` and
 * `ResyncRequired` are only read where the endpoint can answer them.
 */
const failureOf = (what: string, response: Response) =>
  Effect.gen(function* () {
    const body = yield* readJson(response)
    const { _tag, message } = Schema.decodeUnknownOption(ErrorBody)(body).pipe((option) =>
      option._tag === "Some" ? option.value : {},
    )
    const said = message ?? `${what} answered ${response.status}`
    const status = response.status
    if (status === 408 || status === 429 || status >= 500) return new SyncUnavailable({ message: said })
    if (status === 400 && _tag === "InvalidCursor") return new InvalidCursor({ message: said })
    if (status === 410) {
      const horizon = Schema.decodeUnknownOption(ResyncBody)(body)
      return new ResyncRequired({ horizon: horizon._tag === "Some" ? horizon.value.horizon : 0, message: said })
    }
    if (status === 423) return new VaultLocked({ message: said })
    return new SyncRefused({ status, message: said })
  })

export const make = (options: Options = {}) => {
  const baseUrl = (options.baseUrl ?? "").replace(/\/$/, "")
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const silence = Duration.times(Duration.decode(options.heartbeat ?? HEARTBEAT), 2)

  const url = (path: string, params: Record<string, string | number | null>) => {
    const query = new URLSearchParams()
    for (const [name, value] of Object.entries(params)) if (value !== null) query.set(name, String(value))
    const search = query.toString()
    return `${baseUrl}${path}${search === "" ? "" : `?${search}`}`
  }

  /** GETs `target` (or POSTs `json` to it) and decodes a 200 with `schema`; anything else fails as `failureOf` says. */
  const request = <A, I>(
    what: string,
    target: string,
    schema: Schema.Schema<A, I>,
    json?: unknown,
  ): Effect.Effect<A, TransportFailure | InvalidCursor | ResyncRequired | VaultLocked> =>
    Effect.gen(function* () {
      const response = yield* Effect.tryPromise({
        try: (signal) =>
          send(target, {
            signal,
            credentials: "include",
            ...(json === undefined
              ? { method: "GET", headers: { accept: "application/json" } }
              : {
                  method: "POST",
                  headers: { accept: "application/json", "content-type": "application/json" },
                  body: JSON.stringify(json),
                }),
          }),
        catch: unreachable(what),
      })
      if (!response.ok) return yield* Effect.flip(failureOf(what, response))
      const body = yield* Effect.tryPromise({
        try: () => response.json() as Promise<unknown>,
        catch: unreachable(what),
      })
      return yield* Schema.decodeUnknown(schema)(body).pipe(
        Effect.mapError(() => new SyncUnavailable({ message: `${what}: the server's answer could not be read` })),
      )
    })

  const pull = (pullRequest: PullRequest) =>
    request(
      "pull",
      url("/api/sync/pull", {
        clientId: pullRequest.clientId,
        cursor: pullRequest.cursor,
        limit: pullRequest.limit,
      }),
      PullResponse,
    ).pipe(Effect.catchTag("VaultLocked", (error) => new SyncRefused({ status: 423, message: error.message })))

  const poll = (pollRequest: PollRequest) =>
    request(
      "poll",
      url("/api/sync/poll", { clientId: pollRequest.clientId, cursor: pollRequest.cursor }),
      PollResponse,
    ).pipe(
      Effect.catchTags({
        VaultLocked: (error) => new SyncRefused({ status: 423, message: error.message }),
        ResyncRequired: (error) => new SyncRefused({ status: 410, message: error.message }),
      }),
    )

  const push = (pushRequest: PushRequest) =>
    Effect.flatMap(Schema.encode(PushRequest)(pushRequest).pipe(Effect.orDie), (body) =>
      request("push", url("/api/sync/push", {}), PushResponse, body),
    ).pipe(
      Effect.catchTags({
        InvalidCursor: (error) => new SyncRefused({ status: 400, message: error.message }),
        ResyncRequired: (error) => new SyncRefused({ status: 410, message: error.message }),
      }),
    )

  const decodePoke = Schema.decodeUnknown(Schema.parseJson(Poke))

  const pokes: Stream.Stream<Poke, TransportFailure> = Stream.unwrapScoped(
    Effect.gen(function* () {
      const response = yield* Effect.acquireRelease(
        Effect.sync(() => new AbortController()),
        (controller) => Effect.sync(() => controller.abort()),
      ).pipe(
        Effect.flatMap((controller) =>
          Effect.tryPromise({
            try: () =>
              send(url("/api/sync/realtime", {}), {
                credentials: "include",
                headers: { accept: "text/event-stream" },
                signal: controller.signal,
              }),
            catch: unreachable("realtime"),
          }),
        ),
      )
      if (!response.ok) {
        const failure = yield* failureOf("realtime", response)
        return yield* failure._tag === "SyncRefused"
          ? Effect.fail(failure)
          : Effect.fail(new SyncUnavailable({ message: failure.message }))
      }
      const body = response.body
      if (body === null) return yield* new SyncUnavailable({ message: "realtime: the answer had no body" })
      return parseEvents(
        Stream.fromReadableStream(() => body, unreachable("realtime")).pipe(Stream.decodeText(), Stream.splitLines),
      ).pipe(
        Stream.timeoutFail(
          () => new SyncUnavailable({ message: "realtime: no heartbeat for twice the interval" }),
          silence,
        ),
        Stream.filter((event) => event.event === "poke"),
        Stream.mapEffect((event) =>
          decodePoke(event.data).pipe(
            Effect.mapError(() => new SyncUnavailable({ message: "realtime: a poke could not be read" })),
          ),
        ),
      )
    }),
  )

  return SyncTransport.of({ pull, push, poll, pokes })
}

export const layer = (options: Options = {}): Layer.Layer<SyncTransport> =>
  Layer.sync(SyncTransport, () => make(options))
