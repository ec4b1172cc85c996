/**
 * A line diff between two versions of a note: a longest common subsequence
 * of their lines kept, the rest marked removed or added.
 *
 * Written here rather than taken from a diff library: this is the only diff
 * the UI needs (whole lines, two texts a person wrote), it is a few dozen
 * lines, pure and property-tested (test/lineDiff.test.ts), and a package
 * would be one more dependency to install, audit and ship for it.
 *
 * The common prefix and suffix are cut first (an edit usually touches one
 * place), then the middle gets Myers' O((N+M)·D) greedy search for the
 * shortest edit script — D being the lines removed plus added — whose kept
 * lines are a longest common subsequence. Two versions of a note differ by
 * few lines, so this stays fast however long the note. Past
 * {@link defaultMaxEdits} the middle is shown as removed then added — still
 * exact, no longer minimal — rather than search on (its trace grows as D²).
 */

export interface DiffLine {
  readonly op: "same" | "removed" | "added"
  readonly text: string
}

/** What the diff shows: changed lines with some unchanged ones around them, and how many unchanged were left out. */
export type DiffChunk =
  | { readonly _tag: "Shown"; readonly lines: ReadonlyArray<DiffLine> }
  | { readonly _tag: "Hidden"; readonly count: number }

/** 1,000 lines removed plus added: a trace of 4 MB at most, tens of milliseconds. */
export const defaultMaxEdits = 1_000

/** A text's lines (`\n`, `\r\n` or `\r`); an empty text has none. */
export const linesOf = (text: string): ReadonlyArray<string> => (text === "" ? [] : text.split(/\r\n|\n|\r/))

const lines = (op: DiffLine["op"], texts: ReadonlyArray<string>): ReadonlyArray<DiffLine> =>
  texts.map((text) => ({ op, text }))

/**
 * Walks the search's trace back from the end: `trace[d]` holds, for each
 * diagonal k in −d…d (at index k + d), how far along `before` the paths with
 * d − 1 edits reached — what step d started from.
 */
const backtrack = (
  before: ReadonlyArray<string>,
  after: ReadonlyArray<string>,
  trace: ReadonlyArray<Int32Array>,
): ReadonlyArray<DiffLine> => {
  const reversed: Array<DiffLine> = []
  let x = before.length
  let y = after.length
  for (let d = trace.length - 1; d > 0; d--) {
    const reached = trace[d] as Int32Array
    const at = (k: number) => reached[k + d] ?? 0
    const k = x - y
    // The step into diagonal k came down from k + 1 (a line added) or across from k − 1 (a line removed).
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const fromK = down ? k + 1 : k - 1
    const fromX = at(fromK)
    const stepX = down ? fromX : fromX + 1
    for (; x > stepX; x--, y--) reversed.push({ op: "same", text: before[x - 1] ?? "" })
    if (down) reversed.push({ op: "added", text: after[--y] ?? "" })
    else reversed.push({ op: "removed", text: before[--x] ?? "" })
  }
  for (; x > 0; x--) reversed.push({ op: "same", text: before[x - 1] ?? "" })
  return reversed.reverse()
}

/** The diff of the two middles: Myers' search, up to `maxEdits` lines removed plus added. */
const middleDiff = (
  before: ReadonlyArray<string>,
  after: ReadonlyArray<string>,
  maxEdits: number,
): ReadonlyArray<DiffLine> => {
  const rows = before.length
  const columns = after.length
  const limit = Math.min(maxEdits, rows + columns)
  if (rows > 0 && columns > 0) {
    const offset = limit + 1
    // furthest[k + offset]: how far along `before` the best path on diagonal k (x − y) has reached.
    const furthest = new Int32Array(2 * limit + 3)
    const trace: Array<Int32Array> = []
    for (let d = 0; d <= limit; d++) {
      trace.push(furthest.slice(offset - d, offset + d + 1))
      for (let k = -d; k <= d; k += 2) {
        const down = k === -d || (k !== d && (furthest[offset + k - 1] ?? 0) < (furthest[offset + k + 1] ?? 0))
        let x = down ? (furthest[offset + k + 1] ?? 0) : (furthest[offset + k - 1] ?? 0) + 1
        let y = x - k
        while (x < rows && y < columns && before[x] === after[y]) {
          x++
          y++
        }
        furthest[offset + k] = x
        if (x >= rows && y >= columns) return backtrack(before, after, trace)
      }
    }
  }
  return [...lines("removed", before), ...lines("added", after)]
}

/** The lines of `before` and `after` as kept, removed and added, in reading order. */
export const diffLines = (
  before: ReadonlyArray<string>,
  after: ReadonlyArray<string>,
  maxEdits: number = defaultMaxEdits,
): ReadonlyArray<DiffLine> => {
  const shortest = Math.min(before.length, after.length)
  let prefix = 0
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++
  let suffix = 0
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++
  return [
    ...lines("same", before.slice(0, prefix)),
    ...middleDiff(before.slice(prefix, before.length - suffix), after.slice(prefix, after.length - suffix), maxEdits),
    ...lines("same", before.slice(before.length - suffix)),
  ]
}

/** The line diff of two texts. */
export const lineDiff = (before: string, after: string): ReadonlyArray<DiffLine> =>
  diffLines(linesOf(before), linesOf(after))

/** The diff with only `context` unchanged lines kept on each side of a change; longer unchanged runs are counted. */
export const withContext = (diff: ReadonlyArray<DiffLine>, context: number): ReadonlyArray<DiffChunk> => {
  const near = new Array<boolean>(diff.length).fill(false)
  diff.forEach((line, index) => {
    if (line.op === "same") return
    for (let k = Math.max(0, index - context); k <= Math.min(diff.length - 1, index + context); k++) near[k] = true
  })
  const chunks: Array<{ _tag: "Shown"; lines: Array<DiffLine> } | { _tag: "Hidden"; count: number }> = []
  for (const [index, line] of diff.entries()) {
    const last = chunks[chunks.length - 1]
    if (near[index] === true) {
      if (last?._tag === "Shown") last.lines.push(line)
      else chunks.push({ _tag: "Shown", lines: [line] })
    } else if (last?._tag === "Hidden") last.count++
    else chunks.push({ _tag: "Hidden", count: 1 })
  }
  return chunks
}
