/**
 * What a search result shows of its record: a title (the note's title, the
 * journal entry's date, the idea's first line — named as the editors name
 * them), a short excerpt around the first matched word, its details, and
 * which words to mark. A word is marked when the search tokenizer turns it
 * into one of the terms that matched, so `F#m`, `128 BPM` and `Dm7` are
 * marked as the index found them, and a prefix or fuzzy match marks the
 * whole word it matched. The pieces are plain text: the element puts the
 * marked ones in `<mark>` with Lit templates.
 *
 * A note can be a megabyte of Markdown, so only a window of it around the
 * first match is turned into plain text and marked: the cost of a result
 * does not grow with its note (benchmarks/src/search-results.ts).
 */
import { Tokenizer } from "@ignition/vault"
import type { Entry } from "../knowledge/KnowledgeBase.js"
import type { KindName } from "../knowledge/kinds.js"
import { entryLabel, firstLine, noteLabel } from "../knowledge-editor/labels.js"

export interface Piece {
  readonly text: string
  readonly marked: boolean
}

/**
 * Candidate words, as the tokenizer sees them: a tempo with its unit
 * (`128 BPM`, `128-bpm`), else a run of word characters and the symbols
 * chord names use (`F#m`, `G/B`, `C♯m7`). The first alternative, a link
 * target, is skipped: the index never saw its words.
 */
