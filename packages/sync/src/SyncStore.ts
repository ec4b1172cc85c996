/**
 * The transactional store port the server rules run over, shaped after its
 * PostgreSQL adapter (apps/server/src/Sync/Repo.ts):
 *
 * - `sync_users(user_id, version, horizon)`: `transaction` takes the user's
 *   row with `SELECT … FOR UPDATE`, which serialises a user's writers;
 *   `bumpVersion` is `UPDATE sync_users SET version = version + 1 …
 *   RETURNING version`. `head` reports the vault's lock state from wherever
 *   the application keeps it (the server: its vault table).
 * - `sync_rows(user_id, entity, id, version, value, written_at)`, indexed on
 *   `(user_id, version)`: `put`/`delete` upsert a row stamped with the version.
 * - `client_mutations(user_id, client_id, last_seq)` and
 *   `mutation_rejections(user_id, client_id, mutation_seq, mutation_id, reason)`.
 *
 * Everything a transaction does commits together or not at all; that is what
 * makes a mutation's effects and its `last_seq` exactly-once. The in-memory
 * `layerTest` really has that property: a transaction works on a snapshot of
 * immutable state and publishes it only on success, one at a time.
 */
import { Context, Effect, HashMap, Layer, Option, Ref } from "effect"
import type { VaultState } from "./Protocol.js"
import type { StoreUnavailable } from "./SyncError.js"

export interface Row {
  readonly entity: string
  readonly id: string
  readonly version: number
  /** `none` for a tombstone. */
  readonly value: Option.Option<unknown>
  /** When the row was written (epoch ms); tombstones expire by it. */
  readonly writtenAt: number
}

export interface Rejection {
  readonly clientId: string
  readonly mutationSeq: number
  readonly mutationId: string
  readonly reason: string
}

/** One user's writes inside one transaction. */
export interface Transaction {
  /** The user's counter as of this transaction (`SELECT version … FOR UPDATE`). */
  readonly version: Effect.Effect<number, StoreUnavailable>
  readonly bumpVersion: Effect.Effect<number, StoreUnavailable>
  readonly row: (entity: string, id: string) => Effect.Effect<Option.Option<Row>, StoreUnavailable>
  readonly write: (row: Row) => Effect.Effect<void, StoreUnavailable>
  readonly lastMutationSeq: (clientId: string) => Effect.Effect<number, StoreUnavailable>
  readonly setLastMutationSeq: (clientId: string, seq: number) => Effect.Effect<void, StoreUnavailable>
  readonly recordRejection: (rejection: Rejection) => Effect.Effect<void, StoreUnavailable>
}

export interface Head {
  readonly version: number
  /** Cursors below this version may have missed an expired tombstone. */
  readonly horizon: number
  readonly vault: VaultState
}

export class SyncStore extends Context.Tag("@ignition/sync/SyncStore")<
  SyncStore,
  {
    readonly transaction: <A, E, R>(
      userId: string,
      body: (transaction: Transaction) => Effect.Effect<A, E, R>,
    ) => Effect.Effect<A, E | StoreUnavailable, R>
    readonly head: (userId: string) => Effect.Effect<Head, StoreUnavailable>
    readonly lastMutationSeq: (userId: string, clientId: string) => Effect.Effect<number, StoreUnavailable>
    /** Rows with `version > after`, in version order, at most `limit` (the caller completes a split version). */
    readonly changesSince: (
      userId: string,
      after: number,
      limit: number,
    ) => Effect.Effect<ReadonlyArray<Row>, StoreUnavailable>
    /** Rows written at exactly `version`. */
    readonly changesAt: (userId: string, version: number) => Effect.Effect<ReadonlyArray<Row>, StoreUnavailable>
    /**
     * Deletes tombstones written before `before` and raises the horizon to
     * the newest version deleted, in one transaction. Returns the horizon.
     */
    readonly expireTombstones: (userId: string, before: number) => Effect.Effect<number, StoreUnavailable>
    /** Every live row's entity, id and version (for the poll's digests). */
    readonly liveRows: (
      userId: string,
    ) => Effect.Effect<
      ReadonlyArray<{ readonly entity: string; readonly id: string; readonly version: number }>,
      StoreUnavailable
    >
    readonly rejections: (userId: string) => Effect.Effect<ReadonlyArray<Rejection>, StoreUnavailable>
  }
>() {}

/** The in-memory store, and the vault state it reports (a real store reads the vault's own lock state). */
export interface InMemory extends Context.Tag.Service<SyncStore> {
  readonly setVault: (userId: string, vault: VaultState) => Effect.Effect<void>
}

