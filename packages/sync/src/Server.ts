/**
 * The server's sync rules as functions over the `SyncStore` port: push
 * applies each client's mutations in `mutationSeq` order exactly once, pull
 * returns the user's change log after a cursor, and tombstone expiry moves
 * the horizon below which cursors get `410 resync_required`.
 *
 * Versions, never clocks, order the log: a mutation takes the next value of
 * the user's counter inside its own transaction, and the counter's row lock
 * is held to commit, so versions become visible in order and a pull can never
 * step past a row that commits later with a smaller stamp.
 */
import { Clock, Duration, Effect, Either, Option } from "effect"
import { CursorSigner } from "./Cursor.js"
import * as Digest from "./Digest.js"
import { type Registry, Rejection, type StoredRow, type Write } from "./Entity.js"
import {
  type MutationResult,
  type PollRequest,
  type PollResponse,
  PROTOCOL_VERSION,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from "./Protocol.js"
import { type InvalidCursor, type PullFailure, ResyncRequired, type StoreUnavailable } from "./SyncError.js"
import { type Row, SyncStore, type Transaction } from "./SyncStore.js"

/** How long deletions stay in the log for clients that have not pulled them (DESIGN: 90 days). */
export const DEFAULT_TOMBSTONE_RETENTION = Duration.days(90)

type Mutation = PushRequest["mutations"][number]

const live = (row: Option.Option<Row>): Option.Option<StoredRow> =>
  Option.flatMap(row, (found) => Option.map(found.value, (value) => ({ version: found.version, value })))

/**
 * Stamps a decision's writes with the next version and writes them, inside
 * the caller's transaction: a mutation's effects, or a write the application
 * made elsewhere (a REST handler) and logs for pulls. Returns the version,
 * `null` when there was nothing to write.
 */
export const record = (
  transaction: Transaction,
  entity: string,
  writes: ReadonlyArray<Write>,
): Effect.Effect<number | null, StoreUnavailable> =>
  Effect.gen(function* () {
    if (writes.length === 0) return null
    const version = yield* transaction.bumpVersion
    const writtenAt = yield* Clock.currentTimeMillis
    for (const write of writes) {
      yield* transaction.write({
        entity,
        id: write.id,
        version,
        value: write._tag === "put" ? Option.some(write.value) : Option.none(),
        writtenAt,
      })
    }
    return version
  })

/** One mutation in its own transaction: its effects, or its rejection, and its seq commit together. */
const applyOne = <E>(registry: Registry<E>, clientId: string, mutation: Mutation, transaction: Transaction) =>
  Effect.gen(function* () {
    const last = yield* transaction.lastMutationSeq(clientId)
    if (mutation.mutationSeq <= last) return { _tag: "duplicate", mutationSeq: mutation.mutationSeq } as const
    if (mutation.mutationSeq > last + 1) return { _tag: "skipped-gap", mutationSeq: mutation.mutationSeq } as const
    const entity = registry.get(mutation.entity)
    const next = (yield* transaction.version) + 1
    const decided = yield* (
      entity === undefined
        ? Effect.fail(new Rejection({ reason: `unknown entity ${mutation.entity}` }))
        : entity.apply(mutation.op, mutation.args, {
            mutationId: mutation.mutationId,
            version: next,
            read: (id) => Effect.map(transaction.row(mutation.entity, id), live),
          })
    ).pipe(
      // A rule that throws would throw on every retry too: reject it rather than block the queue.
      Effect.catchAllDefect(() => Effect.fail(new Rejection({ reason: "the entity's rule failed" }))),
      Effect.map(Either.right),
      Effect.catchIf(
        (error): error is Rejection => error instanceof Rejection,
        (rejection) => Effect.succeed(Either.left(rejection)),
      ),
    )
    yield* transaction.setLastMutationSeq(clientId, mutation.mutationSeq)
    if (decided._tag === "Left") {
      const { reason } = decided.left
      yield* transaction.recordRejection({
        clientId,
        mutationSeq: mutation.mutationSeq,
        mutationId: mutation.mutationId,
        reason,
      })
      return { _tag: "rejected", mutationSeq: mutation.mutationSeq, reason } as const
    }
    const { writes, conflictCopyId } = decided.right
    const version = yield* record(transaction, mutation.entity, writes)
    const applied = { _tag: "applied", mutationSeq: mutation.mutationSeq, version } as const
    return conflictCopyId === undefined ? applied : { ...applied, conflictCopyId }
  })

/**
 * Applies a push. Mutations are taken in seq order whatever order they came
 * in; one already consumed is acknowledged as a duplicate; a gap stops the
 * batch there (the rest are `skipped-gap`, for the client to resend after the
 * missing one); a store failure fails the push, leaving what committed
 * committed, and a retry acknowledges those as duplicates.
 */
export const push = <E = never>(
  registry: Registry<E>,
  userId: string,
  request: PushRequest,
): Effect.Effect<PushResponse, StoreUnavailable | E, SyncStore> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const ordered = [...request.mutations].sort((a, b) => a.mutationSeq - b.mutationSeq)
    const results: Array<MutationResult> = []
    let gap = false
    for (const mutation of ordered) {
      const result: MutationResult = gap
        ? { _tag: "skipped-gap", mutationSeq: mutation.mutationSeq }
        : yield* store.transaction(userId, (transaction) => applyOne(registry, request.clientId, mutation, transaction))
      gap = result._tag === "skipped-gap"
      results.push(result)
    }
    const lastMutationSeq = yield* store.lastMutationSeq(userId, request.clientId)
    return { protocolVersion: PROTOCOL_VERSION, results, lastMutationSeq }
  })

