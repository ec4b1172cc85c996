/**
 * The search box's pure parts: marking the words a search matched (by the
 * search tokenizer, so `F#m`, `128 BPM` and `Dm7` are marked as the index
 * read them; every piece together is the text, unchanged), the excerpt
 * around the first match, the `types` attribute, and the grouping of hits
 * by kind; with the index progress's sentences and ETA rounding.
 */
import { assert, describe, it } from "@effect/vitest"
import { Tokenizer } from "@ignition/vault"
import { FastCheck as fc } from "effect"
import { etaText, progressText } from "../src/index-progress/IndexProgressController.js"
import { relativeTime } from "../src/internal/relativeTime.js"
import type { Hit } from "../src/knowledge/KnowledgeBase.js"
import { type KindName, kindNames } from "../src/knowledge/kinds.js"
import { excerpt, excerptOf, highlight, type Piece, plainText } from "../src/search-box/excerpt.js"
import { grouped, kindsOf } from "../src/search-box/SearchBoxController.js"

const terms = (query: string) => new Set(Tokenizer.tokenize(query))
const shown = (pieces: ReadonlyArray<Piece>) =>
  pieces.map((piece) => (piece.marked ? `[${piece.text}]` : piece.text)).join("")
const joined = (pieces: ReadonlyArray<Piece>) => pieces.map((piece) => piece.text).join("")

describe("highlight", () => {
  it("marks keys, tempos and chords as the index reads them", () => {
    assert.strictEqual(
      shown(highlight("A F#m pad at 128 BPM, then 128-bpm", terms("f#m 128bpm"))),
      "A [F#m] pad at [128 BPM], then [128-bpm]",
    )
    assert.strictEqual(shown(highlight("Rhodes in Dm7 → G7 → Am7", terms("Dm7"))), "Rhodes in [Dm7] → G7 → Am7")
  })

  it("marks the whole word a prefix or fuzzy match found, in any case", () => {
    assert.strictEqual(
      shown(highlight("Harmony and HARMONIES", new Set(["harmony", "harmonies"]))),
      "[Harmony] and [HARMONIES]",
    )
  })

  it("never marks a stop word", () => {
    assert.strictEqual(shown(highlight("the song of the year", new Set(["the", "song"]))), "the [song] of the year")
  })

  const words = fc.array(fc.constantFrom("F#m", "128 BPM", "Dm7", "café", "the", "groove", "G/B", "7/8", "—", "\n"), {
    maxLength: 20,
  })
  it.prop(
    "spells the text back, and marks only words that tokenize to a term",
    [
      fc.oneof(
        words.map((parts) => parts.join(" ")),
        fc.string({ maxLength: 200 }),
      ),
      fc.string({ maxLength: 20 }),
    ],
    ([text, query]) => {
      const wanted = terms(`${query} f#m 128bpm groove`)
      const pieces = highlight(text, wanted)
      assert.strictEqual(joined(pieces), text)
      for (const piece of pieces.filter((candidate) => candidate.marked))
        assert.isTrue(
          Tokenizer.tokenize(piece.text).some((token) => wanted.has(token)),
          piece.text,
        )
    },
  )
})

describe("excerpt", () => {
  const long = `${"lorem ipsum dolor ".repeat(12)}the Dm7 groove ${"sit amet ".repeat(20)}`

  it("shows the text around the first match, cut at spaces", () => {
    const pieces = excerpt(long, terms("Dm7"), 80)
    assert.strictEqual(pieces[0]?.text, "…")
    assert.strictEqual(pieces.at(-1)?.text, "…")
    assert.isTrue(pieces.some((piece) => piece.marked && piece.text === "Dm7"))
  })

  it("starts at the beginning when nothing matched", () => {
    const pieces = excerpt(long, terms("theremin"), 80)
    assert.isTrue(joined(pieces).startsWith("lorem ipsum"))
  })

  it.prop(
    "is a piece of the text around its first match, no longer than asked",
    [
      fc.array(fc.constantFrom("lorem", "ipsum", "Dm7", "F#m", "groove", "amet"), { maxLength: 80 }),
      fc.integer({ min: 20, max: 160 }),
    ],
    ([parts, width]) => {
      const text = parts.join(" ")
      const wanted = terms("dm7")
      const pieces = excerpt(text, wanted, width)
      const body = joined(pieces).replace(/^…/, "").replace(/…$/, "")
      assert.isTrue(text.includes(body))
      assert.isAtMost(body.length, width)
      if (parts.includes("Dm7") && text.length > 0) assert.isTrue(pieces.some((piece) => piece.marked))
    },
  )
})

