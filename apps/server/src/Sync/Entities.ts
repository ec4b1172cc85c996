/**
 * The entities this server syncs, declared from the contracts the REST
 * endpoints use, so a value pushed through sync is checked exactly as the
 * same value sent to the REST endpoint would be:
 *
 * - `settings`: the settings document, last-writer-wins per field, over the
 *   settings contract's fields; one document per user, id `settings`.
 * - `ideas`, `infobase`, `journal`: the knowledge base's records (content and,
 *   in Private mode, metadata as vault envelopes; plaintext metadata in
 *   Standard mode), compare-and-swap with a conflict copy, under the
 *   client-chosen UUIDs their envelopes' AAD binds.
 *
 * `registry` is the declarations; `SyncEntities.registryFor(userId)` binds
 * them to the tables the REST endpoints read, so a push and a REST write are
 * one write path (docs/sync-protocol.md, "One source of truth"). A later
 * feature adds its declaration here and to both.
 */
import { KnowledgeBase as KB, SettingsApi, type VaultApi } from "@ignition/api"
import { Entity, Policy, Server as SyncRules, type SyncStore } from "@ignition/sync"
import { Clock, Effect, Option, ParseResult, Schema } from "effect"
import { KnowledgeBase, syncEntity } from "../KnowledgeBase/Http.js"
import { SettingsRepo } from "../Settings/Repo.js"

/** The id of the one settings document each user has. */
export const settingsId = "settings"

export const settings = Entity.lwwFields("settings", Schema.Struct(SettingsApi.settingsFields))

const serverSet = ["type", "id", "version", "createdAt", "updatedAt"] as const

export const ideas = Entity.compareAndSwap(syncEntity.idea, KB.idea.Record.omit(...serverSet), { id: KB.RecordId })
export const infobase = Entity.compareAndSwap(syncEntity.infobase, KB.infobase.Record.omit(...serverSet), {
  id: KB.RecordId,
})
export const journal = Entity.compareAndSwap(syncEntity.journal, KB.journal.Record.omit(...serverSet), {
  id: KB.RecordId,
})

export const registry: Entity.Registry = Entity.registry(settings, ideas, infobase, journal)

const SetSettings = Schema.Struct({ id: Schema.Literal(settingsId), fields: SettingsApi.SettingsPatch })

/**
 * Logs a settings change made outside sync (`PUT /api/settings`) inside the
 * caller's store transaction: the fields whose value differs from the log's
 * document are set at the next version, as a pushed `set` would set them.
 */
export const logSettings = (transaction: SyncStore.Transaction, patch: typeof SettingsApi.SettingsPatch.Type) =>
  Effect.gen(function* () {
    const fields = Schema.encodeSync(SettingsApi.SettingsPatch)(patch)
    const logged = Option.flatMap(yield* transaction.row(settings.name, settingsId), (row) =>
      Option.flatMap(row.value, Schema.decodeUnknownOption(Policy.LwwDocument)),
    )
    const current = Option.match(logged, { onNone: () => Policy.emptyDocument, onSome: (document) => document })
    // Settings values are strings: JSON text compares them exactly.
    const changed = Object.entries(fields).filter(
      ([key, value]) => value !== undefined && JSON.stringify(current.fields[key]) !== JSON.stringify(value),
    )
    if (changed.length === 0) return
    const decision = yield* settings
      .apply(
        "set",
        { id: settingsId, fields: Object.fromEntries(changed) },
        {
          mutationId: "rest",
          version: (yield* transaction.version) + 1,
          read: (id) =>
            Effect.map(transaction.row(settings.name, id), (row) =>
              Option.flatMap(row, (found) => Option.map(found.value, (value) => ({ version: found.version, value }))),
            ),
        },
      )
      // The REST contract decoded these fields already; the declaration refusing them is a bug.
      .pipe(Effect.catchTag("Rejection", Effect.die))
    yield* SyncRules.record(transaction, settings.name, decision.writes)
  })

export class SyncEntities extends Effect.Service<SyncEntities>()("@ignition/server/SyncEntities", {
  effect: Effect.gen(function* () {
    const kb = yield* KnowledgeBase
    const settingsRepo = yield* SettingsRepo
    const knowledge = [
      [kb.operations(KB.idea), ideas],
      [kb.operations(KB.infobase), infobase],
      [kb.operations(KB.journal), journal],
    ] as const

    /** A pushed settings change: merged into the log's document, and applied to the document the REST GET reads. */
    const settingsFor = (userId: string): Entity.Definition => ({
      name: settings.name,
      policy: settings.policy,
      apply: (op, args, context) =>
        Effect.gen(function* () {
          if (op !== "set") return yield* new Entity.Rejection({ reason: `settings has no operation ${op}` })
          const { fields } = yield* Effect.mapError(
            Schema.decodeUnknown(SetSettings, { onExcessProperty: "error", errors: "first" })(args),
            (error) =>
              new Entity.Rejection({
                reason: `invalid arguments: ${ParseResult.TreeFormatter.formatErrorSync(error)}`,
              }),
          )
          const decision = yield* settings.apply(op, args, context)
          const at = new Date(yield* Clock.currentTimeMillis)
          const updated = yield* settingsRepo.update(userId, fields, at)
          if (Option.isNone(updated)) return yield* new Entity.Rejection({ reason: "the account is gone" })
          return decision
        }),
    })

    /** The declarations bound to `userId`'s tables: what a push of theirs applies. */
    const registryFor = (userId: string): Entity.Registry<VaultApi.VaultLocked> =>
      Entity.registry<VaultApi.VaultLocked>(
        settingsFor(userId),
        ...knowledge.map(([operations, declaration]) => operations.syncDefinition(userId, declaration)),
      )

    return { registryFor }
  }),
  dependencies: [KnowledgeBase.Default, SettingsRepo.Default],
}) {}
