/**
 * The `SyncStore` port over the Database service (PostgreSQL or PGlite),
 * on the tables of migration 0005:
 *
 * - `transaction` runs its body in one database transaction that first takes
 *   the user's `sync_users` row lock (creating the row on first use) and
 *   reads the counter and the user's clients' `last_seq` in the same
 *   statement, so a user's writers run one at a time and everything a
 *   mutation does — its rows, the version bump, `last_seq`, a rejection —
 *   commits together.
 * - Under that lock nothing the transaction wrote can change under it, so its
 *   writes wait in memory (reads of them are answered from there) and reach
 *   the database in one statement just before commit, with one poke of the
 *   user's clients through `Pokes` when the version moved: a mutation costs
 *   a few round trips rather than one per write. The poke is delivered at
 *   commit, never for a rollback.
 * - `head` reports the vault's lock state from the vault's own row, the one
 *   the 423 checks read, so sync never shows a copy that could drift.
 *
 * Database failures become `StoreUnavailable` (503): the client retries, and
 * what committed before stays committed.
 */
import { Protocol, SyncError, SyncStore } from "@ignition/sync"
import { Effect, Layer, Option, Schema } from "effect"
import { sql } from "kysely"
import { Database, DatabaseError } from "../Database/Database.js"
import { VaultRepo } from "../Vault/Repo.js"
import { lockStatus } from "../Vault/VaultUnlocked.js"
import { Pokes } from "./Pokes.js"

const unavailable = (error: DatabaseError) =>
  new SyncError.StoreUnavailable({ message: `the sync store is unavailable (${error.code ?? "no code"})` })

const isDatabaseError = (error: unknown): error is DatabaseError => error instanceof DatabaseError

const decodeReason = Schema.decodeUnknownOption(Protocol.LockReason)

const rowColumns = ["entity", "id", "version", "value", "written_at"] as const

const toRow = (row: {
  readonly entity: string
  readonly id: string
  readonly version: number
  readonly value: unknown
  readonly written_at: Date
}): SyncStore.Row => ({
  entity: row.entity,
  id: row.id,
  version: row.version,
  value: row.value === null ? Option.none() : Option.some(row.value),
  writtenAt: row.written_at.getTime(),
})

/** What a transaction has written so far, sent to the database just before it commits. */
interface Pending {
  version: number
  readonly seqs: Map<string, number>
  readonly rows: Map<string, SyncStore.Row>
  readonly rejections: Array<SyncStore.Rejection>
}

const rowKey = (entity: string, id: string) => JSON.stringify([entity, id])

const rowRecord = (row: SyncStore.Row) => ({
  entity: row.entity,
  id: row.id,
  version: row.version,
  value: Option.getOrNull(row.value),
  written_at: new Date(row.writtenAt).toISOString(),
})

const rejectionRecord = (rejection: SyncStore.Rejection) => ({
  client_id: rejection.clientId,
  mutation_seq: rejection.mutationSeq,
  mutation_id: rejection.mutationId,
  reason: rejection.reason,
})

