/**
 * Record envelopes: round trip for any bytes, text and typed JSON; any single
 * bit flipped in iv, ciphertext or any AAD field fails with the typed
 * DecryptionFailed; an envelope moved to another record, type, user or vault
 * fails; malformed envelopes are refused naming the field.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Schema } from "effect"
import * as Entropy from "../src/Entropy.js"
import * as Envelope from "../src/Envelope.js"
import { binding, contentKey, flipBit } from "./support.js"

const context: Envelope.RecordContext = { ...binding, recordType: "idea", recordId: "idea-1" }
const run = <A, E>(effect: Effect.Effect<A, E, Entropy.Entropy>) => Effect.provide(effect, Entropy.layer)

describe("Envelope", () => {
  it.effect.prop("opens what it sealed, for any bytes", [fc.uint8Array({ maxLength: 4096 })], ([bytes]) =>
    run(
      Effect.gen(function* () {
        const key = yield* contentKey("k1", 7)
        const envelope = yield* Envelope.seal(key, context, bytes)
        assert.strictEqual(envelope.ct.length, bytes.length + 16)
        assert.deepStrictEqual(yield* Envelope.open(key, context, envelope), bytes)
      }),
    ),
  )

  it.effect.prop(
    "fails with DecryptionFailed when any single bit of iv or ct flips",
    [fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.constantFrom("iv" as const, "ct" as const)],
    ([bytes, bit, field]) =>
      run(
        Effect.gen(function* () {
          const key = yield* contentKey("k1", 7)
          const envelope = yield* Envelope.seal(key, context, bytes)
          const tampered = { ...envelope, [field]: flipBit(envelope[field], bit % (envelope[field].length * 8)) }
          const error = yield* Effect.flip(Envelope.open(key, context, tampered))
          assert.strictEqual(error._tag, "DecryptionFailed")
        }),
      ),
  )

  it.effect.prop(
    "fails when the envelope is moved: any AAD field changed by one character",
    [
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom("userId" as const, "vaultId" as const, "recordType" as const, "recordId" as const),
      fc.string({ minLength: 1, maxLength: 3 }),
    ],
    ([bytes, field, suffix]) =>
      run(
        Effect.gen(function* () {
          const key = yield* contentKey("k1", 7)
          const envelope = yield* Envelope.seal(key, context, bytes)
          const moved = { ...context, [field]: `${context[field]}${suffix}` }
          const error = yield* Effect.flip(Envelope.open(key, moved, envelope))
          assert.strictEqual(error._tag, "DecryptionFailed")
        }),
      ),
  )

  it.effect("binds the key id and version: a relabelled kid or v does not open", () =>
    run(
      Effect.gen(function* () {
        const key = yield* contentKey("k1", 7)
        const sameBytesOtherId = { ...(yield* contentKey("k2", 7)) }
        const envelope = yield* Envelope.seal(key, context, new Uint8Array([1, 2, 3]))
        const relabelled = { ...envelope, kid: sameBytesOtherId.kid }
        const error = yield* Effect.flip(Envelope.open(sameBytesOtherId, context, relabelled))
        assert.strictEqual(error._tag, "DecryptionFailed")
        const wrongKey = yield* Effect.flip(Envelope.open(sameBytesOtherId, context, envelope))
        assert.strictEqual(wrongKey._tag, "UnknownContentKey")
      }),
    ),
  )

  it.effect("a wrong key fails with DecryptionFailed", () =>
    run(
      Effect.gen(function* () {
        const envelope = yield* Envelope.seal(yield* contentKey("k1", 7), context, new Uint8Array([1]))
        const error = yield* Effect.flip(Envelope.open(yield* contentKey("k1", 8), context, envelope))
        assert.strictEqual(error._tag, "DecryptionFailed")
      }),
    ),
  )

  it.effect.prop("strings and typed JSON round trip", [fc.string({ unit: "binary" }), fc.integer()], ([text, n]) =>
    run(
      Effect.gen(function* () {
        const key = yield* contentKey("k1", 7)
        assert.strictEqual(
          yield* Envelope.openString(key, context, yield* Envelope.sealString(key, context, text)),
          text.toWellFormed(),
        )
        const Idea = Schema.Struct({ text: Schema.String, bpm: Schema.Int, at: Schema.DateFromString })
        const idea = { text, bpm: n, at: new Date(0) }
        const opened = yield* Envelope.openJson(Idea, key, context, yield* Envelope.sealJson(Idea, key, context, idea))
        assert.deepStrictEqual(opened, { ...idea, text: text.toWellFormed() })
      }),
    ),
  )

  it.effect("a well-authenticated record of the wrong shape is MalformedInput, not a crash", () =>
    run(
      Effect.gen(function* () {
        const key = yield* contentKey("k1", 7)
        const envelope = yield* Envelope.sealString(key, context, '{"text":42}')
        const error = yield* Effect.flip(
          Envelope.openJson(Schema.Struct({ text: Schema.String }), key, context, envelope),
        )
        assert.strictEqual(error._tag, "MalformedInput")
        assert.include(error.message, "text")
      }),
    ),
  )

  it.effect("decoding names the offending field", () =>
    Effect.gen(function* () {
      const good = Envelope.encode(yield* run(Envelope.seal(yield* contentKey("k1", 7), context, new Uint8Array([1]))))
      for (const [bad, field] of [
        [{ ...good, iv: "AAAA" }, "iv"],
        [{ ...good, v: 2 }, "v"],
        [{ ...good, kid: "has space" }, "kid"],
        [{ ...good, ct: "!!" }, "ct"],
      ] as const) {
        const error = yield* Effect.flip(Envelope.decode(bad))
        assert.strictEqual(error._tag, "MalformedInput")
        assert.include(error.message, `["${field}"]`)
      }
      assert.isTrue(Either.isRight(Schema.decodeUnknownEither(Envelope.Envelope)(good)))
    }),
  )

  it.effect.prop(
    "sealAll then openAll gives back every record, in order; each envelope opens alone too",
    [fc.array(fc.uint8Array({ maxLength: 512 }), { maxLength: 40 }), fc.integer({ min: 1, max: 8 })],
    ([plaintexts, concurrency]) =>
      run(
        Effect.gen(function* () {
          const key = yield* contentKey("k1", 7)
          const items = plaintexts.map((plaintext, index) => ({
            context: { ...context, recordId: `r${index}` },
            plaintext,
          }))
          const envelopes = yield* Envelope.sealAll(key, items, { concurrency })
          const opened = yield* Envelope.openAll(
            (kid) => (kid === key.kid ? key : undefined),
            items.map((item, index) => ({ context: item.context, envelope: envelopes[index] as Envelope.Envelope })),
            { concurrency },
          )
          assert.deepStrictEqual(opened, plaintexts)
          for (const [index, item] of items.entries()) {
            assert.deepStrictEqual(
              yield* Envelope.open(key, item.context, envelopes[index] as Envelope.Envelope),
              item.plaintext,
            )
          }
        }),
      ),
    { fastCheck: { numRuns: 30 } },
  )

  it.effect("openAll fails naming the record that was moved, and on a key it does not hold", () =>
    run(
      Effect.gen(function* () {
        const key = yield* contentKey("k1", 7)
        const items = [0, 1, 2].map((index) => ({
          context: { ...context, recordId: `r${index}` },
          plaintext: new Uint8Array([index]),
        }))
        const envelopes = yield* Envelope.sealAll(key, items)
        const swapped = items.map((item, index) => ({
          context: item.context,
          envelope: envelopes[index === 1 ? 2 : index === 2 ? 1 : index] as Envelope.Envelope,
        }))
        const moved = yield* Effect.flip(Envelope.openAll(() => key, swapped))
        assert.strictEqual(moved._tag, "DecryptionFailed")
        assert.match(moved.message, /idea r[12] did not decrypt/)
        const unknown = yield* Effect.flip(Envelope.openAll(() => undefined, swapped))
        assert.strictEqual(unknown._tag, "UnknownContentKey")
      }),
    ),
  )
})
