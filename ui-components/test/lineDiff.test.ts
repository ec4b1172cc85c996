/**
 * The version history's line diff: known answers, and for any two texts —
 * the kept and removed lines spell the old text, the kept and added lines
 * the new one, and the kept lines are a longest common subsequence (checked
 * against a plain recursive reference) whenever the edit bound allows as
 * many edits as that needs; past the bound it stays exact.
 * `withContext` hides only unchanged lines, keeps `context` lines around
 * each change, and loses none.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { type DiffLine, diffLines, lineDiff, linesOf, withContext } from "../src/version-history/lineDiff.js"

const oldSide = (diff: ReadonlyArray<DiffLine>) => diff.filter((line) => line.op !== "added").map((line) => line.text)
const newSide = (diff: ReadonlyArray<DiffLine>) => diff.filter((line) => line.op !== "removed").map((line) => line.text)
const kept = (diff: ReadonlyArray<DiffLine>) => diff.filter((line) => line.op === "same").length

/** The LCS length by the recursive definition (memoised): a reference written independently of the table. */
const lcsLength = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): number => {
  const memo = new Map<string, number>()
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0
    const key = `${i},${j}`
    const known = memo.get(key)
    if (known !== undefined) return known
    const value = a[i] === b[j] ? go(i + 1, j + 1) + 1 : Math.max(go(i + 1, j), go(i, j + 1))
    memo.set(key, value)
    return value
  }
  return go(0, 0)
}

/** Few distinct lines, so texts share many (the interesting case), and some with line-ending characters' neighbours. */
const line = fc.constantFrom("a", "b", "c", "", " a", "# Title", "- item")
const text = fc.array(line, { maxLength: 24 })

describe("diffLines", () => {
  it("marks a replaced line removed then added, and keeps the rest", () => {
    assert.deepStrictEqual(diffLines(["a", "b", "c"], ["a", "x", "c"]), [
      { op: "same", text: "a" },
      { op: "removed", text: "b" },
      { op: "added", text: "x" },
      { op: "same", text: "c" },
    ])
  })

  it("finds the longest common subsequence, not the first match", () => {
    // Greedy matching of the first "a" would keep 2 lines; the LCS keeps b, c, d.
    assert.deepStrictEqual(diffLines(["a", "b", "c", "d"], ["b", "c", "d", "a"]), [
      { op: "removed", text: "a" },
      { op: "same", text: "b" },
      { op: "same", text: "c" },
      { op: "same", text: "d" },
      { op: "added", text: "a" },
    ])
  })

  it("handles empty sides", () => {
    assert.deepStrictEqual(diffLines([], []), [])
    assert.deepStrictEqual(diffLines([], ["a"]), [{ op: "added", text: "a" }])
    assert.deepStrictEqual(diffLines(["a"], []), [{ op: "removed", text: "a" }])
  })

  it("splits texts on any line ending, and an empty text has no lines", () => {
    assert.deepStrictEqual(linesOf(""), [])
    assert.deepStrictEqual(linesOf("a\r\nb\nc\rd\n"), ["a", "b", "c", "d", ""])
    assert.deepStrictEqual(lineDiff("one\ntwo", "one\r\ntwo\nthree"), [
      { op: "same", text: "one" },
      { op: "same", text: "two" },
      { op: "added", text: "three" },
    ])
  })

  it.prop("spells both texts back", [text, text], ([before, after]) => {
    const diff = diffLines(before, after)
    assert.deepStrictEqual(oldSide(diff), before)
    assert.deepStrictEqual(newSide(diff), after)
  })

  it.prop("keeps a longest common subsequence", [text, text], ([before, after]) => {
    assert.strictEqual(kept(diffLines(before, after)), lcsLength(before, after))
  })

  it.prop("stays exact past its edit bound", [text, text], ([before, after]) => {
    const diff = diffLines(before, after, 0)
    assert.deepStrictEqual(oldSide(diff), before)
    assert.deepStrictEqual(newSide(diff), after)
    // Only the common prefix and suffix are kept then.
    assert.isAtMost(kept(diff), lcsLength(before, after))
  })

  it.prop(
    "is minimal whenever the bound allows the edits it takes",
    [fc.array(line, { maxLength: 60 }), fc.array(line, { maxLength: 60 }), fc.integer({ min: 0, max: 40 })],
    ([before, after, maxEdits]) => {
      const diff = diffLines(before, after, maxEdits)
      assert.deepStrictEqual(oldSide(diff), before)
      assert.deepStrictEqual(newSide(diff), after)
      const lcs = lcsLength(before, after)
      if (before.length + after.length - 2 * lcs <= maxEdits) assert.strictEqual(kept(diff), lcs)
    },
  )

  it.prop("finds nothing to change between equal texts", [text], ([same]) => {
    assert.isTrue(diffLines(same, same).every((line) => line.op === "same"))
  })
})

describe("withContext", () => {
  const same = (text: string): DiffLine => ({ op: "same", text })

  it("keeps two lines around a change and counts the rest", () => {
    const diff = [
      ...["1", "2", "3", "4"].map(same),
      { op: "added", text: "new" } as const,
      ...["5", "6", "7"].map(same),
    ]
    assert.deepStrictEqual(withContext(diff, 2), [
      { _tag: "Hidden", count: 2 },
      { _tag: "Shown", lines: [same("3"), same("4"), { op: "added", text: "new" }, same("5"), same("6")] },
      { _tag: "Hidden", count: 1 },
    ])
  })

  it("hides all of an unchanged text", () => {
    assert.deepStrictEqual(withContext(["a", "b"].map(same), 3), [{ _tag: "Hidden", count: 2 }])
  })

  it.prop(
    "hides only unchanged lines far from every change, and loses none",
    [text, text, fc.integer({ min: 0, max: 4 })],
    ([before, after, context]) => {
      const diff = diffLines(before, after)
      const chunks = withContext(diff, context)
      let position = 0
      for (const chunk of chunks) {
        if (chunk._tag === "Shown") {
          assert.deepStrictEqual(chunk.lines, diff.slice(position, position + chunk.lines.length))
          position += chunk.lines.length
          continue
        }
        assert.isAbove(chunk.count, 0)
        for (let index = position; index < position + chunk.count; index++) {
          const nearest = diff.findIndex((line, at) => line.op !== "same" && Math.abs(at - index) <= context)
          assert.strictEqual(diff[index]?.op, "same")
          assert.strictEqual(nearest, -1)
        }
        position += chunk.count
      }
      assert.strictEqual(position, diff.length)
    },
  )
})
