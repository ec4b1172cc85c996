/**
 * The database a benchmark runs on: PostgreSQL in a fresh schema (dropped
 * afterwards) when `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set,
 * embedded PGlite otherwise.
 */
import { randomUUID } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import pg from "pg"
import { type Database, layerPGlite, layerPostgres } from "../../apps/server/src/Database/Database.js"

export const postgresUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined

const adminQuery = (url: string, text: string) =>
  Effect.promise(async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  })

/** The benchmark's database; on PostgreSQL a pool of `poolMax` connections. */
export const layer = (poolMax: number): Layer.Layer<Database> =>
  postgresUrl === undefined
    ? layerPGlite({}).pipe(Layer.orDie)
    : Layer.unwrapScoped(
        Effect.map(
          Effect.acquireRelease(
            Effect.sync(() => `bench_${randomUUID().replaceAll("-", "").slice(0, 16)}`).pipe(
              Effect.tap((schema) => adminQuery(postgresUrl, `create schema ${schema}`)),
            ),
            (schema) => adminQuery(postgresUrl, `drop schema ${schema} cascade`),
          ),
          (searchPath) => layerPostgres({ url: Redacted.make(postgresUrl), poolMax, searchPath }),
        ),
      ).pipe(Layer.orDie)
