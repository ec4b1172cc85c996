/**
 * The integrity digest a poll carries per entity: the count of live rows and
 * a hash of their (id, version) pairs. A client computes the same over its
 * cache; a mismatch means it drifted (a lost write, a bug) and resyncs.
 *
 * The hash is the first 16 bytes of SHA-256 over `id ":" version "\n"` for
 * every live row, ids in code-unit order (PostgreSQL: `ORDER BY id COLLATE
 * "C"`), as lowercase hex. An entity without rows has count 0 and the hash of
 * nothing, so absent and empty agree.
 */
import { Effect } from "effect"
import type { EntityDigest } from "./Protocol.js"

export interface VersionedId {
  readonly id: string
  readonly version: number
}

const byCodeUnits = (a: VersionedId, b: VersionedId) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const ofRows = (entity: string, rows: ReadonlyArray<VersionedId>): Effect.Effect<typeof EntityDigest.Type> => {
  const text = [...rows]
    .sort(byCodeUnits)
    .map((row) => `${row.id}:${row.version}\n`)
    .join("")
  return Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).pipe(
    Effect.map((hash) => ({
      entity,
      count: rows.length,
      hash: Array.from(new Uint8Array(hash, 0, 16), (byte) => byte.toString(16).padStart(2, "0")).join(""),
    })),
  )
}
