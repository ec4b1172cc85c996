/**
 * Realtime pokes: how long after a write its user's connected clients hear
 * of it, with 1,000 realtime clients connected on loopback.
 *
 * Ten users share the 1,000 `/api/sync/realtime` streams: the target user
 * holds one, the other nine 111 each. Each round is one real write
 * (`POST /api/sync/push`, a settings change) at a time:
 *
 * - "one client": the target pushes and its one stream is poked;
 * - "111 clients": a busy user pushes and all of its 111 streams are poked
 *   (the time is the last one's).
 *
 * The two cases take turns. Poke latency is measured from the push's answer
 * (which leaves after the commit that sends the poke) to the poke's arrival,
 * against a bare `GET /health` round trip in the same run (ratio of p99s);
 * and from sending the push to the poke, against the push's own round trip.
 * Goal: poke p99 < 50 ms. The server runs on embedded PGlite (in-process
 * fan-out) unless BENCH_DATABASE_URL names an empty PostgreSQL database
 * (LISTEN/NOTIFY fan-out).
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as http from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { machine, type RunningServer, startServer } from "./support.js"

const clients = Number(process.env.BENCH_CLIENTS ?? "1000")
const users = 10
const writes = Number(process.env.BENCH_WRITES ?? "200")
const warmup = 20
const password = "correct-horse-battery-staple-42"

const out = (line: string) => process.stdout.write(`${line}\n`)

const startIgnition = (dataDir: string) =>
  startServer(
    "ignition",
    ["apps/server/src/main.ts"],
    {
      PORT: "0",
      IGNITION_DATA_DIR: dataDir,
      TRUST_PROXY: "true",
      DATABASE_URL: process.env.BENCH_DATABASE_URL ?? "",
    },
    (line) => {
      const match = /Ignition is listening on http:\/\/[^:]+:(\d+)/.exec(line)
      return match?.[1] === undefined ? undefined : Number(match[1])
    },
  )

/** Each sign-up from an address of its own (the per-address limit is not what is measured). */
const address = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${((randomBytes(1)[0] ?? 0) % 250) + 1}`

const signUp = async (baseUrl: string): Promise<string> => {
  const response = await fetch(`${baseUrl}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address() },
    body: JSON.stringify({
      email: `bench-${randomBytes(4).toString("hex")}@example.com`,
      password,
      displayName: "Bench",
      birthYear: 1990,
      acceptTerms: true,
    }),
  })
  const cookie = /ignition_session=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1]
  if (response.status !== 201 || cookie === undefined) throw new Error(`sign-up failed: ${response.status}`)
  return `ignition_session=${cookie}`
}

interface Stream {
  /** Resolves with the arrival time of the next poke. */
  nextPoke: () => Promise<number>
  close: () => void
}

/** One realtime stream over its own socket, reading only whether a `poke` event arrived. */
const openStream = (port: number, cookie: string): Promise<Stream> =>
  new Promise((resolve, reject) => {
    let waiting: ((at: number) => void) | undefined
    let pokesSeen = 0
    let text = ""
    const request = http.get(
      { host: "127.0.0.1", port, path: "/api/sync/realtime", headers: { cookie }, agent: false },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`realtime answered ${response.statusCode}`))
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => {
          const at = performance.now()
          text += chunk
          for (let end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
            const block = text.slice(0, end)
            text = text.slice(end + 2)
            if (!block.startsWith("event: poke")) continue
            pokesSeen += 1
            // The first poke is the one every connection starts with.
            if (pokesSeen === 1) resolve(stream)
            else {
              waiting?.(at)
              waiting = undefined
            }
          }
        })
      },
    )
    request.on("error", reject)
    const stream: Stream = {
      nextPoke: () => new Promise((done) => (waiting = done)),
      close: () => request.destroy(),
    }
  })

const push = async (baseUrl: string, cookie: string, mutationSeq: number, theme: string) => {
  const response = await fetch(`${baseUrl}/api/sync/push`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: baseUrl },
    body: JSON.stringify({
      protocolVersion: 1,
      clientId: "bench",
      mutations: [
        {
          mutationSeq,
          mutationId: `m${mutationSeq}`,
          entity: "settings",
          op: "set",
          args: { id: "settings", fields: { theme } },
        },
      ],
    }),
  })
  const body = (await response.json()) as { results?: ReadonlyArray<{ _tag: string }> }
  if (response.status !== 200 || body.results?.[0]?._tag !== "applied") {
    throw new Error(`push failed: ${response.status} ${JSON.stringify(body)}`)
  }
}

const percentile = (samples: ReadonlyArray<number>, p: number) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN
}

interface Latencies {
  /** From sending the write to the last poke arriving. */
  readonly writeToPoke: Array<number>
  /** From the write's answer (sent after its commit) to the last poke arriving; negative when the poke came first. */
  readonly answerToPoke: Array<number>
  /** The write's own round trip. */
  readonly push: Array<number>
}

