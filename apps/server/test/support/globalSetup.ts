/**
 * Once per run: migrate an in-memory PGlite and save its data directory, so
 * each test file starts from a copy (≈0.5 s) instead of booting and
 * migrating its own (≈4 s).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Logger, LogLevel } from "effect"
import { Kysely, PGliteDialect } from "kysely"
import type { TestProject } from "vitest/node"
import * as Database from "../../src/Database/Database.js"
import * as Migrations from "../../src/Database/Migrations.js"
import type { DatabaseSchema } from "../../src/Database/Schema.js"
import { parsers } from "../../src/Database/TypeParsers.js"

declare module "vitest" {
  export interface ProvidedContext {
    readonly pgliteSnapshot: string
  }
}

export default async function setup(project: TestProject) {
  if (project.config.env?.IGNITION_TEST_DATABASE === "postgres") return
  const pglite = await PGlite.create({ parsers })
  const file = path.join(os.tmpdir(), `ignition-pglite-snapshot-${process.pid}-${Date.now()}.tar`)
  await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const db = yield* Database.make(
          "pglite",
          new Kysely<DatabaseSchema>({ dialect: new PGliteDialect({ pglite }) }),
        )
        yield* Effect.provideService(Migrations.migrateToLatest, Database.Database, db)
        const dump = yield* Effect.promise(() => pglite.dumpDataDir("none"))
        const bytes = new Uint8Array(yield* Effect.promise(() => dump.arrayBuffer()))
        fs.writeFileSync(file, bytes)
      }),
    ).pipe(Logger.withMinimumLogLevel(LogLevel.Warning)),
  )
  project.provide("pgliteSnapshot", file)
  return () => fs.rmSync(file, { force: true })
}
