/**
 * The `Database` service: Kysely over PostgreSQL (`pg`) or embedded PGlite,
 * behind one interface. Every query is an Effect; transactions go through
 * the service and nest as savepoints. Repositories turn `DatabaseError`
 * into defects except for the cases they handle (e.g. a unique violation).
 */
import { PGlite } from "@electric-sql/pglite"
import type { SystemApi } from "@ignition/api"
import { Context, Data, Effect, Exit, FiberRef, Layer, Option, Redacted, Runtime } from "effect"
import { type ControlledTransaction, Kysely, PGliteDialect, PostgresDialect, sql } from "kysely"
import pg from "pg"
import { acquireDataDirLock, type DataDirInUse } from "./DataDirLock.js"
import type { DatabaseSchema } from "./Schema.js"
import { parsers } from "./TypeParsers.js"

/** A failure reported by the database or its driver (SQLSTATE in `code` when there is one). */
export class DatabaseError extends Data.TaggedError("DatabaseError")<{
  readonly message: string
  readonly code: string | undefined
  readonly constraint: string | undefined
  readonly cause: unknown
}> {
  static fromUnknown(cause: unknown): DatabaseError {
    const fields = typeof cause === "object" && cause !== null ? (cause as Record<string, unknown>) : {}
    return new DatabaseError({
      message: cause instanceof Error ? cause.message : String(cause),
      code: typeof fields.code === "string" ? fields.code : undefined,
      constraint: typeof fields.constraint === "string" ? fields.constraint : undefined,
      cause,
    })
  }

  get isUniqueViolation(): boolean {
    return this.code === "23505"
  }
}

/** The schema the connection's unqualified names resolve to (its `search_path`'s first), "public" if none. */
export const currentSchema = async <DB>(db: Kysely<DB>): Promise<string> => {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  return rows[0]?.schema ?? "public"
}

type Transaction = ControlledTransaction<DatabaseSchema, Array<string>>

export interface Service {
  readonly engine: SystemApi.DatabaseEngine
  /** The root Kysely instance; queries should go through `execute` so they join the current transaction. */
  readonly kysely: Kysely<DatabaseSchema>
  /** Run a query (built on the given Kysely, which is the current transaction when inside one). */
  readonly execute: <A>(run: (db: Kysely<DatabaseSchema>) => Promise<A>) => Effect.Effect<A, DatabaseError>
  /**
   * Run an effect in a transaction: commit on success, roll back on failure or
   * interruption. Nested calls become savepoints. Effects inside one
   * transaction must not run nested transactions concurrently.
   */
  readonly transaction: <A, E, R>(
    effect: Effect.Effect<A, E | DatabaseError, R>,
  ) => Effect.Effect<A, E | DatabaseError, R>
  /** The `pg` pool on PostgreSQL, for adapters that need a driver of their own (the shared rate-limit store). */
  readonly postgresPool: pg.Pool | undefined
  /** The PGlite instance in embedded mode, for adapters that use its own channels (the realtime pokes' LISTEN). */
  readonly pglite: PGlite | undefined
}

export class Database extends Context.Tag("@ignition/server/Database")<Database, Service>() {}

interface CurrentTransaction {
  readonly owner: Kysely<DatabaseSchema>
  readonly trx: Transaction
  readonly depth: number
}

const currentTransaction = FiberRef.unsafeMake<Option.Option<CurrentTransaction>>(Option.none())

const attempt = <A>(run: () => Promise<A>): Effect.Effect<A, DatabaseError> =>
  Effect.tryPromise({ try: run, catch: DatabaseError.fromUnknown })

