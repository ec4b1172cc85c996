/**
 * One set of result parsers for both drivers, so a query returns the same
 * JavaScript values on PGlite and on PostgreSQL: `bigint` columns (and
 * `count(*)`) as numbers, refusing values a double cannot hold exactly.
 */
const INT8_OID = 20

const parseInt8 = (text: string): number => {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} is outside JavaScript's safe integer range`)
  }
  return value
}

/** Parsers keyed by type OID, for `pg`'s `types.getTypeParser` and PGlite's `parsers`. */
export const parsers: Readonly<Record<number, (text: string) => unknown>> = {
  [INT8_OID]: parseInt8,
}
