/**
 * The resumable upload client. One run reads the source chunk by chunk in
 * order — plaintext SHA-256 into the journal first, then encrypt, feed the
 * file identity, checksum — and hands chunks to `concurrency` senders that
 * put them in parallel, retrying failures that may pass (jittered, capped
 * exponential back-off). The next chunk is sealed while this one is hashed
 * (WebCrypto works off the main thread). At most `concurrency + 4` chunks
 * are in memory: one per sender, one waiting for a sender, one being handed
 * over, two sealed ahead.
 *
 * Resuming (after a crash, a reload or a failed run) starts from the
 * journal: the same header and key, the server's list of chunks it holds.
 * Every chunk is read and hashed again; one whose plaintext hash differs
 * from the journal's is never encrypted again under its IV: the upload
 * starts over with a new header and key (and a new session). Chunks never
 * encrypted before are free to take their first IV. Chunks the server holds
 * are encrypted again only to feed the identity hash, and not sent.
 *
 * Pause stops new chunks from starting (those in flight finish); resume
 * lets them go; cancel interrupts, aborts the session and forgets the
 * journal entry. Closing the scope without cancelling stops the upload and
 * keeps the journal, like a crash.
 */

import type { Entropy, VaultError } from "@ignition/vault"
import {
  Cause,
  Data,
  Deferred,
  type Duration,
  Effect,
  Exit,
  Fiber,
  Option,
  Queue,
  Ref,
  Schedule,
  type Scope,
  Stream,
} from "effect"
import type { Aead } from "./Aead.js"
import * as ChunkPlan from "./ChunkPlan.js"
import * as FileCipher from "./FileCipher.js"
import * as FileHeader from "./FileHeader.js"
import type { FileId } from "./FileId.js"
import { ahead } from "./internal/ahead.js"
import { concat, equal } from "./internal/bytes.js"
import type { KeyWrap } from "./KeyWrap.js"
import * as Progress from "./Progress.js"
import * as SegmentLayout from "./SegmentLayout.js"
import { Sha256 } from "./Sha256.js"
import type { Source } from "./Source.js"
import {
  type FileKeyUnavailable,
  type FileMismatch,
  isRetryable,
  type JournalUnavailable,
  type MalformedHeader,
  type PlanRefused,
  SourceUnreadable,
  SourceUnstable,
  type TransportFailure,
  UploadCancelled,
} from "./UploadError.js"
import { UploadJournal } from "./UploadJournal.js"
import { UploadTransport } from "./UploadTransport.js"

export interface RetryPolicy {
  /** Tries per request, the first included. */
  readonly attempts: number
  /** The first back-off; each next one doubles, up to `maxDelay`, each jittered by ±20 %. */
  readonly baseDelay: Duration.DurationInput
  readonly maxDelay: Duration.DurationInput
}

export const defaultRetry: RetryPolicy = { attempts: 6, baseDelay: "500 millis", maxDelay: "30 seconds" }

/**
 * When to try a failed request again: only failures that may pass, at most
 * `attempts − 1` more times, after base·2ⁿ capped at `maxDelay`, each delay
 * jittered to 80–120 % so that many clients do not retry in step.
 */
export const retrySchedule = (policy: RetryPolicy) =>
  Schedule.exponential(policy.baseDelay, 2).pipe(
    Schedule.union(Schedule.spaced(policy.maxDelay)),
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(Math.max(0, policy.attempts - 1))),
    Schedule.whileInput((error: { readonly _tag: string }) => isRetryable(error)),
  )

export interface UploadOptions {
  /** Names the upload in the journal: the same key resumes it (a local file's stable id). */
  readonly uploadKey: string
  readonly fileId: FileId
  readonly source: Source
  /** Chunks in flight at once (3 by default). */
  readonly concurrency?: number
  readonly segmentBytes?: number
  /** The server's limits (S3's by default). */
  readonly limits?: ChunkPlan.Limits
  readonly retry?: Partial<RetryPolicy>
  /** Fresh starts allowed when the source changed or the session went away (2 by default). */
  readonly maxRestarts?: number
}

