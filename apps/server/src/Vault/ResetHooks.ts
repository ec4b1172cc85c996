/**
 * What a vault reset destroys besides the vault itself. The vault's own
 * tables (wraps, content keys, recovery codes) go with it by cascade; every
 * other domain that stores records encrypted under the vault's keys
 * registers a hook here, because once the keys are gone those records are
 * noise that could never be read again.
 *
 * A hook's `purge` runs inside the reset's transaction, so the old records
 * and the old vault disappear together or not at all. Stores outside the
 * database (the blob store, when it exists) use `afterCommit`: it runs once
 * the transaction has committed, and a failure there is logged, not undone
 * (the blobs are unreadable anyway; an orphan sweep can catch them later).
 *
 * To register a domain: add an entry to `registered` — for a table with a
 * `user_id` column, `encryptedTable("knowledge_items")` is enough.
 */
import { Context, Effect, Layer } from "effect"
import { sql } from "kysely"
import { Database, type DatabaseError } from "../Database/Database.js"
import * as SyncResetHook from "../Sync/ResetHook.js"

export interface ResetTarget {
  readonly userId: string
  /** The vault being destroyed, when there was one. */
  readonly vaultId: string | undefined
}

export interface ResetHook {
  /** For the audit log: which domain was purged. */
  readonly name: string
  /** Deletes the user's encrypted records in the current transaction; answers how many went. */
  readonly purge: (target: ResetTarget) => Effect.Effect<number, DatabaseError, Database>
  /** Cleans up outside the database once the reset has committed (blobs). */
  readonly afterCommit?: (target: ResetTarget) => Effect.Effect<void, never, Database>
}

/** Every row of `table` whose `userColumn` is the user's. */
export const encryptedTable = (table: string, userColumn = "user_id"): ResetHook => ({
  name: table,
  purge: ({ userId }) =>
    Effect.flatMap(Database, (db) =>
      db.execute((q) => sql`delete from ${sql.table(table)} where ${sql.ref(userColumn)} = ${userId}`.execute(q)),
    ).pipe(Effect.map((result) => Number(result.numAffectedRows ?? 0))),
})

/**
 * The registry: the knowledge base (ideas, infobase, journal: its versions
 * first, then the records and tombstones); projects and the blob store add
 * themselves here.
 */
export const registered: ReadonlyArray<ResetHook> = [
  encryptedTable("knowledge_item_versions"),
  encryptedTable("knowledge_items"),
  SyncResetHook.hook,
]

export class VaultResetHooks extends Context.Tag("@ignition/server/VaultResetHooks")<
  VaultResetHooks,
  ReadonlyArray<ResetHook>
>() {
  static readonly layer = (hooks: ReadonlyArray<ResetHook>) => Layer.succeed(VaultResetHooks, hooks)
  static readonly Default = VaultResetHooks.layer(registered)
}
