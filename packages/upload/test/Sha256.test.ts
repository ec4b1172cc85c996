/**
 * SHA-256, both implementations: the FIPS 180-2 known answers, and an
 * incremental hash over any split of the input equals the one-shot digest
 * (and the other implementation's).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, type Layer } from "effect"
import * as NodeHash from "../src/node/NodeHash.js"
import * as Sha256 from "../src/Sha256.js"
import { hex } from "./support.js"

const implementations: ReadonlyArray<readonly [string, Layer.Layer<Sha256.Sha256>]> = [
  ["WebCrypto + hash-wasm", Sha256.layer],
  ["node:crypto", NodeHash.layer],
]

const known = [
  ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  [
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  ],
  ["a".repeat(1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
] as const

const utf8 = new TextEncoder()

describe.each(implementations)("Sha256 (%s)", (_, layer) => {
  it.effect("known answers, one-shot and incremental", () =>
    Effect.provide(
      Effect.gen(function* () {
        for (const [input, digest] of known) {
          const bytes = utf8.encode(input)
          assert.strictEqual(hex(yield* Sha256.digest(bytes)), digest)
          const hasher = yield* Sha256.incremental
          hasher.update(bytes)
          assert.strictEqual(hex(hasher.digest()), digest)
        }
      }),
      layer,
    ),
  )

  it.effect.prop(
    "incremental over any split equals one-shot and the other implementation",
    [fc.uint8Array({ maxLength: 5000 }), fc.array(fc.nat(), { maxLength: 8 })],
    ([bytes, cuts]) =>
      Effect.gen(function* () {
        const points = [0, ...cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]
        const hasher = yield* Effect.provide(Sha256.incremental, layer)
        for (let index = 1; index < points.length; index++)
          hasher.update(bytes.subarray(points[index - 1], points[index]))
        const oneShot = yield* Effect.provide(Sha256.digest(bytes), layer)
        assert.deepStrictEqual(hasher.digest(), oneShot)
        for (const [, other] of implementations)
          assert.deepStrictEqual(yield* Effect.provide(Sha256.digest(bytes), other), oneShot)
      }),
    // Each run instantiates hash-wasm once.
    { fastCheck: { numRuns: 40 } },
  )
})
