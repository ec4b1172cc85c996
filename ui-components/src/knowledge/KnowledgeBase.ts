/**
 * The signed-in user's Ideas, Infobase notes and Journal entries on this
 * device, decrypted in memory only while the vault is unlocked, and the
 * encrypted search index over them.
 *
 * - At unlock it pages through the three kinds, opens every envelope in
 *   batches (unreadable records are counted, never fatal) and refreshes the
 *   search index: the sealed snapshot in IndexedDB is restored and only new
 *   or changed records are indexed. `progress` reports each phase with an
 *   ETA for `<ig-index-progress>`.
 * - Saves seal on this device and send envelopes only; every update is a
 *   compare-and-swap on the version this device last saw. When another
 *   device saved first (409), the server's record replaces the local one and
 *   the user's draft is saved as a new record — a conflict copy, tagged
 *   `conflict-copy` — so no text is ever silently overwritten.
 * - At lock everything decrypted is dropped, and the search index drops its
 *   key and clears its store (`SearchIndex`, subscribed to the keyring).
 *   The snapshot therefore only outlives a session that ended without a lock
 *   (a closed tab, a reload), which is when it saves the rebuild.
 *
 * One instance per `VaultSession` (`KnowledgeBase.of`). Every verb answers an
 * `Outcome` and never throws.
 */
import { KnowledgeBase as KB } from "@ignition/api"
import { type Envelope, IndexStore, Keyring, SearchIndex } from "@ignition/vault"
import { Cause, DateTime, Effect, Exit, Layer, ManagedRuntime, Option, ParseResult, Schema } from "effect"
import type { Outcome, ServerError } from "../client/IgnitionClient.js"
import * as IndexedDbIndexStore from "../vault/IndexedDbIndexStore.js"
import { VaultSession } from "../vault/VaultSession.js"
import {
  type Drafts,
  type Kind,
  type KindName,
  kindNames,
  kinds,
  type PrivacyMode,
  type Sealed,
  type WireRecord,
  type WireVersion,
} from "./kinds.js"

export interface Entry<K extends KindName = KindName> {
  readonly type: K
  readonly id: string
  readonly version: number
  readonly mode: PrivacyMode
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly draft: Drafts[K]
}

export interface EntryVersion<K extends KindName = KindName> {
  readonly version: number
  readonly mode: PrivacyMode
  readonly createdAt: Date
  readonly draft: Drafts[K]
}

export type SaveResult<K extends KindName> =
  | { readonly _tag: "Saved"; readonly entry: Entry<K> }
  | {
      readonly _tag: "Conflict"
      /** The server's record, now shown in place of the local one (null: it was deleted). */
      readonly current: Entry<K> | null
      /** The user's draft, saved as a new record (null when there was no text to keep, e.g. a delete). */
      readonly copy: Entry<K> | null
    }

export type Status =
  | { readonly status: "locked" }
  | { readonly status: "loading" }
  | { readonly status: "ready"; readonly unreadable: number }
  | { readonly status: "failed"; readonly message: string }

export interface Progress {
  readonly phase: "downloading" | "decrypting" | "indexing"
  readonly done: number
  readonly total: number
  /** Estimated milliseconds left in this phase; absent until there is a pace to go by. */
  readonly etaMs?: number
}

export interface Hit<K extends KindName = KindName> {
  readonly entry: Entry<K>
  readonly score: number
  /** The indexed terms that matched (for highlighting). */
  readonly terms: ReadonlyArray<string>
}

export interface SaveInput<K extends KindName> {
  /** Absent for a new record. */
  readonly id?: string
  /**
   * The version the draft was begun from (absent: the version held here now).
   * An editor passes it, so a newer version that arrived while the user typed
   * — from another device, a restore — makes this save a conflict, never an
   * overwrite.
   */
  readonly baseVersion?: number
  readonly mode: PrivacyMode
  readonly draft: Drafts[K]
}

type Failure = { readonly _tag: string; readonly message: string }
type SearchRuntime = ManagedRuntime.ManagedRuntime<SearchIndex.SearchIndex, never>
type Entries = { [K in KindName]: Map<string, Entry<K>> }

const refused = (error: ServerError): Outcome<never> => ({ _tag: "Refused", error })
const lockedRefusal = refused({ _tag: "VaultLocked", message: "Unlock the vault first." })

