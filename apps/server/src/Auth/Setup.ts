/**
 * Bootstrapping the first administrator with a one-time setup token, so a
 * fresh instance exposed on the internet cannot be claimed by whoever signs
 * up first. While no approved administrator exists, the instance holds the
 * SHA-256 of a setup token: IGNITION_SETUP_TOKEN when set, otherwise a
 * token generated at start and written to `$IGNITION_DATA_DIR/setup-token`
 * (mode 0600; its path is logged, never the token). The sign-up that
 * presents it becomes an approved administrator and consumes it.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Option, Redacted } from "effect"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import * as Tokens from "./Tokens.js"
import { UserRepo } from "./UserRepo.js"

export class Setup extends Effect.Service<Setup>()("@ignition/server/Setup", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const users = yield* UserRepo
    const config = yield* AppConfig
    const tokenFile = path.join(config.dataDir, "setup-token")

    /** True until an approved administrator exists. */
    const pending = Effect.map(users.countWithRole("admin"), (admins) => admins === 0)

    const store = (token: Redacted.Redacted<string>) =>
      db
        .execute((q) =>
          q
            .insertInto("instance_setup")
            .values({ token_hash: Tokens.digest(token), consumed_at: null, consumed_by: null })
            .onConflict((oc) =>
              oc.column("singleton").doUpdateSet({
                token_hash: Tokens.digest(token),
                created_at: new Date(),
                consumed_at: null,
                consumed_by: null,
              }),
            )
            .execute(),
        )
        .pipe(Effect.orDie)

    if (yield* pending) {
      if (Option.isSome(config.setupToken)) {
        yield* store(config.setupToken.value)
        yield* Effect.logInfo("no administrator yet: sign up with IGNITION_SETUP_TOKEN to become one")
      } else {
        const token = Tokens.generate()
        yield* store(token)
        yield* Effect.sync(() => {
          fs.mkdirSync(config.dataDir, { recursive: true })
          fs.writeFileSync(tokenFile, `${Redacted.value(token)}\n`, { mode: 0o600 })
        })
        // The field is not named like a token: the red-line filter would hide the path.
        yield* Effect.logWarning("no administrator yet: sign up with the setup token in this file to become one", {
          file: tokenFile,
        })
      }
    }

    /** Consume the token for `userId` (inside the sign-up's transaction); false when it is not the live token. */
    const consume = (token: string, userId: string) =>
      Effect.gen(function* () {
        const row = yield* db
          .execute((q) =>
            q
              .updateTable("instance_setup")
              .set({ consumed_at: new Date(), consumed_by: userId })
              .where("token_hash", "=", Tokens.digest(token))
              .where("consumed_at", "is", null)
              .returning("singleton")
              .executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (row !== undefined) yield* Effect.sync(() => fs.rmSync(tokenFile, { force: true }))
        return row !== undefined
      })

    return { pending, consume }
  }),
}) {}