const toChange = (row: Row): PullResponse["changes"][number] =>
  Option.match(row.value, {
    onNone: () => ({ _tag: "deleted", entity: row.entity, id: row.id, version: row.version }),
    onSome: (value) => ({ _tag: "put", entity: row.entity, id: row.id, version: row.version, value }),
  })

/**
 * The user's changes after the request's cursor, oldest first, at most
 * `limit` rows — except that a page never ends inside one version (all rows
 * a mutation wrote travel together, so a cursor is always a whole version).
 * A cursor below the tombstone horizon fails with `ResyncRequired`.
 */
export const pull = (
  userId: string,
  request: PullRequest,
): Effect.Effect<PullResponse, PullFailure, SyncStore | CursorSigner> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const cursors = yield* CursorSigner
    const position = request.cursor === null ? null : yield* cursors.decode(userId, request.cursor)
    // A pull from scratch has nothing to miss below today's horizon; read it before the changes.
    const horizon = position === null ? (yield* store.head(userId)).horizon : position.horizon
    const after = position?.version ?? 0
    const fetched = yield* store.changesSince(userId, after, request.limit + 1)
    let rows = fetched.slice(0, request.limit)
    const lastRow = rows.at(-1)
    const hasMore = fetched.length > request.limit
    if (hasMore && lastRow !== undefined && fetched[request.limit]?.version === lastRow.version) {
      rows = [
        ...rows.filter((row) => row.version !== lastRow.version),
        ...(yield* store.changesAt(userId, lastRow.version)),
      ]
    }
    // Read after the changes: an expiry that ran before them has raised the horizon by now.
    const head = yield* store.head(userId)
    if (head.horizon > Math.max(after, horizon)) {
      return yield* new ResyncRequired({ horizon: head.horizon, message: "cursor is older than the tombstone horizon" })
    }
    return {
      protocolVersion: PROTOCOL_VERSION,
      changes: rows.map(toChange),
      cursor: yield* cursors.encode(userId, { version: rows.at(-1)?.version ?? after, horizon }),
      hasMore,
      lastMutationSeq: yield* store.lastMutationSeq(userId, request.clientId),
      vault: head.vault,
    }
  })

/**
 * Answers a poll: the head cursor, whether it is past the client's, the vault
 * state, the caller's badges (other features count them), and a digest per
 * registered entity. A poll never fails with 410: the pull it prompts does.
 */
export const poll = (
  registry: ReadonlyMap<string, unknown>,
  userId: string,
  request: PollRequest,
  badges: Readonly<Record<string, number>> = {},
): Effect.Effect<PollResponse, InvalidCursor | StoreUnavailable, SyncStore | CursorSigner> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const cursors = yield* CursorSigner
    const position = request.cursor === null ? null : yield* cursors.decode(userId, request.cursor)
    const head = yield* store.head(userId)
    const live = yield* store.liveRows(userId)
    const digests = yield* Effect.forEach(registry.keys(), (entity) =>
      Digest.ofRows(
        entity,
        live.filter((row) => row.entity === entity),
      ),
    )
    return {
      protocolVersion: PROTOCOL_VERSION,
      cursor: yield* cursors.encode(userId, { version: head.version, horizon: head.horizon }),
      changed: head.version > (position?.version ?? 0),
      lastMutationSeq: yield* store.lastMutationSeq(userId, request.clientId),
      vault: head.vault,
      badges,
      digests,
    }
  })

/** Drops tombstones older than `retention` and returns the new horizon. */
export const expireTombstones = (
  userId: string,
  retention: Duration.DurationInput = DEFAULT_TOMBSTONE_RETENTION,
): Effect.Effect<number, StoreUnavailable, SyncStore> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const now = yield* Clock.currentTimeMillis
    return yield* store.expireTombstones(userId, now - Duration.toMillis(retention))
  })
