/**
 * The entities this server syncs, declared from the contracts the REST
 * endpoints use, so a value pushed through sync is checked exactly as the
 * same value sent to the REST endpoint would be:
 *
 * - `settings`: the settings document, last-writer-wins per field, over the
 *   settings contract's fields.
 * - `ideas`, `infobase`, `journal`: the knowledge base's records (content and,
 *   in Private mode, metadata as vault envelopes; plaintext metadata in
 *   Standard mode), compare-and-swap with a conflict copy, under the
 *   client-chosen UUIDs their envelopes' AAD binds.
 *
 * A later feature adds its declaration here and to `registry`.
 */
import { KnowledgeBase as KB, SettingsApi } from "@ignition/api"
import { Entity } from "@ignition/sync"
import { Schema } from "effect"

export const settings = Entity.lwwFields("settings", Schema.Struct(SettingsApi.settingsFields))

/** A record's synced value: what its owner writes (the server sets type, id, version and times). */
const serverSet = ["type", "id", "version", "createdAt", "updatedAt"] as const

export const ideas = Entity.compareAndSwap("ideas", KB.idea.Record.omit(...serverSet), { id: KB.RecordId })
export const infobase = Entity.compareAndSwap("infobase", KB.infobase.Record.omit(...serverSet), { id: KB.RecordId })
export const journal = Entity.compareAndSwap("journal", KB.journal.Record.omit(...serverSet), { id: KB.RecordId })

export const registry: Entity.Registry = Entity.registry(settings, ideas, infobase, journal)
