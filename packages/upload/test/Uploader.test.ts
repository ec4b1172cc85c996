/**
 * The resumable client against the in-memory server: chunks go in
 * parallel up to the concurrency and no further ahead; failures that may
 * pass are retried with back-off and announced, others fail at once; pause
 * holds new chunks, resume lets them go, cancel aborts and forgets; after a
 * crash only missing chunks are sent under the same header, unless the
 * source changed where it was already encrypted — then a new header and
 * key, and no IV ever meets two different plaintexts; an expired session
 * starts over. Every finished blob decrypts to the source and its identity
 * is its SHA-256.
 */
import { assert, describe, it } from "@effect/vitest"
import {
  Chunk,
  Duration,
  Effect,
  Either,
  Fiber,
  FastCheck as fc,
  Layer,
  Option,
  Queue,
  Schedule,
  Stream,
  TestClock,
} from "effect"
import * as FileCipher from "../src/FileCipher.js"
import * as FileHeader from "../src/FileHeader.js"
import * as SegmentKey from "../src/internal/segmentKey.js"
import * as MemoryTransport from "../src/MemoryTransport.js"
import * as SegmentLayout from "../src/SegmentLayout.js"
import * as Sha256 from "../src/Sha256.js"
import * as Source from "../src/Source.js"
import { TransportUnavailable, UploadRefused } from "../src/UploadError.js"
import * as Uploader from "../src/Uploader.js"
import * as UploadJournal from "../src/UploadJournal.js"
import { cipherLayer, fileId, hex, patterned, smallLimits } from "./support.js"

/** 2,000 bytes in chunks of 64: 32 chunks, the last of 16 bytes. */
const SIZE = 2000
const CHUNKS = 32
const uploadKey = "local-file-1"

const world = (options: MemoryTransport.Options = {}) =>
  Effect.gen(function* () {
    const server = yield* MemoryTransport.make({ limits: smallLimits, ...options })
    const journal = UploadJournal.makeMemory()
    const layer = Layer.mergeAll(
      MemoryTransport.layer(server),
      Layer.succeed(UploadJournal.UploadJournal, journal),
      cipherLayer,
    )
    return { server, journal, layer }
  }).pipe(Effect.provide(Sha256.layer))

/** Puts wait for a permit each: the test decides how many may land. */
const permits = Effect.map(Queue.unbounded<void>(), (queue) => ({
  delay: (call: MemoryTransport.Call) => (call.op === "put" ? Queue.take(queue) : Effect.void),
  grant: (count: number) =>
    Queue.offerAll(
      queue,
      Array.from({ length: count }, () => undefined),
    ),
}))

const optionsFor = (bytes: Uint8Array, overrides: Partial<Uploader.UploadOptions> = {}): Uploader.UploadOptions => ({
  uploadKey,
  fileId,
  source: Source.fromBytes(bytes),
  limits: smallLimits,
  retry: { baseDelay: "1 millis", maxDelay: "4 millis" },
  ...overrides,
})

/** Waits until `count` chunks have been confirmed (consuming events up to there). */
const progressed = (handle: Uploader.UploadHandle, count: number) =>
  handle.events.pipe(
    Stream.filter((event) => event._tag === "Progress"),
    Stream.take(count),
    Stream.runDrain,
  )

const storedPlaintext = (server: MemoryTransport.MemoryServer, uploaded: Uploader.Uploaded) =>
  Effect.gen(function* () {
    const blob = Option.getOrThrow(server.blob(uploaded.sha256))
    assert.deepStrictEqual(yield* Sha256.digest(blob), uploaded.sha256)
    assert.strictEqual(blob.length, uploaded.ciphertextBytes)
    return yield* FileCipher.decryptBytes(uploaded.fileId, blob)
  })

