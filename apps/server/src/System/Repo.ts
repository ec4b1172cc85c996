/**
 * What the system endpoints read from the database.
 */
import { Effect } from "effect"
import { Database } from "../Database/Database.js"
import * as Migrations from "../Database/Migrations.js"

export class SystemRepo extends Effect.Service<SystemRepo>()("@ignition/server/SystemRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database

    /** The id of this instance's data, created by the first migration. */
    const instanceId = db
      .execute((q) => q.selectFrom("instance").select("id").executeTakeFirstOrThrow())
      .pipe(
        Effect.map((row) => row.id),
        Effect.orDie,
      )

    /** A round trip to the database. */
    const ping = db.execute((q) => q.selectNoFrom((eb) => eb.lit(1).as("one")).execute())

    const migrationStatus = Effect.provideService(Migrations.status, Database, db)

    return { engine: db.engine, instanceId, ping, migrationStatus } as const
  }),
}) {}
