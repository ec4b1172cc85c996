/**
 * Story-only: the knowledge base on the fake server — `/api/ideas`,
 * `/api/infobase` and `/api/learn/journal` with state, behind the golden
 * vault of ./vault.ts and with the real cryptography on the device, for the
 * stories of `<ig-ideas>`, `<ig-infobase>`, `<ig-journal>`,
 * `<ig-version-history>`, `<ig-search-box>` and `<ig-index-progress>`.
 *
 * ```ts
 * const meta = { render: () => knowledgePage(html`<ig-ideas></ig-ideas>`), beforeEach: knowledgeServer({ records: sampleIdeas }) }
 * export const Ready = { play: ({ canvasElement }) => unlockVault(canvasElement, "ig-ideas") }
 * ```
 *
 * - {@link knowledgeServer} answers what the real server does (see
 *   docs/knowledge-base.md): pages of live records newest updated first,
 *   creates under the client's id, every update, delete and restore a
 *   compare-and-swap on `baseVersion` (409 `RecordConflict` with `current`),
 *   tombstones, versions and restore for Infobase and Journal, 400 for a body
 *   the contract refuses, 423 while the vault is locked on the server, and
 *   `GET /api/settings` with `defaultPrivacyMode`. The vault endpoints are
 *   ./vault.ts's (the golden vault, locked until the story unlocks it).
 * - Records are seeded sealed with the golden vault's real content key (its
 *   KEK is the fixture's bytes 0..31), exactly as `KnowledgeBase` seals
 *   them, so they decrypt and index at unlock like a real user's:
 *   {@link idea}, {@link infobaseNote}, {@link journalEntry}, and the sample
 *   sets {@link sampleIdeas}, {@link sampleNotes}, {@link sampleJournal}.
 *   Seeds get a fresh random id each time the story is shown unless they name
 *   one (the search index snapshot in IndexedDB is per user and vault, so
 *   two stories must not give one id different text).
 * - A seed's `changedElsewhere` makes a conflict without timing: another
 *   device saves that draft (or deletes the record) just before this
 *   device's first change to it reaches the server.
 * - {@link unlockVault} unlocks the story's vault with the golden
 *   passphrase, as a `play` function step; {@link knowledgePage} puts an
 *   element inside `<ig-app>` under `<ig-vault-lock-banner>` (to lock and
 *   unlock by hand).
 */
import "@ignition/ui-components/app"
import "@ignition/ui-components/vault-lock-banner"
import { KnowledgeBase as Contract, type SettingsApi } from "@ignition/api"
import { type VaultSession, vaultContext } from "@ignition/ui-components"
import { ContentKeys, Entropy, Envelope, WrappedKey } from "@ignition/vault"
import { ContextEvent } from "@lit/context"
import { Effect, ParseResult, Schema } from "effect"
import { html, type TemplateResult } from "lit"
import { userEvent, waitFor } from "storybook/test"
import golden from "../../../packages/vault/test/fixtures/golden.json" with { type: "json" }
import { type Drafts, type Kind, type KindName, kinds, type PrivacyMode } from "../../src/knowledge/kinds.js"
import { fromNow, settingsWith } from "./fixtures.js"
import {
  decodeError,
  type Handler,
  mockServer,
  notFound,
  ok,
  origin,
  type Reply,
  type Routes,
  refuse,
} from "./mockServer.js"
import { lockedElsewhere } from "./storyVault.js"
import {
  goldenPassphrase,
  goldenUserId,
  goldenVaultId,
  lockElsewhere as lockVaultElsewhere,
  shadowIn,
  unlockHint,
  type VaultServerOptions,
  vaultKnown,
  vaultServer,
} from "./vault.js"

type Encoded<S extends Schema.Schema.Any> = Schema.Schema.Encoded<S>
type RecordJson = Encoded<typeof Contract.AnyRecord>
type VersionJson = Omit<RecordJson, "type" | "id" | "updatedAt">
type SettingsJson = Encoded<typeof SettingsApi.SettingsDocument>

