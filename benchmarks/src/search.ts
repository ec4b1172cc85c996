/**
 * The encrypted search index (`@ignition/vault` SearchIndex), each figure
 * against a baseline in the same run, over 10,000 generated notes (~5 MB of
 * text; a seeded generator: English-like words, music vocabulary — chords,
 * keys, tempos, time signatures — and Markdown syntax mixed in):
 *
 * - Build: `SearchIndex.build` until it answers, searchable (the musical
 *   tokenizer, six boosted fields, chunks of 1,000 with a macrotask yield and
 *   a progress report between them), and until the snapshot it then seals
 *   under the index key in the background is stored; against plain
 *   MiniSearch with its default options (default tokenizer, the same text in
 *   three fields, no chunks, no snapshot). The bare MiniSearch build with our
 *   options and the tokenizer alone are shown too. Goal: build < 1 s.
 * - Restore: what an unlock costs instead of a build — open the snapshot,
 *   parse it, load the index (`SearchIndex.restore`).
 * - Queries: 300 mixed queries (prefixes, one-typo words, musical tokens,
 *   two-word queries) through `SearchIndex.search` (prefix and fuzzy on, AND,
 *   top 20) against MiniSearch's defaults with `prefix: true, fuzzy: 0.2`.
 *   Goal: p95 < 5 ms. Reported apart: 50 prefixes of the most frequent words,
 *   which match most notes (a scorer linear in the matches is slowest there).
 * - Incremental update of one note (`SearchIndex.update`, and update +
 *   `persist`, which re-seals the whole snapshot) against a full rebuild;
 *   the ratio is printed.
 *
 * `BENCH_ROUNDS` sets the number of measured build rounds (default 5).
 */
import { readFileSync } from "node:fs"
import { performance } from "node:perf_hooks"
import { Effect, Layer } from "effect"
import MiniSearch from "minisearch"
import { CryptoPolicy } from "../../packages/vault/src/CryptoPolicy.js"
import * as IndexStore from "../../packages/vault/src/IndexStore.js"
import * as Keyring from "../../packages/vault/src/Keyring.js"
import * as SearchIndex from "../../packages/vault/src/SearchIndex.js"
import { tokenize } from "../../packages/vault/src/Tokenizer.js"
import { machine, median } from "./support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? "5")
const notes = 10_000
const targetBytes = 5_000_000
const buildGoalMs = 1000
const queryGoalMs = 5
const queryCount = 300

const out = (line: string) => process.stdout.write(`${line}\n`)

// ── Deterministic notes ──────────────────────────────────────────────────────

/** mulberry32: small, fast, seeded. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const random = prng(20261122)
const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)] as A

const common = (
  "the a and of to in is it that for on with as was this at by be from or have not are but an they which one you " +
  "all were her she there would their we him been has when who will more no if out so said what up its about into " +
  "than them can only other new some could time these two may then do first any my now such like our over man me " +
  "even most made after also did many before must through back years where much your way well down should because " +
  "each just those people how too little state good very make world still own see men work long get here between both"
).split(" ")
const music = (
  "melody chorus verse bridge synth pad bass kick snare hihat reverb delay compressor sidechain arpeggio chord " +
  "progression sample loop groove swing filter cutoff resonance envelope attack release sustain decay mixdown " +
  "master stereo mono vocal harmony counterpoint cadence modulation tempo rhythm syncopation polyrhythm lighthouse " +
  "harbour ambient techno house drum breakbeat jungle garage dubstep lofi granular wavetable oscillator saw square " +
  "intro outro drop buildup riser impact transition automation bus send return aux eq equalizer limiter clipper " +
  "saturation distortion overdrive chorusing flanger phaser tremolo vibrato portamento glide legato staccato " +
  "velocity quantize humanize shuffle triplet dotted fill turnaround hook motif phrase section arrangement " +
  "sketch demo stem bounce render export plugin preset patch macro lfo modwheel aftertouch keyboard controller " +
  "monitor headphones room acoustics gain staging headroom loudness lufs dither sampler sequencer"
).split(" ")
const chords = "C Cm C7 Cmaj7 Dm7 D F#m Bbmaj7 Ebsus4 G/B Am7 E7 C#m7b5 Ab Gm9 Fmaj7 Bb Eb Db7 A/C#".split(" ")
const keys = "C major|A minor|F#m|Bb|Ebm|D|G minor|E|Abmaj|C#m".split("|")
const meters = ["4/4", "3/4", "7/8", "6/8", "5/4", "12/8"]
/** A long tail of made-up words, so the term dictionary is realistic in size. */
const invented = Array.from({ length: 6000 }, () => {
  const syllables = ["ka", "lo", "mi", "ren", "tas", "vo", "shi", "dra", "pel", "nor", "qui", "zan", "bel", "tro", "fi"]
  let word = ""
  for (let n = 1 + Math.floor(random() * 3); n >= 0; n--) word += pick(syllables)
  return word
})

