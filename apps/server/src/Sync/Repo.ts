/**
 * The `SyncStore` port over the Database service (PostgreSQL or PGlite),
 * on the tables of migration 0005:
 *
 * - `transaction` runs its body in one database transaction that first takes
 *   the user's `sync_users` row `for update` (creating it on first use), so
 *   a user's writers run one at a time and everything a mutation does — its
 *   rows, the version bump, `last_seq`, a rejection — commits together.
 * - `bumpVersion` is `update sync_users set version = version + 1 …
 *   returning version`, and pokes the user's clients through `Pokes` in the
 *   same transaction: the notification is delivered at commit, never for a
 *   rollback.
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

  const transaction: SyncStore.SyncStore["Type"]["transaction"] = (userId, body) =>
    db
      .transaction(
        Effect.gen(function* () {
          yield* run((q) =>
            q
              .insertInto("sync_users")
              .values({ user_id: userId })
              .onConflict((oc) => oc.doNothing())
              .execute(),
          )
          const locked = yield* run((q) =>
            q
              .selectFrom("sync_users")
              .select("version")
              .where("user_id", "=", userId)
              .forUpdate()
              .executeTakeFirstOrThrow(),
          )
          let version = locked.version
          const handle: SyncStore.Transaction = {
            version: Effect.sync(() => version),
            bumpVersion: Effect.gen(function* () {
              const bumped = yield* run((q) =>
                q
                  .updateTable("sync_users")
                  .set({ version: sql<number>`version + 1` })
                  .where("user_id", "=", userId)
                  .returning("version")
                  .executeTakeFirstOrThrow(),
              )
              yield* Effect.mapError(pokes.publish(userId), unavailable)
              version = bumped.version
              return version
            }),
            row: (entity, id) =>
              Effect.map(
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
              ),
            write: (row) => {
              const value = Option.match(row.value, { onNone: () => null, onSome: (json) => JSON.stringify(json) })
              const writtenAt = new Date(row.writtenAt)
              return Effect.asVoid(
                run((q) =>
                  q
                    .insertInto("sync_rows")
                    .values({
                      user_id: userId,
                      entity: row.entity,
                      id: row.id,
                      version: row.version,
                      value,
                      written_at: writtenAt,
                    })
                    .onConflict((oc) =>
                      oc
                        .columns(["user_id", "entity", "id"])
                        .doUpdateSet({ version: row.version, value, written_at: writtenAt }),
                    )
                    .execute(),
                ),
              )
            },
            lastMutationSeq: (clientId) => lastSeq(userId, clientId),
            setLastMutationSeq: (clientId, seq) =>
              Effect.asVoid(
                run((q) =>
                  q
                    .insertInto("client_mutations")
                    .values({ user_id: userId, client_id: clientId, last_seq: seq })
                    .onConflict((oc) => oc.columns(["user_id", "client_id"]).doUpdateSet({ last_seq: seq }))
                    .execute(),
                ),
              ),
            recordRejection: (rejection) =>
              Effect.asVoid(
                run((q) =>
                  q
                    .insertInto("mutation_rejections")
                    .values({
                      user_id: userId,
                      client_id: rejection.clientId,
                      mutation_seq: rejection.mutationSeq,
                      mutation_id: rejection.mutationId,
                      reason: rejection.reason,
                    })
                    .execute(),
                ),
              ),
          }
          return yield* body(handle)
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

  const changesSince = (userId: string, after: number, limit: number) =>
    Effect.map(
      run((q) =>
        q
          .selectFrom("sync_rows")
          .select(rowColumns)
          .where("user_id", "=", userId)
          .where("version", ">", after)
          .orderBy("version")
          .orderBy(sql`entity collate "C"`)
          .orderBy(sql`id collate "C"`)
          .limit(limit)
          .execute(),
      ),
      (rows) => rows.map(toRow),
    )

  const changesAt = (userId: string, version: number) =>
    Effect.map(
      run((q) =>
        q
          .selectFrom("sync_rows")
          .select(rowColumns)
          .where("user_id", "=", userId)
          .where("version", "=", version)
          .orderBy(sql`entity collate "C"`)
          .orderBy(sql`id collate "C"`)
          .execute(),
      ),
      (rows) => rows.map(toRow),
    )

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
