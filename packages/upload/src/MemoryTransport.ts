/**
 * An in-memory server behind the UploadTransport port, for tests and demos.
 * It keeps the rules the real one will: each chunk's length from the
 * session's layout and its SHA-256 checked on arrival; at most `maxParts`
 * chunks, none but the last below `minSegmentBytes`; a per-file and a
 * per-user quota (stored files plus open sessions); sessions expire (by
 * `Clock`) and expired ones are swept with their chunks; complete checks
 * that every chunk is in and that the ciphertext's SHA-256 is the identity
 * claimed, then stores the blob once per identity. `fault` injects failures
 * and `delay` holds calls, so tests can make puts overlap, fail and retry.
 */
import { Clock, Duration, Effect, Layer, Option } from "effect"
import * as ChunkPlan from "./ChunkPlan.js"
import { equal } from "./internal/bytes.js"
import * as SegmentLayout from "./SegmentLayout.js"
import { Sha256 } from "./Sha256.js"
import { ChecksumMismatch, SessionGone, type TransportFailure, UploadRefused } from "./UploadError.js"
import { type Completed, type SessionSpec, UploadTransport } from "./UploadTransport.js"

export interface Call {
  readonly op: "create" | "status" | "put" | "complete" | "abort"
  readonly sessionId?: string
  readonly index?: number
  /** How many times this operation (on this session and chunk) has been called, this one included. */
  readonly attempt: number
}

export interface Options {
  readonly limits?: ChunkPlan.Limits
  /** The largest blob one session may create (ciphertext bytes). */
  readonly maxFileBytes?: number
  /** Stored blobs plus open sessions, per user (this server has one user). */
  readonly maxUserBytes?: number
  readonly sessionTtl?: Duration.DurationInput
  /** A failure to answer instead of serving the call (as if the network or server failed first). */
  readonly fault?: (call: Call) => TransportFailure | undefined
  /** Runs inside the call, before it is served. */
  readonly delay?: (call: Call) => Effect.Effect<void>
}

/** An accepted chunk, as the log records it. */
export interface Put {
  readonly sessionId: string
  readonly index: number
  readonly sha256: Uint8Array
}

interface SessionState {
  readonly spec: SessionSpec
  readonly layout: SegmentLayout.SegmentLayout
  readonly expiresAt: number
  readonly chunks: Map<number, Uint8Array>
  completed: Completed | undefined
}

