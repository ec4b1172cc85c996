/**
 * The Infobase: its list's filter (category, tag, a text over the titles)
 * and what the list shows, and the rules of a note's draft (a title is
 * required here; see `tidyNote`). Editing itself is `NotesController`'s.
 */
import type { ReactiveController, ReactiveElement } from "lit"
import type { Entry, KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { ListMemo } from "../knowledge-editor/ListMemo.js"
import { noteLabel } from "../knowledge-editor/labels.js"
import { NotesController } from "../knowledge-editor/NotesController.js"
import { tagsIn } from "../knowledge-editor/tags.js"
import { categoriesOf, filterNotes, type NoteFilter, noFilter, tidyNote } from "./noteFilter.js"

/** What the list pane shows. */
export interface NoteList {
  readonly all: ReadonlyArray<Entry<"infobase">>
  readonly shown: ReadonlyArray<Entry<"infobase">>
  readonly categories: ReadonlyArray<string>
  readonly tags: ReadonlyArray<string>
}

export class InfobaseController implements ReactiveController {
  /** The open note and its editing. */
  readonly notes: NotesController<"infobase">
  filter: NoteFilter = noFilter

  readonly #host: ReactiveElement
  readonly #list = new ListMemo<NoteFilter, NoteList>()

  constructor(host: ReactiveElement, opened: (id: string | undefined) => void) {
    this.#host = host
    this.notes = new NotesController(host, {
      type: "infobase",
      blank: () => ({ title: "", category: null, tags: [], content: "" }),
      tidy: tidyNote,
      problems: (draft) => (draft.title === "" ? { title: "Give the note a title." } : {}),
      label: noteLabel,
      opened,
    })
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.filter = noFilter
    this.#list.clear()
  }

  /** The list, and the filter (it names categories and tags, which Private notes keep encrypted), go when the notes do. */
  hostUpdate(): void {
    if (this.notes.state.view._tag === "Ready") return
    this.filter = noFilter
    this.#list.clear()
  }

  setFilter(change: Partial<NoteFilter>): void {
    this.filter = { ...this.filter, ...change }
    this.#host.requestUpdate()
  }

  /** What the list shows; the same object until the notes or the filter change. */
  list(base: KnowledgeBase): NoteList {
    return this.#list.value(base, this.filter, () => {
      const all = base.entries("infobase")
      return { all, shown: filterNotes(all, this.filter), categories: categoriesOf(all), tags: tagsIn(all) }
    })
  }
}
