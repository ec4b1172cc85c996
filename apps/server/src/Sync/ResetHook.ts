/**
 * What a vault reset does to the change log: the knowledge base's rows —
 * records and conflict copies, all ciphertext under keys that no longer
 * exist — become tombstones at one new version, in the reset's transaction,
 * so every device drops them at its next pull, as the REST endpoints no
 * longer show them. (No poke: a hook runs with the database alone; clients
 * see the tombstones at their next poll.)
 */
import { Effect } from "effect"
import { sql } from "kysely"
import { Database } from "../Database/Database.js"
import { syncEntity } from "../KnowledgeBase/Http.js"
import type { ResetHook } from "../Vault/ResetHooks.js"

const encryptedEntities = Object.values(syncEntity)

export const hook: ResetHook = {
  name: "sync_rows",
  purge: ({ userId }) =>
    Effect.gen(function* () {
      const db = yield* Database
      const result = yield* db.execute((q) =>
        sql`
          with live as (
            select id from sync_rows
            where user_id = ${userId} and entity in (${sql.join(encryptedEntities)}) and value is not null
            for update),
          bumped as (
            update sync_users set version = version + 1
            where user_id = ${userId} and exists (select 1 from live)
            returning version)
          update sync_rows set value = null, version = bumped.version, written_at = now()
          from bumped
          where user_id = ${userId} and entity in (${sql.join(encryptedEntities)}) and value is not null`.execute(q),
      )
      return Number(result.numAffectedRows ?? 0)
    }),
}
