import { html, LitElement, nothing, type TemplateResult } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { type Command, CommandPaletteController, type Entry, type Section } from "./CommandPaletteController.js"
import { styles } from "./command-palette.styles.js"

const sectionLabels: Readonly<Record<Section, string>> = {
  Recent: "Recently used",
  Navigation: "Go to",
  Actions: "Actions",
  Matches: "Matches",
}

/** The label with its matched characters marked, consecutive ones in one mark. */
const highlighted = (label: string, positions: ReadonlyArray<number>): Array<TemplateResult | string> => {
  if (positions.length === 0) return [label]
  const matched = new Set(positions)
  const pieces: Array<TemplateResult | string> = []
  let run = ""
  let runMatched = false
  const flush = () => {
    if (run !== "") pieces.push(runMatched ? html`<mark part="match">${run}</mark>` : run)
    run = ""
  }
  Array.from(label).forEach((char, index) => {
    if (matched.has(index) !== runMatched) {
      flush()
      runMatched = !runMatched
    }
    run += char
  })
  flush()
  return pieces
}

/**
 * A command palette: Ctrl+K (Cmd+K on a Mac) anywhere on the page, or
 * `open()`, shows a modal search over the `commands`; typing filters them
 * fuzzily, the arrow keys, Home and End move through the matches, Enter
 * chooses one, Escape closes. With an empty search the recently used commands
 * come first. A navigation command dispatches `ig-navigate` with its path; an
 * action command runs. Focus returns where it was when the palette closes.
 *
 * @summary Ctrl+K command palette with fuzzy search.
 * @fires ig-navigate - A navigation command was chosen; `event.path` is where to go.
 * @slot hint - Replaces the keyboard hint under the list (to translate it, say).
 * @csspart dialog - The modal dialog.
 * @csspart panel - The dialog's content box.
 * @csspart input - The search field.
 * @csspart listbox - The list of commands.
 * @csspart group - A section of the list (recently used, navigation, actions).
 * @csspart group-label - A section's heading.
 * @csspart option - A command.
 * @csspart option-label - A command's label.
 * @csspart match - The characters of a label that match the search.
 * @csspart option-group - A matched command's group, shown while searching.
 * @csspart empty - The notice shown when nothing matches.
 * @csspart status - The (visually hidden) live count of matches.
 * @csspart hint - The keyboard hint under the list.
 * @csspart key - A key named in the hint.
 * @cssprop --ig-color-surface-raised - The dialog's background.
 * @cssprop --ig-color-border - Borders.
 * @cssprop --ig-color-accent - The active command's marker.
 * @cssprop --ig-color-text-muted - Section headings, groups and the hint.
 * @cssprop --ig-shadow - The dialog's shadow.
 */
export class IgCommandPalette extends LitElement {
  static override styles = styles
  static override properties = {
    commands: { attribute: false },
    placeholder: {},
  }

  /** What the palette offers. */
  declare commands: ReadonlyArray<Command>
  /** The search field's placeholder. */
  declare placeholder: string

  readonly #palette = new CommandPaletteController(this)

  constructor() {
    super()
    this.commands = []
    this.placeholder = "Type a command or search…"
  }

  /** Whether the palette is showing. */
  get isOpen(): boolean {
    return this.#palette.isOpen
  }

  /** Show the palette (what Ctrl+K / Cmd+K does). */
  open(): void {
    this.#palette.open()
  }

  /** Hide the palette; focus returns where it was. */
  close(): void {
    this.#palette.close()
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector("dialog")
  }

  override updated(): void {
    const dialog = this.#dialog
    if (dialog === null) return
    if (this.#palette.isOpen) {
      if (!dialog.open) {
        dialog.showModal()
        this.renderRoot.querySelector("input")?.focus()
      }
      this.renderRoot.querySelector('[part~="option"][aria-selected="true"]')?.scrollIntoView({ block: "nearest" })
    } else {
      if (dialog.open) dialog.close()
      this.#palette.restoreFocus()
    }
  }

