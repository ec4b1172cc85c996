/**
 * Recovery codes: format/parse round trip for any 128 bits; typing is
 * forgiving (case, hyphens, spaces, I/L/O); every single mistyped character
 * is caught and its group named; swaps of neighbouring characters are caught
 * except the one pair Luhn mod N cannot see; verifiers are deterministic and
 * differ from the wrap key's derivation.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import * as Entropy from "../src/Entropy.js"
import * as RecoveryCode from "../src/RecoveryCode.js"

const code = fc.uint8Array({ minLength: 16, maxLength: 16 })
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

describe("RecoveryCode", () => {
  it.effect.prop("parses what it formats, for any 128 bits", [code], ([bytes]) =>
    Effect.gen(function* () {
      const formatted = RecoveryCode.format(bytes)
      assert.match(formatted, /^[0-9A-HJKMNP-TV-Z]{6}(-[0-9A-HJKMNP-TV-Z]{6}){3}-[0-9A-HJKMNP-TV-Z]{7}$/)
      assert.deepStrictEqual(yield* RecoveryCode.parse(formatted), bytes)
      const sloppy = formatted.toLowerCase().replaceAll("-", " ").replaceAll("1", "l").replaceAll("0", "o")
      assert.deepStrictEqual(yield* RecoveryCode.parse(`  ${sloppy} `), bytes)
    }),
  )

  it.effect.prop(
    "catches every single substituted character and names its group",
    [code, fc.nat(), fc.integer({ min: 1, max: 31 })],
    ([bytes, position, shift]) =>
      Effect.gen(function* () {
        const chars = RecoveryCode.format(bytes).replaceAll("-", "").split("")
        const index = position % chars.length
        const original = ALPHABET.indexOf(chars[index] ?? "0")
        chars[index] = ALPHABET[(original + shift) % 32] ?? "0"
        const error = yield* Effect.flip(RecoveryCode.parse(chars.join("")))
        assert.strictEqual(error._tag, "InvalidRecoveryCode")
        const groupOf = (i: number) => (i < 24 ? Math.floor(i / 6) + 1 : 5)
        assert.strictEqual(error.group, groupOf(index))
      }),
  )

  it.effect.prop("catches swaps of two different neighbours within a group", [code, fc.nat()], ([bytes, position]) =>
    Effect.gen(function* () {
      const groups = RecoveryCode.format(bytes).split("-")
      const group = position % groups.length
      const chars = (groups[group] ?? "").split("")
      const index = position % (chars.length - 1)
      const [a, b] = [chars[index] ?? "", chars[index + 1] ?? ""]
      // Luhn mod N's one blind spot: swapping the values 0 and N-1 ("0" and "Z").
      fc.pre(a !== b && !(new Set([a, b]).has("0") && new Set([a, b]).has("Z")))
      chars[index] = b
      chars[index + 1] = a
      groups[group] = chars.join("")
      const error = yield* Effect.flip(RecoveryCode.parse(groups.join("-")))
      assert.strictEqual(error._tag, "InvalidRecoveryCode")
    }),
  )

  it.effect("refuses wrong lengths and foreign characters with a clear message", () =>
    Effect.gen(function* () {
      assert.include((yield* Effect.flip(RecoveryCode.parse("ABC"))).message, "31 characters")
      assert.include((yield* Effect.flip(RecoveryCode.parse("U".repeat(31)))).message, '"U"')
    }),
  )

  it.effect("a set is ten distinct codes; verifiers are 32 bytes, deterministic, distinct per code", () =>
    Effect.gen(function* () {
      const set = yield* Effect.provide(RecoveryCode.generateSet, Entropy.layer)
      assert.strictEqual(set.length, 10)
      assert.strictEqual(new Set(set.map(RecoveryCode.format)).size, 10)
      const first = set[0] ?? new Uint8Array(16)
      const verifier = yield* RecoveryCode.verifier(first)
      assert.strictEqual(verifier.length, 32)
      assert.deepStrictEqual(yield* RecoveryCode.verifier(first), verifier)
      assert.notDeepEqual(yield* RecoveryCode.verifier(set[1] ?? new Uint8Array(16)), verifier)
    }),
  )
})
