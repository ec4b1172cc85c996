/**
 * The knowledge base's tables: `knowledge_items` (ideas, infobase notes and
 * journal entries, told apart by `type`; a deleted record stays as a
 * tombstone without content) and `knowledge_item_versions` (every saved
 * version of a record with history). Every query is scoped by the user, so a
 * request can never reach another user's record. Envelopes and metadata are
 * stored as the JSON the client sent; nothing here reads them.
 * Infrastructure failures are defects.
 */
import { Effect, Option } from "effect"
import { sql } from "kysely"
import { Database } from "../Database/Database.js"

export type ItemType = "idea" | "infobase" | "journal"
export type Mode = "standard" | "private"
type Json = Record<string, unknown>

export interface Item {
  readonly type: ItemType
  readonly id: string
  readonly mode: Mode
  readonly version: number
  /** The content Envelope JSON; null on a tombstone. */
  readonly content: Json | null
  /** Private mode: the metadata Envelope JSON. */
  readonly meta: Json | null
  /** Standard mode: the plaintext metadata. */
  readonly metadata: Json | null
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly deletedAt: Date | null
}

export interface Version {
  readonly version: number
  readonly mode: Mode
  readonly content: Json
  readonly meta: Json | null
  readonly metadata: Json | null
  readonly createdAt: Date
}

/** What a create, update or restore writes. */
export interface Write {
  readonly mode: Mode
  readonly content: Json
  readonly meta: Json | null
  readonly metadata: Json | null
  readonly sizeBytes: number
}

export interface Cursor {
  readonly updatedAt: Date
  readonly id: string
}

export interface Purged {
  readonly tombstones: number
  readonly versions: number
}

const itemColumns = [
  "type",
  "id",
  "mode",
  "version",
  "content",
  "meta",
  "metadata",
  "created_at",
  "updated_at",
  "deleted_at",
] as const

const fromItemRow = (row: {
  readonly type: ItemType
  readonly id: string
  readonly mode: Mode
  readonly version: number
  readonly content: Json | null
  readonly meta: Json | null
  readonly metadata: Json | null
  readonly created_at: Date
  readonly updated_at: Date
  readonly deleted_at: Date | null
}): Item => ({
  type: row.type,
  id: row.id,
  mode: row.mode,
  version: row.version,
  content: row.content,
  meta: row.meta,
  metadata: row.metadata,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
})

const json = (value: Json | null) => (value === null ? null : JSON.stringify(value))

