import { html, LitElement, nothing, type PropertyValues } from "lit"
import { guard } from "lit/directives/guard.js"
import { ifDefined } from "lit/directives/if-defined.js"
import { field } from "../internal/fields.js"
import type { Entry, InfobaseDraft, KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { conflictTag } from "../knowledge/kinds.js"
import { EditorFocus, editorPane } from "../knowledge-editor/editor.js"
import { knowledgeGate } from "../knowledge-editor/KnowledgeState.js"
import { noteLabel } from "../knowledge-editor/labels.js"
import { tagsField } from "../knowledge-editor/tagsField.js"
import { MarkdownController } from "../markdown/MarkdownController.js"
import { InfobaseController, type NoteList } from "./InfobaseController.js"
import { styles } from "./infobase.styles.js"

const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" })

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * The personal knowledge base: notes in Markdown, end-to-end encrypted.
 * A list (filtered by category, by tag and by a text over the titles; "New
 * note") beside an editor: title (required), category (suggesting the ones
 * in use), tags, the privacy switch (Standard or Private: a Private note's
 * title, category and tags are encrypted too; a new note starts in the
 * user's default mode), and the note in Markdown with Write and Preview
 * tabs. Save (also Ctrl/Cmd+S) marks what is unsaved until then; Delete
 * asks first; History opens `<ig-version-history>` for the note, where an
 * older version can be restored. Opening another note with unsaved changes
 * asks before discarding them.
 *
 * When another device saved the note first, nothing is overwritten: the
 * editor shows that device's version and says so, and the user's text is
 * kept as a new note — a conflict copy, tagged `conflict-copy` — one button
 * away.
 *
 * The preview keeps no script, event handler, style, form or frame, and
 * only web, mail and phone links (opening in a new tab). Remote images are
 * left to the page's Content-Security-Policy: with Ignition's
 * (`img-src 'self' data: blob:`) they do not load, so a note never tells a
 * third party it was opened. The Markdown renderer is loaded the first time
 * a preview is shown.
 *
 * It uses the knowledge base of the vault `<ig-app>` provides: nothing of
 * the notes shows, and nothing can be written, while the vault is locked.
 *
 * @summary Infobase: Markdown notes with categories, tags, privacy and version history.
 * @fires ig-version-restored - An older version of the open note was restored (from its history).
 * @fires ig-privacy-change - The user switched the open note's privacy mode (from `<ig-privacy-toggle>`).
 * @slot heading - Replaces the "Infobase" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart signed-out - Shown when nobody is signed in.
 * @csspart unavailable - Shown when the page provides no vault (no `<ig-app>`).
 * @csspart absent - Shown when the user has no vault yet.
 * @csspart locked - Shown while the vault is locked (no note, no form).
 * @csspart loading - Placeholder rows while the notes load.
 * @csspart skeleton-row - One placeholder row.
 * @csspart index-progress - The `<ig-index-progress>` of the load after an unlock.
 * @csspart unreachable - The vault could not be loaded, with a retry.
 * @csspart failed - The notes could not be loaded, with a retry.
 * @csspart unreadable - How many records could not be decrypted.
 * @csspart retry - A retry button.
 * @csspart layout - The list pane and the editor pane, side by side when there is room.
 * @csspart list-pane - The list with its filters.
 * @csspart toolbar - "New note" and the filters.
 * @csspart new - The "New note" button.
 * @csspart filter-field - A filter: its label and control.
 * @csspart filter - The text filter over titles.
 * @csspart category-filter - The category filter.
 * @csspart tag-filter - The tag filter.
 * @csspart count - How many notes are listed (announced as the filters change).
 * @csspart list - The notes.
 * @csspart item - One note.
 * @csspart open - The button that opens a note (`aria-current` on the open one).
 * @csspart item-title - Its title.
 * @csspart item-meta - Its category, last change, privacy and conflict-copy marker.
 * @csspart no-notes - Shown when there are no notes yet.
 * @csspart no-match - Shown when no note passes the filters.
 * @csspart editor-pane - The editor, its notices and its status.
 * @csspart empty - What the editor pane says before a note is open.
 * @csspart editor - The note's form.
 * @csspart editor-header - The note's heading and the unsaved marker.
 * @csspart editor-heading - The note's heading.
 * @csspart unsaved - "Unsaved changes".
 * @csspart field - A field: its label, control and error.
 * @csspart label - A field's or a filter's label.
 * @csspart input - A field's input (title, category).
 * @csspart field-error - Why a field's value was refused.
 * @csspart tags - The tags field: its label, tags, input and hint.
 * @csspart tag-list - The tags.
 * @csspart tag - One tag.
 * @csspart tag-text - Its text.
 * @csspart remove-tag - The button that removes it.
 * @csspart tag-input - The input that adds a tag.
 * @csspart hint - How to add and remove tags.
 * @csspart tags-status - The (visually hidden) live region that says which tag was added or removed.
 * @csspart privacy - The `<ig-privacy-toggle>`.
 * @csspart tabs - The Write / Preview tabs.
 * @csspart tab - One tab.
 * @csspart tab-panel - A tab's panel.
 * @csspart write - The Write panel.
 * @csspart preview - The Preview panel.
 * @csspart content - The Markdown text area.
 * @csspart preview-empty - Shown in Preview when there is no text.
 * @csspart markdown - The rendered Markdown.
 * @csspart markdown-loading - Shown while the Markdown renderer loads.
 * @csspart markdown-error - The renderer could not be loaded, with a retry.
 * @csspart metadata-error - Why the category or tags cannot be saved (checked before sending).
 * @csspart form-error - Why the note could not be saved or deleted (with a retry after a network failure).
 * @csspart actions - Save, History and Delete.
 * @csspart save - The Save button.
 * @csspart history-toggle - The History button (`aria-expanded`).
 * @csspart delete - The Delete button.
 * @csspart version-history - The note's `<ig-version-history>`.
 * @csspart conflict - Another device changed the note first (`role="alert"`), with "Open the conflict copy".
 * @csspart open-copy - Opens the conflict copy.
 * @csspart stale - The note changed underneath unsaved changes, with "Discard my changes".
 * @csspart discard - Discards the unsaved changes.
 * @csspart missing - The note asked for (`selected`) is not here.
 * @csspart confirm - A confirmation (delete; discard unsaved changes): its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that goes ahead.
 * @csspart cancel-button - The button that cancels.
 * @csspart status - Says a note was saved or deleted.
 * @cssprop --ig-color-border - Borders.
 * @cssprop --ig-color-accent - The open note, notices, the primary buttons.
 * @cssprop --ig-color-danger - Errors and Delete.
 * @cssprop --ig-color-text-muted - Secondary text.
 * @cssprop --ig-font-mono - The Markdown text area's typeface.
 */
export class IgInfobase extends LitElement {
  static override styles = styles
  static override properties = { selected: { reflect: true } }

  /** The id of the note to open (a deep link from search); it follows the note the user opens. */
  declare selected: string

  readonly #infobase = new InfobaseController(this, (id) => {
    this.selected = id ?? ""
  })
  readonly #markdown = new MarkdownController(this)
  readonly #focus = new EditorFocus()

  constructor() {
    super()
    this.selected = ""
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    if (changed.has("selected")) this.#infobase.notes.select(this.selected)
    // Rendered notes are plaintext: they go when the notes do.
    if (this.#infobase.notes.state.view._tag !== "Ready") this.#markdown.clear()
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    this.#focus.follow(this.#infobase.notes, this.renderRoot)
  }

  #item(note: Entry<"infobase">, openId: string | undefined) {
    const meta = [
      note.draft.category,
      day.format(note.updatedAt),
      note.mode === "private" ? "Private" : undefined,
      note.draft.tags.includes(conflictTag) ? "Conflict copy" : undefined,
    ].filter((part): part is string => part !== undefined && part !== null)
    return html`<li part="item">
      <button
        part="open"
        type="button"
        aria-current=${ifDefined(note.id === openId ? "true" : undefined)}
        @click=${() => this.#infobase.notes.open(note.id)}
      >
        <span part="item-title">${noteLabel(note.draft)}</span>
        <span part="item-meta">${meta.join(" · ")}</span>
      </button>
    </li>`
  }

  #options(values: ReadonlyArray<string>, chosen: string, all: string) {
    return html`<option value="" ?selected=${chosen === ""}>${all}</option>
      ${values.map((value) => html`<option value=${value} ?selected=${chosen === value}>${value}</option>`)}`
  }

  #listPane(list: NoteList) {
    const infobase = this.#infobase
    const filter = infobase.filter
    const openId = infobase.notes.editing?.id
    const filtered = list.shown.length !== list.all.length
    return html`<div part="list-pane">
      <div part="toolbar">
        <button part="new" type="button" data-variant="primary" @click=${() => infobase.notes.create()}>New note</button>
        <label part="filter-field">
          <span part="label">Filter titles</span>
          <input
            part="filter"
            name="filter"
            type="search"
            autocomplete="off"
            .value=${filter.text}
            @input=${(event: InputEvent) => infobase.setFilter({ text: (event.target as HTMLInputElement).value })}
          />
        </label>
        <label part="filter-field">
          <span part="label">Category</span>
          <select
            part="category-filter"
            name="category-filter"
            @change=${(event: Event) => infobase.setFilter({ category: (event.target as HTMLSelectElement).value })}
          >
            ${this.#options(list.categories, filter.category, "All categories")}
          </select>
        </label>
        <label part="filter-field">
          <span part="label">Tag</span>
          <select
            part="tag-filter"
            name="tag-filter"
            @change=${(event: Event) => infobase.setFilter({ tag: (event.target as HTMLSelectElement).value })}
          >
            ${this.#options(list.tags, filter.tag, "All tags")}
          </select>
        </label>
      </div>
      <p part="count" role="status">
        ${filtered ? `${list.shown.length} of ${plural(list.all.length, "note", "notes")}` : plural(list.all.length, "note", "notes")}
      </p>
      ${
        list.all.length === 0
          ? html`<p part="no-notes">No notes yet: “New note” starts one.</p>`
          : list.shown.length === 0
            ? html`<p part="no-match">No note matches these filters.</p>`
            : html`<ul part="list" aria-label="Notes">
              ${list.shown.map((note) => this.#item(note, openId))}
            </ul>`
      }
    </div>`
  }

  #fields(draft: InfobaseDraft, categories: ReadonlyArray<string>) {
    const notes = this.#infobase.notes
    const categoryError = notes.form.fieldErrors.category
    return html`${field(notes.form, {
      name: "title",
      label: "Title",
      type: "text",
      value: draft.title,
      autocomplete: "off",
      onInput: (title) => notes.edit({ title }),
    })}
      <label part="field">
        <span part="label">Category</span>
        <input
          part="input"
          name="category"
          type="text"
          list="categories"
          autocomplete="off"
          .value=${draft.category ?? ""}
          aria-invalid=${categoryError === undefined ? "false" : "true"}
          aria-describedby=${ifDefined(categoryError === undefined ? undefined : "category-error")}
          @input=${(event: InputEvent) => notes.edit({ category: (event.target as HTMLInputElement).value })}
        />
        ${
          categoryError === undefined
            ? nothing
            : html`<span part="field-error" class="field-error" id="category-error" role="alert">${categoryError}</span>`
        }
      </label>
      <datalist id="categories">${categories.map((category) => html`<option value=${category}></option>`)}</datalist>`
  }

  #ready(base: KnowledgeBase) {
    const notes = this.#infobase.notes
    const list = this.#infobase.list(base)
    const editing = notes.editing
    return html`<div part="layout">
      ${guard([list, editing?.id], () => this.#listPane(list))}
      ${editorPane({
        notes,
        markdown: this.#markdown,
        noun: "note",
        heading: editing === undefined ? "" : editing.id === undefined ? "New note" : noteLabel(editing.saved.draft),
        fields: (draft) => this.#fields(draft, list.categories),
        tags: (draft) =>
          tagsField({
            name: "tags",
            label: "Tags",
            tags: draft.tags,
            suggestions: list.tags,
            error: notes.form.fieldErrors.tags,
            disabled: notes.form.pending,
            onChange: (tags) => notes.edit({ tags }),
          }),
        contentLabel: "Note",
        empty: "Choose a note, or start a new one.",
      })}
    </div>`
  }

  override render() {
    return html`<section part="section" aria-labelledby="heading">
      <h2 part="heading" id="heading"><slot name="heading">Infobase</slot></h2>
      ${knowledgeGate(this.#infobase.notes.state.view, { plural: "notes" }, (base) => this.#ready(base))}
    </section>`
  }
}
