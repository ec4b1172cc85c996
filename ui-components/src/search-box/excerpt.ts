/**
 * What a search result shows of its record: a title (the note's title, the
 * journal entry's date, the idea's first line — named as the editors name
 * them), a short excerpt around the
 * first matched term, and which words to mark. A word is marked when the
 * search tokenizer turns it into one of the terms that matched, so `F#m`,
 * `128 BPM` and `Dm7` are marked as the index found them, and a prefix or
 * fuzzy match marks the whole word it matched. The pieces are plain text:
 * the element puts the marked ones in `<mark>` with Lit templates.
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
 * chord names use (`F#m`, `G/B`, `C♯m7`).
 */
const candidates = /\d{2,3}[ \t-]?bpm(?![\p{L}\p{N}])|[\p{L}\p{N}\p{M}#♯♭/]+/giu

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
    if (!Tokenizer.tokenize(word).some((token) => terms.has(token))) continue
    if (start > from) pieces.push({ text: text.slice(from, start), marked: false })
    pieces.push({ text: word, marked: true })
    from = start + word.length
  }
  if (from < text.length || pieces.length === 0) pieces.push({ text: text.slice(from), marked: false })
  return pieces
}

/** How much an excerpt shows before its first match. */
const lead = 32

/**
 * About `width` characters of `text` around its first marked word (from the
 * start when nothing is marked), cut at spaces, with "…" where it was cut.
 */
export const excerpt = (text: string, terms: ReadonlySet<string>, width = 140): ReadonlyArray<Piece> => {
  if (text.length <= width) return highlight(text, terms)
  let matchStart = 0
  let matchEnd = 0
  for (const found of text.matchAll(candidates)) {
    if (Tokenizer.tokenize(found[0]).some((token) => terms.has(token))) {
      matchStart = found.index
      matchEnd = found.index + found[0].length
      break
    }
  }
  // A little before the match, but never so far that the match itself is cut.
  let start = Math.max(0, Math.min(matchStart - lead, text.length - width))
  if (matchEnd - start > width) start = Math.max(0, matchEnd - width)
  if (start > 0) {
    const space = text.indexOf(" ", start)
    if (space !== -1 && space < matchStart) start = space + 1
  }
  let end = Math.min(text.length, start + width)
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end)
    if (space >= matchEnd && space > start) end = space
  }
  const pieces = highlight(text.slice(start, end), terms)
  return [
    ...(start > 0 ? [{ text: "…", marked: false }] : []),
    ...pieces,
    ...(end < text.length ? [{ text: "…", marked: false }] : []),
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

/** The text an excerpt is taken from: the idea's other lines, the note's or entry's Markdown as plain words. */
export const bodyOf = (entry: Entry): string => {
  const record = known(entry)
  switch (record.type) {
    case "idea":
      // The first line is the title.
      return record.draft.text.trim().split("\n").slice(1).join(" ").replace(/\s+/g, " ").trim()
    case "infobase":
    case "journal":
      return plainText(record.draft.content)
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
