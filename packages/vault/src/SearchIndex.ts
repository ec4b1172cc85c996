/**
 * The client-side search index over the decrypted knowledge base (ideas,
 * infobase entries, journal entries): MiniSearch with the musical tokenizer
 * (`Tokenizer.ts`), prefix and fuzzy search, field boosts (title > tags, key,
 * tempo > category > text). Isomorphic: no DOM, no Node.
 *
 * Lifecycle:
 * - at unlock, `refresh(manifest, load)` restores the encrypted snapshot from
 *   the `IndexStore` (opened with the keyring's index key), compares its
 *   per-document versions with the manifest (ids and versions of every
 *   current record) and asks `load` to decrypt only the new and changed
 *   records; deleted ones are dropped. With no usable snapshot every record
 *   is loaded. Indexing runs in chunks, yielding to the event loop between
 *   them, and reports `{done, total, etaMs}`.
 * - `add` / `update` / `remove` keep it current as the user edits; `persist`
 *   seals the snapshot again (call it after edits, debounced).
 * - `build(documents)` rebuilds from scratch.
 * - at lock (the keyring's `Locked` event, or any call that finds the keyring
 *   locked) the in-memory index is dropped and the store is cleared; the
 *   index key is gone with the KEK. Every call then fails with `VaultLocked`
 *   until the next unlock.
 *
 * The snapshot is `{v, tokenizer, versions, index}`: the format version, the
 * tokenizer's rule version, the document-version map and `MiniSearch.toJSON()`.
 * A snapshot of another format or tokenizer version, or one that does not
 * open (another user's or vault's, or an old KEK's), is discarded and
 * rebuilt, never an error.
 */
import { Clock, Context, Duration, Effect, Layer, Option, Queue, Ref, Schema, type Scope } from "effect"
import MiniSearch, { type Options as MiniSearchOptions, type SearchResult } from "minisearch"
import { IndexStore, type IndexStoreFailed } from "./IndexStore.js"
import * as Scorer from "./internal/scorer.js"
import { fromUtf8, utf8 } from "./internal/subtle.js"
import { Keyring } from "./Keyring.js"
import type { LockReason } from "./LockMachine.js"
import * as Tokenizer from "./Tokenizer.js"
import { type VaultFailure, VaultLocked } from "./VaultError.js"

/** The snapshot format, including the fields and boosts below: change either and bump it. */
export const SNAPSHOT_VERSION = 1

export const DocumentType = Schema.Literal("idea", "infobase", "journal")
export type DocumentType = typeof DocumentType.Type

/** A decrypted record, as the index sees it. */
export const IndexDocument = Schema.Struct({
  id: Schema.String,
  type: DocumentType,
  title: Schema.optional(Schema.String),
  text: Schema.String,
  tags: Schema.Array(Schema.String),
  category: Schema.optional(Schema.String),
  /** A musical key, `F#m`, `Bb`. */
  key: Schema.optional(Schema.String),
  bpm: Schema.optional(Schema.Number),
  /** Epoch milliseconds. */
  updatedAt: Schema.Number,
  /** The record's version (its sync stamp); `updatedAt` stands in when absent. */
  version: Schema.optional(Schema.Number),
})
export type IndexDocument = typeof IndexDocument.Type

export interface DocumentRef {
  readonly type: DocumentType
  readonly id: string
}

/** A manifest entry: a current record and its version (the same stamp as its document's `version ?? updatedAt`). */
export interface Stamped extends DocumentRef {
  readonly version: number
}

export interface Progress {
  readonly done: number
  readonly total: number
  /** Estimated time left, from the pace so far; absent until the first chunk is done. */
  readonly etaMs?: number
}

export interface IndexingOptions {
  readonly onProgress?: (progress: Progress) => Effect.Effect<void>
  /** Documents per chunk; the event loop gets a turn between chunks (default 1,000: ~70 ms of indexing here). */
  readonly chunkSize?: number
}

export interface SearchOptions {
  /** At most this many hits, best first (default 20). */
  readonly limit?: number
  /** Only these kinds of record. */
  readonly types?: ReadonlyArray<DocumentType>
  /** Each term of 3+ characters also matches as a prefix (default true). */
  readonly prefix?: boolean
  /** Terms of 5+ characters also match with up to 20 % edits; never musical tokens (default true). */
  readonly fuzzy?: boolean
  /** Whether every term must match (default "and") or any. */
  readonly combineWith?: "and" | "or"
}

