/**
 * What `<ig-conflicts>` lists and does. Three sources, each the same on
 * every device of the user:
 *
 * - sync's conflict copies: a push that found a newer version kept its
 *   envelopes beside the record, at `<id>~conflict~<mutationId>`, in the
 *   change log every device pulls (`status.conflicts`, with the record each
 *   came from);
 * - the knowledge base's conflict copies: a save through the REST endpoints
 *   that lost a race kept the draft as a new record tagged `conflict-copy`;
 * - mutations the server refused for good (`status.rejections`).
 *
 * Resolving writes through the normal paths — the sync engine for sync's
 * copies, the knowledge base for its own — so a resolution is itself synced:
 * "keep the current version" deletes the copy; "use this copy" (sync's
 * copies) writes the copy's envelopes over the record they were sealed for,
 * then deletes the copy; "keep both" saves the copy as a record of its own
 * (sync's: opened and sealed again under a new id) without the
 * `conflict-copy` tag, and deletes sync's copy.
 */
import type { ReactiveController, ReactiveElement } from "lit"
import type { Entry, KindName } from "../knowledge/KnowledgeBase.js"
import { KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { conflictTag, type Drafts, kindNames } from "../knowledge/kinds.js"
import { knowledgeEntity } from "../sync/entities.js"
import { SyncController } from "../sync/SyncController.js"

export type Choice = "current" | "copy" | "both"

export type Conflict =
  | {
      /** A copy sync kept beside `origin` (its envelopes are sealed for `origin`). */
      readonly _tag: "SyncCopy"
      readonly kind: KindName
      readonly id: string
      readonly version: number
      readonly origin: string
      /** The record it came from, when it is still here and the vault is unlocked. */
      readonly current: Entry | undefined
    }
  | {
      /** A record the knowledge base saved as a copy when a save lost a race. */
      readonly _tag: "KnowledgeCopy"
      readonly kind: KindName
      readonly id: string
      readonly entry: Entry
    }

export type Resolution =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "Working"; readonly id: string }
  | { readonly _tag: "Failed"; readonly id: string; readonly message: string }

const kindOfEntity = new Map<string, KindName>(kindNames.map((kind) => [knowledgeEntity[kind], kind]))

/** The draft's tags: an idea's mood tags, a note's or entry's tags. */
const tagsOf = (draft: Drafts[KindName]): ReadonlyArray<string> => ("moodTags" in draft ? draft.moodTags : draft.tags)

const withoutConflictTag = <K extends KindName>(draft: Drafts[K]): Drafts[K] =>
  "moodTags" in draft
    ? { ...draft, moodTags: draft.moodTags.filter((tag) => tag !== conflictTag) }
    : { ...draft, tags: draft.tags.filter((tag) => tag !== conflictTag) }

export const isKnowledgeCopy = (entry: Entry): boolean => tagsOf(entry.draft).includes(conflictTag)

export class ConflictsController implements ReactiveController {
  readonly #host: ReactiveElement
  readonly sync: SyncController
  #followed: KnowledgeBase | undefined
  resolution: Resolution = { _tag: "Idle" }

  constructor(host: ReactiveElement) {
    this.#host = host
    this.sync = new SyncController(host)
    host.addController(this)
  }

  readonly #changed = () => this.#host.requestUpdate()

