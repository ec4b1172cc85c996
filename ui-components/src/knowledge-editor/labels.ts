/**
 * How records are named on screen: a note by its title (or its first line),
 * a journal entry by its date written out, a version by either — and the
 * dates and times in the reader's locale.
 */
import type { InfobaseDraft, JournalDraft } from "../knowledge/KnowledgeBase.js"

/** Markdown's marks at the start of a line: headings, quotes, list bullets and numbers, task boxes. */
const leadingMarks = /^(?:\s*(?:#{1,6}|>|[-*+]|\d+[.)])\s+)*(?:\[[ xX]\]\s+)?/

/** The first line with text in it, without the Markdown marks it starts with. */
export const firstLine = (markdown: string): string => {
  for (const line of markdown.split(/\r\n|\n|\r/)) {
    const text = line.replace(leadingMarks, "").trim()
    if (text !== "") return text
  }
  return ""
}

const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeZone: "UTC" })

/** A journal date (`YYYY-MM-DD`) written out — "Monday 2 March 2026" — whatever the reader's time zone. */
export const entryDateLabel = (entryDate: string): string => {
  const date = new Date(`${entryDate}T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? entryDate : fullDate.format(date)
}

/** A note's name: its title, else its first line. */
export const noteLabel = (draft: InfobaseDraft): string =>
  draft.title.trim() || firstLine(draft.content) || "Untitled note"

/** An entry's name: its date. */
export const entryLabel = (draft: JournalDraft): string => entryDateLabel(draft.entryDate)

/** What names a version in a list: a note's title (or first line), a journal entry's first line. */
export const versionSummary = (draft: InfobaseDraft | JournalDraft): string =>
  "title" in draft ? noteLabel(draft) : firstLine(draft.content) || "(no text)"

export const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })
