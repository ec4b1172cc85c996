/**
 * Editing the records of one kind that keeps history (Infobase notes,
 * Journal entries): which record is open, the draft and what it was when
 * last saved (so unsaved changes show), saving and deleting through
 * `KnowledgeBase` with their outcomes placed by `FormController`, the
 * confirmations (delete; discard unsaved changes before opening another),
 * and the notices a save can end with — above all a conflict, when another
 * device saved first and the user's text was kept as a conflict copy.
 *
 * The open record follows the knowledge base: when it changes underneath
 * (a restored version, a reload) an unchanged draft takes the new version,
 * and a changed one is marked stale. Whatever was decrypted is dropped as
 * soon as the knowledge base is no longer ready (a lock, a sign-out).
 *
 * New records start in the user's default privacy mode
 * (`DefaultPrivacyController`: `defaultPrivacyMode` in the settings document).
 */

import type { ReactiveController, ReactiveElement } from "lit"
import { FormController } from "../controllers/FormController.js"
import {
  type Drafts,
  type Entry,
  invalidMetadata,
  type KnowledgeBase,
  type PrivacyMode,
  type SaveResult,
} from "../knowledge/KnowledgeBase.js"
import { DefaultPrivacyController } from "../privacy-toggle/DefaultPrivacyController.js"
import { KnowledgeState } from "./KnowledgeState.js"
import { UnsavedGuardController } from "./UnsavedGuardController.js"

/** The kinds with version history. */
export type HistoryKind = "infobase" | "journal"

/** What an element tells the controller about its kind. */
export interface NoteKind<K extends HistoryKind> {
  readonly type: K
  /** A new record's draft. */
  readonly blank: () => Drafts[K]
  /** The draft as it is saved: surrounding spaces trimmed, an empty category as none. */
  readonly tidy: (draft: Drafts[K]) => Drafts[K]
  /** What the UI requires beyond the contract (a title, a date): field name → message. */
  readonly problems: (draft: Drafts[K]) => Readonly<Record<string, string>>
  /** The record's name in headings and questions ("Mixing checklist", "Monday 2 March 2026"). */
  readonly label: (draft: Drafts[K]) => string
  /** Called when the open record changes: the element's `selected` follows. */
  readonly opened: (id: string | undefined) => void
}

export interface Editing<K extends HistoryKind> {
  /** Undefined until a new record is first saved. */
  readonly id: string | undefined
  /** The version the draft began from. */
  readonly version: number | undefined
  readonly saved: { readonly draft: Drafts[K]; readonly mode: PrivacyMode }
  readonly draft: Drafts[K]
  readonly mode: PrivacyMode
}

export type Notice =
  | { readonly _tag: "Saved" }
  | { readonly _tag: "Deleted"; readonly label: string }
  /** A save lost a race: the open record is the other device's (or gone), the user's text is `copyId`. */
  | { readonly _tag: "Conflict"; readonly copyId: string | undefined; readonly deletedElsewhere: boolean }
  /** A delete lost a race: nothing was deleted. */
  | { readonly _tag: "DeleteConflict"; readonly deletedElsewhere: boolean }
  /** The record asked for (`selected`) is not here. */
  | { readonly _tag: "Missing" }

export type Confirming =
  | { readonly _tag: "Delete" }
  | {
      readonly _tag: "Discard"
      readonly next: { readonly _tag: "Open"; readonly id: string } | { readonly _tag: "New" }
    }

const sameValue = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((item, index) => item === b[index])
    : Object.is(a, b)

/** Field by field: drafts are flat records of strings, numbers, nulls and string lists. */
export const sameDraft = <D extends object>(a: D, b: D): boolean => {
  const left = a as Readonly<Record<string, unknown>>
  const right = b as Readonly<Record<string, unknown>>
  const keys = new Set([...Object.keys(left), ...Object.keys(right)])
  return [...keys].every((key) => sameValue(left[key], right[key]))
}

const editingOf = <K extends HistoryKind>(entry: Entry<K>): Editing<K> => ({
  id: entry.id,
  version: entry.version,
  saved: { draft: entry.draft, mode: entry.mode },
  draft: entry.draft,
  mode: entry.mode,
})

export class NotesController<K extends HistoryKind> implements ReactiveController {
  readonly state: KnowledgeState
  /** Saving and deleting: pending, and the refusals placed next to their fields or on the form. */
  readonly form: FormController
  editing: Editing<K> | undefined = undefined
  notice: Notice | undefined = undefined
  confirming: Confirming | undefined = undefined
  /** The open record changed underneath an edited draft. */
  stale = false
  /** Why the draft's metadata breaks the contract (key, tags…), checked before saving. */
  metadataProblem: string | undefined = undefined
  historyOpen = false
  /** The Markdown editor's tab; it stays as chosen from one record to the next. */
  tab: "write" | "preview" = "write"

