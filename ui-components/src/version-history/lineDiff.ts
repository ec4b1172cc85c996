/**
 * A line diff between two versions of a note: the longest common
 * subsequence of their lines kept, the rest marked removed or added.
 *
 * Written here rather than taken from a diff library: this is the only diff
 * the UI needs (whole lines, two texts a person wrote), it is a few dozen
 * lines, pure and property-tested (test/lineDiff.test.ts), and a package
 * would be one more dependency to install, audit and ship for it.
 *
 * The common prefix and suffix are cut first (an edit usually touches one
 * place), then the middle gets the textbook dynamic programme. Its table is
 * bounded: past {@link defaultMaxCells} cells the middle is shown as removed
 * then added — still exact, no longer minimal — instead of holding a large
 * table in memory for one click.
 */

export interface DiffLine {
  readonly op: "same" | "removed" | "added"
  readonly text: string
}

/** What the diff shows: changed lines with some unchanged ones around them, and how many unchanged were left out. */
export type DiffChunk =
  | { readonly _tag: "Shown"; readonly lines: ReadonlyArray<DiffLine> }
  | { readonly _tag: "Hidden"; readonly count: number }

/** 4 million cells: 8 MB of table, a few milliseconds. */
export const defaultMaxCells = 4_000_000

/** A text's lines (`\n`, `\r\n` or `\r`); an empty text has none. */
export const linesOf = (text: string): ReadonlyArray<string> => (text === "" ? [] : text.split(/\r\n|\n|\r/))

const lines = (op: DiffLine["op"], texts: ReadonlyArray<string>): ReadonlyArray<DiffLine> =>
  texts.map((text) => ({ op, text }))

/** The diff of the two middles, by the longest common subsequence of their lines. */
const middleDiff = (
  before: ReadonlyArray<string>,
  after: ReadonlyArray<string>,
  maxCells: number,
): ReadonlyArray<DiffLine> => {
  const rows = before.length
  const columns = after.length
  if (rows === 0 || columns === 0 || (rows + 1) * (columns + 1) > maxCells)
    return [...lines("removed", before), ...lines("added", after)]
  const width = columns + 1
  // common[i * width + j]: the LCS length of before[i..] and after[j..]. It is at most min(rows, columns),
  // which the cell bound keeps below 2^16 unless the caller raises it.
  const common =
    Math.min(rows, columns) < 0xffff ? new Uint16Array((rows + 1) * width) : new Uint32Array((rows + 1) * width)
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      common[i * width + j] =
        before[i] === after[j]
          ? (common[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(common[(i + 1) * width + j] ?? 0, common[i * width + j + 1] ?? 0)
    }
  }
  const diff: Array<DiffLine> = []
  let i = 0
  let j = 0
  while (i < rows && j < columns) {
    const line = before[i] ?? ""
    if (line === after[j]) {
      diff.push({ op: "same", text: line })
      i++
      j++
    } else if ((common[(i + 1) * width + j] ?? 0) >= (common[i * width + j + 1] ?? 0)) {
      // Removals before additions where both keep the subsequence as long: a replaced line reads old, then new.
      diff.push({ op: "removed", text: line })
      i++
    } else {
      diff.push({ op: "added", text: after[j] ?? "" })
      j++
    }
  }
  return [...diff, ...lines("removed", before.slice(i)), ...lines("added", after.slice(j))]
}

/** The lines of `before` and `after` as kept, removed and added, in reading order. */
export const diffLines = (
  before: ReadonlyArray<string>,
  after: ReadonlyArray<string>,
  maxCells: number = defaultMaxCells,
): ReadonlyArray<DiffLine> => {
  const shortest = Math.min(before.length, after.length)
  let prefix = 0
  while (prefix < shortest && before[prefix] === after[prefix]) prefix++
  let suffix = 0
  while (suffix < shortest - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++
  return [
    ...lines("same", before.slice(0, prefix)),
    ...middleDiff(before.slice(prefix, before.length - suffix), after.slice(prefix, after.length - suffix), maxCells),
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
