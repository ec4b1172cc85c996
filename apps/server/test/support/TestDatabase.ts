/**
 * A migrated database for one test file: a copy of the PGlite snapshot by
 * default, or — when the project runs on PostgreSQL — a fresh schema in
 * TEST_DATABASE_URL's database, dropped when the file is done.
 */
import { randomUUID } from "node:crypto"
import * as fs from "node:fs"
import { Effect, Layer, Redacted } from "effect"
import pg from "pg"
import { inject } from "vitest"
import * as Database from "../../src/Database/Database.js"
import { migrated } from "../../src/Server.js"

export type Engine = "pglite" | "postgres"

/** Which engine this test project runs on (see the root vitest.config.ts). */
export const engine: Engine = process.env.IGNITION_TEST_DATABASE === "postgres" ? "postgres" : "pglite"

const postgresUrl = (): string => {
  const url = process.env.TEST_DATABASE_URL
  if (url === undefined || url === "") throw new Error("The postgres test project needs TEST_DATABASE_URL")
  return url
}

const adminQuery = (text: string) =>
  Effect.promise(async () => {
    const client = new pg.Client({ connectionString: postgresUrl() })
    await client.connect()
    try {
      await client.query(text)
    } finally {
      await client.end()
    }
  })

/** A new, empty schema on the test PostgreSQL, dropped with the scope. */
export const freshSchema = Effect.acquireRelease(
  Effect.gen(function* () {
    const schema = `test_${randomUUID().replaceAll("-", "").slice(0, 20)}`
    yield* adminQuery(`create schema ${schema}`)
    return schema
  }),
  (schema) => adminQuery(`drop schema ${schema} cascade`),
)

/** An unmigrated database: empty PGlite, or a fresh PostgreSQL schema. */
export const empty: Layer.Layer<Database.Database> =
  engine === "postgres"
    ? Layer.unwrapScoped(
        Effect.map(freshSchema, (searchPath) =>
          Database.layerPostgres({ url: Redacted.make(postgresUrl()), poolMax: 4, searchPath }),
        ),
      ).pipe(Layer.orDie)
    : Database.layerPGlite({}).pipe(Layer.orDie)

/** A migrated database. */
export const layer: Layer.Layer<Database.Database> =
  engine === "postgres"
    ? migrated(empty).pipe(Layer.orDie)
    : Layer.unwrapEffect(
        Effect.sync(() => Database.layerPGlite({ loadDataDir: new Blob([fs.readFileSync(inject("pgliteSnapshot"))]) })),
      ).pipe(Layer.orDie)
