/**
 * Kysely table types: what the migrations in `migrations/` create. Add a
 * table here together with the migration that creates it.
 */
import type { ColumnType, Generated } from "kysely"

export interface InstanceTable {
  readonly singleton: Generated<boolean>
  readonly id: Generated<string>
  readonly created_at: ColumnType<Date, never, never>
}

export interface DatabaseSchema {
  readonly instance: InstanceTable
}
