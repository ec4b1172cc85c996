import { html, LitElement, type PropertyValues } from "lit"
import { guard } from "lit/directives/guard.js"
import { ifDefined } from "lit/directives/if-defined.js"
import { field } from "../internal/fields.js"
import type { Entry, KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { conflictTag } from "../knowledge/kinds.js"
import { EditorFocus, editorPane } from "../knowledge-editor/editor.js"
import { knowledgeGate } from "../knowledge-editor/KnowledgeState.js"
import { entryDateLabel, entryLabel, firstLine } from "../knowledge-editor/labels.js"
import { tagsField } from "../knowledge-editor/tagsField.js"
import { MarkdownController } from "../markdown/MarkdownController.js"
import { JournalController } from "./JournalController.js"
import { styles } from "./journal.styles.js"
import { type Month, monthLabel } from "./months.js"

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * The journal: dated entries in Markdown, end-to-end encrypted. A list
 * grouped by month, newest first ("New entry" starts one dated today, where
 * the reader is), beside an editor: the date, tags, the privacy switch
 * (Standard or Private: a Private entry's date and tags are encrypted too; a
 * new entry starts in the user's default mode), and the entry in Markdown
 * with Write and Preview tabs. Save (also Ctrl/Cmd+S) marks what is unsaved
 * until then; Delete asks first; History opens `<ig-version-history>` for
 * the entry, where an older version can be restored. Opening another entry
 * with unsaved changes asks before discarding them.
 *
 * When another device saved the entry first, nothing is overwritten: the
 * editor shows that device's version and says so, and the user's text is
 * kept as a new entry — a conflict copy, tagged `conflict-copy` — one
 * button away.
 *
 * The preview keeps no script, event handler, style, form or frame, and
 * only web, mail and phone links (opening in a new tab). Remote images are
 * left to the page's Content-Security-Policy: with Ignition's
 * (`img-src 'self' data: blob:`) they do not load, so an entry never tells a
 * third party it was opened. The Markdown renderer is loaded the first time
 * a preview is shown.
 *
 * It uses the knowledge base of the vault `<ig-app>` provides: nothing of
 * the entries shows, and nothing can be written, while the vault is locked.
 *
 * @summary Journal: dated Markdown entries by month, with tags, privacy and version history.
 * @fires ig-version-restored - An older version of the open entry was restored (from its history).
 * @fires ig-privacy-change - The user switched the open entry's privacy mode (from `<ig-privacy-toggle>`).
 * @slot heading - Replaces the "Journal" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart signed-out - Shown when nobody is signed in.
 * @csspart unavailable - Shown when the page provides no vault (no `<ig-app>`).
 * @csspart absent - Shown when the user has no vault yet.
 * @csspart locked - Shown while the vault is locked (no entry, no form).
 * @csspart loading - Placeholder rows while the entries load.
 * @csspart skeleton-row - One placeholder row.
 * @csspart index-progress - The `<ig-index-progress>` of the load after an unlock.
 * @csspart unreachable - The vault could not be loaded, with a retry.
 * @csspart failed - The entries could not be loaded, with a retry.
 * @csspart unreadable - How many records could not be decrypted.
 * @csspart retry - A retry button.
 * @csspart layout - The list pane and the editor pane, side by side when there is room.
 * @csspart list-pane - The list and "New entry".
 * @csspart toolbar - Holds "New entry".
 * @csspart new - The "New entry" button.
 * @csspart count - How many entries there are.
 * @csspart list - The months.
 * @csspart month - One month: its heading and entries.
 * @csspart month-heading - "March 2026".
 * @csspart entries - A month's entries.
 * @csspart item - One entry.
 * @csspart open - The button that opens an entry (`aria-current` on the open one).
 * @csspart item-title - Its date.
 * @csspart item-meta - Its first line, privacy and conflict-copy marker.
 * @csspart no-notes - Shown when there are no entries yet.
 * @csspart editor-pane - The editor, its notices and its status.
 * @csspart empty - What the editor pane says before an entry is open.
 * @csspart editor - The entry's form.
 * @csspart editor-header - The entry's heading and the unsaved marker.
 * @csspart editor-heading - The entry's heading.
 * @csspart unsaved - "Unsaved changes".
 * @csspart field - A field: its label, control and error.
 * @csspart label - A field's label.
 * @csspart input - The date input.
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
 * @csspart metadata-error - Why the date or tags cannot be saved (checked before sending).
 * @csspart form-error - Why the entry could not be saved or deleted (with a retry after a network failure).
 * @csspart actions - Save, History and Delete.
 * @csspart save - The Save button.
 * @csspart history-toggle - The History button (`aria-expanded`).
 * @csspart delete - The Delete button.
 * @csspart version-history - The entry's `<ig-version-history>`.
 * @csspart conflict - Another device changed the entry first (`role="alert"`), with "Open the conflict copy".
 * @csspart open-copy - Opens the conflict copy.
 * @csspart stale - The entry changed underneath unsaved changes, with "Discard my changes".
 * @csspart discard - Discards the unsaved changes.
 * @csspart missing - The entry asked for (`selected`) is not here.
 * @csspart confirm - A confirmation (delete; discard unsaved changes): its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that goes ahead.
 * @csspart cancel-button - The button that cancels.
 * @csspart status - Says an entry was saved or deleted.
 * @cssprop --ig-color-border - Borders.
 * @cssprop --ig-color-accent - The open entry, notices, the primary buttons.
 * @cssprop --ig-color-danger - Errors and Delete.
 * @cssprop --ig-color-text-muted - Secondary text.
 * @cssprop --ig-font-mono - The Markdown text area's typeface.
 */
export class IgJournal extends LitElement {
  static override styles = styles
  static override properties = { selected: { reflect: true } }

  /** The id of the entry to open (a deep link from search); it follows the entry the user opens. */
  declare selected: string

  readonly #journal = new JournalController(this, (id) => {
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
    if (changed.has("selected")) this.#journal.notes.select(this.selected)
    // Rendered entries are plaintext: they go when the entries do.
    if (this.#journal.notes.state.view._tag !== "Ready") this.#markdown.clear()
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    this.#focus.follow(this.#journal.notes, this.renderRoot)
  }

  #item(entry: Entry<"journal">, openId: string | undefined) {
    const meta = [
      firstLine(entry.draft.content),
      entry.mode === "private" ? "Private" : "",
      entry.draft.tags.includes(conflictTag) ? "Conflict copy" : "",
    ].filter((part) => part !== "")
    return html`<li part="item">
      <button
        part="open"
        type="button"
        aria-current=${ifDefined(entry.id === openId ? "true" : undefined)}
        @click=${() => this.#journal.notes.open(entry.id)}
      >
        <span part="item-title">${entryDateLabel(entry.draft.entryDate)}</span>
        <span part="item-meta">${meta.join(" · ")}</span>
      </button>
    </li>`
  }

  #listPane(months: ReadonlyArray<Month>) {
    const notes = this.#journal.notes
    const openId = notes.editing?.id
    const count = months.reduce((total, month) => total + month.entries.length, 0)
    return html`<div part="list-pane">
      <div part="toolbar">
        <button part="new" type="button" data-variant="primary" @click=${() => notes.create()}>New entry</button>
      </div>
      <p part="count">${plural(count, "entry", "entries")}</p>
      ${
        count === 0
          ? html`<p part="no-notes">No entries yet: “New entry” starts today's.</p>`
          : html`<div part="list">
            ${months.map(
              (month) => html`<section part="month" aria-labelledby=${`month-${month.month}`}>
                <h3 part="month-heading" id=${`month-${month.month}`}>${monthLabel(month.month)}</h3>
                <ul part="entries">
                  ${month.entries.map((entry) => this.#item(entry, openId))}
                </ul>
              </section>`,
            )}
          </div>`
      }
    </div>`
  }

  #ready(base: KnowledgeBase) {
    const notes = this.#journal.notes
    const editing = notes.editing
    const list = this.#journal.list(base)
    return html`<div part="layout">
      ${guard([list, editing?.id], () => this.#listPane(list.months))}
      ${editorPane({
        notes,
        markdown: this.#markdown,
        noun: "entry",
        heading: editing === undefined ? "" : editing.id === undefined ? "New entry" : entryLabel(editing.saved.draft),
        fields: (draft) =>
          field(notes.form, {
            name: "entryDate",
            label: "Date",
            type: "date",
            value: draft.entryDate,
            onInput: (entryDate) => notes.edit({ entryDate }),
          }),
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
        contentLabel: "Entry",
        empty: "Choose an entry, or start today's.",
      })}
    </div>`
  }

  override render() {
    return html`<section part="section" aria-labelledby="heading">
      <h2 part="heading" id="heading"><slot name="heading">Journal</slot></h2>
      ${knowledgeGate(this.#journal.notes.state.view, { plural: "journal entries" }, (base) => this.#ready(base))}
    </section>`
  }
}
