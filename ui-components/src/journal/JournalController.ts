/**
 * The Journal's list — entries grouped by month, newest first — and the
 * rules of an entry's draft: a new entry is dated today (the reader's local
 * date), a date is required, tags are trimmed. Editing itself is
 * `NotesController`'s.
 */
import type { ReactiveController, ReactiveElement } from "lit"
import type { JournalDraft, KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { ListMemo } from "../knowledge-editor/ListMemo.js"
import { entryLabel } from "../knowledge-editor/labels.js"
import { NotesController } from "../knowledge-editor/NotesController.js"
import { tagsIn, tidyTags } from "../knowledge-editor/tags.js"
import { byMonth, localDate, type Month } from "./months.js"

export const tidyEntry = (draft: JournalDraft): JournalDraft => ({
  ...draft,
  entryDate: draft.entryDate.trim(),
  tags: tidyTags(draft.tags),
})

/** What the list pane shows, and the tags to suggest. */
export interface EntryList {
  readonly months: ReadonlyArray<Month>
  readonly tags: ReadonlyArray<string>
}

export class JournalController implements ReactiveController {
  /** The open entry and its editing. */
  readonly notes: NotesController<"journal">
  readonly #list = new ListMemo<undefined, EntryList>()

  constructor(host: ReactiveElement, opened: (id: string | undefined) => void) {
    this.notes = new NotesController(host, {
      type: "journal",
      blank: () => ({ entryDate: localDate(new Date()), tags: [], content: "" }),
      tidy: tidyEntry,
      problems: (draft) => (draft.entryDate === "" ? { entryDate: "Choose the entry's date." } : {}),
      label: entryLabel,
      opened,
    })
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#list.clear()
  }

  /** The list holds decrypted entries: it goes when they do. */
  hostUpdate(): void {
    if (this.notes.state.view._tag !== "Ready") this.#list.clear()
  }

  /** The entries by month and the tags they use; the same object until the entries change. */
  list(base: KnowledgeBase): EntryList {
    return this.#list.value(base, undefined, () => {
      const entries = base.entries("journal")
      return { months: byMonth(entries), tags: tagsIn(entries) }
    })
  }
}
