/**
 * How long ago (or how soon) a moment is, as a person says it: "now",
 * "5 minutes ago", "yesterday", "last week" — in the reader's language.
 */

const units: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
]

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })

/** `date` relative to `now`, in the largest unit it reaches; under a minute is "now". */
export const relativeTime = (
  date: Date,
  now: number = Date.now(),
  format: Intl.RelativeTimeFormat = relative,
): string => {
  const seconds = (date.getTime() - now) / 1000
  const unit = units.find(([, size]) => Math.abs(seconds) >= size)
  return unit === undefined ? format.format(0, "second") : format.format(Math.round(seconds / unit[1]), unit[0])
}
