/**
 * Finding notes in the Infobase's list: by category, by tag, by a text over
 * their titles (or first lines); the categories and tags in use; and a
 * note's draft as it is saved (spaces around the title, the category and the
 * tags trimmed, an empty category as none).
 */
import type { Entry, InfobaseDraft } from "../knowledge/KnowledgeBase.js"
import { noteLabel } from "../knowledge-editor/labels.js"
import { tidyTags } from "../knowledge-editor/tags.js"

export interface NoteFilter {
  /** A category, or "" for all. */
  readonly category: string
  /** A tag, or "" for all. */
  readonly tag: string
  /** Text the title (or first line) must contain, any case; "" for all. */
  readonly text: string
}

export const noFilter: NoteFilter = { category: "", tag: "", text: "" }

/** The categories in use, alphabetically, each once. */
export const categoriesOf = (notes: ReadonlyArray<Entry<"infobase">>): ReadonlyArray<string> =>
  [...new Set(notes.flatMap((note) => (note.draft.category === null ? [] : [note.draft.category])))].sort((a, b) =>
    a.localeCompare(b),
  )

/** The notes that pass `filter`, in the order given. */
export const filterNotes = (
  notes: ReadonlyArray<Entry<"infobase">>,
  filter: NoteFilter,
): ReadonlyArray<Entry<"infobase">> => {
  const text = filter.text.trim().toLocaleLowerCase()
  return notes.filter(
    (note) =>
      (filter.category === "" || note.draft.category === filter.category) &&
      (filter.tag === "" || note.draft.tags.includes(filter.tag)) &&
      (text === "" || noteLabel(note.draft).toLocaleLowerCase().includes(text)),
  )
}

export const tidyNote = (draft: InfobaseDraft): InfobaseDraft => {
  const category = draft.category?.trim() ?? ""
  return {
    ...draft,
    title: draft.title.trim(),
    category: category === "" ? null : category,
    tags: tidyTags(draft.tags),
  }
}
