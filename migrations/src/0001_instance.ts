import { type Kysely, sql } from "kysely"

/**
 * The instance row: one per database, its id identifies this instance's data
 * (reported by `GET /api/version`; a new id means the data was reset).
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema
    .createTable("instance")
    .addColumn("singleton", "boolean", (col) => col.primaryKey().defaultTo(true).check(sql`singleton`))
    .addColumn("id", "uuid", (col) => col.notNull().defaultTo(sql`gen_random_uuid()`))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`insert into instance default values`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  await db.schema.dropTable("instance").execute()
}
