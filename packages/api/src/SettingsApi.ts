/**
 * The `settings` group: one typed, versioned settings document per user.
 * Later features add their fields here; a field a server does not know is
 * refused with 400 rather than silently stored.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { DisplayName, Locale, TimeZone } from "./Account.js"
import { Authentication } from "./Authentication.js"
import { PrivacyMode } from "./KnowledgeBase.js"

/**
 * @since 0.1.0
 */
export const Theme = Schema.Literal("dark", "light", "system")

/**
 * The settings fields and their types.
 *
 * @since 0.1.0
 */
export const settingsFields = {
  displayName: DisplayName,
  timeZone: TimeZone,
  locale: Locale,
  theme: Theme,
  /** The privacy mode new knowledge-base records start in. */
  defaultPrivacyMode: PrivacyMode,
}

/**
 * The settings. Fields added later default when a document (or an older
 * server) lacks them.
 *
 * @since 0.1.0
 */
export class Settings extends Schema.Class<Settings>("Settings")({
  ...settingsFields,
  defaultPrivacyMode: Schema.optionalWith(PrivacyMode, { default: () => "standard" as const }),
}) {}

/**
 * The document: its settings, a version that grows with every change, and
 * when each field last changed (for last-writer-wins merges across devices).
 *
 * @since 0.1.0
 */
export class SettingsDocument extends Schema.Class<SettingsDocument>("SettingsDocument")({
  version: Schema.Int.pipe(Schema.positive()),
  settings: Settings,
  updatedAt: Schema.Record({ key: Schema.String, value: Schema.DateTimeUtc }),
}) {}

/**
 * A partial update: the fields present change, the others stay. Unknown
 * fields are an error.
 *
 * @since 0.1.0
 */
export const SettingsPatch = Schema.partial(Schema.Struct(settingsFields)).annotations({
  identifier: "SettingsPatch",
  parseOptions: { onExcessProperty: "error" },
})

/**
 * @since 0.1.0
 */
export class SettingsApi extends HttpApiGroup.make("settings")
  .add(HttpApiEndpoint.get("get", "/api/settings").addSuccess(SettingsDocument))
  .add(HttpApiEndpoint.put("update", "/api/settings").setPayload(SettingsPatch).addSuccess(SettingsDocument))
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Settings")
  .annotate(OpenApi.Description, "The signed-in user's settings") {}
