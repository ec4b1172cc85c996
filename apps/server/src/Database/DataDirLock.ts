/**
 * PGlite is a single-process database: two processes writing one data
 * directory corrupt it. A lock file next to the directory, holding the
 * owner's pid, keeps a second `npm start` out with a clear message; a lock
 * left by a process that no longer exists is taken over.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Data, Effect } from "effect"

export class DataDirInUse extends Data.TaggedError("DataDirInUse")<{
  readonly dataDir: string
  readonly pid: number
}> {
  override get message(): string {
    return `The embedded database at ${this.dataDir} is in use by process ${this.pid}; stop it or set IGNITION_DATA_DIR to another directory`
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const readOwner = (lockPath: string): number => {
  try {
    return Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10)
  } catch {
    return Number.NaN
  }
}

const tryCreate = (lockPath: string): boolean => {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false
    throw error
  }
}

/** Hold `<dataDir>.lock` for the lifetime of the scope. */
export const acquireDataDirLock = (dataDir: string) => {
  const lockPath = `${path.resolve(dataDir)}.lock`
  return Effect.acquireRelease(
    Effect.suspend(() => {
      fs.mkdirSync(path.dirname(lockPath), { recursive: true })
      if (tryCreate(lockPath)) return Effect.void
      const owner = readOwner(lockPath)
      if (owner !== process.pid && Number.isInteger(owner) && isAlive(owner)) {
        return Effect.fail(new DataDirInUse({ dataDir: path.resolve(dataDir), pid: owner }))
      }
      // Stale: its owner is gone (or it is ours from an earlier, unclean run in this process).
      fs.rmSync(lockPath, { force: true })
      return tryCreate(lockPath)
        ? Effect.void
        : Effect.fail(new DataDirInUse({ dataDir: path.resolve(dataDir), pid: readOwner(lockPath) }))
    }),
    () =>
      Effect.sync(() => {
        if (readOwner(lockPath) === process.pid) fs.rmSync(lockPath, { force: true })
      }),
  )
}
