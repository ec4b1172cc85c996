/**
 * The encrypted search index, with a real keyring (Argon2id at the floor):
 * build, search (prefix, fuzzy, musical tokens, field boosts, type filter),
 * incremental add/update/remove; a snapshot sealed under the KEK-derived
 * index key round-trips through the store and restores the same results
 * without re-indexing, re-indexing only changed records; a snapshot of
 * another user or vault does not open (DecryptionFailed) and is discarded;
 * a lock drops the index and clears the store; progress is monotonic.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, TestClock } from "effect"
import MiniSearch from "minisearch"
import * as IndexStore from "../src/IndexStore.js"
import * as Keyring from "../src/Keyring.js"
import * as SearchIndex from "../src/SearchIndex.js"
import { binding, floorPolicy } from "./support.js"

const passphrase = Keyring.passphrase("a long and memorable passphrase")

const documents: ReadonlyArray<SearchIndex.IndexDocument> = [
  {
    id: "i1",
    type: "idea",
    text: "Arpeggiated synth line over the lighthouse chords, rising filter",
    tags: ["ambient", "night"],
    key: "F#m",
    bpm: 128,
    updatedAt: 1,
  },
  {
    id: "k1",
    type: "infobase",
    title: "Sidechain compression",
    text: "Duck the **pad** under the kick. Try a ratio of 4:1 and a fast attack; see [docs](https://example.com).",
    tags: ["mixing"],
    category: "Techniques",
    updatedAt: 2,
  },
  {
    id: "j1",
    type: "journal",
    title: "Tuesday session",
    text: "Wrote a verse in 7/8 with a Dm7 to G/B turnaround. The lighthouse idea needs a bridge.",
    tags: ["progress"],
    updatedAt: 3,
  },
  {
    id: "k2",
    type: "infobase",
    title: "Lighthouse",
    text: "Reference track notes: café recording, Bbmaj7 pads, 90 BPM",
    tags: [],
    updatedAt: 4,
  },
]

const manifestOf = (docs: ReadonlyArray<SearchIndex.IndexDocument>): ReadonlyArray<SearchIndex.Stamped> =>
  docs.map((document) => ({ type: document.type, id: document.id, version: document.version ?? document.updatedAt }))

/** A `load` that serves `docs` and counts how many it was asked for. */
const loader = (docs: ReadonlyArray<SearchIndex.IndexDocument>, asked: Ref.Ref<number>) => {
  const byRef = new Map(docs.map((document) => [`${document.type}/${document.id}`, document]))
  return (refs: ReadonlyArray<SearchIndex.DocumentRef>) =>
    Effect.as(
      Ref.update(asked, (n) => n + refs.length),
      refs.flatMap((ref) => {
        const found = byRef.get(`${ref.type}/${ref.id}`)
        return found === undefined ? [] : [found]
      }),
    )
}

const ids = (hits: ReadonlyArray<SearchIndex.SearchHit>) => hits.map((hit) => `${hit.type}/${hit.id}`)

/** A keyring with a fresh vault, an in-memory store (exposed) and a search index over both. */
const setup = (seed: string, options?: SearchIndex.MakeOptions, who = binding) =>
  Effect.gen(function* () {
    const keyring = yield* Effect.provide(Keyring.Keyring, Layer.fresh(Keyring.layerTest(seed)))
    const created = yield* keyring.create(who, passphrase, floorPolicy)
    const memory = yield* IndexStore.makeMemory
    const index = yield* SearchIndex.make(options).pipe(
      Effect.provideService(Keyring.Keyring, keyring),
      Effect.provideService(IndexStore.IndexStore, memory.store),
    )
    const unlock = keyring.unlock({
      binding: who,
      wrap: created.passphraseWrap,
      credential: { type: "passphrase", passphrase },
      contentKeys: [created.contentKey],
      currentKid: created.contentKey.kid,
      currentPolicy: floorPolicy,
    })
    return { keyring, memory, index, unlock }
  })

/**
 * Background work (the lock handler, a deferred seal with real WebCrypto) runs
 * on its own fiber: give the event loop real turns (the test clock holds
 * `Effect.sleep`) until `done` holds.
 */