export const make = Effect.gen(function* () {
  const db = yield* Database
  const vaults = yield* VaultRepo
  const pokes = yield* Pokes

  const run = <A>(query: Parameters<typeof db.execute<A>>[0]) => Effect.mapError(db.execute(query), unavailable)

  const lastSeq = (userId: string, clientId: string) =>
    Effect.map(
      run((q) =>
        q
          .selectFrom("client_mutations")
          .select("last_seq")
          .where("user_id", "=", userId)
          .where("client_id", "=", clientId)
          .executeTakeFirst(),
      ),
      (row) => row?.last_seq ?? 0,
    )

  /** The user's counter row, locked, and every client's last seq; undefined before the user's first write. */
  const selectLocked = (userId: string) =>
    Effect.map(
      run((q) =>
        sql<{ version: number; seqs: Record<string, number> }>`
          select version,
            (select coalesce(jsonb_object_agg(client_id, last_seq), '{}'::jsonb)
             from client_mutations where user_id = ${userId}) as seqs
          from sync_users where user_id = ${userId}
          for update`.execute(q),
      ),
      (result) => result.rows[0],
    )

  /** Takes the user's row lock, creating the row on first use: one statement once the row exists. */
  const lockUser = (userId: string) =>
    Effect.gen(function* () {
      const existing = yield* selectLocked(userId)
      if (existing !== undefined) return existing
      yield* run((q) =>
        q
          .insertInto("sync_users")
          .values({ user_id: userId })
          .onConflict((oc) => oc.doNothing())
          .execute(),
      )
      return (yield* selectLocked(userId)) ?? { version: 0, seqs: {} }
    })

  /** Everything a transaction wrote, in one statement: the counter, the seqs, the rows and the rejections. */
  const flush = (userId: string, pending: Pending) =>
    run((q) =>
      sql`
        with counter as (
          update sync_users set version = ${pending.version}
          where user_id = ${userId} and version <> ${pending.version}),
        seqs as (
          insert into client_mutations (user_id, client_id, last_seq)
          select ${userId}, s.client_id, s.last_seq
          from jsonb_to_recordset(${JSON.stringify([...pending.seqs].map(([client_id, last_seq]) => ({ client_id, last_seq })))}::jsonb)
            as s(client_id text, last_seq bigint)
          on conflict (user_id, client_id) do update set last_seq = excluded.last_seq),
        written as (
          insert into sync_rows (user_id, entity, id, version, value, written_at)
          select ${userId}, r.entity, r.id, r.version, r.value, r.written_at
          from jsonb_to_recordset(${JSON.stringify([...pending.rows.values()].map(rowRecord))}::jsonb)
            as r(entity text, id text, version bigint, value jsonb, written_at timestamptz)
          on conflict (user_id, entity, id)
            do update set version = excluded.version, value = excluded.value, written_at = excluded.written_at),
        rejected as (
          insert into mutation_rejections (user_id, client_id, mutation_seq, mutation_id, reason)
          select ${userId}, j.client_id, j.mutation_seq, j.mutation_id, j.reason
          from jsonb_to_recordset(${JSON.stringify(pending.rejections.map(rejectionRecord))}::jsonb)
            as j(client_id text, mutation_seq bigint, mutation_id text, reason text))
        select 1`.execute(q),
    )

  const transaction: SyncStore.SyncStore["Type"]["transaction"] = (userId, body) =>
    db
      .transaction(
        Effect.gen(function* () {
          const locked = yield* lockUser(userId)
          // The row lock is held to commit, so the counter and the seqs cannot move under us: writes wait in
          // `pending` and reach the database in one statement before commit, reads of them are answered from it.
          const pending: Pending = {
            version: locked.version,
            seqs: new Map(),
            rows: new Map(),
            rejections: [],
          }
          const handle: SyncStore.Transaction = {
            version: Effect.sync(() => pending.version),
            bumpVersion: Effect.sync(() => {
              pending.version += 1
              return pending.version
            }),
            row: (entity, id) => {
              const written = pending.rows.get(rowKey(entity, id))
              return written !== undefined
                ? Effect.succeed(Option.some(written))
                : Effect.map(
                    run((q) =>
                      q
                        .selectFrom("sync_rows")
                        .select(rowColumns)
                        .where("user_id", "=", userId)
                        .where("entity", "=", entity)
                        .where("id", "=", id)
                        .executeTakeFirst(),
                    ),
                    (row) => Option.map(Option.fromNullable(row), toRow),
                  )
            },
            write: (row) => Effect.sync(() => void pending.rows.set(rowKey(row.entity, row.id), row)),
            lastMutationSeq: (clientId) =>
              Effect.sync(() => pending.seqs.get(clientId) ?? Number(locked.seqs[clientId] ?? 0)),
            setLastMutationSeq: (clientId, seq) => Effect.sync(() => void pending.seqs.set(clientId, seq)),
            recordRejection: (rejection) => Effect.sync(() => void pending.rejections.push(rejection)),
          }
          const result = yield* body(handle)
          const bumped = pending.version !== locked.version
          if (bumped || pending.seqs.size > 0 || pending.rows.size > 0 || pending.rejections.length > 0) {
            yield* flush(userId, pending)
          }
          if (bumped) yield* Effect.mapError(pokes.publish(userId), unavailable)
          return result
        }),
      )
      // Begin, commit and rollback failures reach here as DatabaseError; the body's own errors pass through.
      .pipe(Effect.catchIf(isDatabaseError, (error) => Effect.fail(unavailable(error))))

  const head = (userId: string) =>
    Effect.gen(function* () {
      const counters = yield* run((q) =>
        q.selectFrom("sync_users").select(["version", "horizon"]).where("user_id", "=", userId).executeTakeFirst(),
      )
      const vault = yield* vaults.find(userId)
      return {
        version: counters?.version ?? 0,
        horizon: counters?.horizon ?? 0,
        vault: Option.match(vault, {
          onNone: (): Protocol.VaultState => ({ locked: false, epoch: 0, reason: null }),
          onSome: (found): Protocol.VaultState => {
            const status = lockStatus(found)
            return {
              locked: status.locked,
              epoch: status.epoch,
              reason: Option.getOrNull(decodeReason(status.reason)),
            }
          },
        }),
      }
    })

  /** The user's rows whose version is `op` `version`, in version order then entity and id (byte-wise). */
  const rowsByVersion = (userId: string, op: ">" | "=", version: number, limit?: number) =>
    Effect.map(
      run((q) => {
        const query = q
          .selectFrom("sync_rows")
          .select(rowColumns)
          .where("user_id", "=", userId)
          .where("version", op, version)
          .orderBy("version")
          .orderBy(sql`entity collate "C"`)
          .orderBy(sql`id collate "C"`)
        return (limit === undefined ? query : query.limit(limit)).execute()
      }),
      (rows) => rows.map(toRow),
    )

  const changesSince = (userId: string, after: number, limit: number) => rowsByVersion(userId, ">", after, limit)

  const changesAt = (userId: string, version: number) => rowsByVersion(userId, "=", version)

  /** Deletes expired tombstones and raises the horizon past them, under the user's row lock. */
  const expireTombstones = (userId: string, before: number) =>
    transaction(userId, () =>
      Effect.gen(function* () {
        const expired = yield* run((q) =>
          q
            .deleteFrom("sync_rows")
            .where("user_id", "=", userId)
            .where("value", "is", null)
            .where("written_at", "<", new Date(before))
            .returning("version")
            .execute(),
        )
        const newest = Math.max(0, ...expired.map((row) => row.version))
        const updated = yield* run((q) =>
          q
            .updateTable("sync_users")
            .set({ horizon: sql<number>`greatest(horizon, ${newest})` })
            .where("user_id", "=", userId)
            .returning("horizon")
            .executeTakeFirstOrThrow(),
        )
        return updated.horizon
      }),
    )

  const liveRows = (userId: string) =>
    run((q) =>
      q
        .selectFrom("sync_rows")
        .select(["entity", "id", "version"])
        .where("user_id", "=", userId)
        .where("value", "is not", null)
        .execute(),
    )

  const rejections = (userId: string) =>
    Effect.map(
      run((q) =>
        q
          .selectFrom("mutation_rejections")
          .select(["client_id", "mutation_seq", "mutation_id", "reason"])
          .where("user_id", "=", userId)
          .orderBy("rejected_at")
          .orderBy("client_id")
          .orderBy("mutation_seq")
          .execute(),
      ),
      (rows) =>
        rows.map((row) => ({
          clientId: row.client_id,
          mutationSeq: row.mutation_seq,
          mutationId: row.mutation_id,
          reason: row.reason,
        })),
    )

  return SyncStore.SyncStore.of({
    transaction,
    head,
    lastMutationSeq: lastSeq,
    changesSince,
    changesAt,
    expireTombstones,
    liveRows,
    rejections,
  })
})

/** The store on the server's database; it needs the vault's records and the pokes. */
export const layer: Layer.Layer<SyncStore.SyncStore, never, Database | VaultRepo | Pokes> = Layer.effect(
  SyncStore.SyncStore,
  make,
)
