/**
 * Handlers of the `ideas`, `infobase` and `journal` groups. The three kinds
 * share everything but their metadata fields and whether they keep history,
 * so one set of operations serves them all (`KnowledgeBase.operations(kind)`).
 *
 * What the server checks without keys: the envelopes' shape (the contract's
 * schemas, 400 naming the path), that mode and metadata agree (400
 * `InvalidRecord` naming the field), the ciphertext size (413
 * `RecordTooLarge`). Every write runs in one transaction that first locks
 * the vault row (`requireUnlocked`, 423 when a lock got there first) and then
 * the record, and compares `baseVersion` (409 `RecordConflict` with the
 * server's record). Nothing about a record — least of all a Private one's
 * metadata — is logged or audited. See docs/knowledge-base.md.
 *
 * Sync shares this write path (docs/sync-protocol.md, "One source of
 * truth"): every write here also stamps the record's new state into the
 * user's change log in the same transaction, and a pushed mutation that wins
 * its compare-and-swap is applied to the record by `syncDefinition`, with the
 * same checks, history and 423.
 */
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi, KnowledgeBase as KB, type VaultApi } from "@ignition/api"
import { Entity, Policy, SyncError, Server as SyncRules, SyncStore } from "@ignition/sync"
import { Envelope } from "@ignition/vault"
import { Clock, DateTime, Duration, Effect, Layer, Option, Schedule, Schema, SchemaAST } from "effect"
import { AppConfig } from "../AppConfig.js"
import type { DatabaseError } from "../Database/Database.js"
import * as SyncRepo from "../Sync/Repo.js"
import { VaultRepo } from "../Vault/Repo.js"
import { requireUnlocked } from "../Vault/VaultUnlocked.js"
import { type Item, KnowledgeRepo, type Version, type Write } from "./Repo.js"

type Json = Record<string, unknown>
type RecordOf<K extends KB.Kind> = Schema.Schema.Type<K["Record"]>
type VersionOf<K extends KB.Kind> = Schema.Schema.Type<K["Version"]>
type CreateOf<K extends KB.Kind> = Schema.Schema.Type<K["Create"]>
type UpdateOf<K extends KB.Kind> = Schema.Schema.Type<K["Update"]>

/**
 * The 423 a write fails with when a lock got there first. (Named here so the
 * declared types can name it: `tsc -b` needs the import in scope.)
 */
export type Locked = VaultApi.VaultLocked

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

const defaultPageSize = 100

const notFound = (kind: KB.Kind) => new ApiError.NotFound({ message: `No such ${kind.type} record` })

/** Whether a metadata field holds a list (it defaults to empty in Standard mode). */
const isList = (schema: Schema.Schema.Any): boolean => {
  let ast = schema.ast
  while (SchemaAST.isRefinement(ast)) ast = ast.from
  return SchemaAST.isTupleType(ast)
}

/** JSON with object keys sorted: jsonb does not keep the order a client sent. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === "object" && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  )

/** An opaque page cursor: the last record's `updated_at` and id. */
const encodeCursor = (item: Item) =>
  Buffer.from(`${item.updatedAt.toISOString()}|${item.id}`, "utf8").toString("base64url")

const decodeCursor = (cursor: string) => {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|")
  const updatedAt = new Date(at ?? "")
  return at !== undefined && id !== undefined && !Number.isNaN(updatedAt.getTime()) && /^[0-9a-f-]{36}$/.test(id)
    ? Option.some({ updatedAt, id })
    : Option.none()
}

/** The `ct` bytes of a stored envelope (unpadded base64url). */
const ciphertextBytes = (envelope: Json): number =>
  typeof envelope.ct === "string" ? Math.floor((envelope.ct.length * 3) / 4) : 0

const badCursor = new ApiError.BadRequest({ message: "The cursor is not one this server gave out" })

/** The sync entity each kind's records travel under. */
export const syncEntity = { idea: "ideas", infobase: "infobase", journal: "journal" } as const satisfies Record<
  KB.Kind["type"],
  string
>

const storeUnavailable = (error: DatabaseError) =>
  new SyncError.StoreUnavailable({ message: `the knowledge base is unavailable (${error.code ?? "no code"})` })

