/**
 * The editor pane `<ig-infobase>` and `<ig-journal>` share: the open
 * record's form (the kind's own fields, tags, the privacy switch, Markdown
 * with Write / Preview tabs, Save — also Ctrl/Cmd+S —, History, Delete),
 * its notices (saved, deleted, a conflict copy, a stale draft, a record not
 * found), its confirmations, and where focus goes as they come and go.
 */
import { html, nothing, ReactiveElement, type TemplateResult } from "lit"
import { keyed } from "lit/directives/keyed.js"
import { formError } from "../internal/fields.js"
import type { Drafts } from "../knowledge/KnowledgeBase.js"
import type { MarkdownController } from "../markdown/MarkdownController.js"
import "../privacy-toggle/define.js"
import "../version-history/define.js"
import { confirmation } from "./confirm.js"
import type { Confirming, HistoryKind, NotesController, Notice } from "./NotesController.js"

export interface EditorPane<K extends HistoryKind> {
  readonly notes: NotesController<K>
  readonly markdown: MarkdownController
  /** What a record is called: "note", "entry". */
  readonly noun: string
  /** The open record's name ("Mixing checklist"), or its name while new ("New note"). */
  readonly heading: string
  /** The kind's own fields of the open draft: title and category, or the date. */
  readonly fields: (draft: Drafts[K]) => TemplateResult
  /** Its tags field (`tagsField`). */
  readonly tags: (draft: Drafts[K]) => TemplateResult
  /** The Markdown field's label ("Note", "Entry"). */
  readonly contentLabel: string
  /** What the pane says before a record is open. */
  readonly empty: string
}

type Tab = "write" | "preview"
const tabs: ReadonlyArray<readonly [Tab, string]> = [
  ["write", "Write"],
  ["preview", "Preview"],
]

/** Once the element holding `from` has rendered, focuses what `selector` finds in its shadow root. */
const focusAfterRender = async (from: Element, selector: string) => {
  const root = from.getRootNode()
  if (!(root instanceof ShadowRoot)) return
  if (root.host instanceof ReactiveElement) await root.host.updateComplete
  root.querySelector<HTMLElement>(selector)?.focus()
}

/** Arrow keys, Home and End move between the tabs, which follow focus (the WAI-ARIA tabs pattern). */
const tabKey = <K extends HistoryKind>(event: KeyboardEvent, notes: NotesController<K>) => {
  const index = tabs.findIndex(([tab]) => tab === notes.tab)
  const next =
    event.key === "ArrowRight"
      ? tabs[(index + 1) % tabs.length]
      : event.key === "ArrowLeft"
        ? tabs[(index - 1 + tabs.length) % tabs.length]
        : event.key === "Home"
          ? tabs[0]
          : event.key === "End"
            ? tabs[tabs.length - 1]
            : undefined
  if (next === undefined) return
  event.preventDefault()
  notes.chooseTab(next[0])
  void focusAfterRender(event.currentTarget as Element, `#editor-tab-${next[0]}`)
}

