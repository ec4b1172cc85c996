/**
 * What the three knowledge-base groups (`ideas`, `infobase`, `journal`)
 * share: privacy modes, the record kinds and their wire schemas, the typed
 * errors and the endpoint builders. Content is always a vault envelope the
 * server cannot open; metadata is plaintext in Standard mode and an envelope
 * too in Private mode. See docs/knowledge-base.md.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiSchema, OpenApi } from "@effect/platform"
import { Envelope } from "@ignition/vault"
import { Schema } from "effect"
import { NotFound } from "./ApiError.js"
import { Authentication } from "./Authentication.js"
import { VaultUnlocked } from "./VaultApi.js"

/**
 * Standard: metadata (title, tags, key…) is plaintext, so the server can
 * list and filter by it. Private: metadata is encrypted too, in `meta`.
 * Content is encrypted in both.
 *
 * @since 0.1.0
 */
export const PrivacyMode = Schema.Literal("standard", "private")

/**
 * @since 0.1.0
 */
export type PrivacyMode = typeof PrivacyMode.Type

/**
 * A record's id: a UUID chosen by the client, because the envelope's AAD
 * binds it before the server sees the record.
 *
 * @since 0.1.0
 */
export const RecordId = Schema.UUID

/**
 * A record's version: 1 when created, one more with every change
 * (including the delete that leaves a tombstone).
 *
 * @since 0.1.0
 */
export const RecordVersion = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/**
 * A tag: 1–64 characters, no surrounding whitespace.
 *
 * @since 0.1.0
 */
export const Tag = Schema.String.pipe(Schema.trimmed(), Schema.minLength(1), Schema.maxLength(64))

/**
 * At most 32 tags.
 *
 * @since 0.1.0
 */
export const Tags = Schema.Array(Tag).pipe(Schema.maxItems(32))

/**
 * A musical key: a note name with an optional accidental and quality —
 * `C`, `F#m`, `Bbmaj`, `Ebmin`, `Bdim`.
 *
 * @since 0.1.0
 */
export const MusicalKey = Schema.String.pipe(
  Schema.pattern(/^[A-G][#b]?(m|maj|min|dim|aug)?$/, {
    message: () => "a musical key such as C, F#m, Bbmaj or Ebmin",
  }),
)

/**
 * Beats per minute, 20–400.
 *
 * @since 0.1.0
 */
export const Bpm = Schema.Int.pipe(Schema.between(20, 400))

/**
 * A calendar date, `YYYY-MM-DD`.
 *
 * @since 0.1.0
 */
export const EntryDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "a date as YYYY-MM-DD" }),
  Schema.filter((text) => {
    const date = new Date(`${text}T00:00:00Z`)
    return (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text) || "not a calendar date"
  }),
)

/**
 * @since 0.1.0
 */
export const Title = Schema.String.pipe(Schema.maxLength(512))

/**
 * @since 0.1.0
 */
export const Category = Schema.String.pipe(Schema.trimmed(), Schema.minLength(1), Schema.maxLength(128))

type MetadataFields = { readonly [name: string]: Schema.Schema.Any }

type Nullable<F extends MetadataFields> = { readonly [K in keyof F]: Schema.NullOr<F[K]> }
type OptionalNullable<F extends MetadataFields> = { readonly [K in keyof F]: Schema.optional<Schema.NullOr<F[K]>> }

const nullable = <F extends MetadataFields>(fields: F): Nullable<F> =>
  Object.fromEntries(Object.entries(fields).map(([name, schema]) => [name, Schema.NullOr(schema)])) as Nullable<F>

const optionalNullable = <F extends MetadataFields>(fields: F): OptionalNullable<F> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, schema]) => [name, Schema.optional(Schema.NullOr(schema))]),
  ) as OptionalNullable<F>

/** Refuse fields the contract does not know rather than drop them. */
const strict = { parseOptions: { onExcessProperty: "error" } } as const

/**
 * Builds a record kind: its type name, the record types its envelopes are
 * sealed under, its plaintext metadata fields (those `required` must be set
 * in Standard mode; arrays default to empty there), and the wire schemas.
 */