export type UploadEvent = Data.TaggedEnum<{
  Started: {
    readonly plaintextBytes: number
    readonly chunkCount: number
    readonly resumed: boolean
    readonly alreadyUploadedBytes: number
  }
  Progress: Progress.Snapshot & { readonly chunk: number }
  Retrying: { readonly chunk: number | undefined; readonly attempt: number; readonly reason: string }
  Paused: Record<never, never>
  Resumed: Record<never, never>
  Restarted: { readonly reason: "source-changed" | "session-gone" }
  Completed: { readonly sha256: Uint8Array; readonly ciphertextBytes: number }
  Failed: { readonly reason: string }
  Cancelled: Record<never, never>
}>
export const UploadEvent = Data.taggedEnum<UploadEvent>()

/** A stored file: what its record needs to find and open it. */
export interface Uploaded {
  readonly fileId: FileId
  /** The file's identity: SHA-256 of its ciphertext (header included). */
  readonly sha256: Uint8Array
  readonly ciphertextBytes: number
  readonly plaintextBytes: number
  readonly header: FileHeader.FileHeader
}

export type UploadFailure =
  | TransportFailure
  | FileKeyUnavailable
  | FileMismatch
  | MalformedHeader
  | PlanRefused
  | SourceUnreadable
  | SourceUnstable
  | JournalUnavailable
  | UploadCancelled
  | VaultError.CryptoUnavailable

export interface UploadHandle {
  /** Every event from the start until Completed, Failed or Cancelled; for one consumer. */
  readonly events: Stream.Stream<UploadEvent>
  readonly progress: Effect.Effect<Progress.Snapshot>
  readonly pause: Effect.Effect<void>
  readonly resume: Effect.Effect<void>
  /** Stops the upload, aborts its session and forgets its journal entry; `await` fails with UploadCancelled. */
  readonly cancel: Effect.Effect<void>
  readonly await: Effect.Effect<Uploaded, UploadFailure>
}

export type Requirements = UploadTransport | UploadJournal | KeyWrap | Aead | Sha256 | Entropy.Entropy

/** The source's bytes differ from the journal's for a chunk already encrypted: start over. */
class SourceChanged extends Data.TaggedError("SourceChanged")<{ readonly index: number }> {}

/** A failure's tag, for the Failed event (a defect or an interruption has none). */
const reasonOf = (cause: Cause.Cause<UploadFailure>): string =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => (Cause.isInterruptedOnly(cause) ? "interrupted" : "defect"),
    onSome: (error) => error._tag,
  })

const isTerminal = (event: UploadEvent) =>
  event._tag === "Completed" || event._tag === "Failed" || event._tag === "Cancelled"

/** One session's state, whether new or resumed. */
interface Attempt {
  readonly cipher: FileCipher.SegmentCipher
  readonly layout: SegmentLayout.SegmentLayout
  readonly sessionId: string
  /** Plaintext hashes the journal holds, by chunk. */
  readonly journaled: ReadonlyMap<number, Uint8Array>
  readonly received: ReadonlySet<number>
  readonly resumed: boolean
}

/** A chunk's bytes as sent (the header in front of chunk 0). */
interface Ready {
  readonly index: number
  readonly bytes: Uint8Array
  readonly plaintextBytes: number
}

/** A sealed chunk: its checksum, unless the server already holds it. */
interface Sealed extends Ready {
  readonly checksum: Option.Option<Uint8Array>
}

/** A chunk ready to send: its bytes and their checksum. */
interface Sent extends Ready {
  readonly checksum: Uint8Array
}