describe("excerptOf", () => {
  const filler = (count: number) => "lorem **ipsum** dolor [sit](https://example.com/groove) amet\n".repeat(count)

  it("finds a match deep in a long Markdown note and shows only the words around it", () => {
    const note = `${filler(2000)}## The Dm7 groove\n${filler(2000)}`
    const pieces = excerptOf(note, "markdown", terms("Dm7"), 80)
    assert.strictEqual(pieces[0]?.text, "…")
    assert.strictEqual(pieces.at(-1)?.text, "…")
    assert.deepStrictEqual(
      pieces.filter((piece) => piece.marked).map((piece) => piece.text),
      ["Dm7"],
    )
    assert.isAtMost(joined(pieces).length, 82)
    assert.notInclude(joined(pieces), "**")
  })

  it("never matches a word of a link target (the index never saw it)", () => {
    const pieces = excerptOf(`${filler(3)}the groove itself`, "markdown", terms("groove"), 200)
    assert.deepStrictEqual(
      pieces.filter((piece) => piece.marked).map((piece) => piece.text),
      ["groove"],
    )
    assert.isTrue(joined(pieces).endsWith("the groove itself"))
  })

  it.prop(
    "marks only matched words, and one at least when the text has one",
    [fc.array(fc.constantFrom("lorem", "**ipsum**", "## Dm7", "F#m", "groove", "\n", "[amet](x)"), { maxLength: 300 })],
    ([parts]) => {
      const source = parts.join(" ")
      const wanted = terms("dm7 f#m")
      const pieces = excerptOf(source, "markdown", wanted, 60)
      for (const piece of pieces.filter((candidate) => candidate.marked))
        assert.isTrue(
          Tokenizer.tokenize(piece.text).some((token) => wanted.has(token)),
          piece.text,
        )
      if (parts.some((part) => part.includes("Dm7") || part === "F#m"))
        assert.isTrue(pieces.some((piece) => piece.marked))
    },
  )
})

describe("plainText", () => {
  it("drops Markdown's marks and link targets, keeping the words", () => {
    assert.strictEqual(
      plainText("# Mixing\n\n- **Gain** stage [to -18](https://example.com)\n> quote `code`"),
      "Mixing Gain stage to -18 quote code",
    )
  })
})

describe("kindsOf", () => {
  it("reads the types attribute, in the kinds' order; none or unknown means all", () => {
    assert.deepStrictEqual(kindsOf("journal idea"), ["idea", "journal"])
    assert.deepStrictEqual(kindsOf(""), kindNames)
    assert.deepStrictEqual(kindsOf("notes"), kindNames)
    assert.deepStrictEqual(kindsOf("  infobase  "), ["infobase"])
  })
})

describe("grouped", () => {
  const hit = (type: KindName, score: number): Hit =>
    ({ entry: { type, id: `${type}-${score}` }, score, terms: [] }) as unknown as Hit
  it.prop(
    "lists ideas, then notes, then journal entries, each kind in the order ranked",
    [fc.array(fc.tuple(fc.constantFrom(...kindNames), fc.integer()), { maxLength: 30 })],
    ([ranked]) => {
      const hits = ranked.map(([type, score]) => hit(type, score))
      const listed = grouped(hits)
      assert.strictEqual(listed.length, hits.length)
      const kinds = listed.map((one) => kindNames.indexOf(one.entry.type))
      assert.deepStrictEqual(
        kinds,
        [...kinds].sort((a, b) => a - b),
      )
      for (const type of kindNames)
        assert.deepStrictEqual(
          listed.filter((one) => one.entry.type === type),
          hits.filter((one) => one.entry.type === type),
        )
    },
  )
})

describe("index progress", () => {
  const numbers = new Intl.NumberFormat("en-US")

  it("says each phase with its counts", () => {
    assert.strictEqual(progressText({ phase: "downloading", done: 1, total: 3 }, numbers), "Downloading your notes…")
    assert.strictEqual(
      progressText({ phase: "decrypting", done: 1200, total: 10_000 }, numbers),
      "Decrypting 1,200 of 10,000…",
    )
    assert.strictEqual(
      progressText({ phase: "indexing", done: 3000, total: 10_000, etaMs: 2300 }, numbers),
      "Indexing 3,000 of 10,000 — about 2 s left",
    )
  })

  it("rounds the time left as a person would", () => {
    assert.strictEqual(etaText(0), "less than a second")
    assert.strictEqual(etaText(999), "less than a second")
    assert.strictEqual(etaText(1000), "about 1 s")
    assert.strictEqual(etaText(4400), "about 4 s")
    assert.strictEqual(etaText(59_400), "about 59 s")
    assert.strictEqual(etaText(59_600), "about 1 min")
    assert.strictEqual(etaText(130_000), "about 2 min")
  })

  it.prop("always says it in one of those forms", [fc.nat({ max: 10 * 3_600_000 })], ([ms]) => {
    assert.match(etaText(ms), /^(less than a second|about ([1-9]|[1-5]\d) s|about [1-9]\d* min)$/)
  })
})

describe("relativeTime", () => {
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" })
  const now = Date.UTC(2026, 2, 14, 12)
  it("says how long ago in the largest unit", () => {
    assert.strictEqual(relativeTime(new Date(now - 30_000), now, format), "now")
    assert.strictEqual(relativeTime(new Date(now - 5 * 60_000), now, format), "5 minutes ago")
    assert.strictEqual(relativeTime(new Date(now - 26 * 3_600_000), now, format), "yesterday")
    assert.strictEqual(relativeTime(new Date(now - 9 * 24 * 3_600_000), now, format), "last week")
  })
})