export class KnowledgeBase extends Effect.Service<KnowledgeBase>()("@ignition/server/KnowledgeBase", {
  effect: Effect.gen(function* () {
    const repo = yield* KnowledgeRepo
    const vaults = yield* VaultRepo
    const config = yield* AppConfig
    const store = yield* SyncStore.SyncStore

    /**
     * One transaction: the user's change-log row first (a push takes the same
     * order), then the vault's row — a lock arriving mid-request waits or wins
     * (423) — then the record; `body` logs what it wrote in the same commit.
     */
    const write = <A, E, R>(
      userId: string,
      body: (transaction: SyncStore.Transaction) => Effect.Effect<A, E | DatabaseError | SyncError.StoreUnavailable, R>,
    ) =>
      store
        .transaction(userId, (transaction) => Effect.zipRight(requireUnlocked(userId), body(transaction)))
        .pipe(
          Effect.provideService(VaultRepo, vaults),
          Effect.catchTag("DatabaseError", Effect.die),
          Effect.catchTag("StoreUnavailable", Effect.die),
        )

    /**
     * Deletes tombstones and superseded versions past their retention
     * (`PRIVATE_RETENTION` for Private records, `TOMBSTONE_RETENTION` for
     * the others), as of the Clock's now.
     */
    const purgeExpired = Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      return yield* repo.purgeExpired(
        new Date(at - Duration.toMillis(config.tombstoneRetention)),
        new Date(at - Duration.toMillis(config.privateRetention)),
      )
    })

    const operations = <K extends KB.Kind>(kind: K) => {
      const recordSchema = kind.Record as unknown as Schema.Schema<RecordOf<K>, Schema.Schema.Encoded<K["Record"]>>
      const versionSchema = kind.Version as unknown as Schema.Schema<VersionOf<K>, Schema.Schema.Encoded<K["Version"]>>
      const decodeRecord = Schema.decodeUnknown(recordSchema)
      const decodeVersion = Schema.decodeUnknown(versionSchema)
      const fields: ReadonlyArray<string> = kind.metadataNames
      const metadataSchemas = kind.metadata as Readonly<Record<string, Schema.Schema.Any>>
      const lists = new Set(fields.filter((name) => isList(metadataSchemas[name] as Schema.Schema.Any)))
      const required: ReadonlyArray<string> = kind.required
      const nulls = Object.fromEntries(fields.map((name) => [name, null]))

      const metadataOf = (stored: Json | null) =>
        stored === null ? nulls : Object.fromEntries(fields.map((name) => [name, stored[name] ?? null]))

      const entity = syncEntity[kind.type]

      /** A record's state as sync carries it: what its owner wrote (sync's own version replaces the record's). */
      const syncValue = (item: Item): Json => ({
        mode: item.mode,
        content: item.content,
        meta: item.meta,
        ...metadataOf(item.metadata),
      })

      /** Puts the record's state into the change log, unless the log holds it already (a retried create or delete). */
      const logItem = (transaction: SyncStore.Transaction, item: Item) =>
        Effect.gen(function* () {
          const value = item.deletedAt === null ? syncValue(item) : null
          const logged = yield* transaction.row(entity, item.id)
          if (Option.isSome(logged) && canonical(Option.getOrNull(logged.value.value)) === canonical(value)) return
          yield* SyncRules.record(transaction, entity, [
            value === null ? { _tag: "delete", id: item.id } : { _tag: "put", id: item.id, value },
          ])
        })

      /** A write through `write` whose resulting record is logged. */
      const save = <E, R>(userId: string, effect: Effect.Effect<Item, E | DatabaseError, R>) =>
        write(userId, (transaction) => Effect.tap(effect, (item) => logItem(transaction, item)))

      // Stored JSON was checked on the way in; failing to read it back is a bug, not bad input.
      const toRecord = (item: Item) =>
        decodeRecord({
          type: item.type,
          id: item.id,
          mode: item.mode,
          version: item.version,
          content: item.content,
          meta: item.meta,
          ...metadataOf(item.metadata),
          createdAt: item.createdAt.toISOString(),
          updatedAt: item.updatedAt.toISOString(),
        }).pipe(Effect.orDie)

      const toVersion = (version: Version) =>
        decodeVersion({
          version: version.version,
          mode: version.mode,
          content: version.content,
          meta: version.meta,
          ...metadataOf(version.metadata),
          createdAt: version.createdAt.toISOString(),
        }).pipe(Effect.orDie)

      const conflict = (item: Item, message: string) =>
        Effect.flatMap(
          item.deletedAt === null ? Effect.map(toRecord(item), Option.some) : Effect.succeed(Option.none()),
          (current) =>
            Effect.fail(
              new KB.RecordConflict({
                message,
                currentVersion: item.version,
                deleted: item.deletedAt !== null,
                current: Option.getOrNull(current) as KB.RecordConflict["current"],
              }),
            ),
        )

      const stale = (item: Item, baseVersion: number) =>
        conflict(
          item,
          item.deletedAt !== null
            ? `This ${kind.type} record was deleted (version ${item.version})`
            : `This ${kind.type} record is at version ${item.version}, not ${baseVersion}: keep your text as a copy`,
        )

      /** What the request writes, once mode, metadata and size agree. */
      const toWrite = (payload: CreateOf<K> | UpdateOf<K>) =>
        Effect.gen(function* () {
          const values = payload as unknown as Readonly<Record<string, unknown>>
          const meta = payload.meta ?? null
          let metadata: Json | null = null
          if (payload.mode === "standard") {
            if (meta !== null) {
              return yield* new KB.InvalidRecord({
                field: "meta",
                message: "A Standard record keeps its metadata in plaintext: meta must be null or absent",
              })
            }
            for (const name of required) {
              if (values[name] === undefined || values[name] === null) {
                return yield* new KB.InvalidRecord({ field: name, message: `A Standard ${kind.type} needs ${name}` })
              }
            }
            metadata = Object.fromEntries(fields.map((name) => [name, values[name] ?? (lists.has(name) ? [] : null)]))
          } else {
            if (meta === null) {
              return yield* new KB.InvalidRecord({
                field: "meta",
                message: `A Private record carries its metadata encrypted: meta must be a ${kind.metaRecordType} envelope`,
              })
            }
            for (const name of fields) {
              if (values[name] !== undefined && values[name] !== null) {
                return yield* new KB.InvalidRecord({
                  field: name,
                  message: `A Private record has no plaintext metadata: ${name} belongs in the meta envelope`,
                })
              }
            }
          }
          const sizeBytes = payload.content.ct.length + (meta === null ? 0 : meta.ct.length)
          if (sizeBytes > config.recordMaxBytes) {
            return yield* new KB.RecordTooLarge({
              message: `The record holds ${sizeBytes} bytes of ciphertext; the limit is ${config.recordMaxBytes}`,
              limitBytes: config.recordMaxBytes,
              sizeBytes,
            })
          }
          return {
            mode: payload.mode,
            content: Envelope.encode(payload.content) as unknown as Json,
            meta: meta === null ? null : (Envelope.encode(meta) as unknown as Json),
            metadata,
            sizeBytes,
          } satisfies Write
        })

      /** The caller's record, locked for the rest of the transaction, or 404. */
      const lockedRecord = (userId: string, id: string) =>
        Effect.flatMap(repo.find(userId, kind.type, id, { forUpdate: true }), (found) =>
          Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(notFound(kind)),
        )

      const list = ({ urlParams }: { readonly urlParams: typeof KB.ListParams.Type }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const limit = urlParams.limit ?? defaultPageSize
          let after: { updatedAt: Date; id: string } | undefined
          if (urlParams.cursor !== undefined) {
            const cursor = decodeCursor(urlParams.cursor)
            if (Option.isNone(cursor)) return yield* badCursor
            after = cursor.value
          }
          const rows = yield* repo.list(user.id, kind.type, limit + 1, after)
          const page = rows.slice(0, limit)
          const last = page.at(-1)
          return {
            items: yield* Effect.forEach(page, toRecord),
            nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
          }
        })

      const create = ({ payload }: { readonly payload: CreateOf<K> }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const changes = yield* toWrite(payload)
          const at = yield* now
          const item = yield* save(
            user.id,
            Effect.gen(function* () {
              const existing = yield* repo.find(user.id, kind.type, payload.id, { forUpdate: true })
              if (Option.isSome(existing)) {
                const found = existing.value
                // A retry of the same create answers as the first did.
                const same =
                  found.deletedAt === null &&
                  found.version === 1 &&
                  found.mode === changes.mode &&
                  canonical(found.content) === canonical(changes.content) &&
                  canonical(found.meta) === canonical(changes.meta) &&
                  canonical(found.metadata) === canonical(changes.metadata)
                if (same) return found
                return yield* conflict(found, `A ${kind.type} record with this id exists: choose another id`)
              }
              return yield* repo.insert(user.id, kind.type, payload.id, changes, at, kind.history)
            }),
          )
          return yield* toRecord(item)
        })

      const update = ({ path, payload }: { readonly path: { readonly id: string }; readonly payload: UpdateOf<K> }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const changes = yield* toWrite(payload)
          const at = yield* now
          const item = yield* save(
            user.id,
            Effect.gen(function* () {
              const found = yield* lockedRecord(user.id, path.id)
              if (found.deletedAt !== null || found.version !== payload.baseVersion) {
                return yield* stale(found, payload.baseVersion)
              }
              return yield* repo.update(user.id, kind.type, path.id, found.version + 1, changes, at, kind.history)
            }),
          )
          return yield* toRecord(item)
        })

      const remove = ({
        path,
        payload,
      }: {
        readonly path: { readonly id: string }
        readonly payload: { readonly baseVersion: number }
      }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const at = yield* now
          const item = yield* save(
            user.id,
            Effect.gen(function* () {
              const found = yield* lockedRecord(user.id, path.id)
              // A retry of the delete that made this tombstone answers as the first did.
              if (found.deletedAt !== null && found.version === payload.baseVersion + 1) return found
              if (found.deletedAt !== null || found.version !== payload.baseVersion) {
                return yield* stale(found, payload.baseVersion)
              }
              return yield* repo.tombstone(user.id, kind.type, path.id, found.version + 1, at)
            }),
          )
          return {
            type: kind.type,
            id: item.id,
            version: item.version,
            deletedAt: DateTime.unsafeFromDate(item.deletedAt ?? at),
          }
        })

      const versions = ({
        path,
        urlParams,
      }: {
        readonly path: { readonly id: string }
        readonly urlParams: { readonly limit?: number | undefined }
      }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const found = yield* repo.find(user.id, kind.type, path.id)
          if (Option.isNone(found) || found.value.deletedAt !== null) return yield* notFound(kind)
          const rows = yield* repo.versions(user.id, kind.type, path.id, urlParams.limit ?? defaultPageSize)
          return { items: yield* Effect.forEach(rows, toVersion) }
        })

      const restore = ({
        path,
        payload,
      }: {
        readonly path: { readonly id: string; readonly version: number }
        readonly payload: { readonly baseVersion: number }
      }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const at = yield* now
          const item = yield* save(
            user.id,
            Effect.gen(function* () {
              const found = yield* lockedRecord(user.id, path.id)
              if (found.deletedAt !== null || found.version !== payload.baseVersion) {
                return yield* stale(found, payload.baseVersion)
              }
              const old = yield* repo.version(user.id, kind.type, path.id, path.version)
              if (Option.isNone(old)) {
                return yield* new ApiError.NotFound({ message: `This record has no version ${path.version}` })
              }
              const { mode, content, meta, metadata } = old.value
              const sizeBytes = ciphertextBytes(content) + (meta === null ? 0 : ciphertextBytes(meta))
              return yield* repo.update(
                user.id,
                kind.type,
                path.id,
                found.version + 1,
                { mode, content, meta, metadata, sizeBytes },
                at,
                true,
              )
            }),
          )
          return yield* toRecord(item)
        })

      const createSchema = kind.Create as unknown as Schema.Schema<CreateOf<K>, Schema.Schema.Encoded<K["Create"]>>
      const decodeCreate = Schema.decodeUnknown(createSchema)

      /**
       * The entity pushes of this kind go through, for `userId`: `inner`
       * decides the compare-and-swap on the change log (a stale put becomes
       * a conflict copy there, a stale delete a rejection); a write that wins
       * is applied to the record as the REST endpoints apply it — the same
       * checks (refusals become rejections), the same history — behind the
       * same vault row lock, so a locked vault stops the push with 423 and
       * consumes nothing.
       */
      const syncDefinition = (userId: string, inner: Entity.Definition): Entity.Definition<VaultApi.VaultLocked> => ({
        name: inner.name,
        policy: inner.policy,
        apply: (op, args, context) =>
          Effect.gen(function* () {
            yield* requireUnlocked(userId)
            const decision = yield* inner.apply(op, args, context)
            const [change] = decision.writes
            // A conflict copy lives in the change log only: writing or deleting one leaves the records alone.
            if (
              decision.conflictCopyId !== undefined ||
              change === undefined ||
              Option.isSome(Policy.conflictOrigin(change.id))
            )
              return decision
            const at = yield* now
            const found = yield* repo.find(userId, kind.type, change.id, { forUpdate: true })
            if (change._tag === "delete") {
              if (Option.isSome(found) && found.value.deletedAt === null) {
                yield* repo.tombstone(userId, kind.type, change.id, found.value.version + 1, at)
              }
              return decision
            }
            const changes = yield* decodeCreate({ ...(change.value as Json), id: change.id }).pipe(
              Effect.flatMap(toWrite),
              Effect.mapError((refused) => new Entity.Rejection({ reason: refused.message })),
            )
            if (Option.isSome(found) && found.value.deletedAt !== null) {
              return yield* new Entity.Rejection({
                reason: `This ${kind.type} record was deleted: save it under a new id`,
              })
            }
            const item = Option.isNone(found)
              ? yield* repo.insert(userId, kind.type, change.id, changes, at, kind.history)
              : yield* repo.update(userId, kind.type, change.id, found.value.version + 1, changes, at, kind.history)
            return { writes: [{ _tag: "put", id: change.id, value: syncValue(item) }] } satisfies Entity.Decision
          }).pipe(
            Effect.provideService(VaultRepo, vaults),
            Effect.catchTag("DatabaseError", (error) => Effect.fail(storeUnavailable(error))),
          ),
      })

      return { list, create, update, remove, versions, restore, syncDefinition }
    }

    return { operations, purgeExpired }
  }),
  dependencies: [KnowledgeRepo.Default, SyncRepo.layer],
}) {}

