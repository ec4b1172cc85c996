/**
 * The three kinds of knowledge-base record as the client sees them: what a
 * user edits (a draft), how a draft splits into the sealed content and the
 * metadata (plaintext in Standard mode, sealed as `<kind>.meta` in Private
 * mode), and the typed calls of each kind's API group. Wire rules:
 * docs/knowledge-base.md.
 */
import { KnowledgeBase } from "@ignition/api"
import type { Envelope, SearchIndex } from "@ignition/vault"
import type { DateTime, Effect } from "effect"
import { Schema } from "effect"
import type { Api } from "../client/IgnitionClient.js"

export type PrivacyMode = KnowledgeBase.PrivacyMode

export interface IdeaDraft {
  readonly text: string
  /** A musical key such as `F#m`, or null. */
  readonly key: string | null
  readonly bpm: number | null
  readonly moodTags: ReadonlyArray<string>
}

export interface InfobaseDraft {
  readonly title: string
  readonly category: string | null
  readonly tags: ReadonlyArray<string>
  /** Markdown. */
  readonly content: string
}

export interface JournalDraft {
  /** `YYYY-MM-DD`. */
  readonly entryDate: string
  readonly tags: ReadonlyArray<string>
  /** Markdown. */
  readonly content: string
}

export interface Drafts {
  readonly idea: IdeaDraft
  readonly infobase: InfobaseDraft
  readonly journal: JournalDraft
}

export type KindName = keyof Drafts

export const kindNames: ReadonlyArray<KindName> = ["idea", "infobase", "journal"]

/** A record as the server answers it, whatever its kind: envelopes, plaintext metadata fields, times. */
export type WireRecord = {
  readonly type: KindName
  readonly id: string
  readonly mode: PrivacyMode
  readonly version: number
  readonly content: Envelope.Envelope
  readonly meta: Envelope.Envelope | null
  readonly createdAt: DateTime.Utc
  readonly updatedAt?: DateTime.Utc
  readonly [field: string]: unknown
}

/** One saved version of a record (Infobase and Journal keep them). */
export type WireVersion = {
  readonly version: number
  readonly mode: PrivacyMode
  readonly content: Envelope.Envelope
  readonly meta: Envelope.Envelope | null
  readonly createdAt: DateTime.Utc
  readonly [field: string]: unknown
}

export interface Page {
  readonly items: ReadonlyArray<WireRecord>
  readonly nextCursor: string | null
}

/** The envelopes and metadata a create or an update carries. */
export interface Sealed<M> {
  readonly mode: PrivacyMode
  readonly content: Envelope.Envelope
  readonly meta: Envelope.Envelope | null
  /** The plaintext metadata (Standard mode only). */
  readonly metadata: M | null
}

type Call<A> = Effect.Effect<A, unknown>

interface Calls<M> {
  readonly list: (api: Api, cursor: string | undefined) => Call<Page>
  readonly create: (api: Api, id: string, sealed: Sealed<M>) => Call<WireRecord>
  readonly update: (api: Api, id: string, baseVersion: number, sealed: Sealed<M>) => Call<WireRecord>
  readonly remove: (api: Api, id: string, baseVersion: number) => Call<unknown>
  readonly versions?: (api: Api, id: string) => Call<{ readonly items: ReadonlyArray<WireVersion> }>
  readonly restore?: (api: Api, id: string, version: number, baseVersion: number) => Call<WireRecord>
}

export interface Kind<K extends KindName, M> {
  readonly type: K
  /** The content's record type and the metadata's (`<kind>.meta`): the envelopes' AAD binds them. */
  readonly recordType: string
  readonly metaRecordType: string
  /** The metadata as sealed in Private mode. */
  readonly Metadata: Schema.Schema<M>
  readonly hasHistory: boolean
  readonly split: (draft: Drafts[K]) => { readonly text: string; readonly metadata: M }
  readonly join: (text: string, metadata: M) => Drafts[K]
  /** The plaintext metadata of a Standard record. */
  readonly metadataOf: (record: Readonly<Record<string, unknown>>) => M
  /** The draft kept when a save lost a race: recognisable, never merged. */
  readonly conflictCopy: (draft: Drafts[K], at: Date) => Drafts[K]
  readonly indexDocument: (entry: {
    readonly id: string
    readonly version: number
    readonly updatedAt: Date
    readonly draft: Drafts[K]
  }) => SearchIndex.IndexDocument
  readonly calls: Calls<M>
}

/** The tag every conflict copy carries, so they can be found and tidied. */
export const conflictTag = "conflict-copy"

const withConflictTag = (tags: ReadonlyArray<string>) =>
  tags.includes(conflictTag) ? tags : [...tags.slice(0, 31), conflictTag]

const strings = (value: unknown): ReadonlyArray<string> =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []
const stringOrNull = (value: unknown) => (typeof value === "string" ? value : null)

/** Standard mode sends the metadata fields; Private mode sends `meta` and no plaintext field. */
const body = <M>(sealed: Sealed<M>) => ({
  mode: sealed.mode,
  content: sealed.content,
  meta: sealed.meta,
  ...(sealed.mode === "standard" ? sealed.metadata : {}),
})

const IdeaMetadata = Schema.Struct({
  key: Schema.NullOr(KnowledgeBase.MusicalKey),
  bpm: Schema.NullOr(KnowledgeBase.Bpm),
  moodTags: KnowledgeBase.Tags,
})
type IdeaMetadata = typeof IdeaMetadata.Type

