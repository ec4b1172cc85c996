/**
 * The Ideas element's state and behaviour: the capture form, the idea being
 * edited inline (one at a time), the delete being confirmed, which ideas are
 * expanded, the mood filter, the idea the page asked for (`selected`), and
 * the notices a save or a delete can end with — above all a conflict, when
 * another device saved first and the user's text was kept as a conflict
 * copy. Saves go through `KnowledgeBase` (sealed on this device); new ideas
 * start in the user's default privacy mode. Everything decrypted or typed
 * is dropped as soon as the knowledge base is no longer ready (a lock, a
 * sign-out). Where focus should go next is left in `focus` for the element.
 */

import type { ReactiveController, ReactiveElement } from "lit"
import { FormController } from "../controllers/FormController.js"
import type { Entry, KnowledgeBase, SaveResult } from "../knowledge/KnowledgeBase.js"
import { KnowledgeState } from "../knowledge-editor/KnowledgeState.js"
import { sameDraft } from "../knowledge-editor/NotesController.js"
import { UnsavedGuardController } from "../knowledge-editor/UnsavedGuardController.js"
import { DefaultPrivacyController } from "../privacy-toggle/DefaultPrivacyController.js"
import { IdeaForm } from "./IdeaForm.js"

export type IdeaNotice =
  /** A save lost a race: the idea shows the other device's version (or is gone); the user's text is `copyId`. */
  | { readonly _tag: "Conflict"; readonly copyId: string | undefined; readonly deletedElsewhere: boolean }
  /** A delete lost a race: nothing was deleted (or it was already gone). */
  | { readonly _tag: "DeleteConflict"; readonly deletedElsewhere: boolean }
  /** The idea the page asked for is not here. */
  | { readonly _tag: "Missing" }

/** Where focus goes after the element renders: an idea's part, or one of the element's own. */
export type FocusTarget =
  | {
      readonly _tag: "Idea"
      readonly id: string
      readonly part: "idea" | "text-input" | "edit" | "delete" | "confirm-button"
    }
  | { readonly _tag: "Part"; readonly part: "idea-text" | "list-heading" | "notice" | "mood-input" }

/** An idea's text shows in full when it is at most this many lines and characters. */
export const shortLines = 3
export const shortLength = 280

/** The first lines of a long idea (and whether it was cut). */
export const preview = (text: string): { readonly text: string; readonly cut: boolean } => {
  const lines = text.split("\n")
  const kept = lines.slice(0, shortLines).join("\n")
  const short = kept.length > shortLength ? `${kept.slice(0, shortLength).trimEnd()}…` : kept
  return { text: short, cut: short !== text }
}

export class IdeasController implements ReactiveController {
  readonly state: KnowledgeState
  capture: IdeaForm
  readonly captureSubmit: FormController
  readonly editSubmit: FormController
  /** The idea being edited, the version its edit began from, and the form. */
  editing: { readonly id: string; readonly version: number; readonly form: IdeaForm } | undefined = undefined
  /** The idea whose delete is being confirmed, and one being deleted. */
  confirmingDelete: string | undefined = undefined
  deleting: string | undefined = undefined
  /** Why an idea's delete failed, by id. */
  deleteErrors: ReadonlyMap<string, string> = new Map()
  expanded: ReadonlySet<string> = new Set()
  /** Only ideas with this mood tag are listed. */
  filter: string | undefined = undefined
  notice: IdeaNotice | undefined = undefined
  /** Said politely: "Idea saved.", "Idea deleted.". */
  status = ""
  /** The idea shown as selected (the page's `selected`, or a conflict copy opened). */
  highlighted: string | undefined = undefined
  focus: FocusTarget | undefined = undefined

  readonly #host: ReactiveElement
  readonly #defaultPrivacy: DefaultPrivacyController
  /** The page's `selected`, shown once the ideas are ready. */
  #wanted: string | undefined
  /** Whether the ideas were ready at the last render: what was shown is dropped once, when they stop being. */
  #ready = false

  constructor(host: ReactiveElement) {
    this.#host = host
    this.state = new KnowledgeState(host)
    this.capture = this.#newForm()
    this.captureSubmit = new FormController(host, {})
    this.editSubmit = new FormController(host, {})
    this.#defaultPrivacy = new DefaultPrivacyController(host, () => this.state.knowledge.vault.session)
    new UnsavedGuardController(host, () => this.unsaved)
    host.addController(this)
  }