const eventually = (done: Effect.Effect<boolean>) =>
  Effect.gen(function* () {
    for (let turn = 0; turn < 200; turn++) {
      if (yield* done) return true
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
    }
    return yield* done
  })

describe("SearchIndex", () => {
  it.scoped("builds, then finds by prefix, fuzzy typo, musical token, with title boosted and a type filter", () =>
    Effect.gen(function* () {
      const { index, memory } = yield* setup("search-1")
      yield* index.build(documents)
      // Searchable at once, unsaved; the snapshot is sealed in the background a moment later.
      assert.deepStrictEqual(yield* index.status, { _tag: "Ready", documents: 4, unsaved: true })
      yield* TestClock.adjust("1 second")
      assert.isTrue(yield* eventually(Effect.map(Ref.get(memory.slot), Option.isSome)))
      assert.deepStrictEqual(yield* index.status, { _tag: "Ready", documents: 4, unsaved: false })

      const prefix = yield* index.search("lighth")
      assert.sameMembers(ids(prefix), ["idea/i1", "journal/j1", "infobase/k2"])
      // Title beats text.
      assert.strictEqual(ids(prefix)[0], "infobase/k2")
      assert.sameMembers(ids(yield* index.search("ligthouse")), ["idea/i1", "journal/j1", "infobase/k2"])

      assert.deepStrictEqual(ids(yield* index.search("F#m")), ["idea/i1"])
      assert.deepStrictEqual(ids(yield* index.search("f#m")), ["idea/i1"])
      assert.deepStrictEqual(ids(yield* index.search("128bpm")), ["idea/i1"])
      assert.deepStrictEqual(ids(yield* index.search("128 BPM")), ["idea/i1"])
      assert.deepStrictEqual(ids(yield* index.search("90bpm")), ["infobase/k2"])
      assert.deepStrictEqual(ids(yield* index.search("7/8")), ["journal/j1"])
      assert.deepStrictEqual(ids(yield* index.search("g/b dm7")), ["journal/j1"])
      assert.deepStrictEqual(ids(yield* index.search("Bbmaj7")), ["infobase/k2"])
      // Musical tokens are never fuzzy: a neighbouring tempo or chord does not match.
      assert.deepStrictEqual(yield* index.search("127bpm"), [])
      assert.deepStrictEqual(yield* index.search("Am7"), [])
      // Markdown link targets are not indexed.
      assert.deepStrictEqual(yield* index.search("example"), [])

      // Every term must match (AND), or any with "or".
      assert.deepStrictEqual(ids(yield* index.search("lighthouse bridge")), ["journal/j1"])
      assert.lengthOf(yield* index.search("lighthouse mixing", { combineWith: "or" }), 4)

      const filtered = yield* index.search("lighthouse", { types: ["infobase", "journal"], limit: 1 })
      assert.deepStrictEqual(ids(filtered), ["infobase/k2"])

      const [hit] = yield* index.search("kick")
      assert.strictEqual(hit?.id, "k1")
      assert.strictEqual(hit?.type, "infobase")
      assert.isAbove(hit?.score ?? 0, 0)
      assert.deepStrictEqual(hit?.match, { kick: ["text"] })
      assert.deepStrictEqual(ids(yield* index.search("techniques")), ["infobase/k1"])
      assert.deepStrictEqual(ids(yield* index.search("ambient")), ["idea/i1"])
    }),
  )

  it.scoped("updates incrementally: add, update, remove", () =>
    Effect.gen(function* () {
      const { index } = yield* setup("search-2")
      yield* index.build(documents)
      yield* index.add({
        id: "i2",
        type: "idea",
        text: "Lighthouse keeper vocal chop in Ebsus4",
        tags: [],
        updatedAt: 5,
      })
      assert.include(ids(yield* index.search("ebsus4")), "idea/i2")
      assert.deepStrictEqual(yield* index.status, { _tag: "Ready", documents: 5, unsaved: true })
      yield* index.update({ id: "i2", type: "idea", text: "Harbour keeper vocal chop", tags: [], updatedAt: 6 })
      assert.deepStrictEqual(yield* index.search("ebsus4"), [])
      assert.deepStrictEqual(ids(yield* index.search("harbour")), ["idea/i2"])
      yield* index.remove({ type: "journal", id: "j1" })
      assert.sameMembers(ids(yield* index.search("lighthouse")), ["idea/i1", "infobase/k2"])
      assert.deepStrictEqual(yield* index.search("7/8"), [])
      // The same id under another type is another record.
      yield* index.add({ id: "i2", type: "journal", text: "harbour at dawn", tags: [], updatedAt: 7 })
      assert.sameMembers(ids(yield* index.search("harbour")), ["idea/i2", "journal/i2"])
    }),
  )

  it.scoped("persists encrypted: a new index restores the same results from the store without re-indexing", () =>
    Effect.gen(function* () {
      const { keyring, memory, index } = yield* setup("search-3")
      const asked = yield* Ref.make(0)
      const first = yield* index.refresh(manifestOf(documents), loader(documents, asked))
      yield* index.persist
      assert.deepStrictEqual(first, { snapshot: "missing", added: 4, updated: 0, removed: 0, unchanged: 0 })
      assert.strictEqual(yield* Ref.get(asked), 4)
      const before = yield* index.search("lighthouse")

      // The stored bytes are an envelope: no plaintext in them.
      const stored = Option.getOrThrow(yield* Ref.get(memory.slot))
      assert.strictEqual(stored.kid, "search-index-v1")
      const bytes = new TextDecoder().decode(stored.ct)
      assert.notInclude(bytes, "lighthouse")

      // A second index over the same keyring and store: what a reload does.
      const again = yield* SearchIndex.make().pipe(
        Effect.provideService(Keyring.Keyring, keyring),
        Effect.provideService(IndexStore.IndexStore, memory.store),
      )
      yield* Ref.set(asked, 0)
      const changed = documents.map((document) =>
        document.id === "k1" ? { ...document, text: "Duck the pad under the kick drum", updatedAt: 10 } : document,
      )
      const added: SearchIndex.IndexDocument = { id: "i9", type: "idea", text: "harbour", tags: [], updatedAt: 11 }
      const current = [...changed.filter((document) => document.id !== "j1"), added]
      const report = yield* again.refresh(manifestOf(current), loader(current, asked))
      yield* again.persist
      assert.deepStrictEqual(report, { snapshot: "restored", added: 1, updated: 1, removed: 1, unchanged: 2 })
      // Only the changed and the new record were decrypted and indexed.
      assert.strictEqual(yield* Ref.get(asked), 2)
      assert.deepStrictEqual(
        (yield* again.search("lighthouse")).map((hit) => hit.id),
        before.map((hit) => hit.id).filter((id) => id !== "j1"),
      )
      assert.deepStrictEqual(ids(yield* again.search("drum")), ["infobase/k1"])
      assert.deepStrictEqual(ids(yield* again.search("harbour")), ["idea/i9"])

      // Nothing changed: a refresh decrypts nothing and restores as-is.
      const third = yield* SearchIndex.make().pipe(
        Effect.provideService(Keyring.Keyring, keyring),
        Effect.provideService(IndexStore.IndexStore, memory.store),
      )
      yield* Ref.set(asked, 0)
      assert.strictEqual(yield* third.restore, "restored")
      assert.deepStrictEqual(yield* third.search("lighthouse"), yield* again.search("lighthouse"))
      assert.strictEqual(yield* Ref.get(asked), 0)
    }),
  )

  it.scoped("a snapshot sealed for one user or vault does not open for another", () =>
    Effect.gen(function* () {
      const alice = yield* setup("search-4a")
      const bob = yield* setup(
        "search-4b",
        {},
        { userId: "7c9e6679-7425-40de-944b-e07fc1f90ae7", vaultId: binding.vaultId },
      )
      const envelope = yield* alice.keyring.sealIndex(new TextEncoder().encode("snapshot"))
      assert.deepStrictEqual(new TextDecoder().decode(yield* alice.keyring.openIndex(envelope)), "snapshot")
      const refused = yield* Effect.flip(bob.keyring.openIndex(envelope))
      assert.strictEqual(refused._tag, "DecryptionFailed")

      // Bob's index finds Alice's snapshot in its store: discarded and cleared, then rebuilt.
      yield* alice.index.build(documents)
      yield* alice.index.persist
      yield* Ref.set(bob.memory.slot, yield* Ref.get(alice.memory.slot))
      assert.strictEqual(yield* bob.index.restore, "discarded")
      assert.isTrue(Option.isNone(yield* Ref.get(bob.memory.slot)))
      const asked = yield* Ref.make(0)
      const report = yield* bob.index.refresh(manifestOf(documents), loader(documents, asked))
      assert.strictEqual(report.added, 4)
      assert.lengthOf(yield* bob.index.search("lighthouse"), 3)

      // An envelope under a content key is not an index snapshot either.
      const record = yield* alice.keyring.seal({ recordType: "search-index", recordId: "snapshot" }, new Uint8Array(8))
      assert.strictEqual((yield* Effect.flip(alice.keyring.openIndex(record)))._tag, "DecryptionFailed")
    }),
  )

  it.scoped("a lock drops the index and clears the store; unlock starts empty", () =>
    Effect.gen(function* () {
      const { keyring, memory, index, unlock } = yield* setup("search-5")
      yield* index.build(documents)
      yield* index.persist
      assert.isTrue(Option.isSome(yield* Ref.get(memory.slot)))
      yield* keyring.lock("manual")
      const refused = yield* Effect.flip(index.search("lighthouse"))
      assert.strictEqual(refused._tag, "VaultLocked")
      assert.strictEqual((yield* Effect.flip(index.add(documents[0] as SearchIndex.IndexDocument)))._tag, "VaultLocked")
      assert.strictEqual((yield* Effect.flip(index.build(documents)))._tag, "VaultLocked")
      assert.deepStrictEqual(yield* index.status, { _tag: "Locked" })
      assert.isTrue(yield* eventually(Effect.map(Ref.get(memory.slot), Option.isNone)))
      assert.strictEqual((yield* Effect.flip(keyring.sealIndex(new Uint8Array(1))))._tag, "VaultLocked")

      yield* unlock
      assert.deepStrictEqual(yield* index.status, { _tag: "Empty" })
      assert.deepStrictEqual(yield* index.search("lighthouse"), [])
      assert.strictEqual(yield* index.restore, "missing")
    }),
  )

  it.scoped("a prefix expands to its closest completions only; typing on reaches the rest", () =>
    Effect.gen(function* () {
      const { index } = yield* setup("search-9")
      const overflow = SearchIndex.MAX_PREFIX_EXPANSIONS + 10
      // "drax", "draxx", … : one word per note, each a longer completion of "dra".
      const words = Array.from({ length: overflow }, (_, n) => `dra${"x".repeat(n + 1)}`)
      yield* index.build(words.map((word, n) => ({ id: `w${n}`, type: "idea", text: word, tags: [], updatedAt: n })))
      const found = yield* index.search("dra", { limit: overflow })
      assert.sameMembers(
        ids(found),
        words.slice(0, SearchIndex.MAX_PREFIX_EXPANSIONS).map((_, n) => `idea/w${n}`),
      )
      const longest = `w${overflow - 1}`
      // The whole word finds its note first (its near neighbours follow, as fuzzy matches).
      assert.strictEqual(ids(yield* index.search(words[overflow - 1] as string))[0], `idea/${longest}`)
      assert.include(ids(yield* index.search(`dra${"x".repeat(overflow - 5)}`, { limit: overflow })), `idea/${longest}`)
    }),
  )

  it.scoped("a lock right after a build, before its snapshot is sealed, leaves nothing stored", () =>
    Effect.gen(function* () {
      const { keyring, memory, index } = yield* setup("search-8")
      yield* index.build(documents)
      yield* keyring.lock("manual")
      // The background seal wakes after the lock and gives up; nothing it sealed may be left stored.
      yield* TestClock.adjust("1 second")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 0)))
      assert.isTrue(Option.isNone(yield* Ref.get(memory.slot)))
      assert.strictEqual((yield* Effect.flip(index.persist))._tag, "VaultLocked")
    }),
  )

  it.scoped("a lock during a build aborts it; nothing is installed or stored", () =>
    Effect.gen(function* () {
      const { keyring, memory, index } = yield* setup("search-6")
      const many = Array.from({ length: 50 }, (_, n) => ({
        ...(documents[n % 4] as SearchIndex.IndexDocument),
        id: `d${n}`,
      }))
      const result = yield* Effect.either(
        index.build(many, {
          chunkSize: 10,
          onProgress: (progress) => (progress.done >= 20 ? keyring.lock("idle") : Effect.void),
        }),
      )
      assert.isTrue(result._tag === "Left" && result.left._tag === "VaultLocked")
      assert.isTrue(Option.isNone(yield* Ref.get(memory.slot)))
      assert.deepStrictEqual(yield* index.status, { _tag: "Locked" })
    }),
  )

  it.scoped("with retainSnapshotOnLock, the snapshot survives an idle lock and unlock restores it", () =>
    Effect.gen(function* () {
      const { keyring, memory, index, unlock } = yield* setup("search-7", {
        retainSnapshotOnLock: (reason) => reason === "idle",
      })
      yield* index.build(documents)
      yield* index.persist
      yield* keyring.lock("idle")
      assert.strictEqual((yield* Effect.flip(index.search("lighthouse")))._tag, "VaultLocked")
      yield* unlock
      assert.isTrue(Option.isSome(yield* Ref.get(memory.slot)))
      const asked = yield* Ref.make(0)
      const report = yield* index.refresh(manifestOf(documents), loader(documents, asked))
      assert.deepStrictEqual(report, { snapshot: "restored", added: 0, updated: 0, removed: 0, unchanged: 4 })
      assert.strictEqual(yield* Ref.get(asked), 0)
      assert.lengthOf(yield* index.search("lighthouse"), 3)
      // Logout is not retained: cleared.
      yield* keyring.lock("logout")
      assert.isTrue(yield* eventually(Effect.map(Ref.get(memory.slot), Option.isNone)))
    }),
  )

  it.scoped("reports progress monotonically, ending at the total", () =>
    Effect.gen(function* () {
      const { index } = yield* setup("search-8")
      const many = Array.from({ length: 1234 }, (_, n) => ({
        ...(documents[n % 4] as SearchIndex.IndexDocument),
        id: `d${n}`,
      }))
      const seen: Array<SearchIndex.Progress> = []
      yield* index.build(many, { chunkSize: 100, onProgress: (progress) => Effect.sync(() => seen.push(progress)) })
      assert.lengthOf(seen, 14)
      assert.deepStrictEqual(seen[0], { done: 0, total: 1234 })
      for (const [n, progress] of seen.entries()) {
        assert.strictEqual(progress.total, 1234)
        if (n > 0) {
          assert.isAbove(progress.done, (seen[n - 1] as SearchIndex.Progress).done)
          assert.isAtLeast(progress.etaMs ?? -1, 0)
        }
      }
      assert.deepStrictEqual(seen.at(-1), { done: 1234, total: 1234, etaMs: 0 })
      assert.lengthOf(yield* index.search("lighthouse", { limit: 1000 }), 925)
    }),
  )
})

