/**
 * Query evaluation over MiniSearch's index with typed-array accumulators.
 *
 * MiniSearch's own evaluation (`executeQuery` → `termResults`) makes a result
 * object, a `terms` array and a `match` record for every matching document
 * and every derived term, then merges them per query term: for a prefix that
 * begins words found in half the notes that is most of a query's time. Here a
 * query term's postings add into a `Float64Array` of scores by document, a
 * bit per query term records which matched, and only the best `limit`
 * documents get their `terms` and `match` built. The scoring is MiniSearch's
 * own, in the same order of additions (so the same floating-point sums), and
 * ties keep the order MiniSearch's maps would have: the same hits, scores and
 * order as `MiniSearch.search` (a differential test holds it to that).
 *
 * It reads MiniSearch 7's internal fields (listed in `Internals`); `evaluate`
 * answers `undefined` when they are missing, and the caller falls back to
 * `MiniSearch.search`.
 */
type Postings = ReadonlyMap<number, number>
type FieldPostings = ReadonlyMap<number, Postings>

interface TermIndex {
  get(term: string): FieldPostings | undefined
  atPrefix(prefix: string): Iterable<readonly [string, FieldPostings]>
  fuzzyGet(term: string, maxDistance: number): Map<string, readonly [FieldPostings, number]>
}

interface Bm25 {
  readonly k: number
  readonly b: number
  readonly d: number
}

type TermOption = boolean | number | ((term: string, index: number, terms: ReadonlyArray<string>) => boolean | number)

interface StoredSearchOptions {
  readonly prefix?: TermOption
  readonly fuzzy?: TermOption
  readonly maxFuzzy: number
  readonly boost?: Readonly<Record<string, number>>
  readonly weights: { readonly fuzzy: number; readonly prefix: number }
  readonly bm25: Bm25
  readonly boostTerm?: unknown
  readonly boostDocument?: unknown
}

/** What MiniSearch 7 keeps on the instance, as far as evaluation reads it. */
interface Internals {
  readonly _index: TermIndex
  readonly _documentIds: ReadonlyMap<number, string>
  readonly _fieldIds: Readonly<Record<string, number>>
  readonly _fieldLength: ReadonlyMap<number, ReadonlyArray<number>>
  readonly _avgFieldLength: ReadonlyArray<number>
  readonly _documentCount: number
  readonly _nextId: number
  /** Drops a discarded document's posting: MiniSearch's lazy clean-up, which its own search does as it meets one. */
  readonly removeTerm: (fieldId: number, documentId: number, term: string) => void
  readonly _options: {
    readonly fields: ReadonlyArray<string>
    readonly tokenize: (text: string) => Array<string>
    readonly processTerm: (term: string) => string | ReadonlyArray<string> | null | undefined | false
    readonly searchOptions: StoredSearchOptions
  }
}

const internalsOf = (mini: object): Internals | undefined => {
  const candidate = mini as unknown as Partial<Internals>
  const index = candidate._index
  return index !== undefined &&
    typeof index.get === "function" &&
    typeof index.atPrefix === "function" &&
    typeof index.fuzzyGet === "function" &&
    candidate._documentIds instanceof Map &&
    candidate._fieldLength instanceof Map &&
    typeof candidate._fieldIds === "object" &&
    Array.isArray(candidate._avgFieldLength) &&
    typeof candidate._documentCount === "number" &&
    typeof candidate._nextId === "number" &&
    typeof candidate.removeTerm === "function" &&
    typeof candidate._options?.tokenize === "function" &&
    candidate._options.searchOptions !== undefined &&
    // Options this evaluator does not implement: let MiniSearch answer.
    candidate._options.searchOptions.boostTerm === undefined &&
    candidate._options.searchOptions.boostDocument === undefined
    ? (candidate as Internals)
    : undefined
}

export interface EvaluateOptions {
  readonly prefix: boolean
  readonly fuzzy: boolean
  readonly combineWith: "and" | "or"
  readonly limit: number
  /** Whether a document (by its MiniSearch id) may be a hit. */
  readonly accept: (id: string) => boolean
}

