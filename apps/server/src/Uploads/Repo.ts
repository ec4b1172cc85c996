/**
 * The upload tables (migration 0007): sessions, the chunks they received,
 * blobs and per-user quotas. Every read of a session or blob is scoped by
 * its owner, so a request can never reach another user's. Infrastructure
 * failures are defects.
 */
import { Effect, Option } from "effect"
import { sql } from "kysely"
import { Database } from "../Database/Database.js"
import type {
  BlobsTable,
  UploadChunksTable,
  UploadPurpose,
  UploadQuotasTable,
  UploadSessionsTable,
} from "../Database/Schema.js"

export type Session = UploadSessionsTable
export type Chunk = UploadChunksTable
export type Blob = BlobsTable
export type Purpose = UploadPurpose

export class UploadRepo extends Effect.Service<UploadRepo>()("@ignition/server/UploadRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database

    return {
      /** Serialises the user's quota checks until the transaction ends. */
      lockUser: (userId: string) =>
        Effect.orDie(
          db.execute((q) => q.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute()),
        ),

      /** Stored blobs plus the sizes reserved by open, unexpired sessions. */
      usedBytes: (userId: string, now: Date) =>
        Effect.orDie(
          db.execute(async (q) => {
            const stored = await q
              .selectFrom("blobs")
              .select(sql<number>`coalesce(sum(size), 0)::bigint`.as("bytes"))
              .where("user_id", "=", userId)
              .executeTakeFirstOrThrow()
            const reserved = await q
              .selectFrom("upload_sessions")
              .select(sql<number>`coalesce(sum(ciphertext_bytes), 0)::bigint`.as("bytes"))
              .where("user_id", "=", userId)
              .where("status", "=", "open")
              .where("expires_at", ">", now)
              .executeTakeFirstOrThrow()
            return Number(stored.bytes) + Number(reserved.bytes)
          }),
        ),

      quota: (userId: string) =>
        Effect.orDie(
          db.execute((q) =>
            q.selectFrom("upload_quotas").select("max_bytes").where("user_id", "=", userId).executeTakeFirst(),
          ),
        ).pipe(Effect.map((row) => Option.map(Option.fromNullable(row), (r) => r.max_bytes))),

      setQuota: (row: UploadQuotasTable) =>
        Effect.orDie(
          db.execute((q) =>
            q
              .insertInto("upload_quotas")
              .values(row)
              .onConflict((c) => c.column("user_id").doUpdateSet({ max_bytes: row.max_bytes }))
              .execute(),
          ),
        ),

      insertSession: (row: Session) =>
        Effect.orDie(db.execute((q) => q.insertInto("upload_sessions").values(row).execute())),

      findSession: (userId: string, sessionId: string) =>
        Effect.orDie(
          db.execute((q) =>
            q
              .selectFrom("upload_sessions")
              .selectAll()
              .where("user_id", "=", userId)
              .where("id", "=", sessionId)
              .executeTakeFirst(),
          ),
        ).pipe(Effect.map(Option.fromNullable)),

      chunks: (sessionId: string) =>
        Effect.orDie(
          db.execute((q) =>
            q.selectFrom("upload_chunks").selectAll().where("session_id", "=", sessionId).orderBy("index").execute(),
          ),
        ),

      putChunk: (row: Chunk) =>
        Effect.orDie(
          db.execute((q) =>
            q
              .insertInto("upload_chunks")
              .values(row)
              .onConflict((c) =>
                c.columns(["session_id", "index"]).doUpdateSet({
                  sha256: row.sha256,
                  etag: row.etag,
                  size: row.size,
                  received_at: row.received_at,
                }),
              )
              .execute(),
          ),
        ),

      findBlobBySha256: (userId: string, sha256: Uint8Array) =>
        Effect.orDie(
          db.execute((q) =>
            q
              .selectFrom("blobs")
              .selectAll()
              .where("user_id", "=", userId)
              .where("sha256", "=", sha256)
              .executeTakeFirst(),
          ),
        ).pipe(Effect.map(Option.fromNullable)),

      findBlob: (userId: string, blobId: string) =>
        Effect.orDie(
          db.execute((q) =>
            q.selectFrom("blobs").selectAll().where("user_id", "=", userId).where("id", "=", blobId).executeTakeFirst(),
          ),
        ).pipe(Effect.map(Option.fromNullable)),

      insertBlob: (row: Blob) => Effect.orDie(db.execute((q) => q.insertInto("blobs").values(row).execute())),

      markCompleted: (sessionId: string, blobId: string) =>
        Effect.orDie(
          db.execute((q) =>
            q
              .updateTable("upload_sessions")
              .set({ status: "completed", blob_id: blobId })
              .where("id", "=", sessionId)
              .execute(),
          ),
        ),

      deleteSession: (sessionId: string) =>
        Effect.orDie(db.execute((q) => q.deleteFrom("upload_sessions").where("id", "=", sessionId).execute())),

      /** Which of the storage keys a blob or an unfinished session still refers to. */
      referencedKeys: (keys: ReadonlyArray<string>) =>
        keys.length === 0
          ? Effect.succeed(new Set<string>())
          : Effect.orDie(
              db.execute(async (q) => {
                const blobs = await q
                  .selectFrom("blobs")
                  .select("storage_key")
                  .where("storage_key", "in", keys)
                  .execute()
                const sessions = await q
                  .selectFrom("upload_sessions")
                  .select("storage_key")
                  .where("storage_key", "in", keys)
                  .where("status", "=", "open")
                  .execute()
                return new Set([...blobs, ...sessions].map((row) => row.storage_key))
              }),
            ),

      /** Sessions past their expiry, oldest first. */
      expired: (now: Date, limit: number) =>
        Effect.orDie(
          db.execute((q) =>
            q
              .selectFrom("upload_sessions")
              .selectAll()
              .where("expires_at", "<=", now)
              .orderBy("expires_at")
              .limit(limit)
              .execute(),
          ),
        ),

      transaction: db.transaction,
    }
  }),
}) {}