  readonly #host: ReactiveElement
  readonly #kind: NoteKind<K>
  /** The record the page asked for (`selected`), opened once the records are ready. */
  #wanted: string | undefined
  readonly #defaultPrivacy: DefaultPrivacyController

  constructor(host: ReactiveElement, kind: NoteKind<K>) {
    this.#host = host
    this.#kind = kind
    this.state = new KnowledgeState(host)
    this.form = new FormController(host, {})
    this.#defaultPrivacy = new DefaultPrivacyController(host, () => this.state.knowledge.vault.session)
    new UnsavedGuardController(host, () => this.dirty)
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#reset()
  }

  /** Before each render: follow the knowledge base (drop everything when it is not ready, track the open record). */
  hostUpdate(): void {
    const view = this.state.view
    if (view._tag !== "Ready") {
      this.#reset()
      return
    }
    this.#openWanted(view.base)
    this.#follow(view.base)
  }

  get #base(): KnowledgeBase | undefined {
    const view = this.state.view
    return view._tag === "Ready" ? view.base : undefined
  }

  get dirty(): boolean {
    const editing = this.editing
    if (editing === undefined) return false
    return editing.mode !== editing.saved.mode || !sameDraft(editing.draft, editing.saved.draft)
  }

  #reset() {
    if (this.editing === undefined && this.notice === undefined && this.confirming === undefined) return
    // The same record opens again after the next unlock (without its unsaved draft: that was plaintext).
    this.#wanted = this.editing?.id ?? this.#wanted
    this.editing = undefined
    this.notice = undefined
    this.confirming = undefined
    this.stale = false
    this.metadataProblem = undefined
    this.historyOpen = false
    this.form.fieldErrors = {}
    this.form.formError = undefined
  }

  #openWanted(base: KnowledgeBase) {
    const wanted = this.#wanted
    if (wanted === undefined) return
    this.#wanted = undefined
    if (wanted === this.editing?.id) return
    const entry = base.entry(this.#kind.type, wanted)
    if (entry === undefined) {
      this.notice = { _tag: "Missing" }
      return
    }
    if (this.dirty) this.confirming = { _tag: "Discard", next: { _tag: "Open", id: wanted } }
    else this.#show(editingOf(entry), undefined)
  }

  #follow(base: KnowledgeBase) {
    const editing = this.editing
    if (editing?.id === undefined || this.form.pending) return
    const entry = base.entry(this.#kind.type, editing.id)
    if (entry !== undefined && entry.version === editing.version) return
    if (this.dirty) {
      this.stale = true
      return
    }
    if (entry === undefined) this.#show(undefined, { _tag: "Missing" })
    else {
      this.editing = editingOf(entry)
      this.stale = false
    }
  }

  /** Opens `editing` (or nothing) in place of what was open. */
  #show(editing: Editing<K> | undefined, notice: Notice | undefined) {
    const previous = this.editing?.id
    this.editing = editing
    this.notice = notice
    this.confirming = undefined
    this.stale = false
    this.metadataProblem = undefined
    this.form.fieldErrors = {}
    this.form.formError = undefined
    if (editing?.id !== previous) this.historyOpen = false
    if (editing?.id !== previous) this.#kind.opened(editing?.id)
    this.#host.requestUpdate()
  }

  /** The page's `selected`: opens that record once the records are ready (asking first if the draft changed). */
  select(id: string | undefined): void {
    if (id === undefined || id === "" || id === this.editing?.id) return
    this.#wanted = id
    this.#host.requestUpdate()
  }

  /** Opens a record from the list (asking first if the draft changed, unless `discard`). */
  open(id: string, discard = false): void {
    const entry = this.#base?.entry(this.#kind.type, id)
    if (entry === undefined || id === this.editing?.id) return
    if (this.dirty && !discard) {
      this.confirming = { _tag: "Discard", next: { _tag: "Open", id } }
      this.#host.requestUpdate()
      return
    }
    this.#show(editingOf(entry), undefined)
  }

  /** Starts a new record in the default privacy mode (asking first if the draft changed, unless `discard`). */
  create(discard = false): void {
    if (this.dirty && !discard) {
      this.confirming = { _tag: "Discard", next: { _tag: "New" } }
      this.#host.requestUpdate()
      return
    }
    const draft = this.#kind.blank()
    const mode = this.#defaultPrivacy.mode
    this.#show({ id: undefined, version: undefined, saved: { draft, mode }, draft, mode }, undefined)
  }

  get type(): K {
    return this.#kind.type
  }

  /** Changes the kind's own fields (title, category, date, tags). */
  edit(change: Partial<Drafts[K]>): void {
    const editing = this.editing
    if (editing === undefined) return
    this.#changed({ ...editing.draft, ...change }, Object.keys(change))
  }

  /** Changes the Markdown, which every kind with history has. */
  editContent(content: string): void {
    const editing = this.editing
    if (editing === undefined) return
    this.#changed({ ...editing.draft, content }, ["content"])
  }

  #changed(draft: Drafts[K], fields: ReadonlyArray<string>) {
    const editing = this.editing
    if (editing === undefined) return
    this.editing = { ...editing, draft }
    for (const field of fields) this.form.edited(field)
    this.metadataProblem = undefined
    if (this.notice?._tag === "Saved") this.notice = undefined
    this.#host.requestUpdate()
  }

  setMode(mode: PrivacyMode): void {
    const editing = this.editing
    if (editing === undefined) return
    this.editing = { ...editing, mode }
    if (this.notice?._tag === "Saved") this.notice = undefined
    this.#host.requestUpdate()
  }

  /** Takes the record's newest version in place of a stale draft. */
  discardChanges(): void {
    const id = this.editing?.id
    const entry = id === undefined ? undefined : this.#base?.entry(this.#kind.type, id)
    this.#show(entry === undefined ? undefined : editingOf(entry), undefined)
  }

  chooseTab(tab: "write" | "preview"): void {
    this.tab = tab
    this.#host.requestUpdate()
  }

  toggleHistory(): void {
    this.historyOpen = !this.historyOpen
    this.#host.requestUpdate()
  }

  /** Checks the draft here, then saves it; answers whether it was saved (a conflict copy counts: nothing was lost). */
  async save(): Promise<boolean> {
    const base = this.#base
    const editing = this.editing
    if (base === undefined || editing === undefined || this.form.pending) return false
    const typed = editing.draft
    const draft = this.#kind.tidy(typed)
    const problems = this.#kind.problems(draft)
    this.metadataProblem = invalidMetadata(this.#kind.type, draft)
    if (Object.keys(problems).length > 0 || this.metadataProblem !== undefined) {
      this.form.fieldErrors = problems
      this.form.formError = undefined
      this.#host.requestUpdate()
      return false
    }
    const mode = editing.mode
    let saved = false
    await this.form.submit(async () => {
      const outcome = await base.save(this.#kind.type, {
        ...(editing.id === undefined ? {} : { id: editing.id }),
        // A newer version that arrived meanwhile makes this a conflict (a copy is kept), never an overwrite.
        ...(editing.version === undefined ? {} : { baseVersion: editing.version }),
        mode,
        draft,
      })
      if (outcome._tag === "Ok") {
        saved = true
        this.#saved(outcome.value, typed, mode)
      }
      return outcome
    })
    return saved
  }

  /** `typed`: the draft as it was when Save was pressed (before `tidy`). */
  #saved(result: SaveResult<K>, typed: Drafts[K], sentMode: PrivacyMode) {
    if (result._tag === "Saved") {
      const entry = result.entry
      const current = this.editing
      // Typing went on while the save was on its way: keep it, now compared with what was saved.
      const typedSince = current !== undefined && (current.draft !== typed || current.mode !== sentMode)
      this.#show(typedSince ? { ...editingOf(entry), draft: current.draft, mode: current.mode } : editingOf(entry), {
        _tag: "Saved",
      })
      return
    }
    const { current, copy } = result
    const shown = current ?? copy
    this.#show(shown === null ? undefined : editingOf(shown), {
      _tag: "Conflict",
      copyId: copy?.id,
      deletedElsewhere: current === null,
    })
  }

  askDelete(): void {
    if (this.editing?.id === undefined) return
    this.confirming = { _tag: "Delete" }
    this.#host.requestUpdate()
  }

  cancelConfirm(): void {
    this.confirming = undefined
    this.#host.requestUpdate()
  }

  /** Goes ahead with what is being confirmed. */
  async confirm(): Promise<void> {
    const confirming = this.confirming
    if (confirming === undefined) return
    this.confirming = undefined
    if (confirming._tag === "Delete") return this.#delete()
    const next = confirming.next
    if (next._tag === "New") this.create(true)
    else this.open(next.id, true)
  }

  async #delete(): Promise<void> {
    const base = this.#base
    const editing = this.editing
    if (base === undefined || editing?.id === undefined) return
    const id = editing.id
    const label = this.#kind.label(editing.saved.draft)
    await this.form.submit(async () => {
      const outcome = await base.remove(this.#kind.type, id)
      if (outcome._tag !== "Ok") return outcome
      const result = outcome.value
      if (result === undefined) this.#show(undefined, { _tag: "Deleted", label })
      else if (result._tag === "Conflict")
        this.#show(result.current === null ? undefined : editingOf(result.current), {
          _tag: "DeleteConflict",
          deletedElsewhere: result.current === null,
        })
      return outcome
    })
  }
}
