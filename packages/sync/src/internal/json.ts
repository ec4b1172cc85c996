/** Canonical JSON: object keys sorted, so equal values have equal text whatever order their keys were built in. */

export const canonical = (value: unknown): string => JSON.stringify(value, sortKeys) ?? "null"

const sortKeys = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value

export const equals = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b)