const minute = 60_000
const hour = 60 * minute

/** The API path of each kind. */
const kindPaths = { idea: "/api/ideas", infobase: "/api/infobase", journal: "/api/learn/journal" } as const

const contracts = { idea: Contract.idea, infobase: Contract.infobase, journal: Contract.journal } as const

/** Each kind's metadata as one type, as `KnowledgeBase` handles it (see its `kindOf`). */
const kindOf = <K extends KindName>(type: K): Kind<K, unknown> => kinds[type] as unknown as Kind<K, unknown>

// ---------------------------------------------------------------------------------------------------------------------
// Seeds

/** A record the server holds when the story starts. */
export interface Seed<K extends KindName = KindName> {
  readonly type: K
  readonly draft: Drafts[K]
  /** Standard (default) or Private. */
  readonly mode?: PrivacyMode
  /** A UUID; a fresh random one each time the story is shown when absent. */
  readonly id?: string
  /** How long ago it was last saved, in ms (default: one more minute per seed, in list order). */
  readonly age?: number
  /** Earlier versions, oldest first (Infobase and Journal keep them). */
  readonly history?: ReadonlyArray<Drafts[K]>
  /** Another device saves this draft (or deletes the record) just before this device's first change arrives: 409. */
  readonly changedElsewhere?: Drafts[K] | "deleted"
  /** Its content is sealed for another record, so it does not open here: counted as unreadable. */
  readonly unreadable?: boolean
}

export type AnySeed = { readonly [K in KindName]: Seed<K> }[KindName]

type SeedOptions<K extends KindName> = Omit<Seed<K>, "type" | "draft">

/** An idea: its text, and whatever key, BPM and mood tags it has. */
export const idea = (
  draft: Pick<Drafts["idea"], "text"> & Partial<Drafts["idea"]>,
  options: SeedOptions<"idea"> = {},
): Seed<"idea"> => ({ type: "idea", draft: { key: null, bpm: null, moodTags: [], ...draft }, ...options })

/** An Infobase note: its title and Markdown, and whatever category and tags it has. */
export const infobaseNote = (
  draft: Pick<Drafts["infobase"], "title" | "content"> & Partial<Drafts["infobase"]>,
  options: SeedOptions<"infobase"> = {},
): Seed<"infobase"> => ({ type: "infobase", draft: { category: null, tags: [], ...draft }, ...options })

/** A Journal entry: its date and Markdown, and whatever tags it has. */
export const journalEntry = (
  draft: Pick<Drafts["journal"], "entryDate" | "content"> & Partial<Drafts["journal"]>,
  options: SeedOptions<"journal"> = {},
): Seed<"journal"> => ({ type: "journal", draft: { tags: [], ...draft }, ...options })

/** Five ideas, newest first: keys, tempos, moods, one Private. */
export const sampleIdeas: ReadonlyArray<AnySeed> = [
  idea({ text: "Descending bass under a F#m pad — try it at 128bpm with a half-time snare", key: "F#m", bpm: 128 }),
  idea(
    {
      text: "Call and response between Rhodes and muted guitar.\nGuitar answers a beat late; Rhodes voicings in Dm7 → G7 → Cmaj7.",
      key: "C",
      bpm: 96,
      moodTags: ["warm", "lazy"],
    },
    { age: 3 * 60 * minute },
  ),
  idea(
    { text: "Hook: “paper lanterns in the rain” — hum it over Bb", key: "Bb", moodTags: ["dreamy"] },
    { age: 26 * 60 * minute },
  ),
  idea(
    { text: "Stems from the demo: drop the second verse, double the chorus", moodTags: ["arrangement"] },
    { age: 4 * 24 * 60 * minute, mode: "private" },
  ),
  idea(
    { text: "Dark arpeggio in C#m, 7/8, builds into the drop", key: "C#m", bpm: 140, moodTags: ["dark", "tense"] },
    { age: 9 * 24 * 60 * minute },
  ),
]

