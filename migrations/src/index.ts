/**
 * Ignition's migrations: one ordered set for PostgreSQL and embedded PGlite.
 * Names sort in application order (`NNNN_description`); a migration, once
 * released, is never edited — add a new one.
 *
 * @since 0.1.0
 */
import type { Migration, MigrationProvider } from "kysely/migration"
import * as m0001 from "./0001_instance.js"
import * as m0002 from "./0002_accounts.js"
import * as m0003 from "./0003_vault.js"
import * as m0004 from "./0004_knowledge_base.js"
import * as m0005 from "./0005_sync.js"
import * as m0006 from "./0006_flashcards.js"
import * as m0007 from "./0007_uploads.js"

/**
 * Every migration by name.
 *
 * @since 0.1.0
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "0001_instance": m0001,
  "0002_accounts": m0002,
  "0003_vault": m0003,
  "0004_knowledge_base": m0004,
  "0005_sync": m0005,
  "0006_flashcards": m0006,
  "0007_uploads": m0007,
}

/**
 * Migration names in the order they apply.
 *
 * @since 0.1.0
 */
export const names: ReadonlyArray<string> = Object.keys(migrations).sort()

/**
 * The newest migration: a database is "at head" when it has applied it.
 *
 * @since 0.1.0
 */
export const head: string = names[names.length - 1] ?? ""

/**
 * A Kysely `MigrationProvider` over the set above.
 *
 * @since 0.1.0
 */
export const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
}