/** Zipf-like: small indexes far more often (`skew` 1 is uniform). */
const zipf = <A>(items: ReadonlyArray<A>, skew = 2.5): A => items[Math.floor(random() ** skew * items.length)] as A

const word = (): string => {
  const roll = random()
  if (roll < 0.55) return zipf(common)
  if (roll < 0.7) return zipf(music, 1.5)
  if (roll < 0.73) return pick(chords)
  if (roll < 0.74) return `${60 + Math.floor(random() * 120)} BPM`
  if (roll < 0.745) return pick(meters)
  return zipf(invented)
}

const sentence = (words: number) => Array.from({ length: words }, word).join(" ")

const markdown = (text: string) => {
  const roll = random()
  if (roll < 0.1) return `## ${text}`
  if (roll < 0.2) return `- **${text}**`
  if (roll < 0.25) return `> ${text} [link](https://example.com/${Math.floor(random() * 1000)})`
  return text
}

const types: ReadonlyArray<SearchIndex.DocumentType> = ["idea", "infobase", "journal"]
const tagList = ["ambient", "mixing", "sound-design", "theory", "progress", "live", "vocals", "drums", "ideas", "gear"]

const makeNotes = (): ReadonlyArray<SearchIndex.IndexDocument> => {
  const perNote = targetBytes / notes
  return Array.from({ length: notes }, (_, index) => {
    const type = types[index % 3] as SearchIndex.DocumentType
    const paragraphs: Array<string> = []
    let length = 0
    const want = perNote * (0.4 + random() * 1.2)
    while (length < want) {
      const paragraph = markdown(`${sentence(6 + Math.floor(random() * 14))}.`)
      paragraphs.push(paragraph)
      length += paragraph.length + 1
    }
    const tags = Array.from({ length: Math.floor(random() * 4) }, () => pick(tagList))
    return {
      id: `0190f3a2-8000-7000-8000-${index.toString(16).padStart(12, "0")}`,
      type,
      ...(type === "idea" ? {} : { title: sentence(2 + Math.floor(random() * 4)) }),
      text: paragraphs.join("\n"),
      tags,
      ...(type === "infobase" ? { category: pick(["Techniques", "Theory", "Gear", "Workflow"]) } : {}),
      ...(type === "idea" ? { key: pick(keys), bpm: 70 + Math.floor(random() * 110) } : {}),
      updatedAt: 1_760_000_000_000 + index,
    }
  })
}

type Category = "prefix" | "typo" | "musical" | "two words" | "frequent prefix"
const categories: ReadonlyArray<Category> = ["prefix", "typo", "musical", "two words"]

/**
 * Prefixes, one-typo words, musical tokens and two-word queries, their words
 * drawn uniformly from the topical vocabulary (music and invented words: what
 * a person looks for), plus, apart, prefixes of the five most frequent music
 * words, which match most notes: the worst case of a linear-time scorer.
 */