/** Build the service over a Kysely instance; the instance is destroyed when the scope closes. */
export const make = (
  engine: SystemApi.DatabaseEngine,
  kysely: Kysely<DatabaseSchema>,
  postgresPool?: pg.Pool,
  pglite?: PGlite,
) =>
  Effect.gen(function* () {
    yield* Effect.addFinalizer(() => Effect.promise(() => kysely.destroy()))

    const inTransaction = Effect.map(FiberRef.get(currentTransaction), (current) =>
      Option.filter(current, (c) => c.owner === kysely),
    )

    const execute: Service["execute"] = (run) =>
      Effect.flatMap(inTransaction, (current) =>
        attempt(() => run(Option.isSome(current) ? current.value.trx : kysely)),
      )

    const transaction: Service["transaction"] = (effect) =>
      Effect.flatMap(inTransaction, (outer) =>
        Effect.uninterruptibleMask((restore) =>
          Effect.gen(function* () {
            const parent = Option.getOrUndefined(outer)
            const depth = parent === undefined ? 0 : parent.depth + 1
            const savepoint = `ignition_sp_${depth}`
            const trx: Transaction =
              parent === undefined
                ? yield* attempt(() => kysely.startTransaction().execute())
                : yield* attempt(() => parent.trx.savepoint(savepoint).execute())
            const exit = yield* Effect.exit(
              restore(Effect.locally(effect, currentTransaction, Option.some({ owner: kysely, trx, depth }))),
            )
            const rollback = attempt<unknown>(() =>
              parent === undefined ? trx.rollback().execute() : trx.rollbackToSavepoint(savepoint).execute(),
            ).pipe(Effect.catchAll((error) => Effect.logWarning("transaction rollback failed", { code: error.code })))
            if (Exit.isSuccess(exit)) {
              // A failed COMMIT (deferred constraint, serialization failure, lost connection) still
              // holds the connection until a rollback releases it.
              yield* attempt<unknown>(() =>
                parent === undefined ? trx.commit().execute() : trx.releaseSavepoint(savepoint).execute(),
              ).pipe(Effect.tapError(() => rollback))
              return exit.value
            }
            yield* rollback
            return yield* exit
          }),
        ),
      )

    // Fail fast with a clear message when the database cannot be reached.
    yield* attempt(() => kysely.selectNoFrom((eb) => eb.lit(1).as("one")).execute())

    return Database.of({ engine, kysely, execute, transaction, postgresPool, pglite })
  })

export interface PostgresOptions {
  readonly url: Redacted.Redacted<string>
  readonly poolMax: number
  /** Put every connection on this schema (tests isolate themselves this way). */
  readonly searchPath?: string | undefined
}

/** PostgreSQL through a `pg` pool. */
export const layerPostgres = (options: PostgresOptions): Layer.Layer<Database, DatabaseError> =>
  Layer.scoped(
    Database,
    Effect.gen(function* () {
      const runtime = yield* Effect.runtime<never>()
      const pool = new pg.Pool({
        connectionString: Redacted.value(options.url),
        max: options.poolMax,
        application_name: "ignition",
        types: {
          getTypeParser: ((oid: number, format?: "text" | "binary") =>
            parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
        },
        ...(options.searchPath === undefined ? {} : { options: `-c search_path=${options.searchPath}` }),
      })
      // An idle client losing its connection must not crash the process; the pool replaces it.
      pool.on("error", (error: Error & { code?: string }) =>
        Runtime.runFork(runtime)(Effect.logWarning("idle database connection failed", { code: error.code })),
      )
      return yield* make("postgres", new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) }), pool)
    }),
  )

export interface PGliteOptions {
  /** Directory to persist to; absent → in memory. */
  readonly dataDir?: string | undefined
  /** A `dumpDataDir()` archive to start from (in-memory databases only). */
  readonly loadDataDir?: Blob | undefined
}

/** Embedded PGlite: real PostgreSQL compiled to WASM, in this process. */
export const layerPGlite = (options: PGliteOptions): Layer.Layer<Database, DatabaseError | DataDirInUse> =>
  Layer.scoped(
    Database,
    Effect.gen(function* () {
      if (options.dataDir !== undefined) {
        yield* acquireDataDirLock(options.dataDir)
      }
      const pglite = yield* attempt(() =>
        PGlite.create({
          ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
          ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
          parsers,
        }),
      )
      return yield* make(
        "pglite",
        new Kysely<DatabaseSchema>({ dialect: new PGliteDialect({ pglite }) }),
        undefined,
        pglite,
      )
    }),
  )
