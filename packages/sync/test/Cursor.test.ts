/**
 * Cursors: a known answer computed with Node's own HMAC, round trips for any
 * user and version, and every cursor not issued to the user — another user's,
 * a tampered one, garbage — fails as `InvalidCursor`.
 */
import { createHmac } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, FastCheck as fc } from "effect"
import * as Cursor from "../src/Cursor.js"

const secret = new Uint8Array(32).fill(7)
// Imported once: a key import per property run would be most of the suite's time.
const signer = Effect.runPromise(Cursor.make(secret))
const withSigner = <A, E>(body: (signer: Cursor.CursorSigner["Type"]) => Effect.Effect<A, E>) =>
  Effect.flatMap(
    Effect.promise(() => signer),
    body,
  )

const userId = fc.string({ minLength: 1, maxLength: 40 })
const position = fc.record({
  version: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  horizon: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
})

describe("Cursor", () => {
  it.effect("matches an independent HMAC-SHA-256 of the documented layout", () =>
    withSigner((signer) =>
      Effect.gen(function* () {
        const cursor = yield* signer.encode("user-1", { version: 258, horizon: 3 })
        const user = Buffer.from("user-1")
        const length = Buffer.alloc(4)
        length.writeUInt32BE(user.length)
        const counter = Buffer.alloc(8)
        counter.writeBigUInt64BE(258n)
        const horizon = Buffer.alloc(8)
        horizon.writeBigUInt64BE(3n)
        const mac = createHmac("sha256", secret)
          .update(
            Buffer.concat([Buffer.from("ignition/sync/cursor"), Buffer.from([1]), length, user, counter, horizon]),
          )
          .digest()
          .subarray(0, 16)
        const expected = Buffer.concat([Buffer.from([1]), counter, horizon, mac]).toString("base64url")
        assert.strictEqual(cursor, expected)
      }),
    ),
  )

  it.effect.prop("decodes what it encodes for the same user", [userId, position], ([user, at]) =>
    withSigner((signer) =>
      Effect.gen(function* () {
        assert.deepStrictEqual(yield* signer.decode(user, yield* signer.encode(user, at)), at)
      }),
    ),
  )

  it.effect.prop(
    "refuses another user's cursor",
    [userId, userId, position],
    ([owner, other, at]) =>
      withSigner((signer) =>
        Effect.gen(function* () {
          fc.pre(owner !== other)
          const error = yield* Effect.flip(signer.decode(other, yield* signer.encode(owner, at)))
          assert.strictEqual(error._tag, "InvalidCursor")
          assert.strictEqual(error.status, 400)
        }),
      ),
    { fastCheck: { numRuns: 50 } },
  )

  it.effect.prop(
    "refuses a cursor with any one byte changed",
    [position, fc.integer({ min: 0, max: 32 }), fc.integer({ min: 1, max: 255 })],
    ([at, index, flip]) =>
      withSigner((signer) =>
        Effect.gen(function* () {
          const bytes = Buffer.from(yield* signer.encode("user-1", at), "base64url")
          bytes[index] = (bytes[index] ?? 0) ^ flip
          const error = yield* Effect.flip(signer.decode("user-1", bytes.toString("base64url")))
          assert.strictEqual(error._tag, "InvalidCursor")
        }),
      ),
    { fastCheck: { numRuns: 50 } },
  )

  it.effect("will not sign with a secret shorter than 32 bytes", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Cursor.make(new Uint8Array(31)))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
    }),
  )

  it.effect("refuses garbage and a cursor signed with another secret", () =>
    Effect.gen(function* () {
      const signer = yield* Cursor.make(secret)
      const stranger = yield* Cursor.make(new Uint8Array(32).fill(8))
      for (const garbage of ["", "!!", "AAAA", "x".repeat(44)]) {
        assert.strictEqual((yield* Effect.flip(signer.decode("user-1", garbage)))._tag, "InvalidCursor")
      }
      const foreign = yield* stranger.encode("user-1", { version: 5, horizon: 0 })
      assert.strictEqual((yield* Effect.flip(signer.decode("user-1", foreign)))._tag, "InvalidCursor")
    }),
  )
})
