/**
 * Applying the migrations of `@ignition/migrations`. Instances that start
 * together against one PostgreSQL take a session-level advisory lock first,
 * so exactly one applies each migration and the others wait and find
 * nothing left to do.
 */
import * as Migrations from "@ignition/migrations"
import { Data, Effect } from "effect"
import { type Kysely, sql } from "kysely"
import { Migrator } from "kysely/migration"
import { currentSchema, Database, DatabaseError } from "./Database.js"

export class MigrationFailed extends Data.TaggedError("MigrationFailed")<{
  readonly migration: string | undefined
  readonly cause: unknown
}> {
  override get message(): string {
    const reason = this.cause instanceof Error ? this.cause.message : String(this.cause)
    return this.migration === undefined
      ? `Migrations could not run: ${reason}`
      : `Migration ${this.migration} failed: ${reason}`
  }
}

/**
 * A migrator over `db` whose tables are in the current schema, named
 * explicitly: unnamed, Kysely looks for them in every schema of the database
 * and skips creating its own when another schema (a concurrent test's,
 * another deployment's) has them.
 */
const migratorOn = async <DB>(db: Kysely<DB>) =>
  new Migrator({ db, provider: Migrations.provider, migrationTableSchema: await currentSchema(db) })

/** Any constant works; it only has to be the same for every instance. */
const lockName = "ignition:migrations"

/** Apply every pending migration; answers the names applied by this call. */
export const migrateToLatest: Effect.Effect<ReadonlyArray<string>, MigrationFailed, Database> = Effect.gen(
  function* () {
    const { kysely } = yield* Database
    const outcome = yield* Effect.tryPromise({
      try: () =>
        kysely.connection().execute(async (connection) => {
          await sql`select pg_advisory_lock(hashtext(${lockName}))`.execute(connection)
          try {
            return await (await migratorOn(connection)).migrateToLatest()
          } finally {
            await sql`select pg_advisory_unlock(hashtext(${lockName}))`.execute(connection)
          }
        }),
      catch: (cause) => new MigrationFailed({ migration: undefined, cause }),
    })
    const failed = outcome.results?.find((result) => result.status === "Error")
    if (outcome.error !== undefined) {
      return yield* new MigrationFailed({ migration: failed?.migrationName, cause: outcome.error })
    }
    const applied = (outcome.results ?? []).map((result) => result.migrationName)
    for (const migration of applied) {
      yield* Effect.logInfo("migration applied", { migration })
    }
    return applied
  },
)

export interface MigrationStatus {
  readonly applied: ReadonlyArray<string>
  readonly pending: ReadonlyArray<string>
}

/** Which of the known migrations the database has applied. */
export const status: Effect.Effect<MigrationStatus, DatabaseError, Database> = Effect.gen(function* () {
  const { kysely } = yield* Database
  const infos = yield* Effect.tryPromise({
    try: async () => (await migratorOn(kysely)).getMigrations(),
    catch: DatabaseError.fromUnknown,
  })
  return {
    applied: infos.filter((info) => info.executedAt !== undefined).map((info) => info.name),
    pending: infos.filter((info) => info.executedAt === undefined).map((info) => info.name),
  }
})

/** The migration a fully migrated database has applied last. */
export const head: string = Migrations.head

/** Every known migration, in the order they apply. */
export const names: ReadonlyArray<string> = Migrations.names
