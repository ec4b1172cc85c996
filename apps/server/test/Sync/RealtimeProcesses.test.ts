/**
 * Two real server processes on one real PostgreSQL (a fresh schema): a
 * client connected to instance B's realtime stream is poked by a push
 * through instance A, and only the pushing user's stream is. Runs in the
 * PostgreSQL project only; an embedded database belongs to one process.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { Cookies, FetchHttpClient, HttpApiClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Protocol } from "@ignition/sync"
import { Effect, Ref } from "effect"
import * as RealtimeClient from "../support/RealtimeClient.js"
import { TestApi } from "../support/TestApi.js"
import * as TestDatabase from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"
import { type Member, member } from "../support/Vault.js"

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** `npm start` from sources on a free port; killed with the scope. Answers its base URL. */
const startInstance = (env: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.async<{ readonly child: ChildProcess; readonly baseUrl: string }, Error>((resume) => {
      const child = spawn(process.execPath, ["--conditions=@ignition/source", "--import", "tsx", "src/main.ts"], {
        cwd: serverRoot,
        env: { ...process.env, PORT: "0", LOG_LEVEL: "Info", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      })
      const output: Array<string> = []
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on("line", (line) => {
          output.push(line)
          const match = /Ignition is listening on (http:\/\/[^"]+)"/.exec(line)
          if (match?.[1] !== undefined)
            resume(Effect.succeed({ child, baseUrl: match[1].replace("localhost", "127.0.0.1") }))
        })
      }
      child.once("exit", (code) => resume(Effect.fail(new Error(`exited with ${code}:\n${output.join("\n")}`))))
      return Effect.sync(() => child.kill("SIGKILL"))
    }),
    ({ child }) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      }),
  )

/** A member signed up through the instance at `baseUrl` (the session lives in the shared database). */
const memberAt = (baseUrl: string, name: string) =>
  Effect.gen(function* () {
    const client = yield* HttpApiClient.make(TestApi, { baseUrl })
    return yield* member(name).pipe(Effect.provideService(TestServer, { baseUrl, client, logs: [] }))
  }).pipe(Effect.provide(FetchHttpClient.layer))

const connectAt = (baseUrl: string, m: Member) =>
  Effect.flatMap(Ref.get(m.cookies), (cookies) => RealtimeClient.connect(baseUrl, Cookies.toCookieHeader(cookies)))

const nextEvent = (connection: RealtimeClient.RealtimeConnection) =>
  connection.events.take.pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => new Error("no event") }))

/** The next poke, past any heartbeats. */
const nextPoke = (connection: RealtimeClient.RealtimeConnection) =>
  Effect.repeat(nextEvent(connection), { until: (received) => received.event === "poke" })

describe("realtime across server instances", () => {
  it.live.runIf(TestDatabase.engine === "postgres")(
    "a push through instance A pokes the user's client connected to instance B, and no one else's",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const schema = yield* TestDatabase.freshSchema
          const url = new URL(process.env.TEST_DATABASE_URL ?? "")
          url.searchParams.set("options", `-c search_path=${schema}`)
          const dataDirs = [1, 2].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "ignition-realtime-")))
          yield* Effect.addFinalizer(() =>
            Effect.sync(() => {
              for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
            }),
          )
          // A first, alone, so the migrations run once; then B on the migrated schema.
          const a = yield* startInstance({ DATABASE_URL: url.toString(), IGNITION_DATA_DIR: dataDirs[0] ?? "" })
          const b = yield* startInstance({
            DATABASE_URL: url.toString(),
            IGNITION_DATA_DIR: dataDirs[1] ?? "",
            REALTIME_HEARTBEAT: "1 second",
          })

          const writer = yield* memberAt(a.baseUrl, "writer")
          const bystander = yield* memberAt(a.baseUrl, "bystander")
          const writersStream = yield* connectAt(b.baseUrl, writer)
          const bystandersStream = yield* connectAt(b.baseUrl, bystander)
          assert.strictEqual(writersStream.status, 200)
          assert.strictEqual((yield* nextEvent(writersStream)).event, "poke")
          assert.strictEqual((yield* nextEvent(bystandersStream)).event, "poke")

          const pushed = yield* writer.client.sync.push({
            payload: {
              protocolVersion: Protocol.PROTOCOL_VERSION,
              clientId: Protocol.ClientId.make("phone"),
              mutations: [
                {
                  mutationSeq: 1,
                  mutationId: "m1",
                  entity: "settings",
                  op: "set",
                  args: { id: "settings", fields: { theme: "dark" } },
                },
              ],
            },
          })
          assert.strictEqual(pushed.results[0]?._tag, "applied")
          assert.deepStrictEqual(yield* nextPoke(writersStream), { event: "poke", data: '{"protocolVersion":1}' })
          // The bystander's stream hangs off the same listener: a leaked poke would come before its next heartbeat.
          assert.strictEqual((yield* nextEvent(bystandersStream)).event, "heartbeat")
        }),
      ),
    120_000,
  )
})
