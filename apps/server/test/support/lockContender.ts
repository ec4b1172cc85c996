/**
 * A separate process contending for a data-directory lock (DataDirLock
 * tests): waits until START_AT (epoch ms) so all contenders go at once,
 * tries to acquire DATA_DIR's lock, prints "held" or "refused <pid>", and
 * keeps a held lock for HOLD_MS.
 */
import { Effect } from "effect"
import { acquireDataDirLock } from "../../src/Database/DataDirLock.js"

const startAt = Number(process.env.START_AT)
const holdMs = Number(process.env.HOLD_MS ?? "1500")

await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())))
const outcome = await Effect.runPromise(
  Effect.scoped(
    acquireDataDirLock(process.env.DATA_DIR ?? "").pipe(
      Effect.zipRight(Effect.sync(() => process.stdout.write("held\n"))),
      Effect.zipRight(Effect.sleep(holdMs)),
      Effect.as("held"),
      Effect.catchTag("DataDirInUse", (error) => Effect.succeed(`refused ${error.pid}`)),
    ),
  ),
)
if (outcome !== "held") process.stdout.write(`${outcome}\n`)
