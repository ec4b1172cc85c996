/**
 * The command palette's fuzzy scorer: examples of the ranking it should give,
 * and properties over generated queries and candidates — positions are
 * increasing and spell the query (case-insensitively, character by
 * character), an exact prefix outranks any match with a gap, and a query
 * that is not a subsequence never matches.
 */
import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import { type FuzzyScore, fold, fuzzyFilter, fuzzyScore } from "../src/command-palette/fuzzy.js"

const labels = (query: string, candidates: ReadonlyArray<string>) =>
  fuzzyFilter(query, candidates, (candidate) => candidate).map((match) => match.item)

const spelled = (candidate: string, match: FuzzyScore) => {
  const chars = Array.from(candidate)
  return match.positions.map((position) => chars[position] ?? "")
}

/** Whether `query` is a subsequence of `candidate`, comparing characters folded one by one. */
const isSubsequence = (query: string, candidate: string) => {
  const q = Array.from(query, fold)
  let i = 0
  for (const char of Array.from(candidate, fold)) if (i < q.length && char === q[i]) i++
  return i === q.length
}

/** Small alphabets make matches (and near misses) likely; the full range finds encoding surprises. */
const word = fc.string({ unit: fc.constantFrom(..."abcABC -_/x1"), maxLength: 24 })
const text = fc.oneof(word, fc.string({ unit: "grapheme", maxLength: 16 }), fc.string({ maxLength: 16 }))

describe("fuzzyScore", () => {
  it("matches a subsequence case-insensitively and reports where", () => {
    expect(fuzzyScore("gts", "Go to Settings")?.positions).toEqual([0, 3, 6])
    expect(fuzzyScore("SET", "Go to settings")?.positions).toEqual([6, 7, 8])
    expect(fuzzyScore("xyz", "Go to settings")).toBeUndefined()
    expect(fuzzyScore("gg", "Go")).toBeUndefined()
  })

  it("matches everything with an empty query", () => {
    expect(fuzzyScore("", "anything")).toEqual({ score: 0, positions: [] })
    expect(fuzzyScore("", "")).toEqual({ score: 0, positions: [] })
  })

  it("prefers word starts and runs over the first occurrence", () => {
    // The greedy first occurrence would be s-e in "ho*s*t*e*d": the word "Settings" is better.
    expect(fuzzyScore("set", "hosted Settings")?.positions).toEqual([7, 8, 9])
    expect(fuzzyScore("ns", "New session")?.positions).toEqual([0, 4])
    expect(fuzzyScore("us", "adminUsers")?.positions).toEqual([5, 6])
  })

  it("counts code points, not UTF-16 units", () => {
    expect(fuzzyScore("b", "🎹 b")?.positions).toEqual([2])
  })
})

describe("fuzzyFilter", () => {
  it("ranks a prefix, then word starts, then scattered matches", () => {
    expect(labels("set", ["Reset password", "Sign out everywhere", "Settings", "Go to user settings"])).toEqual([
      "Settings",
      "Go to user settings",
      "Reset password",
    ])
  })

  it("breaks ties by length, then by the original order", () => {
    expect(labels("a", ["a b", "a", "a c"])).toEqual(["a", "a b", "a c"])
  })

  it("keeps every item for an empty query, in order", () => {
    expect(labels("", ["b", "a"])).toEqual(["b", "a"])
  })
})

describe("properties", () => {
  it("positions increase and spell the query, case-insensitively", () => {
    fc.assert(
      fc.property(text, text, (query, candidate) => {
        const match = fuzzyScore(query, candidate)
        if (match === undefined) return
        const { positions } = match
        expect(positions.length).toBe(Array.from(query).length)
        positions.forEach((position, i) => {
          if (i > 0) expect(position).toBeGreaterThan(positions[i - 1] ?? -1)
        })
        expect(spelled(candidate, match).map(fold)).toEqual(Array.from(query, fold))
      }),
      { numRuns: 2000 },
    )
  })

  it("matches exactly the subsequences", () => {
    fc.assert(
      fc.property(text, text, (query, candidate) => {
        expect(fuzzyScore(query, candidate) !== undefined).toBe(isSubsequence(query, candidate))
      }),
      { numRuns: 2000 },
    )
  })

  it("never matches a query that is not a subsequence", () => {
    // A candidate built by deleting at least one of the query's characters (and changing nothing else)
    // is not a guaranteed non-subsequence; appending a character absent from the candidate is.
    fc.assert(
      fc.property(word, word, (query, candidate) => {
        expect(fuzzyScore(`${query}#`, candidate.replaceAll("#", ""))).toBeUndefined()
      }),
    )
  })

  it("finds every query inside a candidate that contains it scattered", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(..."abcABC1"), word), { minLength: 1, maxLength: 6 }),
        word,
        (pieces, prefix) => {
          const query = pieces.map(([char]) => char).join("")
          const candidate = prefix + pieces.map(([char, filler]) => char + filler).join("")
          expect(fuzzyScore(query, candidate)).toBeDefined()
        },
      ),
    )
  })

  it("ranks an exact prefix above a match with a gap", () => {
    // Fillers share no character with the query, so a scattered candidate holds the query only with a gap.
    const queryChar = fc.constantFrom(..."abcABC -_/1")
    const filler = fc.string({ unit: fc.constantFrom(..."xyz.!"), minLength: 1, maxLength: 6 })
    fc.assert(
      fc.property(
        fc.array(queryChar, { minLength: 1, maxLength: 8 }),
        word,
        fc.option(filler, { nil: "" }),
        fc.array(fc.tuple(fc.nat(), filler), { minLength: 1, maxLength: 4 }),
        (chars, suffix, lead, fillers) => {
          const query = chars.join("")
          const gaps = new Map<number, string>()
          for (const [at, text] of fillers) {
            // After any character but the last, so the gap falls inside the match (before it, for one character).
            const after = chars.length === 1 ? -1 : at % (chars.length - 1)
            gaps.set(after, `${gaps.get(after) ?? ""}${text}`)
          }
          const scattered = (gaps.get(-1) ?? "") + lead + chars.map((char, i) => char + (gaps.get(i) ?? "")).join("")
          // The prefix in the other case: matching ignores it.
          const swapped = chars.map((char) => (char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase()))
          const prefixed = swapped.join("") + suffix
          expect(labels(query, [scattered, prefixed])[0]).toBe(prefixed)
          const best = fuzzyScore(query, prefixed)?.score ?? Number.NaN
          const gapped = fuzzyScore(query, scattered)?.score ?? Number.NaN
          expect(best).toBeGreaterThan(gapped)
        },
      ),
      { numRuns: 2000 },
    )
  })
})