const makeQueries = (): ReadonlyArray<{ readonly category: Category; readonly query: string }> => {
  const topical = () => (random() < 0.5 ? pick(music) : pick(invented))
  const mixed = Array.from({ length: queryCount }, (_, index) => {
    const category = categories[index % 4] as Category
    const source = topical()
    switch (category) {
      case "prefix":
        return { category, query: source.slice(0, 3 + Math.floor(random() * 3)) }
      case "typo": {
        if (source.length < 5) return { category, query: source }
        const at = 1 + Math.floor(random() * (source.length - 2))
        return { category, query: source.slice(0, at) + source.slice(at + 1) }
      }
      case "musical":
        return { category, query: pick([...chords, "128bpm", "90 BPM", "7/8", "12/8", "F#m", "Dm7"]) }
      default:
        return { category, query: `${topical()} ${pick(chords)}` }
    }
  })
  const frequent = Array.from({ length: 50 }, () => {
    const source = music[Math.floor(random() * 5)] as string
    return { category: "frequent prefix" as const, query: source.slice(0, 3 + Math.floor(random() * 3)) }
  })
  return [...mixed, ...frequent]
}

// ── Measurements ─────────────────────────────────────────────────────────────

const time = async (run: () => unknown) => {
  const started = performance.now()
  await run()
  return performance.now() - started
}

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

const plainOptions = { fields: ["title", "text", "tags"], extractField: extractPlain }
function extractPlain(document: SearchIndex.IndexDocument, field: string) {
  if (field === "tags") return document.tags.join(" ")
  if (field === "id") return `${document.type}/${document.id}`
  return field === "title" ? document.title : field === "text" ? document.text : undefined
}

const loadAverage = () => {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")
  } catch {
    return "unknown"
  }
}

