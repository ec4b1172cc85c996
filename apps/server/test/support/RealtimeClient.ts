/**
 * A Server-Sent Events client for `/api/sync/realtime`, as a browser's
 * `EventSource` would read it: `fetch` with the session cookie and `Origin`,
 * the body parsed into events as they arrive.
 */
import { Deferred, Effect, Queue } from "effect"

export interface RealtimeEvent {
  readonly event: string
  readonly data: string
}

export interface RealtimeConnection {
  readonly status: number
  readonly contentType: string | null
  /** The events received so far and from now on. */
  readonly events: Queue.Dequeue<RealtimeEvent>
  /** Completed when the server ends the stream. */
  readonly ended: Deferred.Deferred<void>
}

/** Parse one event block (the text between blank lines); comments and unknown fields are ignored. */
const parseBlock = (block: string): RealtimeEvent | undefined => {
  let event = "message"
  const data: Array<string> = []
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":")
    if (colon <= 0) continue
    const field = line.slice(0, colon)
    const value = line.slice(colon + 1).replace(/^ /, "")
    if (field === "event") event = value
    if (field === "data") data.push(value)
  }
  return data.length === 0 ? undefined : { event, data: data.join("\n") }
}

/** Open the realtime stream at `baseUrl` with `cookie`; closed with the scope. */
export const connect = (baseUrl: string, cookie: string) =>
  Effect.gen(function* () {
    const events = yield* Queue.unbounded<RealtimeEvent>()
    const ended = yield* Deferred.make<void>()
    const controller = new AbortController()
    yield* Effect.addFinalizer(() => Effect.sync(() => controller.abort()))
    const response = yield* Effect.promise(() =>
      fetch(`${baseUrl}/api/sync/realtime`, {
        headers: { cookie, origin: baseUrl, accept: "text/event-stream" },
        signal: controller.signal,
      }),
    )
    const read = async () => {
      const decoder = new TextDecoder()
      let buffered = ""
      const reader = response.body?.getReader()
      if (reader === undefined) return
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        buffered += decoder.decode(value, { stream: true })
        for (let end = buffered.indexOf("\n\n"); end >= 0; end = buffered.indexOf("\n\n")) {
          const parsed = parseBlock(buffered.slice(0, end))
          buffered = buffered.slice(end + 2)
          if (parsed !== undefined) Queue.unsafeOffer(events, parsed)
        }
      }
    }
    yield* Effect.forkScoped(
      Effect.promise(() => read().catch(() => undefined)).pipe(Effect.zipRight(Deferred.succeed(ended, undefined))),
    )
    return {
      status: response.status,
      contentType: response.headers.get("content-type"),
      events,
      ended,
    } satisfies RealtimeConnection
  })
