/**
 * The typed-array scorer against MiniSearch's own `search`: for random notes,
 * discards left unvacuumed, and random queries and options, the same hits,
 * scores (exactly), order, query terms and matches.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import MiniSearch from "minisearch"
import * as Scorer from "../src/internal/scorer.js"
import * as SearchIndex from "../src/SearchIndex.js"

/** Words that share prefixes and sit within an edit of each other, so prefix and fuzzy expansions overlap. */
const vocabulary = [
  "lighthouse",
  "light",
  "lightning",
  "lights",
  "harbour",
  "harbor",
  "keeper",
  "keepers",
  "kick",
  "kicks",
  "drum",
  "drums",
  "drummer",
  "mixing",
  "mixdown",
  "mixer",
  "bridge",
  "bridges",
  "snare",
  "F#m",
  "Dm7",
  "Dm",
  "128 BPM",
  "7/8",
]

const word = fc.constantFrom(...vocabulary)
const note = fc.record({
  title: fc.option(fc.array(word, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  text: fc.array(word, { maxLength: 12 }),
  tags: fc.array(fc.constantFrom("ambient", "drums", "mixing"), { maxLength: 2 }),
  key: fc.option(fc.constantFrom("F#m", "Bb", "C major"), { nil: undefined }),
  bpm: fc.option(fc.integer({ min: 60, max: 180 }), { nil: undefined }),
})

const types = ["idea", "infobase", "journal"] as const

/** A query word: whole, cut to a prefix, or with one letter dropped. */
const queryWord = fc.tuple(word, fc.constantFrom("whole", "prefix", "typo"), fc.nat()).map(([source, form, at]) => {
  if (form === "whole" || source.length < 4) return source
  if (form === "prefix") return source.slice(0, 3 + (at % (source.length - 2)))
  const cut = 1 + (at % (source.length - 2))
  return source.slice(0, cut) + source.slice(cut + 1)
})

const scenario = fc.record({
  notes: fc.array(note, { minLength: 1, maxLength: 30 }),
  discard: fc.array(fc.nat(), { maxLength: 5 }),
  query: fc.array(queryWord, { minLength: 1, maxLength: 3 }).map((words) => words.join(" ")),
  prefix: fc.boolean(),
  fuzzy: fc.boolean(),
  combineWith: fc.constantFrom("and" as const, "or" as const),
  limit: fc.integer({ min: 1, max: 40 }),
  only: fc.option(fc.subarray([...types], { minLength: 1 }), { nil: undefined }),
})

const indexOf = (documents: ReadonlyArray<SearchIndex.IndexDocument>, discard: ReadonlyArray<number>) => {
  const mini = new MiniSearch(SearchIndex.miniSearchOptions)
  mini.addAll(documents)
  for (const n of discard) {
    const ref = `${documents[n % documents.length]?.type}/${documents[n % documents.length]?.id}`
    if (mini.has(ref)) mini.discard(ref)
  }
  return mini
}

describe("scorer", () => {
  it.prop(
    "ranks exactly as MiniSearch's search does",
    [scenario],
    ([s]) => {
      const documents = s.notes.map(
        (n, index): SearchIndex.IndexDocument => ({
          id: `n${index}`,
          type: types[index % 3] as SearchIndex.DocumentType,
          ...(n.title === undefined ? {} : { title: n.title.join(" ") }),
          text: n.text.join(" "),
          tags: n.tags,
          ...(n.key === undefined ? {} : { key: n.key }),
          ...(n.bpm === undefined ? {} : { bpm: n.bpm }),
          updatedAt: index,
        }),
      )
      const accept = (ref: string) => s.only === undefined || s.only.some((type) => ref.startsWith(`${type}/`))
      // Separate but identical indexes: MiniSearch's search prunes discarded postings as it meets them.
      const ours = Scorer.evaluate(indexOf(documents, s.discard), s.query, { ...s, accept })
      const expected = indexOf(documents, s.discard)
        .search(s.query, {
          ...(s.prefix ? {} : { prefix: false }),
          ...(s.fuzzy ? {} : { fuzzy: false }),
          combineWith: s.combineWith === "and" ? "AND" : "OR",
          filter: (result) => accept(result.id as string),
        })
        .slice(0, s.limit)
        .map(({ id, score, queryTerms, match }) => ({ id, score, queryTerms, match }))
      assert.deepStrictEqual(ours, expected)
    },
    { fastCheck: { numRuns: 1000 } },
  )

  it("answers nothing for a query with no terms, and defers to MiniSearch for an index without its internals", () => {
    const mini = new MiniSearch(SearchIndex.miniSearchOptions)
    const options = { prefix: true, fuzzy: true, combineWith: "and" as const, limit: 5, accept: () => true }
    assert.deepStrictEqual(Scorer.evaluate(mini, "  ,, ", options), [])
    assert.isUndefined(Scorer.evaluate({}, "drum", options))
  })
})