/** Decrypting in batches keeps the page responsive and gives progress a pace. */
const DECRYPT_BATCH = 500
/** Edits are sealed into the stored snapshot at most this often. */
const PERSIST_DELAY_MS = 2_000

/**
 * The kind's operations with its metadata type left open: every metadata
 * value the caller handles comes from the same kind's own methods (an
 * existential), so `unknown` is the honest type outside `kinds.ts`.
 */
const kindOf = <K extends KindName>(type: K): Kind<K, unknown> => kinds[type] as unknown as Kind<K, unknown>

const toDate = (value: DateTime.Utc | undefined, fallback: Date) =>
  value === undefined ? fallback : DateTime.toDate(value)

const failureOf = (cause: Cause.Cause<Failure>): Failure =>
  Option.getOrElse(Cause.failureOption(cause), () => ({
    _tag: "CryptoUnavailable",
    message: "This browser could not run the vault's cryptography.",
  }))

/** `{etaMs}` from the pace so far, or nothing before there is one. */
const etaFrom = (startedAt: number, done: number, total: number): { readonly etaMs?: number } =>
  done === 0 ? {} : { etaMs: Math.round(((performance.now() - startedAt) / done) * (total - done)) }

const instances = new WeakMap<VaultSession, KnowledgeBase>()

const serverSet = ["type", "id", "version", "createdAt", "updatedAt"] as const

/** What sync carries of a record of each kind: what its owner wrote, without the server's fields. */
type SyncedValue = {
  readonly mode: PrivacyMode
  readonly content: Envelope.Envelope
  readonly meta: Envelope.Envelope | null
  readonly [field: string]: unknown
}

const decodeSynced: Record<KindName, (value: unknown) => Option.Option<SyncedValue>> = {
  idea: Schema.decodeUnknownOption(KB.idea.Record.omit(...serverSet)),
  infobase: Schema.decodeUnknownOption(KB.infobase.Record.omit(...serverSet)),
  journal: Schema.decodeUnknownOption(KB.journal.Record.omit(...serverSet)),
}

export class KnowledgeBase extends EventTarget {
  static readonly changeEvent = "change"

  /** The knowledge base of `session` (made on first use). */
  static of(session: VaultSession): KnowledgeBase {
    let made = instances.get(session)
    if (made === undefined) {
      made = new KnowledgeBase(session)
      instances.set(session, made)
    }
    return made
  }

  readonly #session: VaultSession
  readonly #entries: Entries = { idea: new Map(), infobase: new Map(), journal: new Map() }
  #status: Status = { status: "locked" }
  #progress: Progress | undefined
  /** Bumped at every lock and every load: work begun before it never installs its result. */
  #generation = 0
  #index:
    | { readonly vaultId: string; readonly where: "indexeddb" | "memory"; readonly runtime: SearchRuntime }
    | undefined
  #persistTimer: ReturnType<typeof setTimeout> | undefined

  private constructor(session: VaultSession) {
    super()
    this.#session = session
    session.addEventListener(VaultSession.changeEvent, () => this.#follow())
    this.#follow()
  }

  get status(): Status {
    return this.#status
  }

  /** What the load at unlock is doing, or undefined when it is done. */
  get progress(): Progress | undefined {
    return this.#progress
  }

  /** The decrypted records of a kind, newest updated first. */
  entries<K extends KindName>(type: K): ReadonlyArray<Entry<K>> {
    return [...this.#entries[type].values()].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
  }

  entry<K extends KindName>(type: K, id: string): Entry<K> | undefined {
    return this.#entries[type].get(id)
  }

  #changed() {
    this.dispatchEvent(new Event(KnowledgeBase.changeEvent))
  }

  #setStatus(status: Status, progress?: Progress) {
    this.#status = status
    this.#progress = progress
    this.#changed()
  }

  #setProgress(generation: number, progress: Progress) {
    if (generation !== this.#generation) return
    this.#progress = progress
    this.#changed()
  }