const candidates = /\]\([^)]*\)|\d{2,3}[ \t-]?bpm(?![\p{L}\p{N}])|[\p{L}\p{N}\p{M}#♯♭/]+/giu

/** Plain letters: the tokenizer only lower-cases them, or drops a stop word. */
const letters = /^[A-Za-z]+$/

const isMatch = (word: string, terms: ReadonlySet<string>): boolean => {
  if (!letters.test(word)) return Tokenizer.tokenize(word).some((token) => terms.has(token))
  const token = word.toLowerCase()
  return terms.has(token) && !Tokenizer.isStopWord(token)
}

/** Where the first matched word of `text` is. */
const firstMatch = (
  text: string,
  terms: ReadonlySet<string>,
): { readonly start: number; readonly end: number } | undefined => {
  for (const found of text.matchAll(candidates)) {
    const word = found[0]
    if (!word.startsWith("]") && isMatch(word, terms)) return { start: found.index, end: found.index + word.length }
  }
  return undefined
}

/** Link targets, and the Markdown marks that are not text: heading, quote, list, emphasis, code. */
const markdownNoise = /\]\([^)]*\)|^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`~[\]]+/gm

/** Markdown as the words it says, on one line. */
export const plainText = (markdown: string): string => markdown.replace(markdownNoise, " ").replace(/\s+/g, " ").trim()

/** `text` cut into marked and unmarked pieces. */
export const highlight = (text: string, terms: ReadonlySet<string>): ReadonlyArray<Piece> => {
  const pieces: Array<Piece> = []
  let from = 0
  for (const found of text.matchAll(candidates)) {
    const start = found.index
    const word = found[0]
    if (word.startsWith("]") || !isMatch(word, terms)) continue
    if (start > from) pieces.push({ text: text.slice(from, start), marked: false })
    pieces.push({ text: word, marked: true })
    from = start + word.length
  }
  if (from < text.length || pieces.length === 0) pieces.push({ text: text.slice(from), marked: false })
  return pieces
}

/** How much an excerpt shows before its first match. */
const lead = 32

const ellipsis: Piece = { text: "…", marked: false }

/**
 * About `width` characters of `text` around its first marked word (from the
 * start when nothing is marked), cut at spaces, with "…" where it was cut.
 */
export const excerpt = (text: string, terms: ReadonlySet<string>, width = 140): ReadonlyArray<Piece> => {
  if (text.length <= width) return highlight(text, terms)
  const match = firstMatch(text, terms) ?? { start: 0, end: 0 }
  // A little before the match, but never so far that the match itself is cut.
  let start = Math.max(0, Math.min(match.start - lead, text.length - width))
  if (match.end - start > width) start = Math.max(0, match.end - width)
  if (start > 0) {
    const space = text.indexOf(" ", start)
    if (space !== -1 && space < match.start) start = space + 1
  }
  let end = Math.min(text.length, start + width)
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end)
    if (space >= match.end && space > start) end = space
  }
  return [
    ...(start > 0 ? [ellipsis] : []),
    ...highlight(text.slice(start, end), terms),
    ...(end < text.length ? [ellipsis] : []),
  ]
}

/**
 * The excerpt of a long text, Markdown or not: only a window around its
 * first match (twice `width` on each side, for the marks Markdown drops) is
 * made plain and cut with `excerpt`.
 */
export const excerptOf = (
  source: string,
  format: "markdown" | "text",
  terms: ReadonlySet<string>,
  width = 140,
): ReadonlyArray<Piece> => {
  // A text that fits in the window whole is not scanned twice.
  const match = source.length <= 4 * width ? undefined : firstMatch(source, terms)
  const from = match === undefined ? 0 : Math.max(0, match.start - 2 * width)
  const to =
    match === undefined && source.length <= 4 * width
      ? source.length
      : Math.min(source.length, (match?.end ?? 0) + 2 * width)
  const window = source.slice(from, to)
  const text = format === "markdown" ? plainText(window) : window.replace(/\s+/g, " ").trim()
  const pieces = excerpt(text, terms, width)
  return [
    ...(from > 0 && pieces[0] !== ellipsis ? [ellipsis] : []),
    ...pieces,
    ...(to < source.length && pieces.at(-1) !== ellipsis ? [ellipsis] : []),
  ]
}

/** An entry whose `type` tells its draft's shape. */
type AnyEntry = { readonly [K in KindName]: Entry<K> }[KindName]
const known = (entry: Entry): AnyEntry => entry as AnyEntry

/** A record's title, as a result shows it. */
export const titleOf = (entry: Entry): string => {
  const record = known(entry)
  switch (record.type) {
    case "idea":
      return firstLine(record.draft.text) || "Untitled idea"
    case "infobase":
      return noteLabel(record.draft)
    case "journal":
      return entryLabel(record.draft)
  }
}

/** The text an excerpt is taken from: the idea's other lines (its first is the title), the note's or entry's Markdown. */
export const bodyOf = (entry: Entry): { readonly source: string; readonly format: "markdown" | "text" } => {
  const record = known(entry)
  switch (record.type) {
    case "idea": {
      const text = record.draft.text.trim()
      const lineEnd = text.indexOf("\n")
      return { source: lineEnd === -1 ? "" : text.slice(lineEnd + 1), format: "text" }
    }
    case "infobase":
    case "journal":
      return { source: record.draft.content, format: "markdown" }
  }
}

/** The details a result lists after its excerpt: an idea's key, tempo and moods; a note's category and tags. */
export const detailsOf = (entry: Entry): ReadonlyArray<string> => {
  const record = known(entry)
  switch (record.type) {
    case "idea": {
      const { key, bpm, moodTags } = record.draft
      return [...(key === null ? [] : [key]), ...(bpm === null ? [] : [`${bpm} BPM`]), ...moodTags]
    }
    case "infobase":
      return [...(record.draft.category === null ? [] : [record.draft.category]), ...record.draft.tags]
    case "journal":
      return record.draft.tags
  }
}

/** A result as the popup shows it: each line cut into pieces, the matched words marked. */
export interface ResultView {
  readonly title: ReadonlyArray<Piece>
  readonly excerpt: ReadonlyArray<Piece>
  readonly details: ReadonlyArray<Piece>
}

/** What a result shows of `entry`, for the indexed `terms` that matched it (made once per search, not per render). */
export const resultView = (entry: Entry, terms: ReadonlyArray<string>): ResultView => {
  const matched = new Set(terms)
  const body = bodyOf(entry)
  const details = detailsOf(entry)
  return {
    title: highlight(titleOf(entry), matched),
    excerpt: body.source.trim() === "" ? [] : excerptOf(body.source, body.format, matched),
    details: details.length === 0 ? [] : highlight(details.join(" · "), matched),
  }
}
