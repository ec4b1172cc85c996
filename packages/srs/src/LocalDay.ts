/**
 * Which local day an instant falls on. Spaced repetition counts in days — an
 * interval of 6 days, "due today", the same-day re-drill, reviews per day —
 * and a day is the learner's: it starts at a given hour in their time zone
 * (a fixed offset or an IANA zone, through effect's `DateTime`, so DST is
 * Intl's business, not ours).
 *
 * A day is a number: the local calendar date as days since 1970-01-01.
 * `startOf(day)` is the instant the day begins; an instant belongs to day d
 * when `startOf(d) ≤ t < startOf(d + 1)`, so a 23- or 25-hour DST day is
 * still one day. For a named zone the start of each day is asked of `DateTime`
 * once and remembered: a scheduler asks for the same few days millions of
 * times, and Intl answers in microseconds. So make one calendar per zone and
 * day start, and keep it.
 */
import { DateTime, Schema } from "effect"

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
/** Remembered day starts per calendar: about 360 years of days (a few MB at most); forgotten all at once past that. */
const CACHE_LIMIT = 131_072

export interface Calendar {
  readonly timeZone: DateTime.TimeZone
  /** The local hour (0–23) at which a new day starts. */
  readonly startHour: number
  /** The local day `epochMs` falls on. */
  readonly dayOf: (epochMs: number) => number
  /** The instant (epoch ms) day `day` starts. */
  readonly startOf: (day: number) => number
  /** The day's calendar date, `YYYY-MM-DD`. */
  readonly isoDate: (day: number) => string
}

/** A calendar's settings as they are stored: a zone (`"Europe/Berlin"` or `"+05:30"`) and the hour days start. */
export const Settings = Schema.Struct({
  timeZone: Schema.TimeZone,
  startHour: Schema.Int.pipe(Schema.between(0, 23)),
}).annotations({ identifier: "CalendarSettings", description: "A time zone and the local hour a day starts" })
export type Settings = typeof Settings.Type

const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** A calendar in `timeZone` whose days start at `startHour` local time (midnight by default). */
export const make = (timeZone: DateTime.TimeZone, options: { readonly startHour?: number } = {}): Calendar => {
  const startHour = options.startHour ?? 0
  const startMs = startHour * HOUR_MS
  if (DateTime.isTimeZoneOffset(timeZone)) {
    const offset = timeZone.offset
    return {
      timeZone,
      startHour,
      dayOf: (epochMs) => Math.floor((epochMs + offset - startMs) / DAY_MS),
      startOf: (day) => day * DAY_MS + startMs - offset,
      isoDate,
    }
  }
  const starts = new Map<number, number>()
  const startOf = (day: number) => {
    const cached = starts.get(day)
    if (cached !== undefined) return cached
    // The wall-clock start of the day, placed in the zone; in a DST gap "compatible" takes the later instant.
    const start = DateTime.toEpochMillis(
      DateTime.unsafeMakeZoned(day * DAY_MS + startMs, { timeZone, adjustForTimeZone: true }),
    )
    if (starts.size >= CACHE_LIMIT) starts.clear()
    starts.set(day, start)
    return start
  }
  // The zone's offset at the last day looked up: the first guess for the next one, then at most a step either way.
  let offsetGuess = 0
  const dayOf = (epochMs: number) => {
    let day = Math.floor((epochMs + offsetGuess - startMs) / DAY_MS)
    while (startOf(day) > epochMs) day--
    while (startOf(day + 1) <= epochMs) day++
    offsetGuess = day * DAY_MS + startMs - startOf(day)
    return day
  }
  return { timeZone, startHour, dayOf, startOf, isoDate }
}

/** A calendar from stored settings. */
export const fromSettings = (settings: Settings): Calendar => make(settings.timeZone, settings)

/** UTC days starting at midnight: the default when nothing better is known. */
export const utc: Calendar = make(DateTime.zoneMakeOffset(0))
