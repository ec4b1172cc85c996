/**
 * The version history's line diff (ui-components/src/version-history/
 * lineDiff.ts: common prefix and suffix cut, then Myers' O((N+M)·D)
 * search), against a baseline in the same run: the textbook LCS — the full
 * (n+1)×(m+1) table as arrays of numbers — on the same seeded notes. Both
 * must keep as many lines (a longest common subsequence); the diff is
 * computed when a version is chosen, so its goals are a click's response
 * times.
 *
 * - One paragraph rewritten in a 1,000-line note (the usual edit).
 *   Goal: p95 ≤ 5 ms, and faster than the baseline.
 * - Edits near both ends and 20 in between of a 2,000-line note, so no
 *   prefix or suffix helps. Goal: p95 ≤ 20 ms, and faster than the baseline.
 * - The same kind of edits in a 10,000-line note. Goal: p95 ≤ 20 ms. No
 *   baseline (its table would hold 100 million numbers).
 * - Two unrelated 2,000-line texts: past the edit bound (1,000 lines
 *   removed plus added) the diff gives up on minimality and shows the
 *   middle removed then added. Goal: p95 ≤ 100 ms. No baseline.
 *
 * `BENCH_ROUNDS` sets the measured repetitions per case (default 15), after
 * 3 warm-up runs; the sides alternate.
 */
import { performance } from "node:perf_hooks"
import { type DiffLine, defaultMaxEdits, diffLines } from "../../ui-components/src/version-history/lineDiff.js"
import { machine } from "./support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? "15")
const warmUp = 3

const out = (line: string) => process.stdout.write(`${line}\n`)

/** A small seeded generator (mulberry32): the same notes every run. */
const seeded = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

const words =
  "chord scale tempo mix reverb groove verse chorus bridge take vocal bass kick snare pad riff hook lyric key mode".split(
    " ",
  )

/** `count` lines of note-like text (some blank, some list items), from `seed`. */
const note = (count: number, seed: number): Array<string> => {
  const random = seeded(seed)
  return Array.from({ length: count }, (_, index) => {
    if (random() < 0.1) return ""
    const length = 4 + Math.floor(random() * 10)
    const sentence = Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(" ")
    return random() < 0.3 ? `- ${sentence} ${index}` : `${sentence} ${index}.`
  })
}

/** `lines` with each of `at` replaced by an edited line. */
const edited = (lines: ReadonlyArray<string>, at: ReadonlyArray<number>) => {
  const copy = [...lines]
  for (const index of at) copy[index] = `${copy[index] ?? ""} (edited)`
  return copy
}

/** The baseline: the LCS table in full, then the same walk. */
const textbookDiff = (before: ReadonlyArray<string>, after: ReadonlyArray<string>): ReadonlyArray<DiffLine> => {
  const rows = before.length
  const columns = after.length
  const table: Array<Array<number>> = Array.from({ length: rows + 1 }, () => new Array<number>(columns + 1).fill(0))
  for (let i = rows - 1; i >= 0; i--) {
    const row = table[i] as Array<number>
    const below = table[i + 1] as Array<number>
    for (let j = columns - 1; j >= 0; j--)
      row[j] =
        before[i] === after[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number)
  }
  const diff: Array<DiffLine> = []
  let i = 0
  let j = 0
  while (i < rows && j < columns) {
    if (before[i] === after[j]) {
      diff.push({ op: "same", text: before[i] as string })
      i++
      j++
    } else if ((table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0))
      diff.push({ op: "removed", text: before[i++] as string })
    else diff.push({ op: "added", text: after[j++] as string })
  }
  while (i < rows) diff.push({ op: "removed", text: before[i++] as string })
  while (j < columns) diff.push({ op: "added", text: after[j++] as string })
  return diff
}

const kept = (diff: ReadonlyArray<DiffLine>) => diff.filter((line) => line.op === "same").length

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

const time = (run: () => unknown) => {
  const started = performance.now()
  run()
  return performance.now() - started
}