  readonly #cancel = (event: Event) => {
    // Escape: close through the controller, so focus goes back where it was.
    event.preventDefault()
    this.#palette.close()
  }

  readonly #closed = () => this.#palette.close()

  readonly #backdropClick = (event: MouseEvent) => {
    if (event.target === event.currentTarget) this.#palette.close()
  }

  #option(entry: Entry, index: number, active: number) {
    return html`<div
      part="option"
      role="option"
      id=${`option-${index}`}
      aria-selected=${index === active ? "true" : "false"}
      @click=${() => void this.#palette.choose(index)}
      @pointermove=${() => this.#palette.moveTo(index)}
    >
      <span part="option-label">${highlighted(entry.command.label, entry.positions)}</span>
      ${
        entry.section === "Matches"
          ? html`<span part="option-group">${sectionLabels[entry.command.group]}</span>`
          : nothing
      }
    </div>`
  }

  #list(entries: ReadonlyArray<Entry>, active: number) {
    const sections: Array<{ readonly section: Section; readonly start: number; readonly entries: Array<Entry> }> = []
    entries.forEach((entry, index) => {
      const last = sections.at(-1)
      if (last?.section === entry.section) last.entries.push(entry)
      else sections.push({ section: entry.section, start: index, entries: [entry] })
    })
    return sections.map(({ section, start, entries: inSection }) =>
      section === "Matches"
        ? inSection.map((entry, offset) => this.#option(entry, start + offset, active))
        : html`<div part="group" role="group" aria-labelledby=${`group-${section}`}>
            <div part="group-label" id=${`group-${section}`}>${sectionLabels[section]}</div>
            ${inSection.map((entry, offset) => this.#option(entry, start + offset, active))}
          </div>`,
    )
  }

  #content() {
    const palette = this.#palette
    const entries = palette.entries
    const active = palette.activeIndex
    const query = palette.query.trim()
    const count = entries.length
    return html`<div part="panel">
      <input
        part="input"
        type="text"
        role="combobox"
        aria-label="Search commands"
        aria-expanded="true"
        aria-controls="listbox"
        aria-autocomplete="list"
        aria-activedescendant=${ifDefined(active < 0 ? undefined : `option-${active}`)}
        autocomplete="off"
        spellcheck="false"
        placeholder=${this.placeholder}
        .value=${palette.query}
        @input=${(event: InputEvent) => palette.search((event.target as HTMLInputElement).value)}
        @keydown=${(event: KeyboardEvent) => palette.keydown(event)}
      />
      <div part="listbox" role="listbox" id="listbox" aria-label="Commands" @mousedown=${this.#keepFocus}>
        ${this.#list(entries, active)}
      </div>
      ${
        count === 0
          ? html`<p part="empty">
            ${query === "" ? "No commands are available." : html`No commands match “${query}”.`}
          </p>`
          : nothing
      }
      <p part="status" class="visually-hidden" role="status">
        ${query === "" ? "" : `${count} ${count === 1 ? "command" : "commands"}`}
      </p>
      <p part="hint" aria-hidden="true">
        <slot name="hint">
          <kbd part="key">↑</kbd><kbd part="key">↓</kbd> to move · <kbd part="key">Enter</kbd> to choose ·
          <kbd part="key">Esc</kbd> to close
        </slot>
      </p>
    </div>`
  }

  /** Clicking the list must not take focus from the search field. */
  readonly #keepFocus = (event: MouseEvent) => event.preventDefault()

  override render() {
    return html`<dialog
      part="dialog"
      role="dialog"
      aria-modal="true"
      aria-label="Command palette"
      @cancel=${this.#cancel}
      @close=${this.#closed}
      @click=${this.#backdropClick}
    >
      ${this.#palette.isOpen ? this.#content() : nothing}
    </dialog>`
  }
}