/** Three Infobase notes, one Private, one with history. */
export const sampleNotes: ReadonlyArray<AnySeed> = [
  infobaseNote(
    {
      title: "Mixing checklist",
      category: "Production",
      tags: ["mixing"],
      content: "# Mixing checklist\n\n- Gain-stage every track to -18 dBFS\n- High-pass everything but kick and bass\n",
    },
    {
      history: [
        {
          title: "Mixing checklist",
          category: "Production",
          tags: ["mixing"],
          content: "# Mixing\n\n- Gain staging\n",
        },
      ],
    },
  ),
  infobaseNote(
    {
      title: "Modes cheat sheet",
      category: "Theory",
      tags: ["theory", "modes"],
      content:
        "Dorian over Dm7: the natural sixth is the colour note. Lydian's raised fourth over Fmaj7. F#m is the relative minor of A.",
    },
    { age: 2 * 24 * 60 * minute },
  ),
  infobaseNote(
    { title: "Studio door code", tags: ["private"], content: "Ask Sam before booking the big room." },
    { age: 6 * 24 * 60 * minute, mode: "private" },
  ),
]

/** Two Journal entries. */
export const sampleJournal: ReadonlyArray<AnySeed> = [
  journalEntry(
    { entryDate: "2026-03-02", tags: ["practice"], content: "Worked the F#m scale at 128 BPM until it felt even." },
    { age: 30 * 60 * minute },
  ),
  journalEntry(
    { entryDate: "2026-02-27", tags: ["session"], content: "Recorded the Dm7 groove with Sam. Keep take 3." },
    { age: 5 * 24 * 60 * minute },
  ),
]

/** `count` generated ideas: enough for the unlock-time load to show its progress. */
export const manyIdeas = (count: number): ReadonlyArray<AnySeed> =>
  Array.from({ length: count }, (_, index) =>
    idea(
      { text: `Sketch ${index + 1}: a riff in ${["Am", "C", "F#m", "Eb"][index % 4]}`, bpm: 80 + (index % 100) },
      { age: index * minute },
    ),
  )

// ---------------------------------------------------------------------------------------------------------------------
// Sealing with the golden vault's keys

/** The KEK inside the golden wrap (packages/vault/test/fixtures/golden.json: bytes 0..31). */
const goldenKek = Uint8Array.from({ length: WrappedKey.KEK_BYTES }, (_, index) => index)

/** The golden vault's content key, unwrapped by its KEK as the keyring does at unlock (made once). */
let contentKey: Promise<Envelope.ContentKey> | undefined
const contentKeyOnce = (): Promise<Envelope.ContentKey> => {
  contentKey ??= Effect.runPromise(
    Effect.gen(function* () {
      const kek = yield* ContentKeys.kekKey(goldenKek)
      const wrapped = yield* Envelope.decode(golden.contentKey.wrapped)
      return yield* ContentKeys.unwrap(
        kek,
        { userId: goldenUserId, vaultId: goldenVaultId },
        Envelope.KeyId.make(golden.contentKey.kid),
        wrapped,
      )
    }),
  )
  return contentKey
}

interface SealedJson {
  readonly content: Envelope.EnvelopeJson
  readonly meta: Envelope.EnvelopeJson | null
  /** The plaintext metadata fields (Standard mode). */
  readonly metadata: Readonly<Record<string, unknown>>
}

/** Seals a draft as `KnowledgeBase` does: content always, the metadata too in Private mode. */
const seal = <K extends KindName>(
  key: Envelope.ContentKey,
  type: K,
  recordId: string,
  mode: PrivacyMode,
  draft: Drafts[K],
): Promise<SealedJson> => {
  const kind = kindOf(type)
  const { text, metadata } = kind.split(draft)
  const context = (recordType: string) => ({ userId: goldenUserId, vaultId: goldenVaultId, recordType, recordId })
  return Effect.runPromise(
    Effect.gen(function* () {
      const content = yield* Envelope.sealString(key, context(kind.recordType), text)
      const meta =
        mode === "private" ? yield* Envelope.sealJson(kind.Metadata, key, context(kind.metaRecordType), metadata) : null
      return {
        content: Envelope.encode(content),
        meta: meta === null ? null : Envelope.encode(meta),
        metadata: mode === "standard" ? (metadata as Readonly<Record<string, unknown>>) : {},
      }
    }).pipe(Effect.provide(Entropy.layer)),
  )
}

