import { html, LitElement, nothing, type TemplateResult } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { type KindName, kindNames } from "../knowledge/kinds.js"
import type { KnowledgeView } from "../knowledge-editor/KnowledgeState.js"
import type { Piece } from "./excerpt.js"
import { type Result, SearchBoxController } from "./SearchBoxController.js"
import { styles } from "./search-box.styles.js"

const groupLabels: Readonly<Record<KindName, string>> = { idea: "Ideas", infobase: "Infobase", journal: "Journal" }

/** Pieces of text, the matched ones in `<mark>`: Lit escapes every piece, so record text never becomes markup. */
const marked = (pieces: ReadonlyArray<Piece>): Array<TemplateResult | string> =>
  pieces.map((piece) => (piece.marked ? html`<mark part="match">${piece.text}</mark>` : piece.text))

const resultCount = (count: number) => (count === 1 ? "1 result" : `${count} results`)

/**
 * Search over the user's Ideas, Infobase notes and Journal entries, on this
 * device: the encrypted index built at unlock, never the server. It follows
 * the ARIA combobox pattern — a text field with a listbox popup — searching
 * ~100 ms after typing pauses: the results are grouped by kind, each with
 * its title, a short excerpt around the first match and its details, the
 * matched words marked. ArrowDown and ArrowUp move through them (wrapping),
 * Home and End jump to the first and last, Enter or a click chooses one
 * (`ig-search-select`), Escape closes the popup and a second Escape clears
 * the field. The count of results is announced. Musical queries work as the
 * index reads them: `F#m`, `128bpm`, `Dm7`.
 *
 * While the vault is locked the field is disabled and says search works
 * after unlocking; while the index builds, `<ig-index-progress>` shows how
 * far it is. It uses the vault `<ig-app>` provides.
 *
 * @summary Search the knowledge base (combobox with grouped, highlighted results).
 * @fires ig-search-select - A result was chosen; `event.record` is its `{type, id}`.
 * @slot label - Replaces the field's label ("Search your notes").
 * @csspart base - The whole element.
 * @csspart label - The field's label.
 * @csspart input - The search field (`role="combobox"`).
 * @csspart popup - The results' popup.
 * @csspart listbox - The list of results (`role="listbox"`).
 * @csspart group - The results of one kind.
 * @csspart group-label - Its heading: Ideas, Infobase, Journal.
 * @csspart option - A result.
 * @csspart option-title - A result's title.
 * @csspart option-excerpt - The text around its first match.
 * @csspart option-details - Its key, tempo, category or tags.
 * @csspart match - A matched word, in `<mark>`.
 * @csspart empty - Shown when nothing matches.
 * @csspart error - Why a search failed.
 * @csspart status - The (visually hidden) live count of results.
 * @csspart index-progress - The `<ig-index-progress>` inside, while the index builds.
 * @csspart locked - The note that search works after unlocking.
 * @csspart absent - Shown when the user has no vault.
 * @csspart signed-out - Shown when nobody is signed in.
 * @csspart unavailable - Shown when the page provides no session (no `<ig-app>`).
 * @csspart failed - The records could not be loaded, with a retry.
 * @csspart unreachable - The vault could not be reached, with a retry.
 * @csspart retry - The retry button.
 * @cssprop --ig-color-surface-raised - The popup's background.
 * @cssprop --ig-color-border - Borders.
 * @cssprop --ig-color-accent - The active result's marker.
 * @cssprop --ig-color-mark - Matched words' background.
 * @cssprop --ig-color-text-muted - Group labels, excerpts and notes.
 * @cssprop --ig-shadow - The popup's shadow.
 */
