/**
 * PGlite is a single-process database: two processes (or two instances in
 * one process) writing one data directory corrupt it. A lock file next to
 * the directory, holding the owner's pid, keeps a second `npm start` out
 * with a clear message; a lock left by a process that no longer exists is
 * taken over.
 *
 * Races between processes starting together are closed by two atomic file
 * operations: the lock appears complete or not at all (written aside, then
 * hard-linked into place, which fails if it exists), and taking over a stale
 * lock requires holding `<lock>.takeover` (an exclusive `mkdir`), so only
 * one process replaces it and the others re-read the new owner.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { Data, Effect, Schedule } from "effect"

export class DataDirInUse extends Data.TaggedError("DataDirInUse")<{
  readonly dataDir: string
  readonly pid: number
}> {
  override get message(): string {
    return `The embedded database at ${this.dataDir} is in use by process ${this.pid}; stop it or set IGNITION_DATA_DIR to another directory`
  }
}

/** Another process is replacing a stale lock right now: look again shortly. */
class TakeoverInProgress extends Data.TaggedError("TakeoverInProgress") {}

/** A takeover marker older than this was left by a process that died mid-takeover. */
const takeoverStaleMs = 10_000

/** Locks held by this process: a second open of the same directory here is refused too. */
const heldHere = new Set<string>()

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** The owner's pid, or undefined when the file is missing or holds anything but a pid. */
const readOwner = (lockPath: string): number | undefined => {
  let text: string
  try {
    text = fs.readFileSync(lockPath, "utf8").trim()
  } catch {
    return undefined
  }
  return /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined
}

/** Create the lock holding our pid, atomically: false if it already exists. */
const tryCreate = (lockPath: string): boolean => {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}`
  fs.writeFileSync(aside, String(process.pid), { flag: "wx" })
  try {
    fs.linkSync(aside, lockPath)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false
    throw error
  } finally {
    fs.rmSync(aside, { force: true })
  }
}

/** Replace a lock whose owner is gone, unless another process is doing it or already did. */
const takeOver = (lockPath: string, staleOwner: number | undefined): "taken" | "changed" | "busy" => {
  const marker = `${lockPath}.takeover`
  try {
    fs.mkdirSync(marker)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
    const startedAt = fs.statSync(marker, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
    if (Date.now() - startedAt > takeoverStaleMs) fs.rmSync(marker, { recursive: true, force: true })
    return "busy"
  }
  try {
    if (readOwner(lockPath) !== staleOwner) return "changed"
    fs.rmSync(lockPath, { force: true })
    return tryCreate(lockPath) ? "taken" : "changed"
  } finally {
    fs.rmSync(marker, { recursive: true, force: true })
  }
}

const acquireOnce = (dataDir: string, lockPath: string): Effect.Effect<void, DataDirInUse | TakeoverInProgress> =>
  Effect.suspend((): Effect.Effect<void, DataDirInUse | TakeoverInProgress> => {
    if (heldHere.has(lockPath)) return Effect.fail(new DataDirInUse({ dataDir, pid: process.pid }))
    fs.mkdirSync(path.dirname(lockPath), { recursive: true })
    for (;;) {
      if (tryCreate(lockPath)) return Effect.void
      const owner = readOwner(lockPath)
      // Our own pid here is a leftover of an earlier, unclean run of this process.
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        return Effect.fail(new DataDirInUse({ dataDir, pid: owner }))
      }
      const outcome = takeOver(lockPath, owner)
      if (outcome === "taken") return Effect.void
      if (outcome === "busy") return Effect.fail(new TakeoverInProgress())
    }
  })

/** Hold `<dataDir>.lock` for the lifetime of the scope. */
export const acquireDataDirLock = (dataDir: string) => {
  const resolved = path.resolve(dataDir)
  const lockPath = `${resolved}.lock`
  return Effect.acquireRelease(
    acquireOnce(resolved, lockPath).pipe(
      Effect.retry({
        while: (error) => error._tag === "TakeoverInProgress",
        schedule: Schedule.spaced("50 millis").pipe(Schedule.intersect(Schedule.recurs(400))),
      }),
      Effect.catchTag("TakeoverInProgress", () => Effect.die(new Error(`Could not take over ${lockPath}`))),
      Effect.tap(() => Effect.sync(() => heldHere.add(lockPath))),
    ),
    () =>
      Effect.sync(() => {
        heldHere.delete(lockPath)
        if (readOwner(lockPath) === process.pid) fs.rmSync(lockPath, { force: true })
      }),
  )
}