  #follow() {
    const state = this.#session.state
    if (state.status === "unlocked") {
      if (this.#status.status === "locked") void this.#load(state.info.vaultId)
      return
    }
    if (this.#status.status === "locked") return
    this.#generation++
    clearTimeout(this.#persistTimer)
    for (const type of kindNames) this.#entries[type].clear()
    this.#setStatus({ status: "locked" })
  }

  /** Loads again (after a failure, or to pick up what other devices saved). */
  reload(): void {
    const state = this.#session.state
    if (state.status === "unlocked") void this.#load(state.info.vaultId)
  }

  /**
   * The search index for `vaultId`, its snapshot in IndexedDB — or in memory
   * only, where IndexedDB is missing or fails (private windows, quota): search
   * then works for this session and is rebuilt at the next unlock.
   */
  async #searchIndex(vaultId: string, where: "indexeddb" | "memory"): Promise<SearchRuntime> {
    const wanted = typeof indexedDB === "undefined" ? "memory" : where
    if (this.#index?.vaultId === vaultId && this.#index.where === wanted) return this.#index.runtime
    await this.#index?.runtime.dispose()
    const keyring = await this.#session.keyring
    const store =
      wanted === "memory" ? IndexStore.layerTest : IndexedDbIndexStore.layer({ userId: this.#session.userId, vaultId })
    const runtime = ManagedRuntime.make(
      Layer.scoped(SearchIndex.SearchIndex, SearchIndex.make()).pipe(
        Layer.provide(store),
        Layer.provide(Layer.succeed(Keyring.Keyring, keyring)),
      ),
    )
    this.#index = { vaultId, where: wanted, runtime }
    return runtime
  }

  /** Brings the index up to date with what was just decrypted, reporting progress. */
  #refreshIndex(index: SearchRuntime, generation: number) {
    const manifest = kindNames.flatMap((type) =>
      [...this.#entries[type].values()].map((entry) => ({ type, id: entry.id, version: entry.version })),
    )
    return index.runPromiseExit(
      Effect.flatMap(SearchIndex.SearchIndex, (search) =>
        search.refresh(
          manifest,
          (refs) =>
            Effect.succeed(
              refs.flatMap((ref) => {
                const entry = this.#entries[ref.type].get(ref.id)
                return entry === undefined ? [] : [this.#document(entry)]
              }),
            ),
          {
            onProgress: (progress) =>
              Effect.sync(() =>
                this.#setProgress(generation, {
                  phase: "indexing",
                  done: progress.done,
                  total: progress.total,
                  ...(progress.etaMs === undefined ? {} : { etaMs: progress.etaMs }),
                }),
              ),
          },
        ),
      ),
    )
  }

  async #load(vaultId: string) {
    const generation = ++this.#generation
    const current = () => generation === this.#generation
    this.#setStatus({ status: "loading" }, { phase: "downloading", done: 0, total: kindNames.length })
    const records: Array<WireRecord> = []
    for (const [position, type] of kindNames.entries()) {
      let cursor: string | undefined
      do {
        const page = await this.#session.client.call((api) => kindOf(type).calls.list(api, cursor))
        if (!current()) return
        if (page._tag !== "Ok") {
          this.#setStatus({ status: "failed", message: this.#messageOf(page) })
          return
        }
        records.push(...page.value.items)
        cursor = page.value.nextCursor ?? undefined
      } while (cursor !== undefined)
      this.#setProgress(generation, { phase: "downloading", done: position + 1, total: kindNames.length })
    }

    const startedAt = performance.now()
    let unreadable = 0
    const opened: Array<Entry> = []
    for (let start = 0; start < records.length; start += DECRYPT_BATCH) {
      this.#setProgress(generation, {
        phase: "decrypting",
        done: start,
        total: records.length,
        ...etaFrom(startedAt, start, records.length),
      })
      const batch = await this.#openRecords(records.slice(start, start + DECRYPT_BATCH))
      if (!current()) return
      if (batch === undefined) {
        this.#setStatus({ status: "failed", message: "The vault locked while your notes were being decrypted." })
        return
      }
      opened.push(...batch.entries)
      unreadable += batch.unreadable
      // A turn for the page between batches.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    for (const type of kindNames) this.#entries[type].clear()
    for (const entry of opened) this.#put(entry)

    const refreshed = await this.#refreshIndex(await this.#searchIndex(vaultId, "indexeddb"), generation)
    if (!current()) return
    const failure = Exit.isFailure(refreshed) ? Cause.failureOption(refreshed.cause) : Option.none()
    if (Option.isSome(failure) && failure.value._tag === "IndexStoreFailed") {
      await this.#refreshIndex(await this.#searchIndex(vaultId, "memory"), generation)
      if (!current()) return
    }
    this.#setStatus({ status: "ready", unreadable })
  }

  #messageOf(outcome: Outcome<unknown>): string {
    if (outcome._tag === "Unreachable") return outcome.message
    if (outcome._tag === "Refused") return outcome.error.message ?? "The server refused to list your notes."
    return ""
  }