const main = async () => {
  const documents = makeNotes()
  const queries = makeQueries()
  const bytes = documents.reduce((sum, d) => sum + d.text.length + (d.title?.length ?? 0), 0)

  const program = Effect.gen(function* () {
    const ring = yield* Keyring.Keyring
    yield* ring.create(
      { userId: "0190f3a2-7c4e-7b1a-9d2f-3e8a1c5b7d90", vaultId: "0190f3a2-7c4f-7d3b-8e41-6a2c9f0b1e37" },
      Keyring.passphrase("benchmark passphrase, not a secret"),
      new CryptoPolicy({
        version: 2,
        aead: "AES-256-GCM",
        kdf: { alg: "argon2id", m: 19 * 1024, t: 2, p: 1 },
        deprecated: false,
      }),
    )
    const index = yield* SearchIndex.SearchIndex
    const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)

    // Warm-up: JIT for both sides.
    new MiniSearch(plainOptions).addAll(documents)
    yield* index.build(documents)

    const plainMs: Array<number> = []
    const bareMs: Array<number> = []
    const buildMs: Array<number> = []
    /** Until the last chunk is indexed; `buildMs` is until `build` answered, searchable. */
    const indexMs: Array<number> = []
    /** Until the sealed snapshot is stored (after `build` answered, off the caller's path). */
    const storedMs: Array<number> = []
    const tokenizeMs: Array<number> = []
    const restoreMs: Array<number> = []
    let progressEvents = 0
    for (let round = 1; round <= rounds; round++) {
      // Alternate which goes first.
      const sides: Array<() => Promise<unknown>> = [
        async () => plainMs.push(await time(() => new MiniSearch(plainOptions).addAll(documents))),
        async () => bareMs.push(await time(() => new MiniSearch(SearchIndex.miniSearchOptions).addAll(documents))),
        async () => {
          const started = performance.now()
          let indexed = started
          await run(
            index.build(documents, {
              onProgress: (progress) =>
                Effect.sync(() => {
                  progressEvents++
                  if (progress.done === progress.total) indexed = performance.now()
                }),
            }),
          )
          const searchable = performance.now()
          // The snapshot is sealed and stored after `build` answers; `persist` waits for that save.
          await run(index.persist)
          buildMs.push(searchable - started)
          indexMs.push(indexed - started)
          storedMs.push(performance.now() - started)
        },
        async () =>
          tokenizeMs.push(
            await time(() => {
              for (const d of documents) tokenize(d.text)
            }),
          ),
      ]
      for (const side of round % 2 === 1 ? sides : [...sides].reverse()) yield* Effect.promise(side)
      restoreMs.push(yield* Effect.promise(() => time(() => run(index.restore))))
      out(
        `round ${round}: plain MiniSearch ${plainMs.at(-1)?.toFixed(0)} ms, ours bare ${bareMs.at(-1)?.toFixed(0)} ms, SearchIndex.build ${buildMs.at(-1)?.toFixed(0)} ms (indexed at ${indexMs.at(-1)?.toFixed(0)} ms, snapshot stored at ${storedMs.at(-1)?.toFixed(0)} ms), tokenizer ${tokenizeMs.at(-1)?.toFixed(0)} ms, restore ${restoreMs.at(-1)?.toFixed(0)} ms`,
      )
    }
    const store = yield* IndexStore.IndexStore
    const snapshot = yield* store.load()
    const snapshotBytes = snapshot._tag === "Some" ? snapshot.value.ct.length : 0

    // Queries: ours through the service, the baseline on plain MiniSearch.
    const plain = new MiniSearch(plainOptions)
    plain.addAll(documents)
    const ourQueryMs = new Map<Category, Array<number>>()
    const plainQueryMs = new Map<Category, Array<number>>()
    let hits = 0
    let empty = 0
    let maxMatched = 0
    // Each side in its own block, so neither pays for the other's garbage; pass 0 warms both up, and in the measured pass the baseline goes first.
    const sides: ReadonlyArray<(record: boolean) => void> = [
      (record) => {
        for (const { category, query } of queries) {
          const started = performance.now()
          const found = Effect.runSync(index.search(query))
          const ms = performance.now() - started
          if (!record) continue
          ourQueryMs.set(category, [...(ourQueryMs.get(category) ?? []), ms])
          hits += found.length
          if (found.length === 0) empty++
        }
      },
      (record) => {
        for (const { category, query } of queries) {
          const started = performance.now()
          plain.search(query, { prefix: true, fuzzy: 0.2 }).slice(0, 20)
          const ms = performance.now() - started
          if (record) plainQueryMs.set(category, [...(plainQueryMs.get(category) ?? []), ms])
        }
      },
    ]
    for (const pass of [0, 1]) for (const side of pass === 0 ? sides : [...sides].reverse()) side(pass === 1)
    for (const { category, query } of queries)
      if (category !== "frequent prefix")
        maxMatched = Math.max(maxMatched, Effect.runSync(index.search(query, { limit: notes })).length)
    const musicalHits = Effect.runSync(index.search("F#m")).length

    // Incremental update of one note against a full rebuild.
    const updateMs: Array<number> = []
    const updatePersistMs: Array<number> = []
    for (let n = 0; n < 50; n++) {
      const original = documents[(n * 197) % documents.length] as SearchIndex.IndexDocument
      const edited = {
        ...original,
        text: `${original.text}\nedited ${n} lighthouse F#m`,
        updatedAt: original.updatedAt + 1,
      }
      updateMs.push(yield* Effect.promise(() => time(() => run(index.update(edited)))))
      const again = { ...edited, text: `${edited.text} again`, updatedAt: edited.updatedAt + 1 }
      updatePersistMs.push(
        yield* Effect.promise(() => time(() => run(Effect.zipRight(index.update(again), index.persist)))),
      )
    }
    return {
      plainMs,
      bareMs,
      buildMs,
      indexMs,
      storedMs,
      tokenizeMs,
      restoreMs,
      progressEvents,
      snapshotBytes,
      ourQueryMs,
      plainQueryMs,
      hits,
      empty,
      maxMatched,
      musicalHits,
      updateMs,
      updatePersistMs,
    }
  })

  const layer = SearchIndex.layer().pipe(Layer.provideMerge(Layer.merge(Keyring.layerLive(), IndexStore.layerTest)))
  const r = await Effect.runPromise(Effect.scoped(Effect.provide(program, layer)))

  const build = median(r.buildMs)
  const mixedOf = (byCategory: Map<Category, Array<number>>) => categories.flatMap((c) => byCategory.get(c) ?? [])
  const p95 = percentile(mixedOf(r.ourQueryMs), 95)
  const update = median(r.updateMs)
  const updatePersist = median(r.updatePersistMs)
  const buildPass = build < buildGoalMs
  const queryPass = p95 < queryGoalMs
  out("")
  out("Search")
  out(`machine:   ${machine()}; load average ${loadAverage()}`)
  out(
    `corpus     ${documents.length.toLocaleString("en")} notes, ${(bytes / 1e6).toFixed(2)} MB of text (titles + bodies), ${queries.length} queries; medians of ${rounds} rounds`,
  )
  out(
    `build      SearchIndex.build, searchable after ${build.toFixed(0)} ms (chunks of 1,000, ${r.progressEvents / rounds} progress events per build) vs plain MiniSearch defaults ${median(r.plainMs).toFixed(0)} ms: ratio ${(build / median(r.plainMs)).toFixed(2)} (goal < ${buildGoalMs} ms) ${buildPass ? "PASS" : "FAIL"}`,
  )
  out(
    `           then, in the background, the snapshot (${(r.snapshotBytes / 1e6).toFixed(2)} MB) sealed and stored at ${median(r.storedMs).toFixed(0)} ms`,
  )
  out(
    `           MiniSearch with our options, no chunks or snapshot ${median(r.bareMs).toFixed(0)} ms; the tokenizer alone over every body ${median(r.tokenizeMs).toFixed(0)} ms`,
  )
  out(
    `restore    open + parse + load the snapshot ${median(r.restoreMs).toFixed(0)} ms: ratio to a build ${(median(r.restoreMs) / build).toFixed(2)}`,
  )
  const ourMixed = mixedOf(r.ourQueryMs)
  const plainMixed = mixedOf(r.plainQueryMs)
  out(
    `queries    ${ourMixed.length} mixed: ours p50 ${percentile(ourMixed, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${Math.max(...ourMixed).toFixed(2)} ms; plain MiniSearch (prefix, fuzzy 0.2) p50 ${percentile(plainMixed, 50).toFixed(2)} ms, p95 ${percentile(plainMixed, 95).toFixed(2)} ms (goal p95 < ${queryGoalMs} ms) ${queryPass ? "PASS" : "FAIL"}`,
  )
  for (const category of [...categories, "frequent prefix" as const]) {
    const ours = r.ourQueryMs.get(category) ?? []
    const base = r.plainQueryMs.get(category) ?? []
    out(
      `           ${category.padEnd(16)} ${String(ours.length).padStart(3)}: ours p50 ${percentile(ours, 50).toFixed(2)} / p95 ${percentile(ours, 95).toFixed(2)} ms; plain p50 ${percentile(base, 50).toFixed(2)} / p95 ${percentile(base, 95).toFixed(2)} ms`,
    )
  }
  out(
    `           ${(r.hits / (ourMixed.length + (r.ourQueryMs.get("frequent prefix")?.length ?? 0))).toFixed(1)} hits per query (top 20), ${r.empty} queries with none; a mixed query matches up to ${r.maxMatched} notes; "F#m" finds ${r.musicalHits}`,
  )
  out(
    `update     one note ${update.toFixed(2)} ms vs a full build ${build.toFixed(0)} ms: ratio ${(update / build).toFixed(5)} (${(build / update).toFixed(0)}× faster)`,
  )
  out(
    `           one note + persist (re-seal the whole snapshot) ${updatePersist.toFixed(0)} ms: ratio ${(updatePersist / build).toFixed(3)}`,
  )
  if (!buildPass || !queryPass) process.exitCode = 1
}

await main()