export interface SearchHit extends DocumentRef {
  readonly score: number
  /** The indexed terms that matched. */
  readonly terms: ReadonlyArray<string>
  /** The query's terms that matched something. */
  readonly queryTerms: ReadonlyArray<string>
  /** For each matched indexed term, the fields it matched in. */
  readonly match: Readonly<Record<string, ReadonlyArray<string>>>
}

export type RestoreOutcome = "restored" | "missing" | "discarded"

export interface RefreshReport {
  /** What became of the stored snapshot (`restored` when the index was already in memory). */
  readonly snapshot: RestoreOutcome
  readonly added: number
  readonly updated: number
  readonly removed: number
  readonly unchanged: number
}

export type Status =
  | { readonly _tag: "Locked" }
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Ready"; readonly documents: number; readonly unsaved: boolean }

export class SearchIndex extends Context.Tag("@ignition/vault/SearchIndex")<
  SearchIndex,
  {
    readonly status: Effect.Effect<Status>
    /** Loads the stored snapshot into memory, replacing the index held. */
    readonly restore: Effect.Effect<RestoreOutcome, VaultFailure | IndexStoreFailed>
    /** Restores if nothing is in memory, then re-indexes only what the manifest says is new or changed; answers once searchable and persists after. */
    readonly refresh: <E>(
      manifest: ReadonlyArray<Stamped>,
      load: (refs: ReadonlyArray<DocumentRef>) => Effect.Effect<ReadonlyArray<IndexDocument>, E>,
      options?: IndexingOptions,
    ) => Effect.Effect<RefreshReport, E | VaultFailure | IndexStoreFailed>
    /** Indexes exactly `documents`, from scratch; answers once searchable and persists after. */
    readonly build: (
      documents: ReadonlyArray<IndexDocument>,
      options?: IndexingOptions,
    ) => Effect.Effect<void, VaultFailure | IndexStoreFailed>
    /** Adds a document, or replaces it when its id is indexed already. */
    readonly add: (document: IndexDocument) => Effect.Effect<void, VaultLocked>
    /** The same as `add`: replaces the document's terms. */
    readonly update: (document: IndexDocument) => Effect.Effect<void, VaultLocked>
    readonly remove: (ref: DocumentRef) => Effect.Effect<void, VaultLocked>
    readonly search: (query: string, options?: SearchOptions) => Effect.Effect<ReadonlyArray<SearchHit>, VaultLocked>
    /** Seals and stores the snapshot if it changed since the last save (after any save a build or refresh left running). */
    readonly persist: Effect.Effect<void, VaultFailure | IndexStoreFailed>
    /** Drops the index and clears the store (what a lock does). */
    readonly destroy: Effect.Effect<void, IndexStoreFailed>
  }
>() {}

// ── MiniSearch configuration ────────────────────────────────────────────────

const fields = ["title", "tags", "key", "bpm", "category", "text"]
const boost = { title: 3, tags: 2, key: 2, bpm: 2, category: 1.5, text: 1 }

const refOf = (type: string, id: string) => `${type}/${id}`

const extractField = (document: IndexDocument, field: string): string | undefined => {
  switch (field) {
    case "ref":
      return refOf(document.type, document.id)
    case "title":
      return document.title
    case "text":
      return document.text
    case "tags":
      return document.tags.join(" ")
    case "category":
      return document.category
    case "key":
      return document.key
    case "bpm":
      return document.bpm === undefined ? undefined : Tokenizer.tempo(document.bpm)
    default:
      return undefined
  }
}

/**
 * One or two characters as a prefix match most of the index (`ab` → `about`,
 * and a lone `d` is the chord D): those match exactly. Prefixes start at 3.
 */
const prefixTerm = (term: string) => term.length >= 3
/** Fuzzy from 5 characters: a 4-letter word with one edit matches a crowd of other short words. */
const fuzzyTerm = (term: string) => (term.length < 5 || Tokenizer.isMusical(term) ? false : 0.2)

