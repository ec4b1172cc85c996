/**
 * The two AES-256-GCM implementations are interchangeable: for any key, IV
 * and plaintext (sizes around node:crypto's 64 KiB slices included) they
 * make the same bytes, each opens the other's, and neither opens a flipped
 * bit or a wrong IV.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Option } from "effect"
import * as Aead from "../src/Aead.js"
import * as NodeAead from "../src/node/NodeAead.js"
import { flipBit, patterned } from "./support.js"

const keyOf = (layer: typeof Aead.layer, raw: Uint8Array) =>
  Effect.provide(
    Effect.flatMap(Aead.Aead, (aead) => aead.importKey(raw)),
    layer,
  )

const sizes = fc.oneof(
  fc.constantFrom(0, 1, 65_535, 65_536, 65_537, 131_072, 196_609),
  fc.integer({ min: 0, max: 200_000 }),
)

describe("Aead", () => {
  it.effect.prop(
    "WebCrypto and node:crypto seal alike and open each other's",
    [fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 12, maxLength: 12 }), sizes, fc.nat()],
    ([raw, iv, size, bit]) =>
      Effect.gen(function* () {
        const web = yield* keyOf(Aead.layer, raw)
        const node = yield* keyOf(NodeAead.layer, raw)
        const plaintext = patterned(size, size)
        const sealed = yield* web.seal(iv, plaintext)
        assert.deepStrictEqual(yield* node.seal(iv, plaintext), sealed)
        assert.deepStrictEqual(yield* node.open(iv, sealed), Option.some(plaintext))
        assert.deepStrictEqual(yield* web.open(iv, sealed), Option.some(plaintext))
        const flipped = flipBit(sealed, bit % (sealed.length * 8))
        assert.isTrue(Option.isNone(yield* node.open(iv, flipped)))
        assert.isTrue(Option.isNone(yield* web.open(iv, flipped)))
        assert.isTrue(Option.isNone(yield* node.open(flipBit(iv, bit % 96), sealed)))
        assert.isTrue(Option.isNone(yield* node.open(iv, sealed.subarray(0, 15))))
      }),
    // Each run seals and opens up to 200 KB six times.
    { fastCheck: { numRuns: 25 } },
  )
})
