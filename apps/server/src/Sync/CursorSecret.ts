/**
 * The key sync cursors are signed with: 32 random bytes made the first time
 * a server starts on a database and kept in `sync_secrets`, so every
 * instance sharing the database signs and verifies alike, and cursors
 * survive restarts. It never leaves the server and is never logged.
 */
import { randomBytes } from "node:crypto"
import { Cursor } from "@ignition/sync"
import { Effect, Layer } from "effect"
import { Database } from "../Database/Database.js"

const name = "cursor"

/** The stored secret, made on first use (a racing instance's insert wins and both read it). */
export const load = Effect.gen(function* () {
  const db = yield* Database
  yield* db.execute((q) =>
    q
      .insertInto("sync_secrets")
      .values({ name, secret: new Uint8Array(randomBytes(32)) })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute(),
  )
  const row = yield* db.execute((q) =>
    q.selectFrom("sync_secrets").select("secret").where("name", "=", name).executeTakeFirstOrThrow(),
  )
  return new Uint8Array(row.secret)
})

/** The cursor signer over the database's secret. */
export const layer: Layer.Layer<Cursor.CursorSigner, never, Database> = Layer.unwrapEffect(
  Effect.map(Effect.orDie(load), Cursor.layer),
)
