/**
 * Accounts: what sign-in costs at the chosen Argon2id parameters, and what
 * an authenticated request costs next to an anonymous one.
 *
 * - Argon2id hashes/s through the server's worker pool (`Passwords`), next
 *   to one hash at a time on this thread (the baseline the pool must beat).
 * - p50/p95 latency of `POST /api/auth/login` against a running server.
 * - requests/s of `GET /api/auth/session` (cookie → session lookup → user
 *   with roles) against `GET /health` in the same run, and their ratio.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Redacted } from "effect"
import { argon2id } from "hash-wasm"
import { Passwords, parameters } from "../../apps/server/src/Auth/Passwords.js"
import { machine, measure, median, type RunningServer, startServer } from "./support.js"

const seconds = Number(process.env.BENCH_SECONDS ?? "8")
const rounds = Number(process.env.BENCH_ROUNDS ?? "2")
const connections = Number(process.env.BENCH_CONNECTIONS ?? "32")
const password = "correct-horse-battery-staple-42"

const out = (line: string) => process.stdout.write(`${line}\n`)

const hashesPerSecond = async () => {
  const single = 8
  let started = performance.now()
  for (let i = 0; i < single; i++) {
    await argon2id({
      password,
      salt: randomBytes(16),
      parallelism: parameters.parallelism,
      iterations: parameters.iterations,
      memorySize: parameters.memoryKiB,
      hashLength: 32,
      outputType: "encoded",
    })
  }
  const direct = single / ((performance.now() - started) / 1000)
  const pooled = await Effect.runPromise(
    Effect.gen(function* () {
      const passwords = yield* Passwords
      const batch = 24
      started = performance.now()
      yield* Effect.forEach(
        Array.from({ length: batch }, () => Redacted.make(password)),
        (secret) => passwords.hash(secret),
        { concurrency: "unbounded" },
      )
      return batch / ((performance.now() - started) / 1000)
    }).pipe(Effect.provide(Passwords.layer)),
  )
  return { direct, pooled }
}

const startIgnition = (dataDir: string) =>
  startServer(
    "ignition",
    ["apps/server/src/main.ts"],
    { PORT: "0", IGNITION_DATA_DIR: dataDir, TRUST_PROXY: "true" },
    (line) => {
      const match = /Ignition is listening on http:\/\/[^:]+:(\d+)/.exec(line)
      return match?.[1] === undefined ? undefined : Number(match[1])
    },
  )

/** Each sign-in from an address of its own, as from many users (the per-address limit is not what is measured). */
const address = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${((randomBytes(1)[0] ?? 0) % 250) + 1}`

const signUp = async (baseUrl: string) => {
  const email = `bench-${randomBytes(4).toString("hex")}@example.com`
  const response = await fetch(`${baseUrl}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address() },
    body: JSON.stringify({ email, password, displayName: "Bench", birthYear: 1990, acceptTerms: true }),
  })
  const cookie = /ignition_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1]
  if (response.status !== 201 || cookie === undefined) throw new Error(`sign-up failed: ${response.status}`)
  return { email, cookie }
}

const signInLatency = async (baseUrl: string, email: string) => {
  const samples: Array<number> = []
  for (let i = 0; i < 30; i++) {
    const started = performance.now()
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address() },
      body: JSON.stringify({ email, password }),
    })
    await response.arrayBuffer()
    if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`)
    samples.push(performance.now() - started)
  }
  samples.sort((a, b) => a - b)
  return { p50: median(samples), p95: samples[Math.floor(samples.length * 0.95)] ?? Number.NaN }
}

const main = async () => {
  const hashing = await hashesPerSecond()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ignition-bench-auth-"))
  let server: RunningServer | undefined
  try {
    server = await startIgnition(dataDir)
    const baseUrl = `http://127.0.0.1:${server.port}`
    const { email, cookie } = await signUp(baseUrl)
    const latency = await signInLatency(baseUrl, email)
    const health: Array<number> = []
    const session: Array<number> = []
    let failures = 0
    for (let round = 1; round <= rounds; round++) {
      await measure(`${baseUrl}/health`, { seconds: Math.min(3, seconds), connections })
      const h = await measure(`${baseUrl}/health`, { seconds, connections })
      const s = await measure(`${baseUrl}/api/auth/session`, {
        seconds,
        connections,
        headers: { cookie: `ignition_session=${cookie}` },
      })
      failures += h.errors + h.non2xx + s.errors + s.non2xx
      health.push(h.requestsPerSecond)
      session.push(s.requestsPerSecond)
      out(
        `round ${round} /health ${h.requestsPerSecond.toFixed(0)} req/s, /api/auth/session ${s.requestsPerSecond.toFixed(0)} req/s`,
      )
    }
    const ratio = median(session) / median(health)
    out("")
    out("Accounts")
    out(`machine:   ${machine()}`)
    out(`argon2id   m=${parameters.memoryKiB} KiB t=${parameters.iterations} p=${parameters.parallelism}`)
    out(
      `           ${hashing.pooled.toFixed(1)} hashes/s through the worker pool; ${hashing.direct.toFixed(1)} hashes/s one at a time on one thread (ratio ${(hashing.pooled / hashing.direct).toFixed(2)})`,
    )
    out(
      `sign-in    p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms (POST /api/auth/login, 30 sequential)`,
    )
    out(
      `session    median ${median(session).toFixed(0)} req/s vs /health ${median(health).toFixed(0)} req/s: ratio ${ratio.toFixed(3)}`,
    )
    if (failures > 0) {
      out(`${failures} failed requests: the measurement is not valid`)
      process.exitCode = 1
    }
  } finally {
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