export class KnowledgeRepo extends Effect.Service<KnowledgeRepo>()("@ignition/server/KnowledgeRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database

    const find = (userId: string, type: ItemType, id: string, options: { readonly forUpdate?: boolean } = {}) =>
      db
        .execute((q) => {
          const query = q
            .selectFrom("knowledge_items")
            .select(itemColumns)
            .where("user_id", "=", userId)
            .where("type", "=", type)
            .where("id", "=", id)
          return (options.forUpdate === true ? query.forUpdate() : query).executeTakeFirst()
        })
        .pipe(
          Effect.orDie,
          Effect.map((row) => Option.map(Option.fromNullable(row), fromItemRow)),
        )

    /** Live records, newest updated first, after the cursor; one more than `limit` tells whether a next page exists. */
    const list = (userId: string, type: ItemType, limit: number, after: Cursor | undefined) =>
      db
        .execute((q) =>
          q
            .selectFrom("knowledge_items")
            .select(itemColumns)
            .where("user_id", "=", userId)
            .where("type", "=", type)
            .where("deleted_at", "is", null)
            .$if(after !== undefined, (query) =>
              query.where(
                (eb) => eb.refTuple("updated_at", "id"),
                "<",
                (eb) => eb.tuple(after?.updatedAt ?? new Date(0), after?.id ?? ""),
              ),
            )
            .orderBy("updated_at", "desc")
            .orderBy("id", "desc")
            .limit(limit)
            .execute(),
        )
        .pipe(
          Effect.orDie,
          Effect.map((rows) => rows.map(fromItemRow)),
        )

    const insertVersion = (userId: string, type: ItemType, id: string, version: number, write: Write, at: Date) =>
      db.execute((q) =>
        q
          .insertInto("knowledge_item_versions")
          .values({
            user_id: userId,
            type,
            id,
            version,
            mode: write.mode,
            content: JSON.stringify(write.content),
            meta: json(write.meta),
            metadata: json(write.metadata),
            created_at: at,
          })
          .execute(),
      )

    /** Every version still current (or all of a deleted record's) starts its retention now. */
    const supersede = (userId: string, type: ItemType, id: string, at: Date) =>
      db.execute((q) =>
        q
          .updateTable("knowledge_item_versions")
          .set({ superseded_at: at })
          .where("user_id", "=", userId)
          .where("type", "=", type)
          .where("id", "=", id)
          .where("superseded_at", "is", null)
          .execute(),
      )

    /** A new record at version 1 (and its first version when the kind keeps history). */
    const insert = (userId: string, type: ItemType, id: string, write: Write, at: Date, history: boolean) =>
      Effect.gen(function* () {
        const row = yield* db.execute((q) =>
          q
            .insertInto("knowledge_items")
            .values({
              user_id: userId,
              type,
              id,
              mode: write.mode,
              version: 1,
              content: JSON.stringify(write.content),
              meta: json(write.meta),
              metadata: json(write.metadata),
              size_bytes: write.sizeBytes,
              created_at: at,
              updated_at: at,
            })
            .returning(itemColumns)
            .executeTakeFirstOrThrow(),
        )
        if (history) yield* insertVersion(userId, type, id, 1, write, at)
        return fromItemRow(row)
      })

    /** Replaces a live record's content as `version` (the caller checked the previous one under a row lock). */
    const update = (
      userId: string,
      type: ItemType,
      id: string,
      version: number,
      write: Write,
      at: Date,
      history: boolean,
    ) =>
      Effect.gen(function* () {
        const row = yield* db.execute((q) =>
          q
            .updateTable("knowledge_items")
            .set({
              mode: write.mode,
              version,
              content: JSON.stringify(write.content),
              meta: json(write.meta),
              metadata: json(write.metadata),
              size_bytes: write.sizeBytes,
              updated_at: at,
            })
            .where("user_id", "=", userId)
            .where("type", "=", type)
            .where("id", "=", id)
            .where("deleted_at", "is", null)
            .returning(itemColumns)
            .executeTakeFirstOrThrow(),
        )
        if (history) {
          yield* supersede(userId, type, id, at)
          yield* insertVersion(userId, type, id, version, write, at)
        }
        return fromItemRow(row)
      })

    /** Leaves a tombstone at `version`: no content, no metadata; the versions start their retention. */
    const tombstone = (userId: string, type: ItemType, id: string, version: number, at: Date) =>
      Effect.gen(function* () {
        const row = yield* db.execute((q) =>
          q
            .updateTable("knowledge_items")
            .set({
              version,
              content: null,
              meta: null,
              metadata: null,
              size_bytes: 0,
              updated_at: at,
              deleted_at: at,
            })
            .where("user_id", "=", userId)
            .where("type", "=", type)
            .where("id", "=", id)
            .where("deleted_at", "is", null)
            .returning(itemColumns)
            .executeTakeFirstOrThrow(),
        )
        yield* supersede(userId, type, id, at)
        return fromItemRow(row)
      })

    const versionColumns = ["version", "mode", "content", "meta", "metadata", "created_at"] as const
    const fromVersionRow = (row: {
      readonly version: number
      readonly mode: Mode
      readonly content: Json
      readonly meta: Json | null
      readonly metadata: Json | null
      readonly created_at: Date
    }): Version => ({ ...row, createdAt: row.created_at })

    const versions = (userId: string, type: ItemType, id: string, limit: number) =>
      db
        .execute((q) =>
          q
            .selectFrom("knowledge_item_versions")
            .select(versionColumns)
            .where("user_id", "=", userId)
            .where("type", "=", type)
            .where("id", "=", id)
            .orderBy("version", "desc")
            .limit(limit)
            .execute(),
        )
        .pipe(
          Effect.orDie,
          Effect.map((rows) => rows.map(fromVersionRow)),
        )

    const version = (userId: string, type: ItemType, id: string, number: number) =>
      db
        .execute((q) =>
          q
            .selectFrom("knowledge_item_versions")
            .select(versionColumns)
            .where("user_id", "=", userId)
            .where("type", "=", type)
            .where("id", "=", id)
            .where("version", "=", number)
            .executeTakeFirst(),
        )
        .pipe(
          Effect.orDie,
          Effect.map((row) => Option.map(Option.fromNullable(row), fromVersionRow)),
        )

    /**
     * Deletes tombstones (with their versions) and superseded versions older
     * than their retention: `privateCutoff` for Private records — a version
     * counts as Private when it or its record is — `standardCutoff` for the rest.
     */
    const purgeExpired = (standardCutoff: Date, privateCutoff: Date) =>
      db
        .transaction(
          Effect.gen(function* () {
            const versions = yield* db.execute((q) =>
              sql`
                delete from knowledge_item_versions v
                using knowledge_items i
                where i.user_id = v.user_id and i.type = v.type and i.id = v.id
                  and v.superseded_at is not null
                  and v.superseded_at < case when v.mode = 'private' or i.mode = 'private'
                                             then ${privateCutoff}::timestamptz else ${standardCutoff}::timestamptz end`.execute(
                q,
              ),
            )
            const tombstones = yield* db.execute((q) =>
              sql`
                delete from knowledge_items
                where deleted_at is not null
                  and deleted_at < case when mode = 'private'
                                        then ${privateCutoff}::timestamptz else ${standardCutoff}::timestamptz end`.execute(
                q,
              ),
            )
            return {
              tombstones: Number(tombstones.numAffectedRows ?? 0),
              versions: Number(versions.numAffectedRows ?? 0),
            } satisfies Purged
          }),
        )
        .pipe(Effect.orDie)

    return { find, list, insert, update, tombstone, versions, version, purgeExpired }
  }),
}) {}