  /** Opens a batch; a record that does not open (tampered, a lost key) is counted, not fatal. */
  async #openRecords(
    records: ReadonlyArray<WireRecord>,
  ): Promise<{ readonly entries: ReadonlyArray<Entry>; readonly unreadable: number } | undefined> {
    const whole = await this.#session.withKeyring((keyring) =>
      Effect.forEach(records, (record) => this.#openOne(keyring, record)),
    )
    if (whole._tag === "Ok") return { entries: whole.value, unreadable: 0 }
    if (whole._tag === "Refused" && whole.error._tag === "VaultLocked") return undefined
    const entries: Array<Entry> = []
    let unreadable = 0
    for (const record of records) {
      const one = await this.#session.withKeyring((keyring) => this.#openOne(keyring, record))
      if (one._tag === "Ok") entries.push(one.value)
      else if (one._tag === "Refused" && one.error._tag === "VaultLocked") return undefined
      else unreadable++
    }
    return { entries, unreadable }
  }

  #openOne(keyring: Keyring.Keyring["Type"], record: WireRecord): Effect.Effect<Entry, Failure> {
    const kind = kindOf(record.type)
    const ref = { recordType: kind.recordType, recordId: record.id }
    const metadata: Effect.Effect<unknown, Failure> =
      record.meta === null
        ? Effect.succeed(kind.metadataOf(record))
        : keyring.openJson(kind.Metadata, { recordType: kind.metaRecordType, recordId: record.id }, record.meta)
    return Effect.zipWith(
      keyring.openString(ref, record.content),
      metadata,
      (text, meta): Entry => ({
        type: record.type,
        id: record.id,
        version: record.version,
        mode: record.mode,
        createdAt: DateTime.toDate(record.createdAt),
        updatedAt: toDate(record.updatedAt, DateTime.toDate(record.createdAt)),
        draft: kind.join(text, meta),
      }),
      { concurrent: true },
    )
  }

  #put(entry: Entry) {
    ;(this.#entries[entry.type] as Map<string, Entry>).set(entry.id, entry)
  }

  #document(entry: Entry): SearchIndex.IndexDocument {
    return kindOf(entry.type).indexDocument(entry)
  }

  /** Keeps the index in step with an edit; a failure only costs search freshness until the next unlock. */
  async #reindex(
    change: { readonly put: Entry } | { readonly remove: { readonly type: KindName; readonly id: string } },
  ) {
    const index = this.#index?.runtime
    if (index === undefined) return
    await index.runPromiseExit(
      Effect.flatMap(SearchIndex.SearchIndex, (search) =>
        "put" in change ? search.update(this.#document(change.put)) : search.remove(change.remove),
      ),
    )
    clearTimeout(this.#persistTimer)
    this.#persistTimer = setTimeout(() => {
      void index.runPromiseExit(Effect.flatMap(SearchIndex.SearchIndex, (search) => search.persist))
    }, PERSIST_DELAY_MS)
  }

  /** Seals a draft: content always, metadata too in Private mode. */
  async #seal<K extends KindName>(type: K, id: string, mode: PrivacyMode, draft: Drafts[K]) {
    const kind = kindOf(type)
    const { text, metadata } = kind.split(draft)
    return this.#session.withKeyring(
      (keyring): Effect.Effect<Sealed<unknown>, Failure> =>
        Effect.zipWith(
          keyring.sealString({ recordType: kind.recordType, recordId: id }, text),
          mode === "private"
            ? Effect.map(
                keyring.sealJson(kind.Metadata, { recordType: kind.metaRecordType, recordId: id }, metadata),
                Option.some,
              )
            : Effect.succeedNone,
          (content, meta) => ({
            mode,
            content,
            meta: Option.getOrNull(meta),
            metadata: mode === "standard" ? metadata : null,
          }),
          { concurrent: true },
        ),
    )
  }

  /** Takes the server's answer as the record's new state here (search included). */
  async #accept<K extends KindName>(record: WireRecord): Promise<Outcome<Entry<K>>> {
    const opened = await this.#session.withKeyring((keyring) => this.#openOne(keyring, record))
    if (opened._tag !== "Ok") return opened
    this.#put(opened.value)
    this.#changed()
    void this.#reindex({ put: opened.value })
    return opened as Outcome<Entry<K>>
  }

  #unlocked(): boolean {
    return this.#session.state.status === "unlocked" && this.#status.status !== "locked"
  }

  /** Creates (no `id`) or updates a record; a lost race keeps the draft as a conflict copy. */
  async save<K extends KindName>(type: K, input: SaveInput<K>): Promise<Outcome<SaveResult<K>>> {
    if (!this.#unlocked()) return lockedRefusal
    const existing = input.id === undefined ? undefined : this.#entries[type].get(input.id)
    if (input.id !== undefined && existing === undefined)
      return refused({ _tag: "NotFound", message: "That entry is not here any more." })
    const id = existing?.id ?? globalThis.crypto.randomUUID()
    const sealed = await this.#seal(type, id, input.mode, input.draft)
    if (sealed._tag !== "Ok") return sealed
    const kind = kindOf(type)
    const sent = await this.#session.client.call((api) =>
      existing === undefined
        ? kind.calls.create(api, id, sealed.value)
        : kind.calls.update(api, id, input.baseVersion ?? existing.version, sealed.value),
    )
    if (sent._tag === "Ok") {
      const entry = await this.#accept<K>(sent.value)
      return entry._tag === "Ok" ? { _tag: "Ok", value: { _tag: "Saved", entry: entry.value } } : entry
    }
    if (sent._tag === "Refused" && sent.error._tag === "RecordConflict" && existing !== undefined)
      return this.#keepConflictCopy(type, existing, input, sent.error)
    return this.#session.noteRefusal(sent)
  }

  async #takeCurrent<K extends KindName>(type: K, id: string, conflict: ServerError): Promise<Entry<K> | null> {
    const current = conflict.current as WireRecord | null | undefined
    if (current === null || current === undefined) {
      this.#entries[type].delete(id)
      this.#changed()
      void this.#reindex({ remove: { type, id } })
      return null
    }
    const accepted = await this.#accept<K>(current)
    return accepted._tag === "Ok" ? accepted.value : null
  }

  async #keepConflictCopy<K extends KindName>(
    type: K,
    existing: Entry<K>,
    input: SaveInput<K>,
    conflict: ServerError,
  ): Promise<Outcome<SaveResult<K>>> {
    const current = await this.#takeCurrent(type, existing.id, conflict)
    const copyDraft = kindOf(type).conflictCopy(input.draft, new Date())
    const copy = await this.save(type, { mode: input.mode, draft: copyDraft })
    if (copy._tag !== "Ok") return copy
    return {
      _tag: "Ok",
      value: { _tag: "Conflict", current, copy: copy.value._tag === "Saved" ? copy.value.entry : null },
    }
  }

  /**
   * Opens a record's value as sync carries it (`mode`, envelopes, metadata),
   * sealed for the record `sealedFor`: a conflict copy holds its writer's
   * envelopes unchanged, and their AAD binds the record they were written for.
   */
  async openSynced<K extends KindName>(type: K, sealedFor: string, value: unknown): Promise<Outcome<Entry<K>>> {
    if (!this.#unlocked()) return lockedRefusal
    const decoded = decodeSynced[type](value)
    if (Option.isNone(decoded)) return refused({ _tag: "InvalidRecord", message: "This copy cannot be read here." })
    const record: WireRecord = {
      ...decoded.value,
      type,
      id: sealedFor,
      version: 0,
      createdAt: DateTime.unsafeNow(),
    }
    return this.#session.withKeyring((keyring) => this.#openOne(keyring, record) as Effect.Effect<Entry<K>, Failure>)
  }

  /** Deletes a record (a tombstone on the server); if it changed elsewhere first, nothing is deleted. */
  async remove<K extends KindName>(type: K, id: string): Promise<Outcome<SaveResult<K> | undefined>> {
    if (!this.#unlocked()) return lockedRefusal
    const existing = this.#entries[type].get(id)
    if (existing === undefined) return { _tag: "Ok", value: undefined }
    const sent = await this.#session.client.call((api) => kindOf(type).calls.remove(api, id, existing.version))
    if (sent._tag === "Ok") {
      this.#entries[type].delete(id)
      this.#changed()
      void this.#reindex({ remove: { type, id } })
      return { _tag: "Ok", value: undefined }
    }
    if (sent._tag === "Refused" && sent.error._tag === "RecordConflict") {
      const current = await this.#takeCurrent(type, id, sent.error)
      return { _tag: "Ok", value: { _tag: "Conflict", current, copy: null } }
    }
    return this.#session.noteRefusal(sent)
  }

  /** Every kept version of an Infobase note or a Journal entry, newest first, decrypted here. */
  async versions<K extends KindName>(type: K, id: string): Promise<Outcome<ReadonlyArray<EntryVersion<K>>>> {
    if (!this.#unlocked()) return lockedRefusal
    const kind = kindOf(type)
    const versionsOf = kind.calls.versions
    if (versionsOf === undefined) return refused({ _tag: "NoHistory", message: `A ${type} keeps no version history.` })
    const listed = await this.#session.client.call((api) => versionsOf(api, id))
    if (listed._tag !== "Ok") return listed
    return this.#session.withKeyring((keyring) =>
      Effect.forEach(listed.value.items, (version: WireVersion) =>
        Effect.map(
          this.#openOne(keyring, { ...version, type, id }),
          (entry): EntryVersion<K> => ({
            version: version.version,
            mode: version.mode,
            createdAt: DateTime.toDate(version.createdAt),
            draft: entry.draft as Drafts[K],
          }),
        ),
      ),
    )
  }

  /** Saves an older version as the newest; if the record changed elsewhere first, nothing is restored. */
  async restore<K extends KindName>(type: K, id: string, version: number): Promise<Outcome<SaveResult<K>>> {
    if (!this.#unlocked()) return lockedRefusal
    const existing = this.#entries[type].get(id)
    const restoreOf = kindOf(type).calls.restore
    if (existing === undefined || restoreOf === undefined)
      return refused({ _tag: "NotFound", message: "That entry is not here any more." })
    const sent = await this.#session.client.call((api) => restoreOf(api, id, version, existing.version))
    if (sent._tag === "Ok") {
      const entry = await this.#accept<K>(sent.value)
      return entry._tag === "Ok" ? { _tag: "Ok", value: { _tag: "Saved", entry: entry.value } } : entry
    }
    if (sent._tag === "Refused" && sent.error._tag === "RecordConflict") {
      const current = await this.#takeCurrent(type, id, sent.error)
      return { _tag: "Ok", value: { _tag: "Conflict", current, copy: null } }
    }
    return this.#session.noteRefusal(sent)
  }

  /** Searches the decrypted records (prefix from 3 characters, fuzzy from 5); hits come best first. */
  async search(query: string, options: SearchIndex.SearchOptions = {}): Promise<Outcome<ReadonlyArray<Hit>>> {
    const index = this.#index?.runtime
    if (!this.#unlocked() || index === undefined) return lockedRefusal
    const exit = await index.runPromiseExit(
      Effect.flatMap(SearchIndex.SearchIndex, (search) => search.search(query, options)),
    )
    if (Exit.isFailure(exit)) return refused(failureOf(exit.cause))
    const hits = exit.value.flatMap((hit): ReadonlyArray<Hit> => {
      const entry = this.#entries[hit.type].get(hit.id)
      return entry === undefined ? [] : [{ entry, score: hit.score, terms: hit.terms }]
    })
    return { _tag: "Ok", value: hits }
  }
}

/** Why a draft's metadata breaks the contract (a key such as `F#m`, BPM 20–400, tags), or undefined when it is fine. */
export const invalidMetadata = <K extends KindName>(type: K, draft: Drafts[K]): string | undefined => {
  const kind = kindOf(type)
  const result = Schema.decodeUnknownEither(kind.Metadata)(kind.split(draft).metadata)
  if (result._tag === "Right") return undefined
  // The first problem, named by its field: what a person can act on (the contract's messages say what is expected).
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(result.left)
  if (first === undefined) return "These details are not valid."
  const field = first.path.filter((step) => typeof step === "string").join(" ")
  return field === "" ? first.message : `${field}: ${first.message}`
}

export type { IdeaDraft, InfobaseDraft, JournalDraft } from "./kinds.js"
export { type Drafts, type KindName, kindNames, type PrivacyMode } from "./kinds.js"