export class IgSearchBox extends LitElement {
  static override styles = styles
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true }
  static override properties = {
    types: {},
    limit: { type: Number },
    placeholder: {},
  }

  /** The kinds to search, space-separated (`idea infobase journal`); all when empty. */
  declare types: string
  /** At most this many results (20 by default). */
  declare limit: number
  /** The field's placeholder. */
  declare placeholder: string

  readonly #search = new SearchBoxController(this)

  constructor() {
    super()
    this.types = ""
    this.limit = 20
    this.placeholder = "Ideas, notes, journal — try F#m or 128bpm"
  }

  override updated(): void {
    this.renderRoot.querySelector('[part~="option"][aria-selected="true"]')?.scrollIntoView({ block: "nearest" })
  }

  /** Clicking the popup must not take focus from the field. */
  readonly #keepFocus = (event: MouseEvent) => event.preventDefault()

  #option({ view }: Result, index: number) {
    const active = index === this.#search.active
    return html`<div
      part="option"
      role="option"
      id=${`option-${index}`}
      aria-selected=${active ? "true" : "false"}
      @click=${() => this.#search.choose(index)}
      @pointermove=${() => this.#search.moveTo(index)}
    >
      <span part="option-title">${marked(view.title)}</span>
      ${view.excerpt.length === 0 ? nothing : html`<span part="option-excerpt">${marked(view.excerpt)}</span>`}
      ${view.details.length === 0 ? nothing : html`<span part="option-details">${marked(view.details)}</span>`}
    </div>`
  }

  #listbox(results: ReadonlyArray<Result>) {
    const groups = kindNames.flatMap((kind) => {
      const start = results.findIndex((result) => result.hit.entry.type === kind)
      if (start === -1) return []
      const inGroup = results.filter((result) => result.hit.entry.type === kind)
      return [
        html`<div part="group" role="group" aria-labelledby=${`group-${kind}`}>
          <div part="group-label" id=${`group-${kind}`} role="presentation">${groupLabels[kind]}</div>
          ${inGroup.map((result, offset) => this.#option(result, start + offset))}
        </div>`,
      ]
    })
    return html`<div part="listbox" role="listbox" id="listbox" aria-label="Search results">${groups}</div>`
  }

  #popup() {
    const search = this.#search
    const searched = search.searched
    if (!search.isOpen || searched === undefined) return nothing
    return html`<div part="popup" @mousedown=${this.#keepFocus}>
      ${search.results.length === 0 ? nothing : this.#listbox(search.results)}
      ${
        search.error !== undefined
          ? html`<p part="error" role="alert">Search failed: ${search.error}</p>`
          : search.results.length === 0
            ? html`<p part="empty">No results for “${searched.query}”.</p>`
            : nothing
      }
    </div>`
  }

  #field(view: KnowledgeView) {
    const search = this.#search
    const ready = view._tag === "Ready" || view._tag === "Loading"
    const listing = search.isOpen && search.results.length > 0
    const locked = view._tag === "Locked"
    return html`<label part="label" for="input"><slot name="label">Search your notes</slot></label>
      <input
        part="input"
        id="input"
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded=${listing ? "true" : "false"}
        aria-controls="listbox"
        aria-activedescendant=${ifDefined(listing && search.active >= 0 ? `option-${search.active}` : undefined)}
        aria-describedby=${ifDefined(locked ? "locked" : undefined)}
        autocomplete="off"
        spellcheck="false"
        placeholder=${this.placeholder}
        ?disabled=${!ready}
        .value=${search.query}
        @input=${(event: InputEvent) => search.input((event.target as HTMLInputElement).value)}
        @keydown=${(event: KeyboardEvent) => search.keydown(event)}
        @blur=${() => search.close()}
      />`
  }

  #note(view: KnowledgeView) {
    switch (view._tag) {
      case "Locked":
        return html`<p part="locked" id="locked">Search works after you unlock your vault.</p>`
      case "Failed":
        return html`<div part="failed" role="alert">
          Your notes could not be loaded for search: ${view.message}
          <button part="retry" type="button" @click=${view.retry}>Try again</button>
        </div>`
      case "Unreachable":
        return html`<div part="unreachable" role="alert">
          ${view.message} <button part="retry" type="button" @click=${view.retry}>Try again</button>
        </div>`
      default:
        return nothing
    }
  }

  #status(): string {
    const search = this.#search
    if (search.searched === undefined || search.error !== undefined) return ""
    return search.results.length === 0 ? "No results" : resultCount(search.results.length)
  }

  override render() {
    const view = this.#search.state.view
    switch (view._tag) {
      case "Unavailable":
        return html`<p part="unavailable">Search is not available here: open your notes in the Ignition app.</p>`
      case "SignedOut":
        return html`<p part="signed-out">Sign in to search your notes.</p>`
      case "Absent":
        return html`<p part="absent">Set up your vault to keep your notes encrypted and search them.</p>`
      default:
        return html`<div part="base" aria-busy=${view._tag === "Loading" ? "true" : "false"}>
          ${this.#field(view)} ${this.#popup()} ${this.#note(view)}
          <ig-index-progress part="index-progress"></ig-index-progress>
          <p part="status" class="visually-hidden" role="status">${this.#status()}</p>
        </div>`
    }
  }
}