export const IdeasLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "ideas", (handlers) =>
  Effect.map(KnowledgeBase, (kb) => {
    const op = kb.operations(KB.idea)
    return handlers
      .handle("list", op.list)
      .handle("create", op.create)
      .handle("update", op.update)
      .handle("remove", op.remove)
  }),
)

export const InfobaseLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "infobase", (handlers) =>
  Effect.map(KnowledgeBase, (kb) => {
    const op = kb.operations(KB.infobase)
    return handlers
      .handle("list", op.list)
      .handle("create", op.create)
      .handle("update", op.update)
      .handle("remove", op.remove)
      .handle("versions", op.versions)
      .handle("restore", op.restore)
  }),
)

export const JournalLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "journal", (handlers) =>
  Effect.map(KnowledgeBase, (kb) => {
    const op = kb.operations(KB.journal)
    return handlers
      .handle("list", op.list)
      .handle("create", op.create)
      .handle("update", op.update)
      .handle("remove", op.remove)
      .handle("versions", op.versions)
      .handle("restore", op.restore)
  }),
)

/** How often expired tombstones and versions are purged (also once at start). */
export const purgeInterval = Duration.hours(1)

/** Purges at start and then every `purgeInterval`; a failed run is logged and retried at the next. */
export const PurgeLive = Layer.scopedDiscard(
  Effect.flatMap(KnowledgeBase, (kb) =>
    Effect.forkScoped(
      kb.purgeExpired.pipe(
        Effect.tap((purged) =>
          purged.tombstones + purged.versions > 0
            ? Effect.logInfo("knowledge base: expired tombstones and versions purged", purged)
            : Effect.void,
        ),
        Effect.catchAllCause((cause) => Effect.logWarning("knowledge base: purge failed", cause)),
        Effect.repeat(Schedule.spaced(purgeInterval)),
      ),
    ),
  ),
)

/** The three groups and the purge over one `KnowledgeBase` service. */
export const layer = Layer.mergeAll(IdeasLive, InfobaseLive, JournalLive, PurgeLive).pipe(
  Layer.provide(KnowledgeBase.Default),
)
