/**
 * Per-user settings documents. `displayName` and `timeZone` live on the
 * user row (the rest of the server reads them there); every other field
 * lives in `user_settings.settings` as `{ values, updatedAt }`, with the
 * time each field last changed so devices can merge last-writer-wins per
 * field. `version` grows by one with every change.
 */
import { SettingsApi } from "@ignition/api"
import { DateTime, Effect, Option, Schema } from "effect"
import { sql } from "kysely"
import { Database } from "../Database/Database.js"

type Fields = typeof SettingsApi.Settings.Type
type Patch = typeof SettingsApi.SettingsPatch.Type

/** What a user starts with (display name and time zone come from the account). */
const defaults = { locale: "en", theme: "system", defaultPrivacyMode: "standard" } as const

const Stored = Schema.Struct({
  values: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  updatedAt: Schema.Record({ key: Schema.String, value: Schema.String }),
})
const decodeStored = Schema.decodeUnknownOption(Stored)
const empty: typeof Stored.Type = { values: {}, updatedAt: {} }
const decodeSettings = Schema.decodeUnknownSync(SettingsApi.Settings)

export class SettingsRepo extends Effect.Service<SettingsRepo>()("@ignition/server/SettingsRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database

    const load = (userId: string, lock: boolean) =>
      db
        .execute((q) => {
          const query = q
            .selectFrom("users as u")
            .leftJoin("user_settings as s", "s.user_id", "u.id")
            .select(["u.display_name", "u.time_zone", "u.created_at", "s.version", "s.settings"])
            .where("u.id", "=", userId)
          // Lock the user row: it serialises concurrent updates of the same document (the settings row may not exist yet).
          return (lock ? query.forUpdate("u") : query).executeTakeFirst()
        })
        .pipe(Effect.orDie)

    const toDocument = (row: NonNullable<Effect.Effect.Success<ReturnType<typeof load>>>) => {
      const stored = Option.getOrElse(decodeStored(row.settings), () => empty)
      // Fields added since the document was written fall back to their defaults.
      const settings: Fields = decodeSettings({
        ...defaults,
        ...stored.values,
        displayName: row.display_name,
        timeZone: row.time_zone,
      })
      const created = row.created_at.toISOString()
      const updatedAt = Object.fromEntries(
        Object.keys(SettingsApi.settingsFields).map((field) => [
          field,
          DateTime.unsafeMake(stored.updatedAt[field] ?? created),
        ]),
      )
      return new SettingsApi.SettingsDocument({ version: row.version ?? 1, settings, updatedAt })
    }

    const get = (userId: string) =>
      Effect.map(load(userId, false), (row) => Option.map(Option.fromNullable(row), toDocument))

    /** Apply the fields present in `patch`; the others keep their values and times. */
    const update = (userId: string, patch: Patch, at: Date) =>
      db
        .transaction(
          Effect.gen(function* () {
            const row = yield* load(userId, true)
            if (row === undefined) return Option.none()
            const current = toDocument(row)
            const changed = Object.entries(patch).filter(
              ([field, value]) => value !== undefined && current.settings[field as keyof Fields] !== value,
            )
            if (changed.length === 0) return Option.some(current)
            const stored = Option.getOrElse(decodeStored(row.settings), () => empty)
            const values: Record<string, unknown> = { ...stored.values }
            const updatedAt: Record<string, string> = { ...stored.updatedAt }
            for (const [field, value] of changed) {
              updatedAt[field] = at.toISOString()
              if (field !== "displayName" && field !== "timeZone") values[field] = value
            }
            if (patch.displayName !== undefined || patch.timeZone !== undefined) {
              yield* db.execute((q) =>
                q
                  .updateTable("users")
                  .set({
                    ...(patch.displayName === undefined ? {} : { display_name: patch.displayName }),
                    ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
                    updated_at: at,
                  })
                  .where("id", "=", userId)
                  .execute(),
              )
            }
            const settings = JSON.stringify({ values, updatedAt })
            yield* db.execute((q) =>
              q
                .insertInto("user_settings")
                .values({ user_id: userId, version: 2, settings, updated_at: at })
                .onConflict((oc) =>
                  oc.column("user_id").doUpdateSet({
                    version: sql`user_settings.version + 1`,
                    settings,
                    updated_at: at,
                  }),
                )
                .execute(),
            )
            return Option.map(Option.fromNullable(yield* load(userId, false)), toDocument)
          }),
        )
        .pipe(Effect.orDie)

    return { get, update }
  }),
}) {}