export interface Evaluated {
  readonly id: string
  /** MiniSearch's final score: the summed score × the number of matched query terms. */
  readonly score: number
  /** The query's terms that matched (MiniSearch's `queryTerms`). */
  readonly queryTerms: ReadonlyArray<string>
  /** Each matched indexed term and the fields it matched in. */
  readonly match: Readonly<Record<string, ReadonlyArray<string>>>
}

/** One indexed term a query term reached, with the weight it scores at. */
interface Derived {
  readonly term: string
  readonly postings: FieldPostings
  readonly weight: number
}

/** A per-term option as MiniSearch's `termToQuerySpec` reads it: a function's answer, or the value itself. */
const resolve = (option: TermOption | undefined, term: string, index: number, terms: ReadonlyArray<string>) =>
  typeof option === "function" ? option(term, index, terms) : option

/** The indexed terms one query term reaches: itself, then prefix completions, then fuzzy neighbours (MiniSearch's order). */
const derive = (
  internals: Internals,
  term: string,
  prefix: boolean,
  /** `false`, or the edit ratio (below 1) or distance; `true` is 0.2. */
  fuzzy: number | boolean,
  stored: StoredSearchOptions,
): ReadonlyArray<Derived> => {
  const out: Array<Derived> = []
  const exact = internals._index.get(term)
  if (exact !== undefined) out.push({ term, postings: exact, weight: 1 })
  const ratio = fuzzy === true ? 0.2 : fuzzy
  const maxDistance =
    ratio === false ? 0 : ratio < 1 ? Math.min(stored.maxFuzzy, Math.round(term.length * ratio)) : ratio
  const fuzzyMatches = maxDistance ? internals._index.fuzzyGet(term, maxDistance) : undefined
  if (prefix)
    for (const [completion, postings] of internals._index.atPrefix(term)) {
      const distance = completion.length - term.length
      if (!distance) continue
      fuzzyMatches?.delete(completion)
      out.push({
        term: completion,
        postings,
        weight: (stored.weights.prefix * completion.length) / (completion.length + 0.3 * distance),
      })
    }
  if (fuzzyMatches)
    for (const [neighbour, [postings, distance]] of fuzzyMatches) {
      if (!distance) continue
      out.push({
        term: neighbour,
        postings,
        weight: (stored.weights.fuzzy * neighbour.length) / (neighbour.length + distance),
      })
    }
  return out
}

/**
 * The best `limit` documents for `query`, as `MiniSearch.search` with these
 * options would rank them; `undefined` when `mini` lacks the internals read
 * here (then use `MiniSearch.search`).
 */
