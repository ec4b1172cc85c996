/**
 * The Journal's calendar: today's date where the reader is, entries grouped
 * by month (newest first), and a month's name.
 */
import type { Entry } from "../knowledge/KnowledgeBase.js"

export interface Month {
  /** `YYYY-MM`. */
  readonly month: string
  readonly entries: ReadonlyArray<Entry<"journal">>
}

const pad = (value: number) => String(value).padStart(2, "0")

/** `at`'s calendar date where the reader is, as `YYYY-MM-DD`. */
export const localDate = (at: Date): string => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`

/** The entries by month, newest month first; within a month by date, newest first (then the latest saved). */
export const byMonth = (entries: ReadonlyArray<Entry<"journal">>): ReadonlyArray<Month> => {
  const sorted = [...entries].sort(
    (a, b) => b.draft.entryDate.localeCompare(a.draft.entryDate) || b.updatedAt.getTime() - a.updatedAt.getTime(),
  )
  const months: Array<{ readonly month: string; readonly entries: Array<Entry<"journal">> }> = []
  for (const entry of sorted) {
    const month = entry.draft.entryDate.slice(0, 7)
    const last = months[months.length - 1]
    if (last?.month === month) last.entries.push(entry)
    else months.push({ month, entries: [entry] })
  }
  return months
}

const monthName = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" })

/** "March 2026" for `2026-03`. */
export const monthLabel = (month: string): string => {
  const date = new Date(`${month}-01T00:00:00Z`)
  return Number.isNaN(date.getTime()) ? month : monthName.format(date)
}
