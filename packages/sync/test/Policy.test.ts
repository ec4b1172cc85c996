/**
 * The conflict policies' algebra: LWW-per-field merge is a join (commutative,
 * associative, idempotent), so replicas that saw the same writes in any order
 * agree, and each field holds its latest write; upsert is idempotent; CAS
 * swaps only on the current version and otherwise keeps the write as a copy.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import * as Policy from "../src/Policy.js"

const fieldName = fc.constantFrom("theme", "locale", "timeZone", "weekStartsOn")
const fieldValue = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 9 }))
const document = fc
  .array(fc.tuple(fieldName, fieldValue, fc.integer({ min: 1, max: 20 })), { maxLength: 6 })
  .map((entries) =>
    entries.reduce<Policy.LwwDocument>(
      (doc, [key, value, stamp]) => Policy.mergeLww(doc, { fields: { [key]: value }, stamps: { [key]: stamp } }),
      Policy.emptyDocument,
    ),
  )
/** A history of writes as the server stamps them: distinct, increasing versions. */
const writes = fc
  .array(fc.tuple(fieldName, fieldValue), { minLength: 1, maxLength: 12 })
  .map((patches) => patches.map(([key, value], index) => ({ patch: { [key]: value }, version: index + 1 })))

describe("Policy", () => {
  it.prop("LWW merge is commutative, associative and idempotent", [document, document, document], ([a, b, c]) => {
    assert.deepStrictEqual(Policy.mergeLww(a, b), Policy.mergeLww(b, a))
    assert.deepStrictEqual(Policy.mergeLww(Policy.mergeLww(a, b), c), Policy.mergeLww(a, Policy.mergeLww(b, c)))
    assert.deepStrictEqual(Policy.mergeLww(a, a), a)
  })

  it.prop(
    "LWW replicas converge to each field's latest write, in any delivery order",
    [
      writes.chain((history) =>
        fc.tuple(fc.constant(history), fc.shuffledSubarray(history, { minLength: history.length })),
      ),
    ],
    ([[history, shuffled]]) => {
      const replay = (order: typeof history) =>
        order.reduce((doc, write) => Policy.applyLww(doc, write.patch, write.version), Policy.emptyDocument)
      const inOrder = replay(history)
      assert.deepStrictEqual(replay(shuffled), inOrder)
      const latest = new Map<string, unknown>()
      for (const write of history) for (const [key, value] of Object.entries(write.patch)) latest.set(key, value)
      assert.deepStrictEqual(inOrder.fields, Object.fromEntries(latest))
    },
  )

  it.prop(
    "upsert is idempotent and writes only a change",
    [fc.option(fc.jsonValue()), fc.jsonValue()],
    ([stored, value]) => {
      const current = Option.fromNullable(stored)
      const once = Policy.upsert(current, value)
      const state = Option.orElse(once, () => current)
      assert.isTrue(Option.isNone(Policy.upsert(state, value)))
      assert.strictEqual(Option.isNone(once), stored !== null && JSON.stringify(stored) === JSON.stringify(value))
    },
  )

  it.prop(
    "CAS swaps exactly when the base is the current version, else keeps a conflict copy",
    [fc.option(fc.nat(50)), fc.option(fc.nat(50))],
    ([current, base]) => {
      const outcome = Policy.compareAndSwap(current, base)
      if (current === base) assert.deepStrictEqual(outcome, { _tag: "Swap" })
      else assert.deepStrictEqual(outcome, { _tag: "ConflictCopy", currentVersion: current })
    },
  )

  it("a conflict copy names the record it was made from, also for a copy of a copy", () => {
    const copy = Policy.conflictCopyId("note-1", "m1")
    assert.strictEqual(copy, "note-1~conflict~m1")
    assert.deepStrictEqual(Policy.conflictOrigin(copy), Option.some("note-1"))
    assert.deepStrictEqual(Policy.conflictOrigin(Policy.conflictCopyId(copy, "m2")), Option.some(copy))
    assert.deepStrictEqual(Policy.conflictOrigin("note-1"), Option.none())
  })
})
