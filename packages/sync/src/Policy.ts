/**
 * The conflict policies as pure functions, shared by the server rules and the
 * client's rebase:
 *
 * - LWW per field: a document is fields plus, per field, the version of the
 *   write that set it; merging keeps each field's highest stamp (ties, which
 *   the server never makes, break on the canonical value), so merging is
 *   commutative, associative and idempotent and replicas converge in any order.
 * - Idempotent upsert: writing a value equal to the current one changes
 *   nothing, so a retried check-in is harmless.
 * - Compare-and-swap: a write names the version it began from; if the record
 *   moved on meanwhile, the write becomes a conflict copy beside it instead
 *   of an overwrite, so neither side's text is lost.
 */
import { Option, Schema } from "effect"
import { canonical } from "./internal/json.js"
import { Version } from "./Protocol.js"

export const LwwDocument = Schema.Struct({
  fields: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  stamps: Schema.Record({ key: Schema.String, value: Version }),
}).annotations({ identifier: "LwwDocument" })
export type LwwDocument = typeof LwwDocument.Type

export const emptyDocument: LwwDocument = { fields: {}, stamps: {} }

const wins = (stampA: number, valueA: unknown, stampB: number, valueB: unknown) =>
  stampA !== stampB ? stampA > stampB : canonical(valueA) >= canonical(valueB)

/** The per-field join of two documents. */
export const mergeLww = (a: LwwDocument, b: LwwDocument): LwwDocument => {
  const fields: Record<string, unknown> = {}
  const stamps: Record<string, number> = {}
  for (const key of new Set([...Object.keys(a.stamps), ...Object.keys(b.stamps)])) {
    const stampA = a.stamps[key]
    const stampB = b.stamps[key]
    const fromA = stampB === undefined || (stampA !== undefined && wins(stampA, a.fields[key], stampB, b.fields[key]))
    fields[key] = fromA ? a.fields[key] : b.fields[key]
    stamps[key] = (fromA ? stampA : stampB) ?? 0
  }
  return { fields, stamps }
}

/** A patch of fields written at `version` over a document. */
export const applyLww = (
  document: LwwDocument,
  patch: Readonly<Record<string, unknown>>,
  version: number,
): LwwDocument =>
  mergeLww(document, {
    fields: patch,
    stamps: Object.fromEntries(Object.keys(patch).map((key) => [key, version])),
  })

/** The value to store after an upsert, or none when it equals what is stored (nothing to write). */
export const upsert = (current: Option.Option<unknown>, value: unknown): Option.Option<unknown> =>
  Option.isSome(current) && canonical(current.value) === canonical(value) ? Option.none() : Option.some(value)

/** What a compare-and-swap write does given the record's current version (`null` when absent or deleted). */
export type CasOutcome =
  | { readonly _tag: "Swap" }
  | { readonly _tag: "ConflictCopy"; readonly currentVersion: number | null }

export const compareAndSwap = (currentVersion: number | null, baseVersion: number | null): CasOutcome =>
  currentVersion === baseVersion ? { _tag: "Swap" } : { _tag: "ConflictCopy", currentVersion }

const CONFLICT_MARK = "~conflict~"

/**
 * The longest id a compare-and-swap write may target: its conflict copy's id
 * (mark and a mutation id of up to 64 characters added) must still be a
 * record id (256 characters).
 */
export const MAX_SWAPPABLE_ID_LENGTH = 256 - CONFLICT_MARK.length - 64

/** Where a conflict copy of `id` made by mutation `mutationId` lives: deterministic, so a retried mutation makes no second copy. */
export const conflictCopyId = (id: string, mutationId: string) => `${id}${CONFLICT_MARK}${mutationId}`

/**
 * The record a conflict copy was made from. An encrypted value's AAD binds the
 * record id it was sealed for, so the client opens a copy with its origin's
 * id (and re-seals it under a new id if the user keeps it).
 */
export const conflictOrigin = (id: string): Option.Option<string> => {
  const index = id.lastIndexOf(CONFLICT_MARK)
  return index < 0 ? Option.none() : Option.some(id.slice(0, index))
}
