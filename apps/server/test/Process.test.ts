/**
 * The real entry point as `npm start` runs it (from sources here): a child
 * process that migrates, listens, answers, shuts down on SIGTERM with exit
 * code 0, and finds its data again after a restart.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { FetchHttpClient } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Client } from "@ignition/api"
import { Effect } from "effect"
import * as TestDatabase from "./support/TestDatabase.js"

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

interface Started {
  readonly child: ChildProcess
  readonly baseUrl: string
  readonly output: Array<string>
  readonly exit: Promise<number | null>
}

const start = (env: Record<string, string>) =>
  Effect.async<Started, Error>((resume) => {
    const child = spawn(process.execPath, ["--conditions=@ignition/source", "--import", "tsx", "src/main.ts"], {
      cwd: serverRoot,
      env: { ...process.env, PORT: "0", LOG_LEVEL: "Info", DATABASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    })
    const output: Array<string> = []
    const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line)
        const match = /Ignition is listening on (http:\/\/[^"]+)"/.exec(line)
        if (match?.[1] !== undefined) {
          resume(Effect.succeed({ child, baseUrl: match[1].replace("localhost", "127.0.0.1"), output, exit }))
        }
      })
    }
    void exit.then((code) => resume(Effect.fail(new Error(`exited with ${code}:\n${output.join("\n")}`))))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

const stop = (started: Started) =>
  Effect.promise(() => {
    started.child.kill("SIGTERM")
    return started.exit
  })

const version = (baseUrl: string) =>
  Effect.flatMap(Client.make({ baseUrl }), (client) => client.system.version()).pipe(
    Effect.provide(FetchHttpClient.layer),
  )

/** Environment that points a fresh server at a fresh database of this project's engine. */
const databaseEnv = Effect.gen(function* () {
  if (TestDatabase.engine === "postgres") {
    const schema = yield* TestDatabase.freshSchema
    const url = new URL(process.env.TEST_DATABASE_URL ?? "")
    url.searchParams.set("options", `-c search_path=${schema}`)
    return { DATABASE_URL: url.toString(), IGNITION_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "ignition-")) }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ignition-"))
  yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dataDir, { recursive: true, force: true })))
  return { IGNITION_DATA_DIR: dataDir }
})

describe("the server process", () => {
  it.live(
    "starts, serves, stops cleanly on SIGTERM, and keeps its data across a restart",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const env = yield* databaseEnv
          const first = yield* start(env)
          const before = yield* version(first.baseUrl)
          // No administrator yet: a setup token waits in the data directory, readable by its owner only.
          const tokenFile = path.join(env.IGNITION_DATA_DIR, "setup-token")
          const token = fs.readFileSync(tokenFile, "utf8").trim()
          assert.match(token, /^[A-Za-z0-9_-]{43}$/)
          assert.strictEqual(fs.statSync(tokenFile).mode & 0o777, 0o600)
          assert.isTrue(
            first.output.some((line) => line.includes(tokenFile)),
            "the log names the file",
          )
          assert.isFalse(
            first.output.some((line) => line.includes(token)),
            "the log never shows the token",
          )
          assert.strictEqual(yield* stop(first), 0)
          assert.isTrue(
            first.output.every((line) => line.startsWith("{")),
            "every line is JSON",
          )
          assert.isTrue(first.output.some((line) => line.includes('"migration applied"')))
          assert.include(first.output.at(-1) ?? "", '"message":"Ignition stopped"')

          const second = yield* start(env)
          const after = yield* version(second.baseUrl)
          assert.strictEqual(after.instanceId, before.instanceId)
          assert.isFalse(
            second.output.some((line) => line.includes('"migration applied"')),
            "nothing left to migrate",
          )
          assert.strictEqual(yield* stop(second), 0)
        }),
      ),
    60_000,
  )

  it.live.runIf(TestDatabase.engine === "pglite")(
    "refuses to open an embedded database another process is using",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const env = yield* databaseEnv
          const first = yield* start(env)
          const refused = yield* Effect.flip(start(env))
          assert.include(refused.message, "exited with 1")
          assert.include(refused.message, `is in use by process ${first.child.pid}`)
          assert.strictEqual(yield* stop(first), 0)
          assert.isFalse(fs.existsSync(`${path.join(env.IGNITION_DATA_DIR, "data")}.lock`), "the lock is released")
        }),
      ),
    60_000,
  )
})