interface Writer {
  readonly cookie: string
  readonly streams: ReadonlyArray<Stream>
  readonly latencies: Latencies
  mutationSeq: number
}

const writer = (cookie: string, streams: ReadonlyArray<Stream>): Writer => ({
  cookie,
  streams,
  latencies: { writeToPoke: [], answerToPoke: [], push: [] },
  mutationSeq: 0,
})

/** One write by `w`, waiting for every one of its streams to be poked. */
const write = async (baseUrl: string, w: Writer, theme: string, record: boolean) => {
  const heard = Promise.all(w.streams.map((stream) => stream.nextPoke()))
  const sent = performance.now()
  w.mutationSeq += 1
  await push(baseUrl, w.cookie, w.mutationSeq, theme)
  const answered = performance.now()
  const last = Math.max(...(await heard))
  if (record) {
    w.latencies.writeToPoke.push(last - sent)
    w.latencies.answerToPoke.push(last - answered)
    w.latencies.push.push(answered - sent)
  }
}

const healthRoundTrips = async (baseUrl: string) => {
  const samples: Array<number> = []
  for (let i = 0; i < warmup + writes; i++) {
    const sent = performance.now()
    const response = await fetch(`${baseUrl}/health`)
    await response.arrayBuffer()
    if (i >= warmup) samples.push(performance.now() - sent)
  }
  return samples
}

const ms = (value: number) => `${value.toFixed(1)} ms`

const main = async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ignition-bench-sync-poke-"))
  let server: RunningServer | undefined
  const streams: Array<Stream> = []
  try {
    server = await startIgnition(dataDir)
    const baseUrl = `http://127.0.0.1:${server.port}`
    const port = server.port
    const cookies: Array<string> = []
    for (let i = 0; i < users; i++) cookies.push(await signUp(baseUrl))
    const [targetCookie, busyCookie] = cookies
    if (targetCookie === undefined || busyCookie === undefined) throw new Error("no users")
    const target = await openStream(port, targetCookie)
    streams.push(target)
    const busyStreams: Array<Stream> = []
    // The other users' streams, opened 50 at a time.
    for (let opened = 1; opened < clients; ) {
      const batch = Math.min(50, clients - opened)
      const next = await Promise.all(
        Array.from({ length: batch }, (_, k) => openStream(port, cookies[1 + ((opened + k) % (users - 1))] ?? "")),
      )
      next.forEach((stream, k) => {
        streams.push(stream)
        if (1 + ((opened + k) % (users - 1)) === 1) busyStreams.push(stream)
      })
      opened += batch
    }
    out(`${streams.length} realtime clients connected (${busyStreams.length} of them the busy user's)`)

    const health = await healthRoundTrips(baseUrl)
    const one = writer(targetCookie, [target])
    const many = writer(busyCookie, busyStreams)
    // The two cases take turns, so a change in the machine's load falls on both.
    for (let i = 0; i < warmup + writes; i++) {
      for (const w of [one, many]) await write(baseUrl, w, i % 2 === 0 ? "dark" : "light", i >= warmup)
    }
    const healthP99 = percentile(health, 0.99)

    out("")
    out("Realtime pokes")
    out(`machine:   ${machine()}`)
    out(`database:  ${process.env.BENCH_DATABASE_URL ? "PostgreSQL (LISTEN/NOTIFY)" : "embedded PGlite (in process)"}`)
    out(`clients:   ${streams.length} connected, ${writes} writes per case, one at a time`)
    out(`GET /health round trip      p50 ${ms(percentile(health, 0.5))}, p99 ${ms(healthP99)}`)
    for (const [name, w] of [
      ["one client", one],
      [`${busyStreams.length} clients`, many],
    ] as const) {
      const { writeToPoke, answerToPoke, push: pushes } = w.latencies
      const delayP99 = percentile(answerToPoke, 0.99)
      out(
        `${name.padEnd(11)} answer → poke p50 ${ms(percentile(answerToPoke, 0.5))}, p99 ${ms(delayP99)} ` +
          `(${delayP99 < 50 ? "goal p99 < 50 ms met" : "goal p99 < 50 ms NOT met"}; ratio to /health p99 ${(delayP99 / healthP99).toFixed(2)}); ` +
          `write → poke p50 ${ms(percentile(writeToPoke, 0.5))}, p99 ${ms(percentile(writeToPoke, 0.99))} ` +
          `vs the push's round trip p50 ${ms(percentile(pushes, 0.5))}, p99 ${ms(percentile(pushes, 0.99))} ` +
          `(ratio of p99s ${(percentile(writeToPoke, 0.99) / percentile(pushes, 0.99)).toFixed(2)})`,
      )
    }
  } finally {
    for (const stream of streams) stream.close()
    await server?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
