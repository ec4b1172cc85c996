/**
 * The PGlite data directory lock, on the real filesystem (under os.tmpdir())
 * with real processes as other owners. Independent of the database engine.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Scope } from "effect"
import { layerPGlite } from "../src/Database/Database.js"
import { acquireDataDirLock, DataDirInUse } from "../src/Database/DataDirLock.js"

/** A new directory under the system temp directory, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "ignition-lock-test-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })),
)

const started = (child: ChildProcess) =>
  Effect.async<number, Error>((resume) => {
    child.once("spawn", () => {
      if (child.pid === undefined) resume(Effect.fail(new Error("the child has no pid")))
      else resume(Effect.succeed(child.pid))
    })
    child.once("error", (error) => resume(Effect.fail(error)))
  })

/** The pid of another process that stays alive until the scope closes. */
const liveProcess = Effect.acquireRelease(
  Effect.sync(() => spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" })),
  (child) =>
    Effect.async<void>((resume) => {
      if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
      child.once("exit", () => resume(Effect.void))
      child.kill("SIGKILL")
    }),
).pipe(Effect.flatMap(started))

/** The pid of a process that has already exited (and been reaped). */
const deadProcess = Effect.gen(function* () {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" })
  const pid = yield* started(child)
  yield* Effect.async<void>((resume) => {
    if (child.exitCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
  })
  return pid
})

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const read = (file: string): string | undefined => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined)

/** Run test/support/lockContender.ts in its own process; answers what it printed. */
const contender = (dataDir: string, startAt: number) =>
  Effect.async<string, Error>((resume) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=@ignition/source",
        "--import",
        "tsx",
        path.join(import.meta.dirname, "support", "lockContender.ts"),
      ],
      { env: { ...process.env, DATA_DIR: dataDir, START_AT: String(startAt) }, stdio: ["ignore", "pipe", "inherit"] },
    )
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child.once("exit", (code) =>
      code === 0 ? resume(Effect.succeed(output.trim())) : resume(Effect.fail(new Error(`contender exited ${code}`))),
    )
  })

/** Acquire in a scope of its own; answers the scope so the test decides when to release. */
const acquireIn = (dataDir: string) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    const exit = yield* Effect.exit(Scope.extend(acquireDataDirLock(dataDir), scope))
    if (Exit.isFailure(exit)) yield* Scope.close(scope, exit)
    return { exit, scope }
  })