// ---------------------------------------------------------------------------------------------------------------------
// The server

export interface KnowledgeServerOptions extends VaultServerOptions {
  /** The records the server starts with, in any order (lists answer newest updated first). */
  readonly records?: ReadonlyArray<AnySeed>
  /** `defaultPrivacyMode` in the settings document (default "standard"). */
  readonly defaultPrivacyMode?: PrivacyMode
  /** How long a list page takes, in ms (default: `delay`; `Infinity`: the load never ends). */
  readonly listDelay?: number
  /** The first list request of the story gets this answer (a failed load; Retry loads). */
  readonly listFailure?: Reply
}

interface Stored {
  record: RecordJson
  deleted: boolean
  /** Every saved version, newest first (the current one included). */
  versions: Array<VersionJson>
  /** What another device saves just before this device's next change (see `Seed.changedElsewhere`). */
  elsewhere: { readonly sealed: SealedJson; readonly mode: PrivacyMode } | "deleted" | undefined
}

type Store = { readonly [K in KindName]: Map<string, Stored> }

interface State {
  readonly store: Store
  /** Locked on another device ({@link lockElsewhere}) and not yet seen here. */
  lockedElsewhere: boolean
}

/** The state of the server the story on screen talks to. */
let shown: State | undefined

const objectOf = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}

/** A Standard record's missing field: `[]` for a list (a field whose schema takes one), null otherwise. */
const absentValue = (schema: Schema.Schema.Any): unknown => (Schema.is(schema)([]) ? [] : null)