interface UserState {
  readonly version: number
  readonly horizon: number
  readonly vault: VaultState
  readonly rows: HashMap.HashMap<string, Row>
  readonly clients: HashMap.HashMap<string, number>
  readonly rejections: ReadonlyArray<Rejection>
}

const unlocked: VaultState = { locked: false, epoch: 0, reason: null }

const emptyUser: UserState = {
  version: 0,
  horizon: 0,
  vault: unlocked,
  rows: HashMap.empty(),
  clients: HashMap.empty(),
  rejections: [],
}

const rowKey = (entity: string, id: string) => `${entity}\u0000${id}`

const byVersion = (a: Row, b: Row) =>
  a.version - b.version || (a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** An in-memory store with real transactions (snapshot, commit on success, one writer at a time). */
export const makeInMemory: Effect.Effect<InMemory> = Effect.gen(function* () {
  const users = yield* Ref.make(HashMap.empty<string, UserState>())
  const writer = yield* Effect.makeSemaphore(1)
  const user = (userId: string) =>
    Effect.map(Ref.get(users), (all) => Option.getOrElse(HashMap.get(all, userId), () => emptyUser))
  const update = (userId: string, f: (state: UserState) => UserState) =>
    writer.withPermits(1)(
      Ref.update(users, (all) =>
        HashMap.set(all, userId, f(Option.getOrElse(HashMap.get(all, userId), () => emptyUser))),
      ),
    )

  const store: InMemory = {
    transaction: (userId, body) =>
      writer.withPermits(1)(
        Effect.gen(function* () {
          const working = yield* Ref.make(yield* user(userId))
          const modify = (f: (state: UserState) => UserState) => Ref.update(working, f)
          const transaction: Transaction = {
            version: Effect.map(Ref.get(working), (state) => state.version),
            bumpVersion: Ref.modify(working, (state) => [state.version + 1, { ...state, version: state.version + 1 }]),
            row: (entity, id) => Effect.map(Ref.get(working), (state) => HashMap.get(state.rows, rowKey(entity, id))),
            write: (row) =>
              modify((state) => ({ ...state, rows: HashMap.set(state.rows, rowKey(row.entity, row.id), row) })),
            lastMutationSeq: (clientId) =>
              Effect.map(Ref.get(working), (state) => Option.getOrElse(HashMap.get(state.clients, clientId), () => 0)),
            setLastMutationSeq: (clientId, seq) =>
              modify((state) => ({ ...state, clients: HashMap.set(state.clients, clientId, seq) })),
            recordRejection: (rejection) =>
              modify((state) => ({ ...state, rejections: [...state.rejections, rejection] })),
          }
          const result = yield* body(transaction)
          const committed = yield* Ref.get(working)
          yield* Ref.update(users, (all) => HashMap.set(all, userId, committed))
          return result
        }),
      ),
    head: (userId) => Effect.map(user(userId), ({ version, horizon, vault }) => ({ version, horizon, vault })),
    lastMutationSeq: (userId, clientId) =>
      Effect.map(user(userId), (state) => Option.getOrElse(HashMap.get(state.clients, clientId), () => 0)),
    changesSince: (userId, after, limit) =>
      Effect.map(user(userId), (state) =>
        Array.from(HashMap.values(state.rows))
          .filter((row) => row.version > after)
          .sort(byVersion)
          .slice(0, limit),
      ),
    changesAt: (userId, version) =>
      Effect.map(user(userId), (state) =>
        Array.from(HashMap.values(state.rows))
          .filter((row) => row.version === version)
          .sort(byVersion),
      ),
    expireTombstones: (userId, before) =>
      writer.withPermits(1)(
        Ref.modify(users, (all) => {
          const state = Option.getOrElse(HashMap.get(all, userId), () => emptyUser)
          const expired = HashMap.filter(state.rows, (row) => Option.isNone(row.value) && row.writtenAt < before)
          const horizon = Math.max(state.horizon, ...Array.from(HashMap.values(expired), (row) => row.version))
          const rows = HashMap.removeMany(state.rows, HashMap.keys(expired))
          return [horizon, HashMap.set(all, userId, { ...state, rows, horizon })]
        }),
      ),
    liveRows: (userId) =>
      Effect.map(user(userId), (state) =>
        Array.from(HashMap.values(state.rows))
          .filter((row) => Option.isSome(row.value))
          .map(({ entity, id, version }) => ({ entity, id, version })),
      ),
    rejections: (userId) => Effect.map(user(userId), (state) => state.rejections),
    setVault: (userId, vault) => update(userId, (state) => ({ ...state, vault })),
  }
  return store
})

export const layerTest: Layer.Layer<SyncStore> = Layer.effect(SyncStore, makeInMemory)