/** The options every index is made and loaded with (exported for the benchmark). */
export const miniSearchOptions: MiniSearchOptions<IndexDocument> = {
  idField: "ref",
  fields,
  storeFields: [],
  extractField,
  tokenize: Tokenizer.tokenize,
  processTerm: Tokenizer.processTerm,
  searchOptions: { boost, prefix: prefixTerm, fuzzy: fuzzyTerm, maxFuzzy: 2, combineWith: "AND" },
}

const stampOf = (document: IndexDocument) => document.version ?? document.updatedAt

const Snapshot = Schema.Struct({
  v: Schema.Number,
  tokenizer: Schema.Number,
  versions: Schema.Record({ key: Schema.String, value: Schema.Number }),
  index: Schema.Unknown,
})

interface Live {
  readonly mini: MiniSearch<IndexDocument>
  readonly versions: Map<string, number>
  unsaved: boolean
}

/**
 * The most indexed terms a prefix expands to (Lucene's `max_expansions`
 * default). A three-letter prefix can begin hundreds of words that between
 * them occur in nearly every note, and scoring all of them is most of a slow
 * query; the closest completions (the shortest, then the most frequent) are
 * what a person typing means. A longer prefix reaches the rest.
 */
export const MAX_PREFIX_EXPANSIONS = 50

/** MiniSearch's term index, internal to 7.x: its `atPrefix` is what prefix search iterates. */
interface TermIndex {
  atPrefix?: (prefix: string) => Iterable<[string, ReadonlyMap<number, ReadonlyMap<number, number>>]>
}

/** Caps the prefix expansions of `mini`'s searches (left as is should a MiniSearch version lack `atPrefix`). */
const capPrefixExpansions = (mini: MiniSearch<IndexDocument>): MiniSearch<IndexDocument> => {
  const index = (mini as unknown as { readonly _index?: TermIndex })._index
  const atPrefix = index?.atPrefix
  if (index === undefined || typeof atPrefix !== "function") return mini
  index.atPrefix = (prefix) => {
    const all = [...atPrefix.call(index, prefix)]
    if (all.length <= MAX_PREFIX_EXPANSIONS) return all
    const documents = (fields: ReadonlyMap<number, ReadonlyMap<number, number>>) => {
      let count = 0
      for (const postings of fields.values()) count += postings.size
      return count
    }
    return all
      .map((entry) => ({ entry, length: entry[0].length, frequency: documents(entry[1]) }))
      .sort((a, b) => a.length - b.length || b.frequency - a.frequency)
      .slice(0, MAX_PREFIX_EXPANSIONS)
      .map(({ entry }) => entry)
  }
  return mini
}

const emptyLive = (): Live => ({
  mini: capPrefixExpansions(new MiniSearch(miniSearchOptions)),
  versions: new Map(),
  unsaved: true,
})

/** Adds or replaces one document (synchronous: MiniSearch is). */
const upsert = (live: Live, document: IndexDocument) => {
  const ref = refOf(document.type, document.id)
  if (live.mini.has(ref)) live.mini.replace(document)
  else live.mini.add(document)
  live.versions.set(ref, stampOf(document))
  live.unsaved = true
}

const discard = (live: Live, ref: string) => {
  if (live.mini.has(ref)) live.mini.discard(ref)
  live.versions.delete(ref)
  live.unsaved = true
}

const parseRef = (ref: string): DocumentRef => {
  const slash = ref.indexOf("/")
  return { type: ref.slice(0, slash) as DocumentType, id: ref.slice(slash + 1) }
}

const toHit = (result: SearchResult): SearchHit => ({
  ...parseRef(result.id as string),
  score: result.score,
  terms: result.terms,
  queryTerms: result.queryTerms,
  match: result.match,
})

/**
 * The best `limit` hits, scored as MiniSearch scores them but without a
 * result object per matching document (`internal/scorer.ts`: a query
 * matching thousands of notes spent most of its time making those). Falls
 * back to `MiniSearch.search` should a MiniSearch version lack the internals
 * the scorer reads (`minisearch` is 7.x, which has them).
 */