/** The metadata fields of a record or version: Standard's plaintext (defaults filled in), all null in Private. */
const metadataFields = (type: KindName, mode: PrivacyMode, source: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(
    Object.entries(contracts[type].metadata).map(([name, schema]: [string, Schema.Schema.Any]) => [
      name,
      mode === "private" ? null : (source[name] ?? absentValue(schema)),
    ]),
  )

const recordOf = (
  type: KindName,
  id: string,
  version: number,
  body: { readonly mode: PrivacyMode; readonly content: unknown; readonly meta: unknown },
  source: Readonly<Record<string, unknown>>,
  createdAt: string,
  updatedAt: string,
): RecordJson =>
  ({
    type,
    id,
    mode: body.mode,
    version,
    content: body.content,
    meta: body.mode === "private" ? body.meta : null,
    ...metadataFields(type, body.mode, source),
    createdAt,
    updatedAt,
  }) as RecordJson

const versionOf = (record: RecordJson): VersionJson => {
  const { type: _type, id: _id, updatedAt, ...version } = record
  return { ...version, createdAt: updatedAt }
}

const seedStored = async (key: Envelope.ContentKey, seed: AnySeed, position: number): Promise<[string, Stored]> => {
  const id = seed.id ?? globalThis.crypto.randomUUID()
  const mode = seed.mode ?? "standard"
  const age = seed.age ?? (position + 1) * minute
  const drafts: ReadonlyArray<Drafts[KindName]> = [...(seed.history ?? []), seed.draft]
  // Each earlier version was saved an hour before the next.
  const savedAt = (index: number) => fromNow(-age - (drafts.length - 1 - index) * hour)
  // An unreadable record's envelopes are sealed for another id: the AAD check fails at unlock.
  const sealedFor = seed.unreadable === true ? globalThis.crypto.randomUUID() : id
  const sealed = await Promise.all(drafts.map((draft) => seal(key, seed.type, sealedFor, mode, draft)))
  const records = sealed.map((one, index) =>
    recordOf(seed.type, id, index + 1, { mode, ...one }, one.metadata, savedAt(0), savedAt(index)),
  )
  const elsewhere = seed.changedElsewhere
  return [
    id,
    {
      // `drafts` ends with the seed's own draft: there is a last record.
      record: records.at(-1) as RecordJson,
      deleted: false,
      versions: records.map(versionOf).reverse(),
      elsewhere:
        elsewhere === undefined || elsewhere === "deleted"
          ? elsewhere
          : { sealed: await seal(key, seed.type, id, mode, elsewhere), mode },
    },
  ]
}

const initialStore = async (seeds: ReadonlyArray<AnySeed>): Promise<Store> => {
  const key = await contentKeyOnce()
  const entries = await Promise.all(seeds.map((seed, position) => seedStored(key, seed, position)))
  const store: Store = { idea: new Map(), infobase: new Map(), journal: new Map() }
  for (const [position, [id, stored]] of entries.entries()) store[seeds[position]?.type ?? "idea"].set(id, stored)
  return store
}

const settingsOf = (mode: PrivacyMode): SettingsJson => {
  const document = settingsWith("system")
  return { ...document, settings: { ...document.settings, defaultPrivacyMode: mode } }
}

const recordConflict = (stored: Stored): Reply =>
  refuse(409, {
    _tag: "RecordConflict",
    message: "The record changed since baseVersion",
    currentVersion: stored.record.version,
    deleted: stored.deleted,
    current: stored.deleted ? null : stored.record,
  } satisfies Encoded<typeof Contract.RecordConflict>)

const invalidRecord = (field: string, message: string): Reply =>
  refuse(400, { _tag: "InvalidRecord", message, field } satisfies Encoded<typeof Contract.InvalidRecord>)

/** Decodes a body with the contract's schema: a 400 naming the path, as the server answers, when it does not fit. */
const decodeBody = (schema: Schema.Schema.AnyNoContext, body: unknown): Reply | undefined => {
  const decoded = Schema.decodeUnknownEither(schema)(body)
  if (decoded._tag === "Right") return undefined
  return decodeError(
    ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map((problem) => ({
      _tag: problem._tag,
      path: problem.path.map(String),
      message: problem.message,
    })),
  )
}

/** Mode and metadata must agree (docs/knowledge-base.md): Standard has no `meta` and its required fields; Private the reverse. */
const disagreement = (type: KindName, body: Readonly<Record<string, unknown>>): Reply | undefined => {
  const contract = contracts[type]
  const hasMeta = body.meta !== undefined && body.meta !== null
  if (body.mode === "standard") {
    if (hasMeta) return invalidRecord("meta", "A Standard record carries no meta envelope")
    const missing = contract.required.find((name) => body[name] === undefined || body[name] === null)
    return missing === undefined ? undefined : invalidRecord(missing, `A Standard ${type} needs ${missing}`)
  }
  if (!hasMeta) return invalidRecord("meta", "A Private record carries its metadata in meta")
  const plaintext = contract.metadataNames.find((name) => body[name] !== undefined && body[name] !== null)
  return plaintext === undefined
    ? undefined
    : invalidRecord(plaintext, `A Private record has no plaintext ${plaintext}`)
}

const routesOf = (state: State, options: KnowledgeServerOptions): Routes => {
  const delay = options.delay ?? 300
  const listDelay = options.listDelay ?? delay
  let listFailure = options.listFailure
  const now = () => fromNow(0)

  /** Saves `record` as the current state of `stored` (and a version, for kinds with history). */
  const commit = (stored: Stored, record: RecordJson) => {
    stored.record = record
    stored.deleted = false
    if (contracts[record.type].history) stored.versions.unshift(versionOf(record))
  }

  /** Another device's change, if one is waiting for this record: applied first, so this request loses. */
  const otherDeviceFirst = (stored: Stored) => {
    const elsewhere = stored.elsewhere
    if (elsewhere === undefined) return
    stored.elsewhere = undefined
    if (elsewhere === "deleted") {
      stored.deleted = true
      stored.record = { ...stored.record, version: stored.record.version + 1, updatedAt: now() }
      return
    }
    const { type, id, version, createdAt } = stored.record
    commit(
      stored,
      recordOf(
        type,
        id,
        version + 1,
        { mode: elsewhere.mode, ...elsewhere.sealed },
        elsewhere.sealed.metadata,
        createdAt,
        now(),
      ),
    )
  }

  /** The checks every change shares: unlocked, known, still at `baseVersion`. */
  const changeable = (type: KindName, id: string, body: unknown): Stored | Reply => {
    if (state.lockedElsewhere) return lockedElsewhere()
    const stored = state.store[type].get(id)
    if (stored === undefined) return notFound("No such record")
    otherDeviceFirst(stored)
    const baseVersion = objectOf(body).baseVersion
    return stored.deleted || baseVersion !== stored.record.version ? recordConflict(stored) : stored
  }
  const isReply = (value: Stored | Reply): value is Reply => !("record" in value)

  const kindRoutes = (type: KindName): Routes => {
    const path = kindPaths[type]
    const contract = contracts[type]
    const routes: Record<string, Handler> = {
      [`GET ${path}`]: ({ url }) => {
        const cursor = url.searchParams.get("cursor")
        // A load from the start is this device unlocking (again): it has seen any lock from elsewhere.
        if (cursor === null) state.lockedElsewhere = false
        if (listFailure !== undefined) {
          const failure = listFailure
          listFailure = undefined
          return failure
        }
        const limit = Number(url.searchParams.get("limit") ?? 100)
        const start = Number(cursor ?? 0)
        const live = [...state.store[type].values()]
          .filter((stored) => !stored.deleted)
          .map((stored) => stored.record)
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
        const items = live.slice(start, start + limit)
        const next = start + limit < live.length ? String(start + limit) : null
        return ok({ items, nextCursor: next }, { delay: listDelay })
      },
      [`POST ${path}`]: ({ body }) => {
        if (state.lockedElsewhere) return lockedElsewhere()
        const refused = decodeBody(contract.Create, body) ?? disagreement(type, objectOf(body))
        if (refused !== undefined) return refused
        const request = objectOf(body) as Encoded<typeof contract.Create>
        const existing = state.store[type].get(request.id)
        if (existing !== undefined) return recordConflict(existing)
        const record = recordOf(type, request.id, 1, { ...request, meta: request.meta ?? null }, request, now(), now())
        const stored: Stored = { record, deleted: false, versions: [], elsewhere: undefined }
        commit(stored, record)
        state.store[type].set(request.id, stored)
        return ok(record, { status: 201, delay })
      },
      [`PUT ${path}/:id`]: ({ params, body }) => {
        const refused = decodeBody(contract.Update, body) ?? disagreement(type, objectOf(body))
        if (refused !== undefined) return refused
        const id = params.id ?? ""
        const stored = changeable(type, id, body)
        if (isReply(stored)) return stored
        const request = objectOf(body) as Encoded<typeof contract.Update>
        const { version, createdAt } = stored.record
        commit(
          stored,
          recordOf(type, id, version + 1, { ...request, meta: request.meta ?? null }, request, createdAt, now()),
        )
        return ok(stored.record, { delay })
      },
      [`DELETE ${path}/:id`]: ({ params, body }) => {
        const id = params.id ?? ""
        const stored = changeable(type, id, body)
        if (isReply(stored)) return stored
        stored.deleted = true
        stored.record = { ...stored.record, version: stored.record.version + 1, updatedAt: now() }
        return ok({ type, id, version: stored.record.version, deletedAt: now() }, { delay })
      },
    }
    if (!contract.history) return routes
    routes[`GET ${path}/:id/versions`] = ({ params }) => {
      const stored = state.store[type].get(params.id ?? "")
      if (stored === undefined || stored.deleted) return notFound("No such record")
      return ok({ items: stored.versions }, { delay })
    }
    routes[`POST ${path}/:id/versions/:version/restore`] = ({ params, body }) => {
      const id = params.id ?? ""
      const stored = changeable(type, id, body)
      if (isReply(stored)) return stored
      const version = stored.versions.find((candidate) => candidate.version === Number(params.version))
      if (version === undefined) return notFound("That version is not kept")
      const { createdAt: _savedAt, version: _version, ...restored } = version
      commit(stored, {
        ...stored.record,
        ...restored,
        version: stored.record.version + 1,
        updatedAt: now(),
      } as RecordJson)
      return ok(stored.record, { delay })
    }
    return routes
  }

  return {
    "GET /api/settings": ok(settingsOf(options.defaultPrivacyMode ?? "standard"), { delay }),
    ...kindRoutes("idea"),
    ...kindRoutes("infobase"),
    ...kindRoutes("journal"),
  }
}

/**
 * A story's (or a meta's) `beforeEach`: the golden vault's server
 * (./vault.ts, with the same options) and the knowledge base's endpoints
 * with `records`, state starting afresh each time the story is shown. A
 * story's own `mockServer` routes, listed after, take precedence path by path.
 */
export const knowledgeServer =
  (options: KnowledgeServerOptions = {}): (() => Promise<() => void>) =>
  async () => {
    const cleanupVault = await vaultServer(options)()
    const state: State = { store: await initialStore(options.records ?? []), lockedElsewhere: false }
    shown = state
    const cleanup = mockServer(routesOf(state, options))()
    return () => {
      if (shown === state) shown = undefined
      cleanup()
      cleanupVault()
    }
  }

/**
 * Locks the vault on the server as another device would: this device
 * notices at its next poll (`vault-poll-seconds`), or when a change it sends
 * is refused with 423 — until it loads again at its next unlock.
 */
export const lockElsewhere = (reason = "manual"): void => {
  lockVaultElsewhere(reason)
  if (shown !== undefined) shown.lockedElsewhere = true
}

// ---------------------------------------------------------------------------------------------------------------------
// In the stories

/** `content` inside `<ig-app>` (signed in as the golden vault's owner), under `<ig-vault-lock-banner>`. */
export const knowledgePage = (
  content: TemplateResult,
  options: { readonly pollSeconds?: number } = {},
): TemplateResult =>
  html`<ig-app base-url=${origin} vault-poll-seconds=${options.pollSeconds ?? 30}>
      <ig-vault-lock-banner></ig-vault-lock-banner>
      <div style="display: grid; gap: 1.5rem; margin-top: 1.5rem">${content}</div>
    </ig-app>
    ${unlockHint()}`

/** The vault `<ig-app>` provides to `element` (asked as the elements ask: a context request). */
const vaultSessionOf = (element: Element): VaultSession | undefined => {
  let session: VaultSession | undefined
  element.dispatchEvent(
    new ContextEvent(vaultContext, element, (provided) => {
      session = provided
    }),
  )
  return session
}

/**
 * A `play` step: once the vault of the first `tag` in the story is known,
 * unlocks it with the golden passphrase (Argon2id runs, as at a real unlock)
 * and answers the element's shadow root.
 */
export const unlockVault = async (canvasElement: HTMLElement, tag: string): Promise<ShadowRoot> => {
  const state = await vaultKnown(canvasElement, tag)
  const element = canvasElement.querySelector(tag)
  const session = element === null ? undefined : vaultSessionOf(element)
  if (state.status === "locked" && session !== undefined) {
    const outcome = await session.unlockWithPassphrase(goldenPassphrase)
    if (outcome._tag !== "Ok") throw new Error(`The story vault did not unlock (${outcome._tag}).`)
  }
  await waitFor(() => {
    if (session?.state.status !== "unlocked") throw new Error("The vault is not unlocked yet.")
  })
  return shadowIn(canvasElement, tag)
}

/**
 * Replaces the text of a field inside a shadow root (`userEvent.clear`
 * refuses those: it compares `document.activeElement` with the field).
 */
export const replaceText = async (field: HTMLInputElement | HTMLTextAreaElement, text: string): Promise<void> => {
  await userEvent.click(field)
  await userEvent.keyboard("{Control>}a{/Control}{Backspace}")
  if (text !== "") await userEvent.keyboard(text)
}