const isSaveShortcut = (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s"

const noticeOf = <K extends HistoryKind>(notes: NotesController<K>, notice: Notice | undefined, noun: string) => {
  switch (notice?._tag) {
    case "Conflict": {
      const copyId = notice.copyId
      return html`<div part="conflict" role="alert">
        <p>
          ${
            notice.deletedElsewhere
              ? `Deleted on another device — your version was kept as a conflict copy, open here.`
              : copyId === undefined
                ? `Changed on another device — this is its version now.`
                : `Changed on another device — your version was kept as a conflict copy.`
          }
        </p>
        ${
          notice.deletedElsewhere || copyId === undefined
            ? nothing
            : html`<button
              part="open-copy"
              type="button"
              @click=${(event: Event) => {
                notes.open(copyId)
                // The button goes with the notice: focus moves to the copy's heading.
                void focusAfterRender(event.currentTarget as Element, '[part~="editor-heading"]')
              }}
            >
              Open the conflict copy
            </button>`
        }
      </div>`
    }
    case "DeleteConflict":
      return html`<p part="conflict" role="alert">
        ${
          notice.deletedElsewhere
            ? `This ${noun} was already deleted on another device.`
            : `Changed on another device, so nothing was deleted: this is its latest version.`
        }
      </p>`
    case "Missing":
      return html`<p part="missing" role="alert">That ${noun} is not here any more: it may have been deleted.</p>`
    default:
      return nothing
  }
}

const statusOf = (notice: Notice | undefined) => {
  switch (notice?._tag) {
    case "Saved":
      return "Saved."
    case "Deleted":
      return `“${notice.label}” was deleted.`
    default:
      return ""
  }
}

const confirmationOf = <K extends HistoryKind>(
  notes: NotesController<K>,
  confirming: Confirming,
  name: string,
  noun: string,
) =>
  confirming._tag === "Delete"
    ? confirmation({
        question: `Delete “${name}”? It goes from all your devices.`,
        action: `Delete ${noun}`,
        go: () => void notes.confirm(),
        cancel: () => notes.cancelConfirm(),
      })
    : confirmation({
        question: `Discard your unsaved changes to “${name}”?`,
        action: "Discard changes",
        cancelLabel: "Keep editing",
        go: () => void notes.confirm(),
        cancel: () => notes.cancelConfirm(),
      })

const markdownTabs = <K extends HistoryKind>(pane: EditorPane<K>, content: string) => {
  const { notes, markdown } = pane
  const pending = notes.form.pending
  return html`<div part="tabs" role="tablist" aria-label="${pane.contentLabel}: write or preview">
      ${tabs.map(
        ([tab, label]) => html`<button
          part="tab"
          type="button"
          role="tab"
          id=${`editor-tab-${tab}`}
          aria-controls=${`editor-panel-${tab}`}
          aria-selected=${notes.tab === tab ? "true" : "false"}
          tabindex=${notes.tab === tab ? "0" : "-1"}
          @click=${() => notes.chooseTab(tab)}
          @keydown=${(event: KeyboardEvent) => tabKey(event, notes)}
        >
          ${label}
        </button>`,
      )}
    </div>
    <div part="tab-panel write" id="editor-panel-write" role="tabpanel" aria-labelledby="editor-tab-write" ?hidden=${notes.tab !== "write"}>
      <label part="field">
        <span part="label">${pane.contentLabel} (Markdown)</span>
        <textarea
          part="content"
          name="content"
          rows="14"
          .value=${content}
          ?readonly=${pending}
          @input=${(event: InputEvent) => notes.editContent((event.target as HTMLTextAreaElement).value)}
        ></textarea>
      </label>
    </div>
    <div
      part="tab-panel preview"
      id="editor-panel-preview"
      role="tabpanel"
      aria-labelledby="editor-tab-preview"
      tabindex="0"
      ?hidden=${notes.tab !== "preview"}
    >
      ${
        notes.tab !== "preview"
          ? nothing
          : content.trim() === ""
            ? html`<p part="preview-empty">Nothing to preview yet.</p>`
            : markdown.render("editor", content, 4)
      }
    </div>`
}

const form = <K extends HistoryKind>(pane: EditorPane<K>) => {
  const { notes } = pane
  const editing = notes.editing
  if (editing === undefined) return html`<p part="empty">${pane.empty}</p>`
  const pending = notes.form.pending
  const saved = editing.id !== undefined
  return html`<form
      part="editor"
      aria-labelledby="editor-heading"
      novalidate
      @submit=${(event: Event) => {
        event.preventDefault()
        void notes.save()
      }}
      @keydown=${(event: KeyboardEvent) => {
        if (!isSaveShortcut(event)) return
        event.preventDefault()
        void notes.save()
      }}
    >
      <div part="editor-header">
        <h3 part="editor-heading" id="editor-heading" tabindex="-1">${pane.heading}</h3>
        ${notes.dirty ? html`<span part="unsaved">Unsaved changes</span>` : nothing}
      </div>
      ${
        notes.stale
          ? html`<div part="stale" role="alert">
            <p>
              This ${pane.noun} changed since you began editing (a restored version, or another device). Saving
              replaces it with your text; the other version stays in its history.
            </p>
            <button
              part="discard"
              type="button"
              @click=${(event: Event) => {
                notes.discardChanges()
                void focusAfterRender(event.currentTarget as Element, '[part~="editor-heading"]')
              }}
            >
              Discard my changes
            </button>
          </div>`
          : nothing
      }
      ${pane.fields(editing.draft)} ${keyed(editing.id, pane.tags(editing.draft))}
      <ig-privacy-toggle
        part="privacy"
        .mode=${editing.mode}
        ?disabled=${pending}
        @ig-privacy-change=${(event: HTMLElementEventMap["ig-privacy-change"]) => notes.setMode(event.mode)}
      ></ig-privacy-toggle>
      ${markdownTabs(pane, editing.draft.content)}
      ${
        notes.metadataProblem === undefined
          ? nothing
          : html`<p part="metadata-error" role="alert">This ${pane.noun} cannot be saved: ${notes.metadataProblem}</p>`
      }
      ${formError(notes.form, () => void notes.save())}
      ${
        notes.confirming?._tag === "Delete"
          ? confirmationOf(notes, notes.confirming, pane.heading, pane.noun)
          : html`<div part="actions">
            <button part="save" type="submit" data-variant="primary" aria-keyshortcuts="Control+S Meta+S" ?disabled=${pending}>
              ${pending ? "Saving…" : "Save"}
            </button>
            ${
              saved
                ? html`<button
                    part="history-toggle"
                    type="button"
                    aria-expanded=${notes.historyOpen ? "true" : "false"}
                    aria-controls="history"
                    @click=${() => notes.toggleHistory()}
                  >
                    History
                  </button>
                  <button part="delete" type="button" ?disabled=${pending} @click=${() => notes.askDelete()}>Delete</button>`
                : nothing
            }
          </div>`
      }
    </form>
    ${
      saved && notes.historyOpen
        ? html`<ig-version-history part="version-history" id="history" kind=${notes.type} record-id=${editing.id ?? ""}></ig-version-history>`
        : nothing
    }`
}

/**
 * The editor pane: notices, the question before discarding unsaved changes,
 * the form (or what to do first; a delete is confirmed in place of its
 * buttons), and the live status.
 */
export const editorPane = <K extends HistoryKind>(pane: EditorPane<K>): TemplateResult => {
  const { notes } = pane
  const confirming = notes.confirming
  return html`<div part="editor-pane">
    ${noticeOf(notes, notes.notice, pane.noun)}
    ${confirming?._tag === "Discard" ? confirmationOf(notes, confirming, pane.heading, pane.noun) : nothing} ${form(pane)}
    <p part="status" role="status" tabindex="-1">${statusOf(notes.notice)}</p>
  </div>`
}

/**
 * Where focus goes when the user's own action changes the pane: to a
 * confirmation's button when it appears and back to what asked when it is
 * cancelled, to the first field of a new record, to the opened record's
 * heading after discarding changes, and to the status once a record is
 * deleted (its form is gone). Call `follow` from the element's `updated()`.
 */
export class EditorFocus {
  #confirming: Confirming["_tag"] | undefined
  #notice: Notice["_tag"] | undefined
  #newRecord = false

  follow<K extends HistoryKind>(notes: NotesController<K>, root: ParentNode): void {
    const confirming = notes.confirming?._tag
    const notice = notes.notice?._tag
    const newRecord = notes.editing !== undefined && notes.editing.id === undefined
    const before = { confirming: this.#confirming, notice: this.#notice, newRecord: this.#newRecord }
    this.#confirming = confirming
    this.#notice = notice
    this.#newRecord = newRecord
    const target =
      confirming !== undefined && confirming !== before.confirming
        ? '[part~="confirm-button"]'
        : newRecord && !before.newRecord
          ? '[part~="editor"] input'
          : notice === "Deleted" && before.notice !== "Deleted"
            ? '[part~="status"]'
            : before.confirming === "Delete" && confirming === undefined
              ? '[part~="delete"]'
              : before.confirming === "Discard" && confirming === undefined
                ? '[part~="editor-heading"]'
                : undefined
    if (target !== undefined) root.querySelector<HTMLElement>(target)?.focus()
  }
}
