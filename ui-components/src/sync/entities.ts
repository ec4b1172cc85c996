/**
 * The entities the web app syncs, declared from the same contracts as the
 * server's (`apps/server/src/Sync/Entities.ts`), so the engine rebases a
 * pending write exactly as the server will apply it: the settings document
 * (last-writer-wins per field, one per user, id `settings`) and the
 * knowledge base's Ideas, Infobase and Journal records (compare-and-swap
 * with a conflict copy).
 */
import { KnowledgeBase as KB, SettingsApi } from "@ignition/api"
import { Entity } from "@ignition/sync"
import { Schema } from "effect"

/** The id of the one settings document each user has. */
export const settingsId = "settings"

export const settings = Entity.lwwFields("settings", Schema.Struct(SettingsApi.settingsFields))

/** The sync entity of each knowledge-base kind. */
export const knowledgeEntity = { idea: "ideas", infobase: "infobase", journal: "journal" } as const satisfies Record<
  KB.Kind["type"],
  string
>

const serverSet = ["type", "id", "version", "createdAt", "updatedAt"] as const

export const registry: Entity.Registry = Entity.registry(
  settings,
  Entity.compareAndSwap(knowledgeEntity.idea, KB.idea.Record.omit(...serverSet), { id: KB.RecordId }),
  Entity.compareAndSwap(knowledgeEntity.infobase, KB.infobase.Record.omit(...serverSet), { id: KB.RecordId }),
  Entity.compareAndSwap(knowledgeEntity.journal, KB.journal.Record.omit(...serverSet), { id: KB.RecordId }),
)
