/**
 * Canonical associated data. Each AAD is the UTF-8 of a JSON array that
 * starts with a purpose label, then the bound fields in a fixed order: arrays
 * of strings and numbers serialise identically on every engine, so the same
 * context always authenticates to the same bytes, and a field can never be
 * confused with its neighbour.
 */
import { utf8 } from "./subtle.js"

export const encode = (label: string, fields: ReadonlyArray<string | number>): Uint8Array =>
  utf8.encode(JSON.stringify([label, ...fields]))