interface Case {
  readonly name: string
  readonly before: ReadonlyArray<string>
  readonly after: ReadonlyArray<string>
  readonly p95GoalMs: number
  /** Whether the baseline runs, and the ratio baseline / ours it must reach. */
  readonly baselineRatioGoal?: number
}

const paragraph = note(1_000, 1)
const rewritten = [...paragraph.slice(0, 500), ...note(6, 2), ...paragraph.slice(505)]
const spread = (count: number, edits: number) => [
  2,
  ...Array.from({ length: edits }, (_, k) => Math.floor(((k + 1) * count) / (edits + 1))),
  count - 3,
]
const medium = note(2_000, 3)
const large = note(10_000, 4)

const cases: ReadonlyArray<Case> = [
  {
    name: "1,000 lines, one paragraph rewritten",
    before: paragraph,
    after: rewritten,
    p95GoalMs: 5,
    baselineRatioGoal: 1,
  },
  {
    name: "2,000 lines, edits at both ends and 20 between",
    before: medium,
    after: edited(medium, spread(2_000, 20)),
    p95GoalMs: 20,
    baselineRatioGoal: 1,
  },
  { name: "10,000 lines, the same", before: large, after: edited(large, spread(10_000, 20)), p95GoalMs: 20 },
  { name: "2,000 lines against 2,000 others (past the bound)", before: medium, after: note(2_000, 5), p95GoalMs: 100 },
]

out(`Line diff — ${machine()}`)
out(
  `${rounds} measured runs per side and case after ${warmUp} warm-up runs; edit bound ${defaultMaxEdits.toLocaleString("en")} lines.`,
)
let met = true
for (const testCase of cases) {
  const { before, after } = testCase
  const withBaseline = testCase.baselineRatioGoal !== undefined
  const ours: Array<number> = []
  const baseline: Array<number> = []
  let oursKept = 0
  let baselineKept = 0
  for (let run = 0; run < warmUp + rounds; run++) {
    // Alternate which side goes first, so neither always runs on a warmer heap.
    const sides = run % 2 === 0 ? (["ours", "baseline"] as const) : (["baseline", "ours"] as const)
    for (const side of sides) {
      if (side === "ours") {
        const elapsed = time(() => {
          oursKept = kept(diffLines(before, after))
        })
        if (run >= warmUp) ours.push(elapsed)
      } else if (withBaseline) {
        const elapsed = time(() => {
          baselineKept = kept(textbookDiff(before, after))
        })
        if (run >= warmUp) baseline.push(elapsed)
      }
    }
  }
  const p50 = percentile(ours, 50)
  const p95 = percentile(ours, 95)
  out("")
  out(testCase.name)
  out(`  ours:     p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, ${oursKept.toLocaleString("en")} lines kept`)
  let caseMet = p95 <= testCase.p95GoalMs
  if (withBaseline) {
    const baseP50 = percentile(baseline, 50)
    const ratio = baseP50 / p50
    out(
      `  baseline: p50 ${baseP50.toFixed(2)} ms, p95 ${percentile(baseline, 95).toFixed(2)} ms, ${baselineKept.toLocaleString("en")} lines kept`,
    )
    out(`  ratio baseline / ours (p50): ${ratio.toFixed(1)}×`)
    const sameLength = oursKept === baselineKept
    if (!sameLength) out("  ours and the baseline keep different numbers of lines: not a longest common subsequence")
    caseMet = caseMet && sameLength && ratio >= (testCase.baselineRatioGoal ?? 0)
    out(
      `  goal: p95 ≤ ${testCase.p95GoalMs} ms and ratio ≥ ${testCase.baselineRatioGoal} — ${caseMet ? "met" : "NOT met"}`,
    )
  } else out(`  goal: p95 ≤ ${testCase.p95GoalMs} ms — ${caseMet ? "met" : "NOT met"}`)
  met = met && caseMet
}
out("")
out(met ? "All goals met." : "Some goals were not met.")
process.exit(met ? 0 : 1)