/** Starts an upload in the current scope; the handle steers and observes it. */
export const start = (options: UploadOptions): Effect.Effect<UploadHandle, never, Scope.Scope | Requirements> =>
  Effect.gen(function* () {
    const transport = yield* UploadTransport
    const journal = yield* UploadJournal
    const sha256 = yield* Sha256
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 3))
    const policy = { ...defaultRetry, ...options.retry }
    const { source, uploadKey, fileId } = options

    const events = yield* Queue.unbounded<UploadEvent>()
    const emit = (event: UploadEvent) => Queue.offer(events, event)
    const gate = yield* Effect.makeLatch(true)
    const done = yield* Deferred.make<Uploaded, UploadFailure>()
    const cancelled = yield* Ref.make(false)
    const session = yield* Ref.make(Option.none<string>())
    const now = Effect.clockWith((clock) => clock.currentTimeMillis)
    const counters = yield* Ref.make({ uploaded: 0, total: source.size, meter: Progress.start(yield* now) })

    const schedule = retrySchedule(policy)

    /** A request, tried again while it fails in a way that may pass, announcing each retry. */
    const retrying = <A, E extends { readonly _tag: string }>(
      chunk: number | undefined,
      request: Effect.Effect<A, E>,
    ) =>
      Effect.suspend(() => {
        let attempt = 0
        const once = Effect.tapError(
          Effect.suspend(() => {
            attempt++
            return request
          }),
          (error) =>
            isRetryable(error) && attempt < policy.attempts
              ? emit(UploadEvent.Retrying({ chunk, attempt, reason: error._tag }))
              : Effect.void,
        )
        return Effect.retry(once, schedule)
      })

    const snapshot = Effect.flatMap(now, (at) =>
      Effect.map(Ref.get(counters), (c) => Progress.snapshot(c.meter, at, c.uploaded, c.total)),
    )

    const forget = (sessionId: string) =>
      Effect.ignore(Effect.zipRight(transport.abort(sessionId), journal.remove(uploadKey)))

    /** A new header, key and session. */
    const fresh = Effect.gen(function* () {
      const plan = yield* ChunkPlan.make(source.size, {
        ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
        ...(options.limits === undefined ? {} : { limits: options.limits }),
      })
      const cipher = yield* FileCipher.create(fileId, plan.segmentBytes)
      const layout = SegmentLayout.make(cipher.headerBytes.length, plan.segmentBytes, source.size)
      const created = yield* retrying(
        undefined,
        transport.create({
          ciphertextBytes: SegmentLayout.ciphertextBytes(layout),
          headerBytes: layout.headerBytes,
          segmentBytes: layout.segmentBytes,
        }),
      )
      yield* Ref.set(session, Option.some(created.sessionId))
      yield* journal.begin(uploadKey, {
        sessionId: created.sessionId,
        fileId,
        header: cipher.headerBytes,
        plaintextBytes: source.size,
      })
      const attempt: Attempt = {
        cipher,
        layout,
        sessionId: created.sessionId,
        journaled: new Map(),
        received: new Set(),
        resumed: false,
      }
      return attempt
    })

    /** The journal's session, if it is for this source and the server still has it; otherwise none. */
    const resumable = Effect.gen(function* () {
      const entry = yield* journal.load(uploadKey)
      if (Option.isNone(entry)) return Option.none<Attempt>()
      const { sessionId, header: headerBytes, plaintextBytes } = entry.value
      const header = FileHeader.decode(headerBytes)
      if (plaintextBytes !== source.size || entry.value.fileId !== fileId || header._tag === "Left") {
        yield* forget(sessionId)
        yield* emit(UploadEvent.Restarted({ reason: "source-changed" }))
        return Option.none<Attempt>()
      }
      const status = yield* Effect.either(retrying(undefined, transport.status(sessionId)))
      if (status._tag === "Left") {
        if (status.left._tag !== "SessionGone") return yield* Effect.fail(status.left)
        yield* journal.remove(uploadKey)
        yield* emit(UploadEvent.Restarted({ reason: "session-gone" }))
        return Option.none<Attempt>()
      }
      const cipher = yield* FileCipher.open(header.right, fileId)
      yield* Ref.set(session, Option.some(sessionId))
      return Option.some<Attempt>({
        cipher,
        layout: SegmentLayout.make(headerBytes.length, header.right.segmentBytes, plaintextBytes),
        sessionId,
        journaled: new Map(entry.value.chunks.map((chunk) => [chunk.index, chunk.sha256])),
        received: new Set(status.right.received),
        resumed: true,
      })
    })

    /**
     * Reads, checks, journals and encrypts chunk `index`: its bytes as sent.
     * The plaintext hash is compared with the journal's before anything is
     * encrypted, and written to it before the ciphertext can leave.
     */
    const seal = (attempt: Attempt, index: number) =>
      Effect.gen(function* () {
        const segment = SegmentLayout.segment(attempt.layout, index)
        const plaintext = yield* source.read(segment.plaintextOffset, segment.plaintextLength)
        if (plaintext.length !== segment.plaintextLength)
          return yield* new SourceUnreadable({
            message: `chunk ${index} read ${plaintext.length} of ${segment.plaintextLength} bytes`,
          })
        const hash = yield* sha256.digest(plaintext)
        const journaled = attempt.journaled.get(index)
        if (journaled !== undefined && !equal(journaled, hash)) return yield* new SourceChanged({ index })
        if (journaled === undefined) yield* journal.recordChunk(uploadKey, { index, sha256: hash })
        const ciphertext = yield* attempt.cipher.encryptSegment(index, plaintext, segment.last)
        const bytes = index === 0 ? concat(attempt.cipher.headerBytes, ciphertext) : ciphertext
        // The checksum now, while the bytes are still in cache; none for a chunk the server holds.
        const sealed: Sealed = {
          index,
          bytes,
          plaintextBytes: segment.plaintextLength,
          checksum: attempt.received.has(index) ? Option.none() : Option.some(yield* sha256.digest(bytes)),
        }
        return sealed
      })

    const confirmed = (ready: Ready) =>
      Effect.flatMap(now, (at) =>
        Effect.flatMap(
          Ref.updateAndGet(counters, (c) => ({
            ...c,
            uploaded: c.uploaded + ready.plaintextBytes,
            meter: Progress.record(c.meter, at, ready.plaintextBytes),
          })),
          (c) =>
            emit(UploadEvent.Progress({ chunk: ready.index, ...Progress.snapshot(c.meter, at, c.uploaded, c.total) })),
        ),
      )

    /** Every chunk of `attempt` sent, then the session completed. */
    const send = (attempt: Attempt) =>
      Effect.gen(function* () {
        const count = SegmentLayout.count(attempt.layout)
        let already = 0
        for (const index of attempt.received)
          if (index < count) already += SegmentLayout.segment(attempt.layout, index).plaintextLength
        yield* Ref.set(counters, { uploaded: already, total: source.size, meter: Progress.start(yield* now) })
        yield* emit(
          UploadEvent.Started({
            plaintextBytes: source.size,
            chunkCount: count,
            resumed: attempt.resumed,
            alreadyUploadedBytes: already,
          }),
        )
        const identity = yield* sha256.incremental
        const handOff = yield* Queue.bounded<Option.Option<Sent>>(1)
        // Chunks are sealed one ahead (the next one encrypts off the main thread while this one is hashed);
        // the identity takes them in order, and only chunks the server lacks go to the senders.
        const producer = ahead(
          Stream.range(0, count - 1).pipe(Stream.tap(() => gate.await)),
          (index) => seal(attempt, index),
          1,
        ).pipe(
          Stream.runForEach((sealed) => {
            identity.update(sealed.bytes)
            return Option.match(sealed.checksum, {
              onNone: () => Effect.void,
              onSome: (checksum) => Queue.offer(handOff, Option.some({ ...sealed, checksum })),
            })
          }),
          Effect.zipRight(
            Queue.offerAll(
              handOff,
              Array.from({ length: concurrency }, () => Option.none<Sent>()),
            ),
          ),
        )
        const sender = Effect.gen(function* () {
          while (true) {
            const next = yield* Queue.take(handOff)
            if (Option.isNone(next)) return
            yield* gate.await
            const ready = next.value
            yield* retrying(ready.index, transport.put(attempt.sessionId, ready.index, ready.bytes, ready.checksum))
            yield* confirmed(ready)
          }
        })
        yield* Effect.all([producer, ...Array.from({ length: concurrency }, () => sender)], {
          concurrency: "unbounded",
          discard: true,
        })
        const sha256OfCiphertext = identity.digest()
        const completed = yield* retrying(undefined, transport.complete(attempt.sessionId, sha256OfCiphertext))
        yield* journal.remove(uploadKey)
        const uploaded: Uploaded = {
          fileId,
          sha256: sha256OfCiphertext,
          ciphertextBytes: completed.ciphertextBytes,
          plaintextBytes: source.size,
          header: attempt.cipher.header,
        }
        return uploaded
      })

    /** Resume or start, send; on a changed source or a lost session, start over (a bounded number of times). */
    const program = (restarts: number, mayResume: boolean): Effect.Effect<Uploaded, UploadFailure, Requirements> =>
      Effect.gen(function* () {
        const resumed = mayResume ? yield* resumable : Option.none<Attempt>()
        const attempt = Option.isSome(resumed) ? resumed.value : yield* fresh
        return yield* send(attempt).pipe(
          Effect.catchTags({
            SourceChanged: () =>
              startOver(
                restarts,
                attempt.sessionId,
                "source-changed",
                new SourceUnstable({ message: `the source changed during ${restarts + 1} attempts` }),
              ),
            SessionGone: (error) => startOver(restarts, attempt.sessionId, "session-gone", error),
          }),
        )
      })

    /** A new header, key and session, unless the restarts are spent: then `exhausted`. */
    const startOver = (
      restarts: number,
      sessionId: string,
      reason: "source-changed" | "session-gone",
      exhausted: UploadFailure,
    ) =>
      Effect.gen(function* () {
        if (restarts >= (options.maxRestarts ?? 2)) return yield* Effect.fail(exhausted)
        yield* forget(sessionId)
        yield* emit(UploadEvent.Restarted({ reason }))
        return yield* program(restarts + 1, false)
      })

    const main = yield* program(0, true).pipe(
      Effect.onExit((exit) =>
        Effect.gen(function* () {
          if (yield* Ref.get(cancelled)) return
          if (Exit.isSuccess(exit))
            yield* emit(
              UploadEvent.Completed({ sha256: exit.value.sha256, ciphertextBytes: exit.value.ciphertextBytes }),
            )
          else yield* emit(UploadEvent.Failed({ reason: reasonOf(exit.cause) }))
          yield* Deferred.done(done, exit)
        }),
      ),
      Effect.forkScoped,
    )

    const handle: UploadHandle = {
      events: Stream.fromQueue(events).pipe(Stream.takeUntil(isTerminal)),
      progress: snapshot,
      pause: Effect.zipRight(gate.close, emit(UploadEvent.Paused())),
      resume: Effect.gen(function* () {
        const at = yield* now
        // Time spent paused is not a slow network: the rate starts again.
        yield* Ref.update(counters, (c) => ({ ...c, meter: Progress.start(at) }))
        yield* gate.open
        yield* emit(UploadEvent.Resumed())
      }),
      cancel: Effect.gen(function* () {
        if (yield* Deferred.isDone(done)) return
        yield* Ref.set(cancelled, true)
        yield* Fiber.interrupt(main)
        const current = yield* Ref.get(session)
        if (Option.isSome(current)) yield* forget(current.value)
        else yield* Effect.ignore(journal.remove(uploadKey))
        yield* emit(UploadEvent.Cancelled())
        yield* Deferred.fail(done, new UploadCancelled({ message: "the upload was cancelled" }))
      }),
      await: Deferred.await(done),
    }
    return handle
  })

/** Starts an upload and waits for it. */
export const run = (options: UploadOptions): Effect.Effect<Uploaded, UploadFailure, Requirements> =>
  Effect.scoped(Effect.flatMap(start(options), (handle) => handle.await))
