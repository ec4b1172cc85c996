/**
 * Golden vectors of our own formats. Stored blobs must open with their known
 * secrets (so any change to AAD layout, KDF use or field encoding fails
 * here, before it strands real users' data), and the same seeded inputs
 * must produce the same bytes.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as ContentKeys from "../src/ContentKeys.js"
import * as Entropy from "../src/Entropy.js"
import * as Envelope from "../src/Envelope.js"
import * as WrappedKey from "../src/WrappedKey.js"
import golden from "./fixtures/golden.json" with { type: "json" }
import { binding, contentKey, floorPolicy } from "./support.js"

const kek = new Uint8Array(32).map((_, index) => index)
const passphrase = Redacted.make("correct horse battery staple")
const recordContext = { ...binding, ...golden.envelope.context }

describe("golden vectors", () => {
  it.effect("the stored wrap opens with its passphrase to the known KEK", () =>
    Effect.gen(function* () {
      const wrap = yield* WrappedKey.decode(golden.wrap)
      assert.deepStrictEqual(yield* WrappedKey.unwrap(wrap, { type: "passphrase", passphrase }, binding), kek)
    }),
  )

  it.effect("the stored envelope and wrapped content key open", () =>
    Effect.gen(function* () {
      const envelope = yield* Envelope.decode(golden.envelope.json)
      assert.strictEqual(
        yield* Envelope.openString(yield* contentKey("golden-kid", 0x5a), recordContext, envelope),
        golden.envelope.plaintext,
      )
      const wrapped = yield* Envelope.decode(golden.contentKey.wrapped)
      const key = yield* ContentKeys.unwrap(
        yield* ContentKeys.kekKey(kek),
        binding,
        Envelope.KeyId.make(golden.contentKey.kid),
        wrapped,
      )
      assert.strictEqual(key.kid, golden.contentKey.kid)
    }),
  )

  it.effect("the same seeded inputs give the same bytes", () =>
    Effect.provide(
      Effect.gen(function* () {
        const wrap = yield* WrappedKey.wrap(
          kek,
          { type: "passphrase", passphrase },
          { ...binding, credentialId: "golden-passphrase" },
          floorPolicy,
        )
        assert.deepStrictEqual<unknown>(WrappedKey.encode(wrap), golden.wrap)
        const envelope = yield* Envelope.sealString(
          yield* contentKey("golden-kid", 0x5a),
          recordContext,
          golden.envelope.plaintext,
        )
        assert.deepStrictEqual<unknown>(Envelope.encode(envelope), golden.envelope.json)
        const generated = yield* ContentKeys.generate(yield* ContentKeys.kekKey(kek), binding)
        assert.deepStrictEqual<unknown>(
          { kid: generated.key.kid, wrapped: Envelope.encode(generated.wrapped) },
          golden.contentKey,
        )
      }),
      Entropy.layerTest("golden"),
    ),
  )
})