describe("DataDirLock", () => {
  it.effect("acquiring creates <dir>.lock holding this pid; closing the scope removes it", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const lockFile = `${dataDir}.lock`
        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* acquireDataDirLock(dataDir)
            assert.strictEqual(read(lockFile), String(process.pid))
          }),
        )
        assert.isFalse(fs.existsSync(lockFile))
        // It can be taken again right away.
        yield* Effect.scoped(acquireDataDirLock(dataDir))
        assert.isFalse(fs.existsSync(lockFile))
      }),
    ),
  )

  it.effect("creates missing parent directories and resolves a relative path", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "a", "b", "data")
        const relative = path.relative(process.cwd(), dataDir)
        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* acquireDataDirLock(relative)
            assert.strictEqual(read(`${dataDir}.lock`), String(process.pid))
          }),
        )
        assert.isTrue(fs.existsSync(path.join(root, "a", "b")))
        assert.isFalse(fs.existsSync(`${dataDir}.lock`))
      }),
    ),
  )

  it.effect("a lock held by another live process fails with DataDirInUse naming that pid", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const lockFile = `${dataDir}.lock`
        const other = yield* liveProcess
        assert.notStrictEqual(other, process.pid)
        assert.isTrue(isAlive(other))
        fs.writeFileSync(lockFile, String(other))

        const error = yield* Effect.flip(Effect.scoped(acquireDataDirLock(dataDir)))
        assert.instanceOf(error, DataDirInUse)
        assert.strictEqual(error._tag, "DataDirInUse")
        assert.strictEqual(error.pid, other)
        assert.strictEqual(error.dataDir, path.resolve(dataDir))
        assert.include(error.message, `process ${other}`)
        assert.include(error.message, path.resolve(dataDir))
        // The other owner's lock is left alone.
        assert.strictEqual(read(lockFile), String(other))
      }),
    ),
  )

  it.effect("a second acquire while the first is held by another live process fails, then succeeds once it exits", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const lockFile = `${dataDir}.lock`
        const { pid, release } = yield* Effect.gen(function* () {
          const scope = yield* Scope.make()
          const pid = yield* Scope.extend(liveProcess, scope)
          return { pid, release: Scope.close(scope, Exit.void) }
        })
        fs.writeFileSync(lockFile, String(pid))

        const first = yield* acquireIn(dataDir)
        assert.isTrue(Exit.isFailure(first.exit))
        const second = yield* acquireIn(dataDir)
        assert.isTrue(Exit.isFailure(second.exit))

        yield* release
        assert.isFalse(isAlive(pid))
        const third = yield* acquireIn(dataDir)
        assert.isTrue(Exit.isSuccess(third.exit))
        assert.strictEqual(read(lockFile), String(process.pid))
        yield* Scope.close(third.scope, Exit.void)
        assert.isFalse(fs.existsSync(lockFile))
      }),
    ),
  )

  it.effect("a stale lock, left by a process that no longer exists, is taken over", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const lockFile = `${dataDir}.lock`
        const gone = yield* deadProcess
        assert.isFalse(isAlive(gone))
        fs.writeFileSync(lockFile, String(gone))

        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* acquireDataDirLock(dataDir)
            assert.strictEqual(read(lockFile), String(process.pid))
          }),
        )
        assert.isFalse(fs.existsSync(lockFile))
      }),
    ),
  )

  it.effect("a garbage or empty lock file is taken over", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const notPids = ["not a pid", "", "\n", "NaN", "pid=123", "0", "-1", "1.5e99", "00001 trailing", "99999999999"]
        for (const [index, garbage] of notPids.entries()) {
          const dataDir = path.join(root, `data${index}`)
          const lockFile = `${dataDir}.lock`
          fs.writeFileSync(lockFile, garbage)
          yield* Effect.scoped(
            Effect.gen(function* () {
              yield* acquireDataDirLock(dataDir)
              assert.strictEqual(read(lockFile), String(process.pid), `lock file containing ${JSON.stringify(garbage)}`)
            }),
          )
          assert.isFalse(fs.existsSync(lockFile))
        }
      }),
    ),
  )

  it.effect("a second open of the same directory in this process is refused while the first holds it", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        yield* acquireDataDirLock(dataDir)
        const second = yield* Effect.flip(Effect.scoped(acquireDataDirLock(dataDir)))
        assert.instanceOf(second, DataDirInUse)
        assert.strictEqual(second.pid, process.pid)
        assert.strictEqual(read(`${dataDir}.lock`), String(process.pid), "the refused attempt left the lock alone")
      }),
    ),
  )

  it.live(
    "processes starting at the same moment: exactly one holds the lock, with or without a stale one",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const root = yield* tempDir
          const stalePid = yield* deadProcess
          for (const [trial, leftover] of [undefined, String(stalePid), "garbage"].entries()) {
            const dataDir = path.join(root, `race${trial}`)
            if (leftover !== undefined) fs.writeFileSync(`${dataDir}.lock`, leftover)
            const startAt = Date.now() + 2500
            const outputs = yield* Effect.all(
              Array.from({ length: 4 }, () => contender(dataDir, startAt)),
              { concurrency: "unbounded" },
            )
            const holders = outputs.filter((output) => output === "held")
            assert.strictEqual(holders.length, 1, `trial ${trial}: ${JSON.stringify(outputs)}`)
            assert.isTrue(outputs.every((output) => output === "held" || /^refused \d+$/.test(output)))
          }
        }),
      ),
    60_000,
  )

  it.effect("a lock holding this process's own pid (an earlier unclean run) is taken over", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const lockFile = `${dataDir}.lock`
        fs.writeFileSync(lockFile, String(process.pid))
        yield* Effect.scoped(acquireDataDirLock(dataDir))
        assert.isFalse(fs.existsSync(lockFile))
      }),
    ),
  )

  it.effect("releasing leaves a lock file alone when another process owns it by then", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const lockFile = `${dataDir}.lock`
        const other = yield* liveProcess
        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* acquireDataDirLock(dataDir)
            fs.writeFileSync(lockFile, String(other))
          }),
        )
        assert.strictEqual(read(lockFile), String(other))
      }),
    ),
  )

  it.effect("layerPGlite refuses a data directory locked by another live process before opening it", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const root = yield* tempDir
        const dataDir = path.join(root, "data")
        const other = yield* liveProcess
        fs.writeFileSync(`${dataDir}.lock`, String(other))
        const error = yield* Effect.flip(Effect.scoped(Layer.build(layerPGlite({ dataDir }))))
        assert.strictEqual(error._tag, "DataDirInUse")
        assert.isTrue(error._tag === "DataDirInUse" && error.pid === other)
        // PGlite never touched the directory.
        assert.isFalse(fs.existsSync(dataDir))
      }),
    ),
  )
})