const makeKind = <const T extends string, F extends MetadataFields>(spec: {
  readonly type: T
  readonly name: string
  readonly metadata: F
  readonly required: ReadonlyArray<keyof F & string>
  readonly history: boolean
}) => {
  const Record = Schema.Struct({
    type: Schema.Literal(spec.type),
    id: RecordId,
    mode: PrivacyMode,
    version: RecordVersion,
    content: Envelope.Envelope,
    meta: Schema.NullOr(Envelope.Envelope),
    ...nullable(spec.metadata),
    createdAt: Schema.DateTimeUtc,
    updatedAt: Schema.DateTimeUtc,
  }).annotations({
    identifier: `${spec.name}Record`,
    description: `A ${spec.type} record: content (and, in Private mode, metadata) as vault envelopes`,
  })
  const Version = Schema.Struct({
    version: RecordVersion,
    mode: PrivacyMode,
    content: Envelope.Envelope,
    meta: Schema.NullOr(Envelope.Envelope),
    ...nullable(spec.metadata),
    createdAt: Schema.DateTimeUtc,
  }).annotations({ identifier: `${spec.name}Version`, description: `One saved version of a ${spec.type} record` })
  const Create = Schema.Struct({
    id: RecordId,
    mode: PrivacyMode,
    content: Envelope.Envelope,
    meta: Schema.optional(Schema.NullOr(Envelope.Envelope)),
    ...optionalNullable(spec.metadata),
  }).annotations({ identifier: `Create${spec.name}Request`, ...strict })
  const Update = Schema.Struct({
    baseVersion: RecordVersion,
    mode: PrivacyMode,
    content: Envelope.Envelope,
    meta: Schema.optional(Schema.NullOr(Envelope.Envelope)),
    ...optionalNullable(spec.metadata),
  }).annotations({ identifier: `Update${spec.name}Request`, ...strict })
  return {
    ...spec,
    recordType: spec.type,
    metaRecordType: `${spec.type}.meta`,
    metadataNames: Object.keys(spec.metadata) as ReadonlyArray<keyof F & string>,
    Record,
    Version,
    Create,
    Update,
  }
}

/**
 * Ideas: quick capture of music ideas. Metadata: musical key, BPM, mood tags.
 *
 * @since 0.1.0
 */
export const idea = makeKind({
  type: "idea",
  name: "Idea",
  metadata: { key: MusicalKey, bpm: Bpm, moodTags: Tags },
  required: [],
  history: false,
})

/**
 * Infobase: personal knowledge base notes (Markdown content). Metadata:
 * title, category, tags.
 *
 * @since 0.1.0
 */
export const infobase = makeKind({
  type: "infobase",
  name: "Infobase",
  metadata: { title: Title, category: Category, tags: Tags },
  required: ["title"],
  history: true,
})

/**
 * Journal: dated entries. Metadata: the entry's date, tags.
 *
 * @since 0.1.0
 */
export const journal = makeKind({
  type: "journal",
  name: "Journal",
  metadata: { entryDate: EntryDate, tags: Tags },
  required: ["entryDate"],
  history: true,
})

/**
 * Any record kind.
 *
 * @since 0.1.0
 */
export type Kind = typeof idea | typeof infobase | typeof journal

/**
 * A record of any kind, told apart by `type`.
 *
 * @since 0.1.0
 */
export const AnyRecord = Schema.Union(idea.Record, infobase.Record, journal.Record)

/**
 * What a delete leaves: the record's id, its new version and when.
 *
 * @since 0.1.0
 */
export const Tombstone = Schema.Struct({
  type: Schema.Literal("idea", "infobase", "journal"),
  id: RecordId,
  version: RecordVersion,
  deletedAt: Schema.DateTimeUtc,
}).annotations({ identifier: "KnowledgeTombstone" })

/**
 * The request's `baseVersion` is not the record's current version (another
 * device saved or deleted it first), or a create used an id that exists
 * with different content. Nothing was written. `current` is the server's
 * record with its envelopes (null when it was deleted: `deleted`), so the
 * client can keep the user's text as a conflict copy.
 *
 * @since 0.1.0
 */
export class RecordConflict extends Schema.TaggedError<RecordConflict>()(
  "RecordConflict",
  {
    message: Schema.String,
    currentVersion: RecordVersion,
    deleted: Schema.Boolean,
    current: Schema.NullOr(AnyRecord),
  },
  HttpApiSchema.annotations({ status: 409, description: "The record changed since baseVersion" }),
) {}

/**
 * The record's envelopes together hold more ciphertext than the instance
 * accepts per record (`RECORD_MAX_BYTES`). Nothing was written.
 *
 * @since 0.1.0
 */
export class RecordTooLarge extends Schema.TaggedError<RecordTooLarge>()(
  "RecordTooLarge",
  { message: Schema.String, limitBytes: Schema.Int, sizeBytes: Schema.Int },
  HttpApiSchema.annotations({ status: 413, description: "The record exceeds the per-record limit" }),
) {}

