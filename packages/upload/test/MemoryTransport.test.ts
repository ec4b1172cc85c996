/**
 * The in-memory server keeps the rules the real one will: lengths from the
 * layout, checksums on arrival, part limits, quotas, expiry with orphan
 * sweeping, complete only when whole and when the identity matches,
 * idempotent completion.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import * as ChunkPlan from "../src/ChunkPlan.js"
import * as MemoryTransport from "../src/MemoryTransport.js"
import * as SegmentLayout from "../src/SegmentLayout.js"
import * as Sha256 from "../src/Sha256.js"
import { patterned, smallLimits } from "./support.js"

/** A 3-chunk blob: header 80, segments of 64 (+16), 150 plaintext bytes. */
const layout = SegmentLayout.make(80, 64, 150)
const spec = { ciphertextBytes: SegmentLayout.ciphertextBytes(layout), headerBytes: 80, segmentBytes: 64 }
const blob = patterned(spec.ciphertextBytes, 9)
const chunkOf = (index: number) => {
  const chunk = SegmentLayout.chunk(layout, index)
  return blob.subarray(chunk.offset, chunk.offset + chunk.length)
}

const server = (options: MemoryTransport.Options = {}) =>
  Effect.provide(MemoryTransport.make({ limits: smallLimits, ...options }), Sha256.layer)

const putAll = (transport: MemoryTransport.MemoryServer["transport"], sessionId: string) =>
  Effect.forEach([2, 0, 1], (index) =>
    Effect.flatMap(Effect.provide(Sha256.digest(chunkOf(index)), Sha256.layer), (sha256) =>
      transport.put(sessionId, index, chunkOf(index), sha256),
    ),
  )

describe("MemoryTransport", () => {
  it.effect("takes chunks in any order, checks each, completes once whole, and answers the same twice", () =>
    Effect.gen(function* () {
      const memory = yield* server()
      const { transport } = memory
      const { sessionId } = yield* transport.create(spec)
      const good = yield* Effect.provide(Sha256.digest(chunkOf(1)), Sha256.layer)
      assert.deepInclude(yield* Effect.flip(transport.put(sessionId, 1, chunkOf(1), new Uint8Array(32))), {
        _tag: "ChecksumMismatch",
        index: 1,
      })
      assert.deepInclude(yield* Effect.flip(transport.put(sessionId, 1, chunkOf(1).subarray(1), good)), {
        _tag: "UploadRefused",
        reason: "invalid",
      })
      assert.deepInclude(yield* Effect.flip(transport.put(sessionId, 3, chunkOf(1), good)), { _tag: "UploadRefused" })
      const identity = yield* Effect.provide(Sha256.digest(blob), Sha256.layer)
      yield* transport.put(sessionId, 1, chunkOf(1), good)
      assert.deepInclude(yield* Effect.flip(transport.complete(sessionId, identity)), { _tag: "UploadRefused" })
      yield* putAll(transport, sessionId)
      assert.deepStrictEqual((yield* transport.status(sessionId)).received, [0, 1, 2])
      assert.deepInclude(yield* Effect.flip(transport.complete(sessionId, new Uint8Array(32))), {
        reason: "identity-mismatch",
      })
      const completed = yield* transport.complete(sessionId, identity)
      assert.deepStrictEqual(completed, { sha256: identity, ciphertextBytes: blob.length })
      assert.deepStrictEqual(yield* transport.complete(sessionId, identity), completed)
      assert.deepStrictEqual(memory.blob(identity), Option.some(blob))
    }),
  )

  it.effect("refuses sessions beyond the part limits or the quotas", () =>
    Effect.gen(function* () {
      const s3 = yield* server({ limits: ChunkPlan.s3 })
      assert.deepInclude(yield* Effect.flip(s3.transport.create(spec)), { reason: "invalid" })
      const few = yield* server({
        limits: new ChunkPlan.Limits({ ...smallLimits, maxParts: 2 }),
      })
      assert.deepInclude(yield* Effect.flip(few.transport.create(spec)), { reason: "invalid" })
      assert.deepInclude(yield* Effect.flip(few.transport.create({ ...spec, ciphertextBytes: 81 })), {
        reason: "invalid",
      })
      const perFile = yield* server({ maxFileBytes: spec.ciphertextBytes - 1 })
      assert.deepInclude(yield* Effect.flip(perFile.transport.create(spec)), { reason: "file-quota" })
      const perUser = yield* server({ maxUserBytes: spec.ciphertextBytes * 2 })
      const first = yield* perUser.transport.create(spec)
      yield* perUser.transport.create(spec)
      assert.deepInclude(yield* Effect.flip(perUser.transport.create(spec)), { reason: "user-quota" })
      yield* perUser.transport.abort(first.sessionId)
      yield* perUser.transport.create(spec)
    }),
  )

  it.effect("sessions expire: their chunks are swept and their quota freed", () =>
    Effect.gen(function* () {
      const memory = yield* server({ sessionTtl: "1 hour", maxUserBytes: spec.ciphertextBytes })
      const { sessionId } = yield* memory.transport.create(spec)
      yield* putAll(memory.transport, sessionId)
      yield* TestClock.adjust("59 minutes")
      assert.strictEqual(yield* memory.sweep, 0)
      assert.strictEqual(memory.usedBytes(), spec.ciphertextBytes)
      yield* TestClock.adjust("1 minute")
      assert.deepInclude(yield* Effect.flip(memory.transport.status(sessionId)), { _tag: "SessionGone" })
      assert.deepStrictEqual(memory.openSessions(), [])
      assert.strictEqual(memory.usedBytes(), 0)
      yield* memory.transport.create(spec)
    }),
  )
})
