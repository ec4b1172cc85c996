/**
 * Entities the rule tests declare for themselves: sync is generic, and the
 * application's own declarations (settings from the settings contract,
 * knowledge-base records from its contract) live with the server that
 * composes them. These stand in with the same shapes: a struct of settings
 * merged per field, and sealed records written by compare-and-swap.
 */
import { Schema } from "effect"
import * as Entity from "../../src/Entity.js"

const base64Url = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]*$/))

/** An envelope-shaped value: the server stores and compares it, never opens it. */
export const Sealed = Schema.Struct({
  v: Schema.Literal(1),
  kid: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/)),
  iv: base64Url,
  ct: base64Url,
})

export const Settings = Schema.Struct({
  theme: Schema.Literal("system", "light", "dark"),
  locale: Schema.String.pipe(Schema.pattern(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)),
  idleLockMinutes: Schema.Int.pipe(Schema.between(1, 1440)),
})

export const settings = Entity.lwwFields("settings", Settings)
export const journal = Entity.compareAndSwap("journal", Sealed)
export const ideas = Entity.compareAndSwap("ideas", Sealed)

export const registry: Entity.Registry = Entity.registry(settings, ideas, journal)
