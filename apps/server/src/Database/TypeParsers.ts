/**
 * One set of result parsers for both drivers, so a query returns the same
 * JavaScript values on PGlite and on PostgreSQL:
 * - `bigint` (and `count(*)`), also in arrays → number, refusing values a
 *   double cannot hold exactly;
 * - `date` → the `YYYY-MM-DD` string (a calendar day has no time zone; a
 *   `Date` would shift it by the process's offset);
 * - `interval` → PostgreSQL's text form (e.g. `1 day 02:03:04`).
 * Columns of time should be `timestamptz` (→ `Date` on both).
 */
import { parse as parseArray } from "postgres-array"

const oid = { int8: 20, date: 1082, interval: 1186, int8Array: 1016 } as const

const parseInt8 = (text: string): number => {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} is outside JavaScript's safe integer range`)
  }
  return value
}

const asText = (text: string): string => text

/** Parsers keyed by type OID, for `pg`'s `types.getTypeParser` and PGlite's `parsers`. */
export const parsers: Readonly<Record<number, (text: string) => unknown>> = {
  [oid.int8]: parseInt8,
  [oid.int8Array]: (text) => parseArray(text, parseInt8),
  [oid.date]: asText,
  [oid.interval]: asText,
}