const topHits = (mini: MiniSearch<IndexDocument>, query: string, options: SearchOptions): ReadonlyArray<SearchHit> => {
  const limit = options.limit ?? 20
  const types = options.types
  const accept = (ref: string) => types === undefined || types.includes(parseRef(ref).type)
  const evaluated = Scorer.evaluate(mini, query, {
    prefix: options.prefix !== false,
    fuzzy: options.fuzzy !== false,
    combineWith: options.combineWith ?? "and",
    limit,
    accept,
  })
  if (evaluated === undefined)
    return mini
      .search(query, {
        ...(options.prefix === false ? { prefix: false } : {}),
        ...(options.fuzzy === false ? { fuzzy: false } : {}),
        ...(options.combineWith === "or" ? { combineWith: "OR" as const } : {}),
        filter: (result: SearchResult) => accept(result.id as string),
      })
      .slice(0, limit)
      .map(toHit)
  return evaluated.map(({ id, score, queryTerms, match }) => ({
    ...parseRef(id),
    score,
    terms: Object.keys(match),
    queryTerms,
    match,
  }))
}

const decodeSnapshot = (bytes: Uint8Array): Option.Option<Live> => {
  try {
    const snapshot = Schema.decodeUnknownOption(Snapshot)(JSON.parse(fromUtf8.decode(bytes)))
    if (
      Option.isNone(snapshot) ||
      snapshot.value.v !== SNAPSHOT_VERSION ||
      snapshot.value.tokenizer !== Tokenizer.VERSION
    )
      return Option.none()
    const mini = capPrefixExpansions(
      MiniSearch.loadJS<IndexDocument>(
        snapshot.value.index as Parameters<typeof MiniSearch.loadJS>[0],
        miniSearchOptions,
      ),
    )
    return Option.some({ mini, versions: new Map(Object.entries(snapshot.value.versions)), unsaved: false })
  } catch {
    return Option.none()
  }
}

const encodeSnapshot = (live: Live): Uint8Array =>
  utf8.encode(
    JSON.stringify({
      v: SNAPSHOT_VERSION,
      tokenizer: Tokenizer.VERSION,
      versions: Object.fromEntries(live.versions),
      index: live.mini,
    }),
  )

export interface MakeOptions {
  /**
   * Whether a lock for this reason keeps the encrypted snapshot in the store
   * (the in-memory index is dropped whatever the answer). Default: never — a
   * lock clears the store, so the snapshot only outlives a session that ended
   * without a lock (a closed tab, a crash, a reload).
   */
  readonly retainSnapshotOnLock?: (reason: LockReason) => boolean
}

const locked = new VaultLocked({ message: "the vault is locked: the search index is gone until the next unlock" })

interface State {
  /** Bumped at every lock: work begun before it never installs its result. */
  readonly generation: number
  readonly live: Option.Option<Live>
}