export interface MemoryServer {
  readonly transport: UploadTransport["Type"]
  /** Every chunk accepted, in order of arrival. */
  readonly puts: () => ReadonlyArray<Put>
  /** The most puts ever in progress at once. */
  readonly maxConcurrentPuts: () => number
  /** A stored blob by identity. */
  readonly blob: (sha256: Uint8Array) => Option.Option<Uint8Array>
  readonly openSessions: () => ReadonlyArray<string>
  readonly usedBytes: () => number
  /** Drops expired sessions and their chunks (also done before every call); answers how many. */
  readonly sweep: Effect.Effect<number>
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")

export const make = (options: Options = {}): Effect.Effect<MemoryServer, never, Sha256> =>
  Effect.gen(function* () {
    const sha256 = yield* Sha256
    const limits = options.limits ?? ChunkPlan.s3
    const ttl = Duration.toMillis(options.sessionTtl ?? Duration.hours(24))
    const sessions = new Map<string, SessionState>()
    const blobs = new Map<string, Uint8Array>()
    const attempts = new Map<string, number>()
    const log: Array<Put> = []
    let nextSession = 1
    let inFlight = 0
    let maxInFlight = 0

    const refuse = (reason: UploadRefused["reason"], message: string) =>
      Effect.fail(new UploadRefused({ reason, message }))
    const gone = (sessionId: string) => new SessionGone({ message: `session ${sessionId} is not open` })

    const sweep = Effect.map(Clock.currentTimeMillis, (now) => {
      let dropped = 0
      for (const [id, session] of sessions)
        if (session.expiresAt <= now) {
          sessions.delete(id)
          dropped++
        }
      return dropped
    })

    const reserved = () => {
      let total = 0
      for (const blob of blobs.values()) total += blob.length
      for (const session of sessions.values())
        if (session.completed === undefined) total += session.spec.ciphertextBytes
      return total
    }

    /** Fault, delay and sweep, then the call itself. */
    const serve = <A>(
      op: Call["op"],
      where: { readonly sessionId?: string; readonly index?: number },
      body: Effect.Effect<A, TransportFailure>,
    ) =>
      Effect.gen(function* () {
        const key = `${op}/${where.sessionId ?? ""}/${where.index ?? ""}`
        const attempt = (attempts.get(key) ?? 0) + 1
        attempts.set(key, attempt)
        const call: Call = { op, ...where, attempt }
        const fault = options.fault?.(call)
        if (fault !== undefined) return yield* Effect.fail(fault)
        const served = Effect.zipRight(Effect.zipRight(options.delay?.(call) ?? Effect.void, sweep), body)
        if (op !== "put") return yield* served
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        return yield* Effect.ensuring(
          served,
          Effect.sync(() => inFlight--),
        )
      })

    const open = (sessionId: string) =>
      Effect.suspend(() => {
        const session = sessions.get(sessionId)
        return session === undefined ? Effect.fail(gone(sessionId)) : Effect.succeed(session)
      })

    const transport: UploadTransport["Type"] = {
      create: (spec) =>
        serve(
          "create",
          {},
          Effect.gen(function* () {
            const layout = SegmentLayout.fromCiphertextBytes(spec.headerBytes, spec.segmentBytes, spec.ciphertextBytes)
            if (layout._tag === "Left") return yield* refuse("invalid", layout.left.message)
            const count = SegmentLayout.count(layout.right)
            if (count > limits.maxParts) return yield* refuse("invalid", `${count} chunks: at most ${limits.maxParts}`)
            if (count > 1 && spec.segmentBytes < limits.minSegmentBytes)
              return yield* refuse(
                "invalid",
                `chunks of ${spec.segmentBytes} bytes: at least ${limits.minSegmentBytes}`,
              )
            if (options.maxFileBytes !== undefined && spec.ciphertextBytes > options.maxFileBytes)
              return yield* refuse("file-quota", `a file may hold ${options.maxFileBytes} bytes`)
            if (options.maxUserBytes !== undefined && reserved() + spec.ciphertextBytes > options.maxUserBytes)
              return yield* refuse("user-quota", `the user's ${options.maxUserBytes} bytes would be exceeded`)
            const sessionId = `session-${nextSession++}`
            const expiresAt = (yield* Clock.currentTimeMillis) + ttl
            sessions.set(sessionId, { spec, layout: layout.right, expiresAt, chunks: new Map(), completed: undefined })
            return { sessionId, expiresAt }
          }),
        ),
      status: (sessionId) =>
        serve(
          "status",
          { sessionId },
          Effect.map(open(sessionId), (session) => ({
            sessionId,
            received: [...session.chunks.keys()].sort((a, b) => a - b),
            expiresAt: session.expiresAt,
          })),
        ),
      put: (sessionId, index, bytes, checksum) =>
        serve(
          "put",
          { sessionId, index },
          Effect.gen(function* () {
            const session = yield* open(sessionId)
            if (session.completed !== undefined) return yield* refuse("invalid", `session ${sessionId} is complete`)
            if (!Number.isInteger(index) || index < 0 || index >= SegmentLayout.count(session.layout))
              return yield* refuse("invalid", `there is no chunk ${index}`)
            const expected = SegmentLayout.chunk(session.layout, index).length
            if (bytes.length !== expected)
              return yield* refuse("invalid", `chunk ${index} must be ${expected} bytes, not ${bytes.length}`)
            if (!equal(yield* Effect.orDie(sha256.digest(bytes)), checksum))
              return yield* new ChecksumMismatch({ index, message: `chunk ${index} arrived with another SHA-256` })
            session.chunks.set(index, bytes.slice())
            log.push({ sessionId, index, sha256: checksum })
          }),
        ),
      complete: (sessionId, identity) =>
        serve(
          "complete",
          { sessionId },
          Effect.gen(function* () {
            const session = yield* open(sessionId)
            if (session.completed !== undefined) return session.completed
            const count = SegmentLayout.count(session.layout)
            if (session.chunks.size !== count)
              return yield* refuse("invalid", `${count - session.chunks.size} of ${count} chunks are missing`)
            const hasher = yield* Effect.orDie(sha256.incremental)
            const blob = new Uint8Array(session.spec.ciphertextBytes)
            for (let index = 0; index < count; index++) {
              const chunk = session.chunks.get(index) ?? new Uint8Array(0)
              hasher.update(chunk)
              blob.set(chunk, SegmentLayout.chunk(session.layout, index).offset)
            }
            if (!equal(hasher.digest(), identity))
              return yield* refuse("identity-mismatch", "the ciphertext's SHA-256 is not the identity claimed")
            blobs.set(hex(identity), blob)
            session.chunks.clear()
            session.completed = { sha256: identity, ciphertextBytes: blob.length }
            return session.completed
          }),
        ),
      abort: (sessionId) =>
        serve(
          "abort",
          { sessionId },
          Effect.sync(() => {
            sessions.delete(sessionId)
          }),
        ),
    }

    return {
      transport,
      puts: () => [...log],
      maxConcurrentPuts: () => maxInFlight,
      blob: (identity) => Option.fromNullable(blobs.get(hex(identity))),
      openSessions: () => [...sessions].filter(([, session]) => session.completed === undefined).map(([id]) => id),
      usedBytes: reserved,
      sweep,
    }
  })

export const layer = (server: MemoryServer): Layer.Layer<UploadTransport> =>
  Layer.succeed(UploadTransport, server.transport)