describe("SearchIndex ranking", () => {
  it.scoped("returns MiniSearch's own top results, scores and order, for any limit", () =>
    Effect.gen(function* () {
      const { index } = yield* setup("search-9")
      const words = ["lighthouse", "harbour", "keeper", "bridge", "F#m", "Dm7", "kick", "snare", "drum", "mixing"]
      const many = Array.from(
        { length: 300 },
        (_, n): SearchIndex.IndexDocument => ({
          id: `d${n}`,
          type: (["idea", "infobase", "journal"] as const)[n % 3] ?? "idea",
          ...(n % 7 === 0 ? { title: words[n % 10] as string } : {}),
          text: Array.from({ length: 1 + (n % 9) }, (_, k) => words[(n * 7 + k * 3) % 10]).join(" "),
          tags: [],
          updatedAt: n,
        }),
      )
      yield* index.build(many)
      const plain = new MiniSearch(SearchIndex.miniSearchOptions)
      plain.addAll(many)
      for (const query of ["lig", "lighthouse", "harbour kick", "f#m", "ligthouse", "keeper drum"])
        for (const limit of [1, 5, 20, 100, 1000]) {
          const expected = plain
            .search(query)
            .slice(0, limit)
            .map((result) => [result.id, result.score])
          const hits = yield* index.search(query, { limit })
          assert.deepStrictEqual(
            hits.map((hit) => [`${hit.type}/${hit.id}`, hit.score]),
            expected,
            `${query} ${limit}`,
          )
        }
    }),
  )
})