/**
 * A well-formed record whose mode and metadata disagree (Standard with a
 * `meta` envelope or without a required field; Private with plaintext
 * metadata or without `meta`). `field` names the offending field.
 *
 * @since 0.1.0
 */
export class InvalidRecord extends Schema.TaggedError<InvalidRecord>()(
  "InvalidRecord",
  { message: Schema.String, field: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The record's mode and metadata disagree" }),
) {}

/**
 * The most records a list answers at once.
 *
 * @since 0.1.0
 */
export const maxPageSize = 500

/**
 * `?limit=` (1–500, 100 by default) and `?cursor=` (the previous page's
 * `nextCursor`).
 *
 * @since 0.1.0
 */
export const ListParams = Schema.Struct({
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, maxPageSize))),
  cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(256))),
})

const IdPath = Schema.Struct({ id: RecordId })
const VersionPath = Schema.Struct({
  id: RecordId,
  version: Schema.NumberFromString.pipe(Schema.int(), Schema.positive()),
})
const BaseVersion = Schema.Struct({ baseVersion: RecordVersion }).annotations(strict)

/**
 * The endpoints of one kind under `path`: list, create, update, delete, and
 * (for kinds with history) versions and restore. Every mutation sits behind
 * `VaultUnlocked` (423 while the vault is locked); reads need a session.
 *
 * @since 0.1.0
 */
export const endpoints = <
  Rec extends Schema.Schema.AnyNoContext,
  Ver extends Schema.Schema.AnyNoContext,
  Cre extends Schema.Schema.AnyNoContext,
  Upd extends Schema.Schema.AnyNoContext,
>(
  kind: {
    readonly type: string
    readonly name: string
    readonly Record: Rec
    readonly Version: Ver
    readonly Create: Cre
    readonly Update: Upd
  },
  path: `/${string}`,
) => ({
  list: HttpApiEndpoint.get("list", path)
    .setUrlParams(ListParams)
    .addSuccess(
      Schema.Struct({ items: Schema.Array(kind.Record), nextCursor: Schema.NullOr(Schema.String) }).annotations({
        identifier: `${kind.name}Page`,
      }),
    )
    .middleware(Authentication)
    .annotate(OpenApi.Summary, `The caller's ${kind.type} records, newest updated first`),
  create: HttpApiEndpoint.post("create", path)
    .setPayload(kind.Create)
    .addSuccess(kind.Record, { status: 201 })
    .addError(RecordConflict)
    .addError(RecordTooLarge)
    .addError(InvalidRecord)
    .middleware(VaultUnlocked)
    .annotate(OpenApi.Summary, `Create a ${kind.type} record under the id the client chose (idempotent retry)`),
  update: HttpApiEndpoint.put("update", `${path}/:id`)
    .setPath(IdPath)
    .setPayload(kind.Update)
    .addSuccess(kind.Record)
    .addError(NotFound)
    .addError(RecordConflict)
    .addError(RecordTooLarge)
    .addError(InvalidRecord)
    .middleware(VaultUnlocked)
    .annotate(OpenApi.Summary, `Replace a ${kind.type} record if it is still at baseVersion`),
  remove: HttpApiEndpoint.del("remove", `${path}/:id`)
    .setPath(IdPath)
    .setPayload(BaseVersion)
    .addSuccess(Tombstone)
    .addError(NotFound)
    .addError(RecordConflict)
    .middleware(VaultUnlocked)
    .annotate(OpenApi.Summary, `Delete a ${kind.type} record (a tombstone) if it is still at baseVersion`),
  versions: HttpApiEndpoint.get("versions", `${path}/:id/versions`)
    .setPath(IdPath)
    .setUrlParams(Schema.Struct({ limit: ListParams.fields.limit }))
    .addSuccess(
      Schema.Struct({ items: Schema.Array(kind.Version) }).annotations({ identifier: `${kind.name}Versions` }),
    )
    .addError(NotFound)
    .middleware(Authentication)
    .annotate(OpenApi.Summary, `The saved versions of a ${kind.type} record, newest first`),
  restore: HttpApiEndpoint.post("restore", `${path}/:id/versions/:version/restore`)
    .setPath(VersionPath)
    .setPayload(BaseVersion)
    .addSuccess(kind.Record)
    .addError(NotFound)
    .addError(RecordConflict)
    .middleware(VaultUnlocked)
    .annotate(OpenApi.Summary, `Save an older version of a ${kind.type} record as its newest version`),
})
