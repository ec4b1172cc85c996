/**
 * The version history of one Infobase note or Journal entry: every kept
 * version, decrypted on this device (`KnowledgeBase.versions`), newest
 * first; which one the user is looking at; and restoring it — after a
 * confirmation — as the newest version (`KnowledgeBase.restore`). The list
 * loads again whenever the record changes (a save, a restore, a conflict),
 * and everything decrypted is dropped when the knowledge base is no longer
 * ready (a lock, a sign-out).
 */
import type { ReactiveController, ReactiveElement } from "lit"
import type { Outcome } from "../client/IgnitionClient.js"
import { IgVersionRestoredEvent } from "../events/events.js"
import { messageOf } from "../internal/session.js"
import type { EntryVersion } from "../knowledge/KnowledgeBase.js"
import { KnowledgeState } from "../knowledge-editor/KnowledgeState.js"
import type { HistoryKind } from "../knowledge-editor/NotesController.js"

export type Restore =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "Confirming" }
  | { readonly _tag: "Restoring" }
  | { readonly _tag: "Restored"; readonly from: number; readonly to: number }
  /** The record changed elsewhere first: nothing was restored. */
  | { readonly _tag: "Conflict" }
  | { readonly _tag: "Failed"; readonly message: string }

export class VersionHistoryController implements ReactiveController {
  readonly state: KnowledgeState
  /** The versions, or why they could not be loaded; undefined until the first answer. */
  versions: Outcome<ReadonlyArray<EntryVersion<HistoryKind>>> | undefined = undefined
  /** A newer list is on its way (the one shown stays until it arrives). */
  loading = false
  /** The version the user is looking at. */
  selected: number | undefined = undefined
  restore: Restore = { _tag: "Idle" }

  readonly #host: ReactiveElement
  readonly #record: () => { readonly kind: HistoryKind; readonly id: string }
  /** What the list shown was loaded for: the record and its version at the time. */
  #loadedFor: string | undefined
  #generation = 0
  #reloads = 0

  constructor(host: ReactiveElement, record: () => { readonly kind: HistoryKind; readonly id: string }) {
    this.#host = host
    this.#record = record
    this.state = new KnowledgeState(host)
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#clear()
  }

  /** The record's version now (the "current" one), when the knowledge base has it. */
  get currentVersion(): number | undefined {
    const view = this.state.view
    const { kind, id } = this.#record()
    return view._tag === "Ready" ? view.base.entry(kind, id)?.version : undefined
  }

  hostUpdate(): void {
    const view = this.state.view
    const { kind, id } = this.#record()
    if (view._tag !== "Ready" || id === "") {
      this.#clear()
      return
    }
    const key = [kind, id, this.currentVersion ?? "gone", this.#reloads].join("\u0000")
    if (key === this.#loadedFor) return
    if (this.#loadedFor?.startsWith(`${kind}\u0000${id}\u0000`) !== true) {
      // Another record: nothing of the previous one's history stays on screen.
      this.versions = undefined
      this.selected = undefined
      this.restore = { _tag: "Idle" }
    }
    this.#loadedFor = key
    this.loading = true
    const generation = ++this.#generation
    void view.base.versions(kind, id).then((versions) => {
      if (generation !== this.#generation) return
      this.versions = versions
      this.loading = false
      this.#host.requestUpdate()
    })
  }

  #clear() {
    this.#generation++
    this.#loadedFor = undefined
    this.versions = undefined
    this.loading = false
    this.selected = undefined
    this.restore = { _tag: "Idle" }
  }

  reload(): void {
    this.#reloads++
    this.#host.requestUpdate()
  }

  select(version: number): void {
    this.selected = version
    if (this.restore._tag !== "Restoring") this.restore = { _tag: "Idle" }
    this.#host.requestUpdate()
  }

  askRestore(): void {
    if (this.selected === undefined || this.selected === this.currentVersion) return
    this.restore = { _tag: "Confirming" }
    this.#host.requestUpdate()
  }

  cancelRestore(): void {
    this.restore = { _tag: "Idle" }
    this.#host.requestUpdate()
  }

  /** Restores the selected version as the newest; a conflict restores nothing and shows the new list. */
  async restoreSelected(): Promise<void> {
    const view = this.state.view
    const version = this.selected
    if (view._tag !== "Ready" || version === undefined || this.restore._tag === "Restoring") return
    const { kind, id } = this.#record()
    this.restore = { _tag: "Restoring" }
    this.#host.requestUpdate()
    const outcome = await view.base.restore(kind, id, version)
    if (outcome._tag !== "Ok")
      this.restore = {
        _tag: "Failed",
        message: outcome._tag === "Unreachable" ? outcome.message : messageOf(outcome.error),
      }
    else if (outcome.value._tag === "Conflict") {
      this.restore = { _tag: "Conflict" }
      this.reload()
    } else {
      this.restore = { _tag: "Restored", from: version, to: outcome.value.entry.version }
      this.selected = outcome.value.entry.version
      this.#host.dispatchEvent(new IgVersionRestoredEvent(kind, id, version))
    }
    this.#host.requestUpdate()
  }
}