/** (key, IV) → the distinct checksums sent under it, across every session whose header is given. */
const ivUse = (server: MemoryTransport.MemoryServer, headers: ReadonlyMap<string, FileHeader.FileHeader>) => {
  const uses = new Map<string, Set<string>>()
  for (const put of server.puts()) {
    const header = headers.get(put.sessionId)
    if (header === undefined) throw new Error(`no header for ${put.sessionId}`)
    const layout = SegmentLayout.make(FileHeader.byteLength(header), header.segmentBytes, SIZE)
    const iv = SegmentKey.iv(header.noncePrefix, put.index, SegmentLayout.segment(layout, put.index).last)
    const key = `${hex(header.salt)}/${hex(header.wrappedKey)}/${hex(iv)}`
    uses.set(key, (uses.get(key) ?? new Set()).add(hex(put.sha256)))
  }
  return uses
}

describe("Uploader", () => {
  it.live("sends chunks in parallel, never reading further ahead than it may, and the blob decrypts", () =>
    Effect.gen(function* () {
      const source = patterned(SIZE)
      let reads = 0
      let readsAtBarrier = 0
      let entered = 0
      const barrier = yield* Effect.makeLatch(false)
      // The first four puts wait for each other (and give the reader time to run ahead, if it would).
      const delay = (call: MemoryTransport.Call) =>
        call.op !== "put"
          ? Effect.void
          : Effect.suspend(() => {
              entered++
              if (entered < 4) return barrier.await
              if (entered > 4) return Effect.void
              return Effect.zipRight(
                Effect.sleep("50 millis"),
                Effect.suspend(() => {
                  readsAtBarrier = reads
                  return barrier.open
                }),
              )
            })
      const { server, layer } = yield* world({ delay })
      const counted: Source.Source = {
        size: SIZE,
        read: (offset, length) =>
          Effect.sync(() => {
            reads++
            return source.subarray(offset, offset + length)
          }),
      }
      const uploaded = yield* Effect.provide(
        Uploader.run(optionsFor(source, { source: counted, concurrency: 4 })),
        layer,
      )
      assert.strictEqual(server.maxConcurrentPuts(), 4)
      // Four in flight, one waiting for a sender, one being handed over, two sealed ahead.
      assert.isAtMost(readsAtBarrier, 4 + 4)
      assert.strictEqual(server.puts().length, CHUNKS)
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), source)
    }),
  )

  it.live("retries failures that may pass, announcing each retry, and completes", () =>
    Effect.gen(function* () {
      const fault = (call: MemoryTransport.Call) =>
        call.op === "put" && (call.index === 3 || call.index === 7) && call.attempt <= 2
          ? new TransportUnavailable({ message: "connection reset" })
          : call.op === "complete" && call.attempt === 1
            ? new TransportUnavailable({ message: "502" })
            : undefined
      const { server, layer } = yield* world({ fault })
      const source = patterned(SIZE)
      const { events, uploaded } = yield* Effect.provide(
        Effect.scoped(
          Effect.gen(function* () {
            const handle = yield* Uploader.start(optionsFor(source, { concurrency: 3 }))
            const events = yield* Effect.fork(Stream.runCollect(handle.events))
            const uploaded = yield* handle.await
            return { events: Chunk.toReadonlyArray(yield* Fiber.join(events)), uploaded }
          }),
        ),
        layer,
      )
      const retries = events.flatMap((event) =>
        event._tag === "Retrying" ? [`${event.chunk ?? "complete"}#${event.attempt}:${event.reason}`] : [],
      )
      assert.sameMembers(retries, [
        "3#1:TransportUnavailable",
        "3#2:TransportUnavailable",
        "7#1:TransportUnavailable",
        "7#2:TransportUnavailable",
        "complete#1:TransportUnavailable",
      ])
      assert.strictEqual(events[0]?._tag, "Started")
      assert.strictEqual(events[events.length - 1]?._tag, "Completed")
      const progress = events.flatMap((event) => (event._tag === "Progress" ? [event.uploadedBytes] : []))
      assert.strictEqual(progress.length, CHUNKS)
      assert.deepStrictEqual(
        progress,
        [...progress].sort((a, b) => a - b),
      )
      assert.strictEqual(progress[progress.length - 1], SIZE)
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), source)
    }),
  )

  it.effect.prop(
    "the back-off doubles from the base up to the cap, jittered by at most 20 %, for attempts − 1 retries",
    [fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 10 })],
    ([base, cap, attempts]) =>
      Effect.gen(function* () {
        const failure = new TransportUnavailable({ message: "down" })
        const delays = yield* Schedule.run(
          Schedule.delays(Uploader.retrySchedule({ attempts, baseDelay: base, maxDelay: cap })),
          0,
          Array.from({ length: 12 }, () => failure),
        )
        // Schedule.run also reports the step that stops: attempts − 1 retries, then the end.
        const millis = Chunk.toReadonlyArray(delays).map(Duration.toMillis)
        assert.strictEqual(millis.length, attempts)
        millis.slice(0, -1).forEach((delay, retry) => {
          const nominal = Math.min(base * 2 ** retry, cap)
          assert.isAtLeast(delay, Math.floor(nominal * 0.8))
          assert.isAtMost(delay, Math.ceil(nominal * 1.2))
        })
        const refused = yield* Schedule.run(Uploader.retrySchedule({ attempts, baseDelay: base, maxDelay: cap }), 0, [
          new UploadRefused({ reason: "user-quota", message: "full" }),
          failure,
        ])
        assert.strictEqual(Chunk.size(refused), 1)
      }),
    { fastCheck: { numRuns: 30 } },
  )

  it.live("gives up after its attempts and keeps the journal; the next run sends only what is missing", () =>
    Effect.gen(function* () {
      let failing = true
      const fault = (call: MemoryTransport.Call) =>
        failing && call.op === "put" && call.index === 10 ? new TransportUnavailable({ message: "timeout" }) : undefined
      const { server, journal, layer } = yield* world({ fault })
      const source = patterned(SIZE)
      const options = optionsFor(source, { concurrency: 2, retry: { attempts: 3, baseDelay: "1 millis" } })
      const failed = yield* Effect.provide(Effect.either(Uploader.run(options)), layer)
      assert.deepInclude(Either.getLeft(failed).pipe(Option.getOrThrow), { _tag: "TransportUnavailable" })
      assert.isTrue(Option.isSome(yield* journal.load(uploadKey)))
      const sentBefore = new Set(server.puts().map((put) => put.index))
      assert.isFalse(sentBefore.has(10))
      failing = false
      const uploaded = yield* Effect.provide(Uploader.run(options), layer)
      const sentAfter = server
        .puts()
        .slice(sentBefore.size)
        .map((put) => put.index)
      assert.sameMembers(
        sentAfter,
        Array.from({ length: CHUNKS }, (_, index) => index).filter((i) => !sentBefore.has(i)),
      )
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), source)
      assert.isTrue(Option.isNone(yield* journal.load(uploadKey)))
    }),
  )

  it.effect("refusals fail at once, without retries: per-file and per-user quotas", () =>
    Effect.gen(function* () {
      const perFile = yield* world({ maxFileBytes: 1000 })
      const tooBig = yield* Effect.provide(Effect.flip(Uploader.run(optionsFor(patterned(SIZE)))), perFile.layer)
      assert.deepInclude(tooBig, { _tag: "UploadRefused", reason: "file-quota" })
      const perUser = yield* world({ maxUserBytes: 2 * SIZE + 1000 })
      const first = yield* Effect.provide(Uploader.run(optionsFor(patterned(SIZE))), perUser.layer)
      assert.isAbove(first.ciphertextBytes, SIZE)
      const second = yield* Effect.provide(
        Effect.flip(Uploader.run(optionsFor(patterned(SIZE, 2), { uploadKey: "local-file-2" }))),
        perUser.layer,
      )
      assert.deepInclude(second, { _tag: "UploadRefused", reason: "user-quota" })
    }),
  )

  it.live("pause holds new chunks (those in flight land), resume lets them go", () =>
    Effect.gen(function* () {
      const gate = yield* permits
      const { server, layer } = yield* world({ delay: gate.delay })
      const source = patterned(SIZE)
      yield* Effect.provide(
        Effect.scoped(
          Effect.gen(function* () {
            const handle = yield* Uploader.start(optionsFor(source, { concurrency: 2 }))
            yield* gate.grant(3)
            yield* progressed(handle, 3)
            yield* handle.pause
            // Senders already past the gate land their chunks once the server lets them; nothing more starts.
            yield* gate.grant(20)
            yield* Effect.sleep("30 millis")
            const landed = server.puts().length
            yield* Effect.sleep("30 millis")
            assert.strictEqual(server.puts().length, landed)
            assert.isAtLeast(landed, 3)
            assert.isAtMost(landed, 3 + 2)
            assert.deepInclude(yield* handle.progress, { uploadedBytes: landed * 64 })
            yield* handle.resume
            yield* gate.grant(CHUNKS)
            const uploaded = yield* handle.await
            assert.strictEqual(server.puts().length, CHUNKS)
            assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), source)
          }),
        ),
        layer,
      )
    }),
  )

  it.effect("cancel aborts the session, forgets the journal and ends the events", () =>
    Effect.gen(function* () {
      const gate = yield* permits
      const { server, journal, layer } = yield* world({ delay: gate.delay })
      yield* Effect.provide(
        Effect.scoped(
          Effect.gen(function* () {
            const handle = yield* Uploader.start(optionsFor(patterned(SIZE)))
            yield* gate.grant(2)
            yield* progressed(handle, 2)
            assert.strictEqual(server.openSessions().length, 1)
            yield* handle.cancel
            assert.deepInclude(yield* Effect.flip(handle.await), { _tag: "UploadCancelled" })
            assert.deepStrictEqual(server.openSessions(), [])
            assert.isTrue(Option.isNone(yield* journal.load(uploadKey)))
            const rest = Chunk.toReadonlyArray(yield* Stream.runCollect(handle.events))
            assert.strictEqual(rest[rest.length - 1]?._tag, "Cancelled")
          }),
        ),
        layer,
      )
    }),
  )

  /** Run 1 lands `landed` chunks, then the process dies (the scope closes mid-upload). */
  const crashAfter = (landed: number, source: Uint8Array) =>
    Effect.gen(function* () {
      const gate = yield* permits
      const w = yield* world({ delay: gate.delay })
      yield* Effect.provide(
        Effect.scoped(
          Effect.gen(function* () {
            const handle = yield* Uploader.start(optionsFor(source, { concurrency: 2 }))
            yield* gate.grant(landed)
            yield* progressed(handle, landed)
          }),
        ),
        w.layer,
      )
      yield* gate.grant(1000)
      const entry = Option.getOrThrow(yield* w.journal.load(uploadKey))
      const header = Option.getOrThrow(Either.getRight(FileHeader.decode(entry.header)))
      return { ...w, entry, header }
    })

  it.effect("after a crash, resumes the session: same header, only missing chunks sent, nothing sent twice", () =>
    Effect.gen(function* () {
      const source = patterned(SIZE)
      const { server, layer, entry, header } = yield* crashAfter(10, source)
      assert.strictEqual(server.puts().length, 10)
      // More chunks were read and journaled than landed: they were in flight.
      assert.isAbove(entry.chunks.length, 10)
      const handle = Uploader.start(optionsFor(source))
      const { uploaded, events } = yield* Effect.provide(
        Effect.scoped(
          Effect.gen(function* () {
            const running = yield* handle
            const events = yield* Effect.fork(Stream.runCollect(running.events))
            return { uploaded: yield* running.await, events: Chunk.toReadonlyArray(yield* Fiber.join(events)) }
          }),
        ),
        layer,
      )
      assert.deepInclude(events[0], { _tag: "Started", resumed: true, alreadyUploadedBytes: 10 * 64 })
      assert.isFalse(events.some((event) => event._tag === "Restarted"))
      assert.deepStrictEqual(uploaded.header, header)
      const indices = server.puts().map((put) => put.index)
      assert.strictEqual(indices.length, CHUNKS)
      assert.strictEqual(new Set(indices).size, CHUNKS)
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), source)
    }),
  )

  it.effect(
    "a source changed where it was already encrypted starts over with a new header and key; no IV meets other bytes",
    () =>
      Effect.gen(function* () {
        const before = patterned(SIZE)
        const { server, layer, entry, header } = yield* crashAfter(10, before)
        const after = new Uint8Array(before)
        after[3 * 64 + 5] = (after[3 * 64 + 5] ?? 0) ^ 0xff
        const { uploaded, events } = yield* Effect.provide(
          Effect.scoped(
            Effect.gen(function* () {
              const running = yield* Uploader.start(optionsFor(after))
              const events = yield* Effect.fork(Stream.runCollect(running.events))
              return { uploaded: yield* running.await, events: Chunk.toReadonlyArray(yield* Fiber.join(events)) }
            }),
          ),
          layer,
        )
        assert.isTrue(events.some((event) => event._tag === "Restarted" && event.reason === "source-changed"))
        assert.notDeepEqual(uploaded.header.salt, header.salt)
        assert.notDeepEqual(uploaded.header.noncePrefix, header.noncePrefix)
        assert.notDeepEqual(uploaded.header.wrappedKey, header.wrappedKey)
        // The first session was aborted; the new one is complete.
        assert.deepStrictEqual(server.openSessions(), [])
        const second = server.puts().find((put) => put.sessionId !== entry.sessionId)?.sessionId ?? ""
        const uses = ivUse(
          server,
          new Map([
            [entry.sessionId, header],
            [second, uploaded.header],
          ]),
        )
        for (const [key, checksums] of uses) assert.strictEqual(checksums.size, 1, `IV ${key} met other bytes`)
        assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), after)
      }),
  )

  it.effect("a source changed only where nothing was encrypted yet resumes: those chunks take their first IV", () =>
    Effect.gen(function* () {
      const before = patterned(SIZE)
      const { server, layer, entry, header } = yield* crashAfter(10, before)
      const after = new Uint8Array(before)
      after[25 * 64] = (after[25 * 64] ?? 0) ^ 0xff
      assert.isFalse(entry.chunks.some((chunk) => chunk.index === 25))
      const uploaded = yield* Effect.provide(Uploader.run(optionsFor(after)), layer)
      assert.deepStrictEqual(uploaded.header, header)
      const uses = ivUse(server, new Map([[entry.sessionId, header]]))
      for (const [key, checksums] of uses) assert.strictEqual(checksums.size, 1, `IV ${key} met other bytes`)
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), after)
    }),
  )

  it.effect("a source of another size starts over", () =>
    Effect.gen(function* () {
      const { server, layer, header } = yield* crashAfter(4, patterned(SIZE))
      const longer = patterned(SIZE + 1)
      const uploaded = yield* Effect.provide(Uploader.run(optionsFor(longer)), layer)
      assert.notDeepEqual(uploaded.header.salt, header.salt)
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), longer)
    }),
  )

  it.effect("an expired session is swept with its chunks; resuming starts over with a new one", () =>
    Effect.gen(function* () {
      const source = patterned(SIZE)
      const gate = yield* permits
      const { server, journal, layer } = yield* world({ delay: gate.delay, sessionTtl: "1 hour" })
      yield* Effect.provide(
        Effect.scoped(
          Effect.gen(function* () {
            const handle = yield* Uploader.start(optionsFor(source))
            yield* gate.grant(5)
            yield* progressed(handle, 5)
          }),
        ),
        layer,
      )
      yield* gate.grant(1000)
      const stale = Option.getOrThrow(yield* journal.load(uploadKey))
      yield* TestClock.adjust("2 hours")
      assert.strictEqual(yield* server.sweep, 1)
      assert.deepStrictEqual(server.openSessions(), [])
      const uploaded = yield* Effect.provide(Uploader.run(optionsFor(source)), layer)
      assert.notDeepEqual(
        uploaded.header.salt,
        Option.getOrThrow(Either.getRight(FileHeader.decode(stale.header))).salt,
      )
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), source)
    }),
  )

  it.effect("an empty file uploads as one chunk", () =>
    Effect.gen(function* () {
      const { server, layer } = yield* world()
      const uploaded = yield* Effect.provide(Uploader.run(optionsFor(new Uint8Array(0))), layer)
      assert.strictEqual(server.puts().length, 1)
      assert.deepStrictEqual(yield* Effect.provide(storedPlaintext(server, uploaded), cipherLayer), new Uint8Array(0))
    }),
  )
})
