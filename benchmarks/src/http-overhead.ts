/**
 * HTTP overhead: requests per second of Ignition's `GET /health` (the whole
 * middleware stack: request id, access log, security headers, CORS, body
 * limit, error mapping, HttpApi routing and encoding) against a bare
 * `node:http` server answering the same JSON. Both run in their own process,
 * one at a time, driven by autocannon from this process; rounds alternate and
 * the median of each side is compared. Goal: ratio ≥ 0.6. A minimal
 * `@effect/platform` server is measured too, as a reference for how much of
 * the overhead is the platform's.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type Measurement, machine, measure, median, type RunningServer, startServer } from "./support.js"

const goal = 0.6
const seconds = Number(process.env.BENCH_SECONDS ?? "10")
const rounds = Number(process.env.BENCH_ROUNDS ?? "3")
const connections = Number(process.env.BENCH_CONNECTIONS ?? "32")

const portLine = (line: string) => {
  try {
    return (JSON.parse(line) as { port?: number }).port
  } catch {
    return undefined
  }
}

const startBaseline = () => startServer("node:http", ["benchmarks/src/raw-health-server.ts"], {}, portLine)

const startEffectFloor = () => startServer("effect floor", ["benchmarks/src/effect-floor-server.ts"], {}, portLine)

const startIgnition = (dataDir: string) =>
  startServer("ignition", ["apps/server/src/main.ts"], { PORT: "0", IGNITION_DATA_DIR: dataDir }, (line) => {
    const match = /Ignition is listening on http:\/\/[^:]+:(\d+)/.exec(line)
    return match?.[1] === undefined ? undefined : Number(match[1])
  })

const run = async (start: () => Promise<RunningServer>): Promise<Measurement> => {
  const server = await start()
  try {
    const url = `http://127.0.0.1:${server.port}/health`
    await measure(url, { seconds: Math.min(3, seconds), connections }) // warm-up: JIT, pools
    return await measure(url, { seconds, connections })
  } finally {
    await server.stop()
  }
}

const format = (m: Measurement) =>
  `${m.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  errors ${m.errors}  non-2xx ${m.non2xx}`

const main = async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ignition-bench-"))
  const baseline: Array<Measurement> = []
  const floor: Array<Measurement> = []
  const ignition: Array<Measurement> = []
  try {
    for (let round = 1; round <= rounds; round++) {
      const b = await run(startBaseline)
      baseline.push(b)
      process.stdout.write(`round ${round} node:http ${format(b)}\n`)
      const f = await run(startEffectFloor)
      floor.push(f)
      process.stdout.write(`round ${round} floor     ${format(f)}\n`)
      const i = await run(() => startIgnition(dataDir))
      ignition.push(i)
      process.stdout.write(`round ${round} ignition  ${format(i)}\n`)
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  const failures = [...baseline, ...floor, ...ignition].reduce((n, m) => n + m.errors + m.non2xx, 0)
  const baselineRps = median(baseline.map((m) => m.requestsPerSecond))
  const floorRps = median(floor.map((m) => m.requestsPerSecond))
  const ignitionRps = median(ignition.map((m) => m.requestsPerSecond))
  const ratio = ignitionRps / baselineRps
  process.stdout.write(
    [
      "",
      "HTTP overhead: GET /health",
      `machine:   ${machine()}`,
      `load:      autocannon, ${connections} connections, ${seconds} s per measurement, ${rounds} rounds`,
      `node:http  median ${baselineRps.toFixed(0)} req/s`,
      `reference  median ${floorRps.toFixed(0)} req/s: minimal @effect/platform server, ratio ${(floorRps / baselineRps).toFixed(3)}`,
      `ignition   median ${ignitionRps.toFixed(0)} req/s`,
      `ratio      ${ratio.toFixed(3)} (goal ≥ ${goal}) ${ratio >= goal ? "PASS" : "FAIL"}`,
      "",
    ].join("\n"),
  )
  if (failures > 0) {
    process.stdout.write(`${failures} failed requests: the measurement is not valid\n`)
    process.exitCode = 1
  } else if (ratio < goal) {
    process.exitCode = 1
  }
}

await main()