export const make = (
  options: MakeOptions = {},
): Effect.Effect<SearchIndex["Type"], never, Keyring | IndexStore | Scope.Scope> =>
  Effect.gen(function* () {
    const keyring = yield* Keyring
    const store = yield* IndexStore
    const state = yield* Ref.make<State>({ generation: 0, live: Option.none() })
    const scope = yield* Effect.scope
    const semaphore = yield* Effect.makeSemaphore(1)
    const serial = semaphore.withPermits(1)
    const retain = options.retainSnapshotOnLock ?? (() => false)

    const dropMemory = Ref.update(state, (s) => ({ generation: s.generation + 1, live: Option.none() }))
    const dropAll = Effect.zipRight(dropMemory, store.clear())

    // Subscribed before `make` returns: no lock is missed.
    const events = yield* keyring.subscribe
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.flatMap(Queue.take(events), (event) =>
          event._tag === "Locked"
            ? Effect.catchAll(retain(event.reason) ? dropMemory : dropAll, (error) =>
                Effect.logWarning(`search index: the store was not cleared at lock (${error.message})`),
              )
            : Effect.void,
        ),
      ),
    )

    /** Fails with VaultLocked (dropping the in-memory index) when the keyring is locked; else the current state. */
    const unlocked = Effect.flatMap(keyring.state, (lockState) =>
      lockState._tag === "Locked" ? Effect.zipRight(dropMemory, Effect.fail(locked)) : Ref.get(state),
    )

    /** The live index, made empty if there is none yet (edits before the first refresh are kept). */
    const liveOrEmpty = Effect.flatMap(unlocked, (s) =>
      Option.match(s.live, {
        onSome: Effect.succeed,
        onNone: () =>
          Ref.modify(state, (current): [Live, State] => {
            if (Option.isSome(current.live)) return [current.live.value, current]
            const live = emptyLive()
            return [live, { ...current, live: Option.some(live) }]
          }),
      }),
    )

    /** Installs `live` unless a lock came after `generation` — or has happened and its event is not handled yet. */
    const install = (generation: number, live: Live) =>
      Effect.zipRight(
        unlocked,
        Effect.flatMap(
          Ref.modify(state, (s): [boolean, State] =>
            s.generation === generation ? [true, { generation, live: Option.some(live) }] : [false, s],
          ),
          (installed) => (installed ? Effect.void : Effect.fail(locked)),
        ),
      )

    const stillCurrent = (generation: number) =>
      Effect.flatMap(Ref.get(state), (s) => (s.generation === generation ? Effect.void : Effect.fail(locked)))

    /**
     * Indexes documents chunk by chunk into `live`: between chunks the event
     * loop gets a turn (a macrotask, so a page can paint) and a lock aborts.
     */
    const ingest = <E>(
      live: Live,
      generation: number,
      total: number,
      chunks: ReadonlyArray<Effect.Effect<void, E | VaultLocked>>,
      indexing: IndexingOptions,
    ) =>
      Effect.gen(function* () {
        const report = indexing.onProgress ?? (() => Effect.void)
        const started = yield* Clock.currentTimeMillis
        let done = 0
        yield* report({ done, total })
        for (const [index, chunk] of chunks.entries()) {
          if (index > 0) yield* Effect.sleep(Duration.zero)
          yield* stillCurrent(generation)
          yield* chunk
          done = Math.min(total, done + (indexing.chunkSize ?? defaultChunk))
          const elapsed = (yield* Clock.currentTimeMillis) - started
          yield* report({ done, total, etaMs: Math.round((elapsed / done) * (total - done)) })
        }
        return live
      })

    const defaultChunk = 1000
    /** How long after a build or refresh answers its snapshot is sealed (see `persistLater`). */
    const sealDelay = Duration.millis(50)

    const chunked = <A>(items: ReadonlyArray<A>, size: number) =>
      Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
        items.slice(index * size, (index + 1) * size),
      )

    const persistLive = (live: Live, generation: number) =>
      Effect.gen(function* () {
        if (!live.unsaved) return
        // Discarded documents leave terms behind until a vacuum; a snapshot carries none, so it scores as the live index does.
        if (live.mini.dirtCount > 0) yield* Effect.promise(() => live.mini.vacuum({ batchSize: 100_000, batchWait: 0 }))
        const envelope = yield* keyring.sealIndex(encodeSnapshot(live))
        yield* store.save(envelope)
        // A lock while saving: what was just written must not stay.
        const s = yield* Ref.get(state)
        if (s.generation !== generation) {
          yield* store.clear()
          return yield* locked
        }
        live.unsaved = false
      })

    /**
     * Seals and stores the snapshot after the caller is answered: the index is
     * searchable once installed, and encoding a large snapshot blocks the
     * thread for a third of a build, so it starts a moment later, once the
     * answer has been handled (and a page has rendered it). It then queues for
     * the permit, so it never overlaps an edit; `persist` seals at once
     * whatever is unsaved. A lock in between makes it a no-op.
     */
    const persistLater = (live: Live, generation: number) =>
      Effect.asVoid(
        Effect.forkIn(
          Effect.zipRight(Effect.sleep(sealDelay), serial(persistLive(live, generation))).pipe(
            Effect.catchAll((error) =>
              error._tag === "VaultLocked"
                ? Effect.void
                : Effect.logWarning(`search index: the snapshot was not stored (${error._tag})`),
            ),
          ),
          scope,
        ),
      )

    const restoreNow = Effect.gen(function* () {
      const { generation } = yield* unlocked
      const stored = yield* store.load()
      if (Option.isNone(stored)) return { outcome: "missing" as const, live: Option.none<Live>() }
      const opened = yield* Effect.either(keyring.openIndex(stored.value))
      if (opened._tag === "Left") {
        if (opened.left._tag === "VaultLocked") return yield* opened.left
        yield* store.clear()
        return { outcome: "discarded" as const, live: Option.none<Live>() }
      }
      const live = decodeSnapshot(opened.right)
      if (Option.isNone(live)) {
        yield* store.clear()
        return { outcome: "discarded" as const, live }
      }
      yield* install(generation, live.value)
      return { outcome: "restored" as const, live }
    })

    const service: SearchIndex["Type"] = {
      status: Effect.flatMap(keyring.state, (lockState) =>
        lockState._tag === "Locked"
          ? Effect.succeed<Status>({ _tag: "Locked" })
          : Effect.map(Ref.get(state), (s) =>
              Option.match(s.live, {
                onNone: (): Status => ({ _tag: "Empty" }),
                onSome: (live): Status => ({
                  _tag: "Ready",
                  documents: live.mini.documentCount,
                  unsaved: live.unsaved,
                }),
              }),
            ),
      ),

      restore: serial(Effect.map(restoreNow, (restored) => restored.outcome)),

      refresh: (manifest, load, indexing = {}) =>
        serial(
          Effect.gen(function* () {
            const current = yield* unlocked
            const snapshot: RestoreOutcome = Option.isSome(current.live) ? "restored" : (yield* restoreNow).outcome
            const { generation, live: held } = yield* unlocked
            const live = Option.getOrElse(held, emptyLive)
            const wanted = new Set<string>()
            const stale: Array<DocumentRef> = []
            let added = 0
            for (const entry of manifest) {
              const ref = refOf(entry.type, entry.id)
              wanted.add(ref)
              const known = live.versions.get(ref)
              if (known === entry.version) continue
              if (known === undefined) added++
              stale.push({ type: entry.type, id: entry.id })
            }
            let removed = 0
            for (const ref of [...live.versions.keys()]) {
              if (wanted.has(ref)) continue
              discard(live, ref)
              removed++
            }
            const size = indexing.chunkSize ?? defaultChunk
            const chunks = chunked(stale, size).map((refs) =>
              Effect.map(load(refs), (documents) => {
                const loaded = new Set<string>()
                for (const document of documents) {
                  upsert(live, document)
                  loaded.add(refOf(document.type, document.id))
                }
                // Asked for but not returned: no longer there.
                for (const ref of refs) if (!loaded.has(refOf(ref.type, ref.id))) discard(live, refOf(ref.type, ref.id))
              }),
            )
            yield* ingest(live, generation, stale.length, chunks, indexing)
            yield* install(generation, live)
            yield* persistLater(live, generation)
            return {
              snapshot,
              added,
              updated: stale.length - added,
              removed,
              unchanged: manifest.length - stale.length,
            }
          }),
        ),

      build: (documents, indexing = {}) =>
        serial(
          Effect.gen(function* () {
            const { generation } = yield* unlocked
            const live = emptyLive()
            const chunks = chunked(documents, indexing.chunkSize ?? defaultChunk).map((chunk) =>
              Effect.sync(() => {
                for (const document of chunk) upsert(live, document)
              }),
            )
            yield* ingest(live, generation, documents.length, chunks, indexing)
            yield* install(generation, live)
            yield* persistLater(live, generation)
          }),
        ),

      add: (document) => serial(Effect.map(liveOrEmpty, (live) => upsert(live, document))),
      update: (document) => serial(Effect.map(liveOrEmpty, (live) => upsert(live, document))),
      remove: (ref) => serial(Effect.map(liveOrEmpty, (live) => discard(live, refOf(ref.type, ref.id)))),

      search: (query, searchOptions = {}) =>
        Effect.map(unlocked, (s) => {
          if (Option.isNone(s.live)) return []
          return topHits(s.live.value.mini, query, searchOptions)
        }),

      persist: serial(
        Effect.flatMap(unlocked, (s) =>
          Option.match(s.live, {
            onNone: () => Effect.void,
            onSome: (live) => persistLive(live, s.generation),
          }),
        ),
      ),

      destroy: dropAll,
    }
    return service
  })

export const layer = (options?: MakeOptions): Layer.Layer<SearchIndex, never, Keyring | IndexStore> =>
  Layer.scoped(SearchIndex, make(options))