  /** Text typed here and not saved: a new idea begun, or an edit that changed something. */
  get unsaved(): boolean {
    if (this.capture.text.trim() !== "") return true
    const editing = this.editing
    const saved = editing === undefined ? undefined : this.#base?.entry("idea", editing.id)
    return editing !== undefined && saved !== undefined && !sameDraft(editing.form.draft, saved.draft)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#reset()
  }

  readonly #changed = () => this.#host.requestUpdate()

  #newForm(from?: Entry<"idea">): IdeaForm {
    return new IdeaForm(this.#changed, from)
  }

  /** Before each render: drop everything once the knowledge base is not ready; show the wanted idea once it is. */
  hostUpdate(): void {
    const view = this.state.view
    if (view._tag !== "Ready") {
      if (this.#ready) this.#reset()
      this.#ready = false
      return
    }
    this.#ready = true
    if (
      this.editing !== undefined &&
      view.base.entry("idea", this.editing.id) === undefined &&
      !this.editSubmit.pending
    )
      this.editing = undefined
    this.#showWanted(view.base)
  }

  get #base(): KnowledgeBase | undefined {
    const view = this.state.view
    return view._tag === "Ready" ? view.base : undefined
  }

  #reset() {
    this.capture = this.#newForm()
    this.editing = undefined
    this.confirmingDelete = undefined
    this.deleting = undefined
    this.deleteErrors = new Map()
    this.expanded = new Set()
    this.filter = undefined
    this.notice = undefined
    this.status = ""
    this.highlighted = undefined
    this.focus = undefined
    this.captureSubmit.formError = undefined
    this.editSubmit.formError = undefined
  }

  /** The mode a new idea is saved in, unless the user switched it. */
  get defaultMode() {
    return this.#defaultPrivacy.mode
  }

  /** The ideas to list: newest first, with the mood filter applied. */
  get ideas(): ReadonlyArray<Entry<"idea">> {
    const all = this.#base?.entries("idea") ?? []
    const filter = this.filter
    return filter === undefined ? all : all.filter((idea) => idea.draft.moodTags.includes(filter))
  }

  /** Every mood tag in use, most used first. */
  get moods(): ReadonlyArray<string> {
    const counts = new Map<string, number>()
    for (const idea of this.#base?.entries("idea") ?? [])
      for (const tag of idea.draft.moodTags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag)
  }

  /** The page's `selected`: that idea is scrolled to and highlighted once the ideas are ready. */
  select(id: string | undefined): void {
    this.#wanted = id === "" ? undefined : id
    if (this.#wanted === undefined) this.highlighted = undefined
    this.#host.requestUpdate()
  }

  #showWanted(base: KnowledgeBase) {
    const wanted = this.#wanted
    if (wanted === undefined) return
    this.#wanted = undefined
    if (base.entry("idea", wanted) === undefined) {
      this.highlighted = undefined
      this.notice = { _tag: "Missing" }
      return
    }
    this.#highlight(wanted)
  }

  #highlight(id: string) {
    const idea = this.#base?.entry("idea", id)
    if (idea !== undefined && this.filter !== undefined && !idea.draft.moodTags.includes(this.filter))
      this.filter = undefined
    this.highlighted = id
    this.focus = { _tag: "Idea", id, part: "idea" }
    this.#host.requestUpdate()
  }

  /** Opens the conflict copy a notice names. */
  openCopy(id: string): void {
    this.#highlight(id)
  }

  setFilter(tag: string | undefined): void {
    this.filter = tag === this.filter ? undefined : tag
    this.#host.requestUpdate()
  }

  toggleExpanded(id: string): void {
    const next = new Set(this.expanded)
    if (!next.delete(id)) next.add(id)
    this.expanded = next
    this.#host.requestUpdate()
  }

  dismissNotice(): void {
    this.notice = undefined
    this.#host.requestUpdate()
  }

  /** Saves the capture form as a new idea. */
  async saveCapture(): Promise<void> {
    const base = this.#base
    const form = this.capture
    if (base === undefined || this.captureSubmit.pending) return
    if (!form.check()) {
      this.focus = { _tag: "Part", part: form.problems.text !== undefined ? "idea-text" : "mood-input" }
      return
    }
    const mode = form.mode ?? this.defaultMode
    // Cleared first, so that the same words said again are announced again.
    this.status = ""
    const result = await this.captureSubmit.submit(() => base.save("idea", { mode, draft: form.draft }))
    if (result === undefined || this.capture !== form) return
    this.capture = this.#newForm()
    this.#ended(result, "Idea saved.")
    if (result._tag === "Saved") this.focus = { _tag: "Part", part: "idea-text" }
  }

  edit(id: string): void {
    const idea = this.#base?.entry("idea", id)
    if (idea === undefined) return
    this.editing = { id, version: idea.version, form: this.#newForm(idea) }
    this.editSubmit.formError = undefined
    this.confirmingDelete = undefined
    this.focus = { _tag: "Idea", id, part: "text-input" }
    this.#host.requestUpdate()
  }

  cancelEdit(): void {
    const id = this.editing?.id
    if (id === undefined || this.editSubmit.pending) return
    this.editing = undefined
    this.focus = { _tag: "Idea", id, part: "edit" }
    this.#host.requestUpdate()
  }

  /** Saves the idea being edited (a compare-and-swap on the version the edit began from). */
  async saveEdit(): Promise<void> {
    const base = this.#base
    const editing = this.editing
    if (base === undefined || editing === undefined || this.editSubmit.pending) return
    const form = editing.form
    if (!form.check()) {
      this.focus = { _tag: "Idea", id: editing.id, part: "text-input" }
      return
    }
    const mode = form.mode ?? this.defaultMode
    this.status = ""
    const result = await this.editSubmit.submit(() =>
      base.save("idea", { id: editing.id, baseVersion: editing.version, mode, draft: form.draft }),
    )
    if (result === undefined || this.editing !== editing) return
    this.editing = undefined
    this.#ended(result, "Changes saved.")
    if (result._tag === "Saved") this.focus = { _tag: "Idea", id: editing.id, part: "edit" }
  }

  /** A save's end: said politely when saved; a notice (and the copy shown) when it lost a race. */
  #ended(result: SaveResult<"idea">, saved: string) {
    if (result._tag === "Saved") {
      this.notice = undefined
      this.status = saved
    } else {
      this.status = ""
      this.notice = {
        _tag: "Conflict",
        copyId: result.copy?.id,
        deletedElsewhere: result.current === null,
      }
      this.focus = { _tag: "Part", part: "notice" }
    }
    this.#host.requestUpdate()
  }

  askDelete(id: string): void {
    this.confirmingDelete = id
    this.focus = { _tag: "Idea", id, part: "confirm-button" }
    this.#host.requestUpdate()
  }

  cancelDelete(): void {
    const id = this.confirmingDelete
    if (id === undefined) return
    this.confirmingDelete = undefined
    this.focus = { _tag: "Idea", id, part: "delete" }
    this.#host.requestUpdate()
  }

  async confirmDelete(): Promise<void> {
    const base = this.#base
    const id = this.confirmingDelete
    if (base === undefined || id === undefined || this.deleting !== undefined) return
    this.confirmingDelete = undefined
    this.deleting = id
    this.status = ""
    this.#host.requestUpdate()
    const outcome = await base.remove("idea", id)
    this.deleting = undefined
    const errors = new Map(this.deleteErrors)
    errors.delete(id)
    if (outcome._tag === "Ok") {
      const result = outcome.value
      if (result?._tag !== "Conflict") {
        this.status = "Idea deleted."
        this.focus = { _tag: "Part", part: "list-heading" }
      } else {
        this.notice = { _tag: "DeleteConflict", deletedElsewhere: result.current === null }
        this.focus = { _tag: "Part", part: "notice" }
      }
    } else {
      errors.set(
        id,
        outcome._tag === "Refused" ? (outcome.error.message ?? "It could not be deleted.") : outcome.message,
      )
      this.focus = { _tag: "Idea", id, part: "delete" }
    }
    this.deleteErrors = errors
    this.#host.requestUpdate()
  }

  /** What the element should focus now (asked once, after a render). */
  takeFocus(): FocusTarget | undefined {
    const focus = this.focus
    this.focus = undefined
    return focus
  }
}
