/**
 * The entities this issue registers: the user's settings document (LWW per
 * field) and the end-to-end-encrypted Ideas, Infobase and Journal records
 * (compare-and-swap with a conflict copy). A later feature adds its own
 * declaration next to these and to `registry`.
 */
import { Schema } from "effect"
import * as Entity from "./Entity.js"

const base64Url = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]*$/))

/**
 * An encrypted record as `@ignition/vault`'s envelope travels (`{v, kid, iv,
 * ct}`, base64url). Declared structurally so sync does not depend on the
 * vault: the server stores and compares it, never opens it.
 */
export const EncryptedRecord = Schema.Struct({
  v: Schema.Literal(1),
  kid: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/)),
  iv: base64Url,
  ct: base64Url,
}).annotations({ identifier: "EncryptedRecord" })

/** The user's settings: each field merges on its own, so two devices changing different settings both win. */
export const Settings = Schema.Struct({
  theme: Schema.Literal("system", "light", "dark"),
  locale: Schema.String.pipe(Schema.pattern(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)),
  timeZone: Schema.String.pipe(Schema.maxLength(64)),
  weekStartsOn: Schema.Literal(0, 1, 6),
  idleLockMinutes: Schema.Int.pipe(Schema.between(1, 1440)),
}).annotations({ identifier: "Settings" })

export const settings = Entity.lwwFields("settings", Settings)
export const ideas = Entity.compareAndSwap("ideas", EncryptedRecord)
export const infobase = Entity.compareAndSwap("infobase", EncryptedRecord)
export const journal = Entity.compareAndSwap("journal", EncryptedRecord)

export const registry: Entity.Registry = Entity.registry(settings, ideas, infobase, journal)