  /** The knowledge base of the signed-in user (followed for changes), or undefined while signed out. */
  get base(): KnowledgeBase | undefined {
    const vault = this.sync.vault.session
    const base = vault === undefined ? undefined : KnowledgeBase.of(vault)
    if (base !== this.#followed) {
      this.#followed?.removeEventListener(KnowledgeBase.changeEvent, this.#changed)
      this.#followed = base
      if (this.#host.isConnected) base?.addEventListener(KnowledgeBase.changeEvent, this.#changed)
    }
    return base
  }

  hostConnected(): void {
    this.#followed?.addEventListener(KnowledgeBase.changeEvent, this.#changed)
  }

  hostUpdate(): void {
    void this.base
  }

  hostDisconnected(): void {
    this.#followed?.removeEventListener(KnowledgeBase.changeEvent, this.#changed)
  }

  /** Every conflict copy, sync's first (in log order), then the knowledge base's (newest first). */
  get conflicts(): ReadonlyArray<Conflict> {
    const base = this.base
    const ready = base?.status.status === "ready"
    const fromSync = (this.sync.session?.status?.conflicts ?? []).flatMap((copy): ReadonlyArray<Conflict> => {
      const kind = kindOfEntity.get(copy.entity)
      if (kind === undefined) return []
      const current = ready ? base.entry(kind, copy.origin) : undefined
      return [{ _tag: "SyncCopy", kind, id: copy.id, version: copy.version, origin: copy.origin, current }]
    })
    const fromKnowledge = ready
      ? kindNames.flatMap((kind) =>
          base
            .entries(kind)
            .filter(isKnowledgeCopy)
            .map((entry): Conflict => ({ _tag: "KnowledgeCopy", kind, id: entry.id, entry })),
        )
      : []
    return [...fromSync, ...fromKnowledge]
  }

  get rejections() {
    return this.sync.session?.status?.rejections ?? []
  }

  async dismiss(mutationSeq: number): Promise<void> {
    await this.sync.session?.dismissRejection(mutationSeq)
  }

  /** Resolves `conflict` as the user chose; answers whether it was resolved. */
  async resolve(conflict: Conflict, choice: Choice): Promise<boolean> {
    this.resolution = { _tag: "Working", id: conflict.id }
    this.#host.requestUpdate()
    const failure =
      conflict._tag === "SyncCopy"
        ? await this.#resolveSyncCopy(conflict, choice)
        : await this.#resolveKnowledgeCopy(conflict, choice)
    this.resolution = failure === undefined ? { _tag: "Idle" } : { _tag: "Failed", id: conflict.id, message: failure }
    this.#host.requestUpdate()
    return failure === undefined
  }

  /** Resolves a copy of sync's; answers why it could not be, or undefined. */
  async #resolveSyncCopy(
    conflict: Extract<Conflict, { _tag: "SyncCopy" }>,
    choice: Choice,
  ): Promise<string | undefined> {
    const session = this.sync.session
    const base = this.base
    if (session === undefined || base === undefined) return "Sign in first."
    const entity = knowledgeEntity[conflict.kind]
    const copy = await session.row(entity, conflict.id)
    if (copy === undefined) return undefined
    if (choice === "copy") {
      const origin = await session.row(entity, conflict.origin)
      const written = await session.mutate({
        entity,
        op: "put",
        args: { id: conflict.origin, baseVersion: origin?.version ?? null, value: copy.value },
      })
      const failure = this.#failureOf(written)
      if (failure !== undefined) return failure
    }
    if (choice === "both") {
      const opened = await base.openSynced(conflict.kind, conflict.origin, copy.value)
      if (opened._tag !== "Ok")
        return opened._tag === "Refused" ? (opened.error.message ?? "The copy could not be opened.") : opened.message
      const saved = await base.save(conflict.kind, {
        mode: opened.value.mode,
        draft: withoutConflictTag(opened.value.draft),
      })
      if (saved._tag !== "Ok")
        return saved._tag === "Refused" ? (saved.error.message ?? "The copy was not saved.") : saved.message
    }
    const deleted = await session.mutate({ entity, op: "delete", args: { id: conflict.id, baseVersion: copy.version } })
    const failure = this.#failureOf(deleted)
    if (failure !== undefined) return failure
    // The record's new text arrives through the knowledge base's own read.
    if (choice === "copy") base.reload()
    return undefined
  }

  #failureOf(outcome: Awaited<ReturnType<NonNullable<SyncController["session"]>["mutate"]>>): string | undefined {
    switch (outcome._tag) {
      case "Saved":
      case "Queued":
        return undefined
      case "Sending":
        return "Sent, but the server's answer did not arrive; it will be confirmed when it does."
      case "Unsaved":
        return outcome.reason === "offline" ? "You are offline: nothing was changed." : "Unlock the vault first."
      case "Rejected":
        return `The server refused it: ${outcome.reason}`
      case "Failed":
        return outcome.message
    }
  }

  /** Resolves a copy of the knowledge base's; answers why it could not be, or undefined. */
  async #resolveKnowledgeCopy(
    conflict: Extract<Conflict, { _tag: "KnowledgeCopy" }>,
    choice: Choice,
  ): Promise<string | undefined> {
    const base = this.base
    if (base === undefined) return "Sign in first."
    const { entry } = conflict
    const outcome =
      choice === "current"
        ? await base.remove(conflict.kind, entry.id)
        : await base.save(conflict.kind, {
            id: entry.id,
            baseVersion: entry.version,
            mode: entry.mode,
            draft: withoutConflictTag(entry.draft),
          })
    if (outcome._tag === "Unreachable") return outcome.message
    if (outcome._tag === "Refused") return outcome.error.message ?? "The server refused it."
    if (outcome.value?._tag === "Conflict") return "It changed on another device first; look at it again."
    return undefined
  }
}
