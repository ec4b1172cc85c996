/**
 * A small fuzzy matcher for short candidates (command labels): the query must
 * be a subsequence of the candidate, compared case-insensitively character by
 * character; among all the ways it can match, the best-scoring one is chosen
 * (dynamic programming over query × candidate, linear in the candidate's
 * length per query character).
 *
 * Scoring: every matched character earns a base score plus a bonus — the
 * largest for the candidate's first character and for a character that
 * directly follows the previous match (a consecutive run), a little less for
 * a word start (after a space or punctuation), less again for a camelCase or
 * letter→digit boundary. Gaps between matched characters cost a penalty
 * (more to open one than to extend it), and so do characters skipped before
 * the first match (capped). No bonus can exceed the run and first-character
 * bonuses, so an exact prefix always outscores a match with a gap.
 *
 * Positions index the candidate's code points (`Array.from(candidate)`), so
 * characters outside the Basic Multilingual Plane count as one.
 */

/** One way a query matched a candidate. */
export interface FuzzyScore {
  readonly score: number
  /** The matched characters' indexes in `Array.from(candidate)`, increasing. */
  readonly positions: ReadonlyArray<number>
}

/** A ranked match of an item. */
export interface FuzzyMatch<T> extends FuzzyScore {
  readonly item: T
}

const scoreMatch = 16
const bonusFirst = 12
const bonusConsecutive = 12
const bonusWordStart = 10
const bonusCamel = 8
const penaltyGapStart = 3
const penaltyGapExtension = 1
const maxLeadingPenalty = 3

/** How two characters compare: each is lower-cased on its own. */
export const fold = (char: string): string => char.toLowerCase()

const letterOrDigit = /[\p{L}\p{N}]/u
const lower = /\p{Ll}/u
const upper = /\p{Lu}/u
const digit = /\p{N}/u
const letter = /\p{L}/u

/** The bonus for a match at `index`, from where it sits in a word. */
const boundaryBonus = (chars: ReadonlyArray<string>, index: number): number => {
  if (index === 0) return bonusFirst
  const previous = chars[index - 1] ?? ""
  const current = chars[index] ?? ""
  if (!letterOrDigit.test(previous)) return letterOrDigit.test(current) ? bonusWordStart : 0
  if (lower.test(previous) && upper.test(current)) return bonusCamel
  if (letter.test(previous) && digit.test(current)) return bonusCamel
  return 0
}

const isSubsequence = (query: ReadonlyArray<string>, candidate: ReadonlyArray<string>): boolean => {
  let q = 0
  for (let c = 0; c < candidate.length && q < query.length; c++) if (candidate[c] === query[q]) q++
  return q === query.length
}

/**
 * Score `candidate` against `query`; `undefined` when the query is not a
 * (case-insensitive) subsequence of it. The empty query matches everything
 * with score 0 and no positions.
 */
export const fuzzyScore = (query: string, candidate: string): FuzzyScore | undefined => {
  const q = Array.from(query, fold)
  if (q.length === 0) return { score: 0, positions: [] }
  const original = Array.from(candidate)
  const c = original.map(fold)
  const m = q.length
  const n = c.length
  if (m > n || !isSubsequence(q, c)) return undefined

  const bonus = original.map((_, index) => boundaryBonus(original, index))
  const none = Number.NEGATIVE_INFINITY
  // best[i][j]: the best score with q[0..i] matched and q[i] at c[j]; from[i][j]: where q[i-1] sat.
  const best: Array<Float64Array> = []
  const from: Array<Int32Array> = []
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(n).fill(none)
    const back = new Int32Array(n).fill(-1)
    const previous = i === 0 ? undefined : best[i - 1]
    // The best predecessor at least two characters back, with its gap's extension folded in:
    // value(k) = best[i-1][k] + penaltyGapExtension * k, so the gap j-k-1 costs start + extension * (j-k-2).
    let runningValue = none
    let runningIndex = -1
    for (let j = i; j < n; j++) {
      if (previous !== undefined && j >= 2) {
        const k = j - 2
        const candidateValue = (previous[k] ?? none) + penaltyGapExtension * k
        if (candidateValue > runningValue) {
          runningValue = candidateValue
          runningIndex = k
        }
      }
      if (c[j] !== q[i]) continue
      const own = bonus[j] ?? 0
      if (previous === undefined) {
        row[j] = scoreMatch + own - Math.min(j, maxLeadingPenalty)
        continue
      }
      const adjacent = j >= 1 ? (previous[j - 1] ?? none) : none
      const viaRun = adjacent + scoreMatch + Math.max(bonusConsecutive, own)
      const viaGap = runningValue - penaltyGapStart - penaltyGapExtension * (j - 2) + scoreMatch + own
      if (viaRun === none && viaGap === none) continue
      if (viaRun >= viaGap) {
        row[j] = viaRun
        back[j] = j - 1
      } else {
        row[j] = viaGap
        back[j] = runningIndex
      }
    }
    best.push(row)
    from.push(back)
  }

  const last = best[m - 1] ?? new Float64Array(0)
  let end = -1
  let score = none
  for (let j = 0; j < n; j++) {
    const value = last[j] ?? none
    if (value > score) {
      score = value
      end = j
    }
  }
  if (end < 0) return undefined
  const positions = new Array<number>(m)
  for (let i = m - 1, j = end; i >= 0; i--) {
    positions[i] = j
    j = from[i]?.[j] ?? -1
  }
  return { score, positions }
}

/**
 * The items whose text matches `query`, best first; ties go to the shorter
 * text, then to the earlier item.
 */
export const fuzzyFilter = <T>(
  query: string,
  items: ReadonlyArray<T>,
  text: (item: T) => string,
): Array<FuzzyMatch<T>> => {
  const matches: Array<FuzzyMatch<T> & { readonly length: number; readonly order: number }> = []
  items.forEach((item, order) => {
    const candidate = text(item)
    const result = fuzzyScore(query, candidate)
    if (result !== undefined) matches.push({ item, ...result, length: Array.from(candidate).length, order })
  })
  matches.sort((a, b) => b.score - a.score || a.length - b.length || a.order - b.order)
  return matches.map(({ item, score, positions }) => ({ item, score, positions }))
}
