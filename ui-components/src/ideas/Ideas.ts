import { html, LitElement, nothing, type PropertyValues, svg } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import type { FormController } from "../controllers/FormController.js"
import { formError } from "../internal/fields.js"
import { relativeTime } from "../internal/relativeTime.js"
import type { Entry } from "../knowledge/KnowledgeBase.js"
import { confirmation } from "../knowledge-editor/confirm.js"
import { knowledgeGate } from "../knowledge-editor/KnowledgeState.js"
import type { IdeaForm } from "./IdeaForm.js"
import { type IdeaNotice, IdeasController, preview } from "./IdeasController.js"
import { styles } from "./ideas.styles.js"
import { keyGroups, keyLabel, offeredKeys } from "./keys.js"

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })

/** A padlock beside "Private" (the word says it; the icon only repeats it). */
const lockIcon = svg`<svg part="private-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1Zm2 0h4V5a2 2 0 1 0-4 0v2Z"/>
</svg>`

const isSaveShortcut = (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key === "Enter"

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * Music ideas: quick capture and the list. The capture form takes the idea
 * (Ctrl/Cmd+Enter saves), its key (the twelve notes, major and minor), its
 * tempo (typed, or tapped: "Tap tempo" averages the last taps), mood tags
 * (Enter or a comma adds one, Backspace removes the last) and its privacy
 * mode (`<ig-privacy-toggle>`, starting at the user's default). The list
 * shows the newest first: the text (long ones expand), key and BPM, moods
 * (choosing one filters the list), when it was last changed and whether it
 * is Private; each idea can be edited in place (Escape cancels) or deleted
 * (after a confirmation).
 *
 * Everything is encrypted on this device before it is saved. While the
 * vault is locked nothing is shown and nothing can be written; when another
 * device changed an idea first, the other version stays and the user's is
 * kept as a conflict copy, said so in a notice that opens it. `selected`
 * scrolls to an idea and highlights it (a link from search). It uses the
 * vault `<ig-app>` provides.
 *
 * @summary Capture music ideas (key, BPM, tap tempo, moods, privacy) and list them.
 * @slot heading - Replaces the "Ideas" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart unavailable - Shown when the page provides no session (no `<ig-app>`).
 * @csspart signed-out - Shown when nobody is signed in.
 * @csspart absent - Shown when the user has no vault.
 * @csspart locked - Shown while the vault is locked (nothing else is).
 * @csspart loading - Shown while the ideas load: placeholder rows.
 * @csspart skeleton-row - One placeholder row.
 * @csspart index-progress - The `<ig-index-progress>`: the load's progress, and "Search is ready" when it ends.
 * @csspart unreachable - The vault could not be reached, with a retry.
 * @csspart failed - The ideas could not be loaded, with a retry.
 * @csspart retry - A retry button.
 * @csspart unreadable - How many records could not be decrypted on this device.
 * @csspart capture - The capture form.
 * @csspart subheading - The capture form's and the list's headings.
 * @csspart editor - An idea's inline edit form.
 * @csspart field - A field: its label, control and error.
 * @csspart label - A field's label.
 * @csspart text-input - The idea's text.
 * @csspart key-select - The key picker.
 * @csspart bpm-input - The BPM field.
 * @csspart tap - The "Tap tempo" button.
 * @csspart tap-hint - How tap tempo works.
 * @csspart moods-field - The mood tags: chips and the field.
 * @csspart chips - The chips of a form's mood tags.
 * @csspart chip - A mood tag in the form.
 * @csspart chip-remove - A chip's remove button.
 * @csspart mood-input - The field a mood tag is typed in.
 * @csspart field-error - Why a field's value cannot be saved.
 * @csspart privacy - The `<ig-privacy-toggle>`.
 * @csspart metadata-error - Why the idea's details cannot be saved.
 * @csspart form-error - Why a save failed (with a retry after a network failure).
 * @csspart actions - A form's buttons.
 * @csspart save - The save button.
 * @csspart cancel - The cancel button of an edit.
 * @csspart form-status - A form's polite live region (tap tempo, tags).
 * @csspart notice - A notice (conflict or missing idea), focused when it appears.
 * @csspart conflict - A save or delete lost a race with another device.
 * @csspart open-copy - Opens the conflict copy.
 * @csspart missing - The idea asked for is not here.
 * @csspart dismiss - Dismisses a notice.
 * @csspart list-header - The list's heading and the mood filter.
 * @csspart list-heading - The list's heading ("Your ideas"; focused after a delete).
 * @csspart filter - The mood filter: a toggle button per mood.
 * @csspart filter-label - Its label.
 * @csspart filter-option - A mood to filter by (`aria-pressed`).
 * @csspart filter-summary - What the list is filtered by, with "Show all".
 * @csspart filter-clear - The "Show all" button.
 * @csspart list - The list of ideas.
 * @csspart idea - One idea (`data-selected` when it is the selected one).
 * @csspart idea-text - Its text (the first lines of a long one).
 * @csspart more - "Show more" / "Show less".
 * @csspart details - Its key, BPM, moods and privacy.
 * @csspart badge - The key or the BPM.
 * @csspart key - The key.
 * @csspart bpm - The BPM.
 * @csspart mood - A mood tag (a button that filters the list by it).
 * @csspart private - "Private", on a Private idea.
 * @csspart private-icon - The padlock beside it.
 * @csspart updated - When it was last changed.
 * @csspart idea-actions - Its Edit and Delete buttons.
 * @csspart edit - The Edit button.
 * @csspart delete - The Delete button.
 * @csspart delete-error - Why it could not be deleted.
 * @csspart confirm - The delete confirmation: its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that deletes.
 * @csspart cancel-button - The button that keeps the idea.
 * @csspart empty - Shown when there is no idea (or none with the mood).
 * @csspart status - The (visually hidden) live status: saved, deleted.
 * @cssprop --ig-color-accent - The selected idea, the switch, primary buttons.
 * @cssprop --ig-color-border - Borders.
 * @cssprop --ig-color-danger - Errors and Delete.
 * @cssprop --ig-color-text-muted - Secondary text.
 * @cssprop --ig-color-surface - Chips and badges.
 */
export class IgIdeas extends LitElement {
  static override styles = styles
  static override properties = { selected: { reflect: true } }

  /** The id of an idea to scroll to and highlight (a deep link from search). */
  declare selected: string

  readonly #ideas = new IdeasController(this)

  constructor() {
    super()
    this.selected = ""
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("selected")) this.#ideas.select(this.selected)
  }

  override updated(): void {
    const focus = this.#ideas.takeFocus()
    if (focus === undefined) return
    const root = this.renderRoot
    const target =
      focus._tag === "Part"
        ? root.querySelector<HTMLElement>(`[part~="${focus.part}"]`)
        : (root.querySelector<HTMLElement>(`[data-idea="${CSS.escape(focus.id)}"] [part~="${focus.part}"]`) ??
          root.querySelector<HTMLElement>(`[part~="idea"][data-idea="${CSS.escape(focus.id)}"]`))
    if (target === null) return
    target.focus({ preventScroll: focus._tag === "Idea" && focus.part === "idea" })
    if (focus._tag === "Idea" && focus.part === "idea") {
      const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches
      target.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" })
    }
  }

  #keyPicker(form: IdeaForm, id: string) {
    const current = form.key
    const unlisted = current !== null && !offeredKeys.has(current)
    return html`<label part="field" for=${`${id}-key`}>
      <span part="label">Key</span>
      <select
        part="key-select"
        id=${`${id}-key`}
        name="key"
        @change=${(event: Event) => {
          const value = (event.target as HTMLSelectElement).value
          form.setKey(value === "" ? null : value)
        }}
      >
        <option value="" ?selected=${current === null}>No key</option>
        ${unlisted ? html`<option value=${current} selected>${keyLabel(current)}</option>` : nothing}
        ${keyGroups.map(
          (group) => html`<optgroup label=${group.label}>
            ${group.keys.map((key) => html`<option value=${key} ?selected=${key === current}>${keyLabel(key)}</option>`)}
          </optgroup>`,
        )}
      </select>
    </label>`
  }

  #bpmField(form: IdeaForm, id: string) {
    const problem = form.problems.bpm
    return html`<div part="field">
      <label part="label" for=${`${id}-bpm`}>BPM</label>
      <div class="inline">
        <input
          part="bpm-input"
          id=${`${id}-bpm`}
          name="bpm"
          type="number"
          inputmode="numeric"
          min="20"
          max="400"
          step="1"
          .value=${form.bpm}
          aria-invalid=${problem === undefined ? "false" : "true"}
          aria-describedby=${problem === undefined ? `${id}-tap-hint` : `${id}-bpm-error ${id}-tap-hint`}
          @input=${(event: InputEvent) => form.setBpm((event.target as HTMLInputElement).value)}
        />
        <button part="tap" type="button" @click=${() => form.tap(performance.now())}>Tap tempo</button>
      </div>
      <span part="tap-hint" id=${`${id}-tap-hint`}>Tap in time, at least twice.</span>
      ${
        problem === undefined
          ? nothing
          : html`<span part="field-error" class="field-error" id=${`${id}-bpm-error`} role="alert">${problem}</span>`
      }
    </div>`
  }

  #moodsField(form: IdeaForm, id: string) {
    const problem = form.problems.tags
    return html`<div part="field moods-field">
      <label part="label" for=${`${id}-mood`}>Mood tags</label>
      ${
        form.tags.length === 0
          ? nothing
          : html`<ul part="chips" aria-label="Mood tags">
            ${form.tags.map(
              (tag) => html`<li part="chip">
                <span>${tag}</span>
                <button
                  part="chip-remove"
                  type="button"
                  aria-label=${`Remove ${tag}`}
                  @click=${() => {
                    form.removeTag(tag)
                    this.renderRoot.querySelector<HTMLElement>(`#${id}-mood`)?.focus()
                  }}
                >
                  ×
                </button>
              </li>`,
            )}
          </ul>`
      }
      <input
        part="mood-input"
        id=${`${id}-mood`}
        name="mood"
        type="text"
        autocomplete="off"
        enterkeyhint="enter"
        placeholder="dark, dreamy…"
        .value=${form.tagText}
        aria-invalid=${problem === undefined ? "false" : "true"}
        aria-describedby=${problem === undefined ? `${id}-mood-hint` : `${id}-mood-error ${id}-mood-hint`}
        @input=${(event: InputEvent) => form.typeTag((event.target as HTMLInputElement).value)}
        @keydown=${(event: KeyboardEvent) => form.tagKeydown(event)}
      />
      <span part="tap-hint" id=${`${id}-mood-hint`}>Enter or a comma adds a tag; Backspace removes the last.</span>
      ${
        problem === undefined
          ? nothing
          : html`<span part="field-error" class="field-error" id=${`${id}-mood-error`} role="alert">${problem}</span>`
      }
    </div>`
  }

  /** The capture form and the edit form: the same fields, under the prefix `id`. */
  #form(form: IdeaForm, submit: FormController, id: string, options: { readonly editing: boolean }) {
    const ideas = this.#ideas
    const save = () => void (options.editing ? ideas.saveEdit() : ideas.saveCapture())
    const textProblem = form.problems.text
    const pending = submit.pending
    return html`<form
      part=${options.editing ? "editor" : "capture"}
      aria-labelledby=${`${id}-heading`}
      novalidate
      @submit=${(event: Event) => {
        event.preventDefault()
        save()
      }}
      @keydown=${(event: KeyboardEvent) => {
        if (isSaveShortcut(event)) {
          event.preventDefault()
          save()
        } else if (options.editing && event.key === "Escape" && !event.defaultPrevented) {
          event.preventDefault()
          ideas.cancelEdit()
        }
      }}
    >
      <h3 part="subheading" id=${`${id}-heading`} class=${options.editing ? "visually-hidden" : ""}>
        ${options.editing ? "Edit idea" : "Capture an idea"}
      </h3>
      <div part="field">
        <label part="label" for=${`${id}-text`}>Idea</label>
        <textarea
          part="text-input"
          id=${`${id}-text`}
          name="text"
          rows="3"
          required
          aria-keyshortcuts="Control+Enter Meta+Enter"
          aria-invalid=${textProblem === undefined ? "false" : "true"}
          aria-describedby=${ifDefined(textProblem === undefined ? undefined : `${id}-text-error`)}
          ?readonly=${pending}
          .value=${form.text}
          @input=${(event: InputEvent) => form.setText((event.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${
          textProblem === undefined
            ? nothing
            : html`<span part="field-error" class="field-error" id=${`${id}-text-error`} role="alert">${textProblem}</span>`
        }
      </div>
      <div class="row">${this.#keyPicker(form, id)} ${this.#bpmField(form, id)}</div>
      ${this.#moodsField(form, id)}
      <ig-privacy-toggle
        part="privacy"
        .mode=${form.mode ?? ideas.defaultMode}
        ?disabled=${pending}
        @ig-privacy-change=${(event: HTMLElementEventMap["ig-privacy-change"]) => form.setMode(event.mode)}
      ></ig-privacy-toggle>
      ${
        form.problems.metadata === undefined
          ? nothing
          : html`<p part="metadata-error" class="form-error" role="alert">
            This idea cannot be saved: ${form.problems.metadata}
          </p>`
      }
      ${formError(submit, save)}
      <div part="actions">
        <button part="save" type="submit" data-variant="primary" ?disabled=${pending}>
          ${pending ? "Saving…" : options.editing ? "Save changes" : "Save idea"}
        </button>
        ${
          options.editing
            ? html`<button part="cancel" type="button" ?disabled=${pending} @click=${() => ideas.cancelEdit()}>
              Cancel
            </button>`
            : nothing
        }
      </div>
      <p part="form-status" class="visually-hidden" role="status">${form.announcement}</p>
    </form>`
  }

  #notice(notice: IdeaNotice | undefined) {
    const ideas = this.#ideas
    const dismiss = html`<button part="dismiss" type="button" @click=${() => ideas.dismissNotice()}>Dismiss</button>`
    switch (notice?._tag) {
      case "Conflict": {
        const copyId = notice.copyId
        return html`<div part="notice conflict" role="alert" tabindex="-1">
          <p>
            ${
              notice.deletedElsewhere
                ? "Deleted on another device — your version was kept as a conflict copy."
                : "Changed on another device — your version was kept as a conflict copy."
            }
          </p>
          ${
            copyId === undefined
              ? nothing
              : html`<button part="open-copy" type="button" @click=${() => ideas.openCopy(copyId)}>
                Open the conflict copy
              </button>`
          }
          ${dismiss}
        </div>`
      }
      case "DeleteConflict":
        return html`<div part="notice conflict" role="alert" tabindex="-1">
          <p>
            ${
              notice.deletedElsewhere
                ? "This idea was already deleted on another device."
                : "Changed on another device, so nothing was deleted: the list shows its latest version."
            }
          </p>
          ${dismiss}
        </div>`
      case "Missing":
        return html`<div part="notice missing" role="alert" tabindex="-1">
          <p>That idea is not here any more: it may have been deleted.</p>
          ${dismiss}
        </div>`
      default:
        return nothing
    }
  }

  #filter(moods: ReadonlyArray<string>) {
    const ideas = this.#ideas
    if (moods.length === 0) return nothing
    return html`<div part="filter" role="group" aria-labelledby="filter-label">
      <span part="filter-label" id="filter-label">Filter by mood</span>
      ${moods.map(
        (mood) => html`<button
          part="filter-option"
          type="button"
          aria-pressed=${ideas.filter === mood ? "true" : "false"}
          @click=${() => ideas.setFilter(mood)}
        >
          ${mood}
        </button>`,
      )}
    </div>`
  }

  #idea(idea: Entry<"idea">) {
    const ideas = this.#ideas
    const id = idea.id
    const editing = ideas.editing
    const selected = ideas.highlighted === id
    // One <li> whether shown or edited, so the item (and focus within it) stays put.
    return html`<li
      part="idea"
      data-idea=${id}
      ?data-selected=${selected}
      aria-current=${ifDefined(selected ? "true" : undefined)}
      tabindex="-1"
    >
      ${
        editing?.id === id
          ? this.#form(editing.form, ideas.editSubmit, `edit-${id}`, { editing: true })
          : this.#shown(idea)
      }
    </li>`
  }

  #shown(idea: Entry<"idea">) {
    const ideas = this.#ideas
    const id = idea.id
    const { key, bpm, moodTags, text } = idea.draft
    const expanded = ideas.expanded.has(id)
    const shown = preview(text)
    const deleteError = ideas.deleteErrors.get(id)
    const updated = idea.updatedAt
    return html`<p part="idea-text" id=${`idea-${id}-text`}>${expanded ? text : shown.text}</p>
      ${
        shown.cut
          ? html`<button
            part="more"
            type="button"
            aria-expanded=${expanded ? "true" : "false"}
            aria-controls=${`idea-${id}-text`}
            @click=${() => ideas.toggleExpanded(id)}
          >
            ${expanded ? "Show less" : "Show more"}
          </button>`
          : nothing
      }
      <div part="details">
        ${
          key === null
            ? nothing
            : html`<span part="badge key"><span class="visually-hidden">Key: </span>${keyLabel(key)}</span>`
        }
        ${bpm === null ? nothing : html`<span part="badge bpm">${bpm} BPM</span>`}
        ${moodTags.map(
          (mood) => html`<button
            part="mood"
            type="button"
            aria-pressed=${ideas.filter === mood ? "true" : "false"}
            aria-label=${`Show only ideas tagged ${mood}`}
            @click=${() => ideas.setFilter(mood)}
          >
            ${mood}
          </button>`,
        )}
        ${idea.mode === "private" ? html`<span part="private">${lockIcon} Private</span>` : nothing}
        <time part="updated" datetime=${updated.toISOString()} title=${absolute.format(updated)}>
          <span class="visually-hidden">Changed </span>${relativeTime(updated)}
        </time>
      </div>
      ${
        ideas.confirmingDelete === id
          ? confirmation({
              question: "Delete this idea? It goes from all your devices.",
              action: "Delete idea",
              go: () => void ideas.confirmDelete(),
              cancel: () => ideas.cancelDelete(),
            })
          : html`<div part="idea-actions">
            <button part="edit" type="button" aria-describedby=${`idea-${id}-text`} @click=${() => ideas.edit(id)}>
              Edit
            </button>
            <button
              part="delete"
              type="button"
              aria-describedby=${`idea-${id}-text`}
              ?disabled=${ideas.deleting === id}
              @click=${() => ideas.askDelete(id)}
            >
              ${ideas.deleting === id ? "Deleting…" : "Delete"}
            </button>
          </div>`
      }
      ${
        deleteError === undefined
          ? nothing
          : html`<p part="delete-error" class="form-error" role="alert">The idea was not deleted: ${deleteError}</p>`
      }`
  }

  #list() {
    const ideas = this.#ideas
    const listed = ideas.ideas
    const filter = ideas.filter
    return html`<div part="list-header">
        <h3 part="subheading list-heading" id="list-heading" tabindex="-1">Your ideas</h3>
        ${this.#filter(ideas.moods)}
        ${
          filter === undefined
            ? nothing
            : html`<p part="filter-summary">
              ${plural(listed.length, "idea", "ideas")} tagged “${filter}”.
              <button part="filter-clear" type="button" @click=${() => ideas.setFilter(undefined)}>Show all</button>
            </p>`
        }
      </div>
      ${
        listed.length === 0
          ? html`<p part="empty">
            ${filter === undefined ? "No ideas yet: capture the first one above." : `No idea is tagged “${filter}”.`}
          </p>`
          : html`<ul part="list" aria-labelledby="list-heading">
            ${listed.map((idea) => this.#idea(idea))}
          </ul>`
      }`
  }

  override render() {
    const ideas = this.#ideas
    const view = ideas.state.view
    return html`<section part="section" aria-labelledby="heading" aria-busy=${view._tag === "Loading" ? "true" : "false"}>
      <h2 part="heading" id="heading"><slot name="heading">Ideas</slot></h2>
      ${knowledgeGate(
        view,
        { plural: "ideas" },
        () => html`${this.#notice(ideas.notice)}
          ${this.#form(ideas.capture, ideas.captureSubmit, "capture", { editing: false })} ${this.#list()}`,
      )}
      <p part="status" class="visually-hidden" role="status">${ideas.status}</p>
    </section>`
  }
}