export const evaluate = (
  /** A MiniSearch 7 instance. */
  mini: object,
  query: string,
  options: EvaluateOptions,
): ReadonlyArray<Evaluated> | undefined => {
  const internals = internalsOf(mini)
  if (internals === undefined) return undefined
  const stored = internals._options.searchOptions
  const terms: Array<string> = []
  for (const token of internals._options.tokenize(query)) {
    const processed = internals._options.processTerm(token)
    if (Array.isArray(processed)) {
      for (const term of processed as ReadonlyArray<string>) if (term) terms.push(term)
    } else if (typeof processed === "string" && processed) terms.push(processed)
  }
  // A mask per document holds the matched query terms: beyond 31 terms, MiniSearch answers.
  if (terms.length === 0) return []
  if (terms.length > 31) return undefined

  const fields = internals._options.fields
  const fieldIds = fields.map((field) => internals._fieldIds[field] as number)
  const boosts = fields.map((field) => (Object.hasOwn(stored.boost ?? {}, field) ? stored.boost?.[field] : 0) || 1)
  const { k, b, d } = stored.bm25
  const documentCount = internals._documentCount
  const size = internals._nextId
  const total = new Float64Array(size)
  const termScore = new Float64Array(size)
  const matched = new Uint32Array(size)
  /** Documents in the order MiniSearch's result map would hold them. */
  let order: Array<number> = []
  const derivedByTerm: Array<ReadonlyArray<Derived>> = []

  for (const [position, term] of terms.entries()) {
    const bit = 1 << position
    const prefixOption = resolve(stored.prefix, term, position, terms)
    const prefix =
      options.prefix && (typeof stored.prefix === "function" ? Boolean(prefixOption) : prefixOption === true)
    const fuzzy = options.fuzzy ? (resolve(stored.fuzzy, term, position, terms) ?? false) : false
    const derived = derive(internals, term, prefix, fuzzy, stored)
    derivedByTerm.push(derived)
    const touched: Array<number> = []
    for (const { term: indexed, postings, weight } of derived)
      for (const [slot, fieldId] of fieldIds.entries()) {
        const fieldPostings = postings.get(fieldId)
        if (fieldPostings === undefined) continue
        const fieldWeight = weight * (boosts[slot] as number)
        const averageLength = internals._avgFieldLength[fieldId] as number
        let matching = fieldPostings.size
        for (const [documentId, frequency] of fieldPostings) {
          // Discarded but not yet vacuumed: cleaned up and no longer counted, as MiniSearch does (later terms see it gone).
          if (!internals._documentIds.has(documentId)) {
            internals.removeTerm(fieldId, documentId, indexed)
            matching -= 1
            continue
          }
          const fieldLength = (internals._fieldLength.get(documentId) as ReadonlyArray<number>)[fieldId] as number
          const idf = Math.log(1 + (documentCount - matching + 0.5) / (matching + 0.5))
          const score =
            fieldWeight *
            (idf * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * fieldLength) / averageLength))))
          if ((matched[documentId] as number) & bit) termScore[documentId] = (termScore[documentId] as number) + score
          else {
            matched[documentId] = (matched[documentId] as number) | bit
            termScore[documentId] = score
            touched.push(documentId)
          }
        }
      }
    // Combine as MiniSearch's `combineResults` does: AND keeps the documents every term reached, in this term's order.
    if (options.combineWith === "and" && position > 0) {
      const all = (bit << 1) - 1
      const kept: Array<number> = []
      for (const documentId of touched)
        if (matched[documentId] === all) {
          total[documentId] = (total[documentId] as number) + (termScore[documentId] as number)
          kept.push(documentId)
        }
      order = kept
    } else {
      for (const documentId of touched) {
        if (position > 0 && (matched[documentId] as number) === bit) order.push(documentId)
        total[documentId] = (total[documentId] as number) + (termScore[documentId] as number)
      }
      if (position === 0) order = touched
    }
    if (options.combineWith === "and" && order.length === 0) return []
  }

  // Best `limit` first; a new entry goes after those with an equal score (MiniSearch's sort is stable).
  const top: Array<{ readonly documentId: number; readonly score: number }> = []
  /** The distinct query terms a document matched (a repeated query term counts once, as in MiniSearch), by mask: few masks, many documents. */
  const distinctByMask = new Map<number, number>()
  const queryTermCount = (mask: number) => {
    const known = distinctByMask.get(mask)
    if (known !== undefined) return known
    const seen = new Set<string>()
    for (const [position, term] of terms.entries()) if (mask & (1 << position)) seen.add(term)
    distinctByMask.set(mask, seen.size)
    return seen.size
  }
  for (const documentId of order) {
    const score = (total[documentId] as number) * (queryTermCount(matched[documentId] as number) || 1)
    if (top.length >= options.limit && !(score > (top[top.length - 1]?.score ?? Number.NEGATIVE_INFINITY))) continue
    if (!options.accept(internals._documentIds.get(documentId) as string)) continue
    let at = top.length
    while (at > 0 && (top[at - 1]?.score ?? 0) < score) at--
    top.splice(at, 0, { documentId, score })
    if (top.length > options.limit) top.pop()
  }

  return top.map(({ documentId, score }) => {
    const mask = matched[documentId] as number
    const queryTerms: Array<string> = []
    const match: Record<string, Array<string>> = {}
    for (const [position, term] of terms.entries()) {
      if (!(mask & (1 << position))) continue
      if (!queryTerms.includes(term)) queryTerms.push(term)
      for (const { term: indexed, postings } of derivedByTerm[position] as ReadonlyArray<Derived>) {
        const inFields: Array<string> = []
        for (const [slot, fieldId] of fieldIds.entries())
          if (postings.get(fieldId)?.has(documentId)) inFields.push(fields[slot] as string)
        // A later query term reaching the same indexed term replaces the entry, as `Object.assign` does in MiniSearch.
        if (inFields.length > 0) match[indexed] = inFields
      }
    }
    return { id: internals._documentIds.get(documentId) as string, score, queryTerms, match }
  })
}