export const idea: Kind<"idea", IdeaMetadata> = {
  type: "idea",
  recordType: KnowledgeBase.idea.recordType,
  metaRecordType: KnowledgeBase.idea.metaRecordType,
  Metadata: IdeaMetadata,
  hasHistory: false,
  split: ({ text, ...metadata }) => ({ text, metadata }),
  join: (text, metadata) => ({ text, ...metadata }),
  metadataOf: (record) => ({
    key: stringOrNull(record.key),
    bpm: typeof record.bpm === "number" ? record.bpm : null,
    moodTags: strings(record.moodTags),
  }),
  conflictCopy: (draft) => ({ ...draft, moodTags: withConflictTag(draft.moodTags) }),
  indexDocument: ({ id, version, updatedAt, draft }) => ({
    id,
    type: "idea",
    text: draft.text,
    tags: draft.moodTags,
    ...(draft.key === null ? {} : { key: draft.key }),
    ...(draft.bpm === null ? {} : { bpm: draft.bpm }),
    updatedAt: updatedAt.getTime(),
    version,
  }),
  calls: {
    list: (api, cursor) =>
      api.ideas.list({ urlParams: cursor === undefined ? { limit: 500 } : { limit: 500, cursor } }),
    create: (api, id, sealed) => api.ideas.create({ payload: { id, ...body(sealed) } }),
    update: (api, id, baseVersion, sealed) =>
      api.ideas.update({ path: { id }, payload: { baseVersion, ...body(sealed) } }),
    remove: (api, id, baseVersion) => api.ideas.remove({ path: { id }, payload: { baseVersion } }),
  },
}

const InfobaseMetadata = Schema.Struct({
  title: KnowledgeBase.Title,
  category: Schema.NullOr(KnowledgeBase.Category),
  tags: KnowledgeBase.Tags,
})
type InfobaseMetadata = typeof InfobaseMetadata.Type

const stamp = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ")

export const infobase: Kind<"infobase", InfobaseMetadata> = {
  type: "infobase",
  recordType: KnowledgeBase.infobase.recordType,
  metaRecordType: KnowledgeBase.infobase.metaRecordType,
  Metadata: InfobaseMetadata,
  hasHistory: true,
  split: ({ content, ...metadata }) => ({ text: content, metadata }),
  join: (content, metadata) => ({ content, ...metadata }),
  metadataOf: (record) => ({
    title: stringOrNull(record.title) ?? "",
    category: stringOrNull(record.category),
    tags: strings(record.tags),
  }),
  conflictCopy: (draft, at) => ({
    ...draft,
    title: `${draft.title} (conflict copy ${stamp(at)})`.slice(0, 512),
    tags: withConflictTag(draft.tags),
  }),
  indexDocument: ({ id, version, updatedAt, draft }) => ({
    id,
    type: "infobase",
    title: draft.title,
    text: draft.content,
    tags: draft.tags,
    ...(draft.category === null ? {} : { category: draft.category }),
    updatedAt: updatedAt.getTime(),
    version,
  }),
  calls: {
    list: (api, cursor) =>
      api.infobase.list({ urlParams: cursor === undefined ? { limit: 500 } : { limit: 500, cursor } }),
    create: (api, id, sealed) => api.infobase.create({ payload: { id, ...body(sealed) } }),
    update: (api, id, baseVersion, sealed) =>
      api.infobase.update({ path: { id }, payload: { baseVersion, ...body(sealed) } }),
    remove: (api, id, baseVersion) => api.infobase.remove({ path: { id }, payload: { baseVersion } }),
    versions: (api, id) => api.infobase.versions({ path: { id }, urlParams: { limit: 500 } }),
    restore: (api, id, version, baseVersion) =>
      api.infobase.restore({ path: { id, version }, payload: { baseVersion } }),
  },
}

const JournalMetadata = Schema.Struct({ entryDate: KnowledgeBase.EntryDate, tags: KnowledgeBase.Tags })
type JournalMetadata = typeof JournalMetadata.Type

export const journal: Kind<"journal", JournalMetadata> = {
  type: "journal",
  recordType: KnowledgeBase.journal.recordType,
  metaRecordType: KnowledgeBase.journal.metaRecordType,
  Metadata: JournalMetadata,
  hasHistory: true,
  split: ({ content, ...metadata }) => ({ text: content, metadata }),
  join: (content, metadata) => ({ content, ...metadata }),
  metadataOf: (record) => ({ entryDate: stringOrNull(record.entryDate) ?? "", tags: strings(record.tags) }),
  conflictCopy: (draft) => ({ ...draft, tags: withConflictTag(draft.tags) }),
  indexDocument: ({ id, version, updatedAt, draft }) => ({
    id,
    type: "journal",
    title: draft.entryDate,
    text: draft.content,
    tags: draft.tags,
    updatedAt: updatedAt.getTime(),
    version,
  }),
  calls: {
    list: (api, cursor) =>
      api.journal.list({ urlParams: cursor === undefined ? { limit: 500 } : { limit: 500, cursor } }),
    create: (api, id, sealed) => api.journal.create({ payload: { id, ...body(sealed) } }),
    update: (api, id, baseVersion, sealed) =>
      api.journal.update({ path: { id }, payload: { baseVersion, ...body(sealed) } }),
    remove: (api, id, baseVersion) => api.journal.remove({ path: { id }, payload: { baseVersion } }),
    versions: (api, id) => api.journal.versions({ path: { id }, urlParams: { limit: 500 } }),
    restore: (api, id, version, baseVersion) =>
      api.journal.restore({ path: { id, version }, payload: { baseVersion } }),
  },
}

export interface Kinds {
  readonly idea: typeof idea
  readonly infobase: typeof infobase
  readonly journal: typeof journal
}

export const kinds: Kinds = { idea, infobase, journal }
