import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit"
import { messageOf } from "../internal/session.js"
import type { EntryVersion } from "../knowledge/KnowledgeBase.js"
import { confirmation } from "../knowledge-editor/confirm.js"
import { knowledgeGate } from "../knowledge-editor/KnowledgeState.js"
import { dateTime, entryDateLabel, versionSummary } from "../knowledge-editor/labels.js"
import type { HistoryKind } from "../knowledge-editor/NotesController.js"
import { MarkdownController } from "../markdown/MarkdownController.js"
import { lineDiff, withContext } from "./lineDiff.js"
import { type Restore, VersionHistoryController } from "./VersionHistoryController.js"
import { styles } from "./version-history.styles.js"

/** Unchanged lines kept around each change in the diff. */
const DIFF_CONTEXT = 3

const modeLabel = (mode: EntryVersion["mode"]) => (mode === "private" ? "Private" : "Standard")

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * The kept versions of one Infobase note or Journal entry, newest first,
 * decrypted on this device: each with its number, when it was saved, its
 * privacy mode, its title (or first line), and which one is current.
 * Choosing a version shows its text rendered from Markdown and a line diff
 * from it to the current version; "Restore this version" (after a
 * confirmation; not offered for the current one) saves it as the newest
 * version — the current text stays in the history. If the record changed
 * on another device first, nothing is restored and the list shows the
 * newer versions.
 *
 * Rendered Markdown keeps no script, event handler, style, form or frame,
 * and only web, mail and phone links (opening in a new tab). Remote images
 * are left to the page's Content-Security-Policy: with Ignition's
 * (`img-src 'self' data: blob:`) they do not load, so opening a note never
 * tells a third party about it.
 *
 * It uses the knowledge base of the vault `<ig-app>` provides, and shows
 * nothing of the record while the vault is locked.
 *
 * @summary Version history of a note or journal entry: diff, preview and restore.
 * @fires ig-version-restored - A version was restored; `event.kind`, `event.id`, `event.version` (the one restored).
 * @slot heading - Replaces the "Version history" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart signed-out - Shown when nobody is signed in.
 * @csspart unavailable - Shown when the page provides no vault (no `<ig-app>`).
 * @csspart absent - Shown when the user has no vault yet.
 * @csspart locked - Shown while the vault is locked (no version is shown).
 * @csspart loading - Placeholder rows while the records or the versions load.
 * @csspart skeleton-row - One placeholder row.
 * @csspart index-progress - The `<ig-index-progress>` of the load after an unlock.
 * @csspart unreachable - The vault could not be loaded, with a retry.
 * @csspart failed - The records could not be loaded, with a retry.
 * @csspart unreadable - How many records could not be decrypted.
 * @csspart retry - A retry button.
 * @csspart error - The versions could not be loaded, with a retry.
 * @csspart layout - The list and the chosen version, side by side when there is room.
 * @csspart versions - The list of versions.
 * @csspart version - One version in the list.
 * @csspart select - The button that chooses a version (`aria-pressed` when chosen).
 * @csspart version-number - "Version 3".
 * @csspart version-time - When it was saved.
 * @csspart version-mode - "Standard" or "Private".
 * @csspart version-summary - Its title or first line.
 * @csspart current-marker - "Current", on the record's current version.
 * @csspart hint - What to do before a version is chosen.
 * @csspart detail - The chosen version.
 * @csspart detail-heading - Its heading.
 * @csspart version-meta - Its title, category, date and tags.
 * @csspart actions - Holds "Restore this version".
 * @csspart restore - The "Restore this version" button (disabled for the current version).
 * @csspart restore-note - Why there is nothing to restore (the current version).
 * @csspart confirm - The restore confirmation: its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that restores.
 * @csspart cancel-button - The button that cancels.
 * @csspart restore-error - Why the version was not restored (a refusal, the network, a conflict).
 * @csspart restored - Says which version was restored, and as which.
 * @csspart subheading - The "Text" and "Changes" headings.
 * @csspart markdown - The version's text, rendered.
 * @csspart markdown-loading - Shown while the Markdown renderer loads.
 * @csspart markdown-error - The renderer could not be loaded, with a retry.
 * @csspart diff - The changes from the chosen version to the current one.
 * @csspart diff-summary - How many lines were removed and added.
 * @csspart diff-lines - The changed lines with some context.
 * @csspart diff-line - One line of the diff.
 * @csspart diff-removed - A line of the chosen version that the current one does not have.
 * @csspart diff-added - A line the current version added.
 * @csspart diff-same - An unchanged line shown for context.
 * @csspart diff-skipped - How many unchanged lines were left out.
 * @cssprop --ig-color-border - Borders.
 * @cssprop --ig-color-accent - The chosen version and the current marker.
 * @cssprop --ig-color-danger - Errors and removed lines.
 * @cssprop --ig-color-success - Added lines.
 * @cssprop --ig-color-text-muted - Secondary text.
 * @cssprop --ig-font-mono - The diff's typeface.
 */
export class IgVersionHistory extends LitElement {
  static override styles = styles
  static override properties = {
    kind: { reflect: true },
    recordId: { attribute: "record-id", reflect: true },
  }

  /** `infobase` or `journal`. */
  declare kind: HistoryKind
  /** The note's or entry's id. */
  declare recordId: string

  readonly #history = new VersionHistoryController(this, () => ({
    kind: this.kind === "journal" ? "journal" : "infobase",
    id: this.recordId,
  }))
  readonly #markdown = new MarkdownController(this)
  /** The restore step last rendered: focus follows its changes. */
  #shownRestore: Restore["_tag"] = "Idle"

  constructor() {
    super()
    this.kind = "infobase"
    this.recordId = ""
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    // Rendered text is plaintext: it goes when the knowledge base locks.
    if (this.#history.state.view._tag !== "Ready") this.#markdown.clear()
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed)
    const previous = this.#shownRestore
    const now = this.#history.restore._tag
    this.#shownRestore = now
    if (now === previous) return
    const target =
      now === "Confirming"
        ? '[part~="confirm-button"]'
        : now === "Restored"
          ? '[part~="restored"]'
          : previous === "Confirming" && now === "Idle"
            ? '[part~="restore"]'
            : undefined
    if (target !== undefined) this.renderRoot.querySelector<HTMLElement>(target)?.focus()
  }

  #versionList(versions: ReadonlyArray<EntryVersion<HistoryKind>>, current: number | undefined) {
    const history = this.#history
    return html`<ol part="versions" aria-label="Versions, newest first">
      ${versions.map(
        (version) => html`<li part="version">
          <button
            part="select"
            type="button"
            aria-pressed=${history.selected === version.version ? "true" : "false"}
            @click=${() => history.select(version.version)}
          >
            <span part="version-number">Version ${version.version}</span>
            <time part="version-time" datetime=${version.createdAt.toISOString()}
              >${dateTime.format(version.createdAt)}</time
            >
            <span part="version-mode">${modeLabel(version.mode)}</span>
            <span part="version-summary">${versionSummary(version.draft)}</span>
            ${version.version === current ? html`<span part="current-marker">Current</span>` : nothing}
          </button>
        </li>`,
      )}
    </ol>`
  }

  #meta(version: EntryVersion<HistoryKind>) {
    const draft = version.draft
    const rows: ReadonlyArray<readonly [string, string]> = [
      ...("title" in draft
        ? ([
            ["Title", draft.title || "(none)"],
            ["Category", draft.category ?? "(none)"],
          ] as const)
        : ([["Date", entryDateLabel(draft.entryDate)]] as const)),
      ["Tags", draft.tags.length === 0 ? "(none)" : draft.tags.join(", ")],
      ["Privacy", modeLabel(version.mode)],
    ]
    return html`<dl part="version-meta">
      ${rows.map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`)}
    </dl>`
  }

  #restoreOutcome(restore: Restore) {
    switch (restore._tag) {
      case "Failed":
        return html`<p part="restore-error" role="alert">The version was not restored: ${restore.message}</p>`
      case "Conflict":
        return html`<p part="restore-error" role="alert">
          This changed on another device first, so nothing was restored. The list now shows its latest versions.
        </p>`
      default:
        return nothing
    }
  }

  #diff(selected: EntryVersion<HistoryKind>, currentText: string, current: number): TemplateResult {
    const diff = lineDiff(selected.draft.content, currentText)
    const removed = diff.filter((line) => line.op === "removed").length
    const added = diff.filter((line) => line.op === "added").length
    const marks = { removed: ["Removed:", "−"], added: ["Added:", "+"], same: ["Unchanged:", " "] } as const
    return html`<section part="diff" aria-labelledby="diff-heading">
      <h5 part="subheading" id="diff-heading">Changes from version ${selected.version} to the current version (${current})</h5>
      ${
        removed + added === 0
          ? html`<p part="diff-summary">The text is the same as the current version's.</p>`
          : html`<p part="diff-summary">${plural(removed, "line", "lines")} removed, ${plural(added, "line", "lines")} added.</p>
            <ol part="diff-lines">
              ${withContext(diff, DIFF_CONTEXT).map((chunk) =>
                chunk._tag === "Hidden"
                  ? html`<li part="diff-line diff-skipped">${plural(chunk.count, "unchanged line", "unchanged lines")}</li>`
                  : chunk.lines.map((line) => {
                      const [word, sign] = marks[line.op]
                      const text = html`<span class="visually-hidden">${word} </span
                        ><span class="sign" aria-hidden="true">${sign}</span>${line.text}`
                      return line.op === "removed"
                        ? html`<li part="diff-line diff-removed"><del>${text}</del></li>`
                        : line.op === "added"
                          ? html`<li part="diff-line diff-added"><ins>${text}</ins></li>`
                          : html`<li part="diff-line diff-same">${text}</li>`
                    }),
              )}
            </ol>`
      }
    </section>`
  }

  #detail(versions: ReadonlyArray<EntryVersion<HistoryKind>>, current: number | undefined) {
    const history = this.#history
    const selected = versions.find((version) => version.version === history.selected)
    if (selected === undefined) return html`<p part="hint">Choose a version to see its text and what changed since.</p>`
    const isCurrent = selected.version === current
    const currentText = versions.find((version) => version.version === current)?.draft.content
    const restore = history.restore
    return html`<section part="detail" aria-labelledby="detail-heading">
      <h4 part="detail-heading" id="detail-heading">
        Version ${selected.version}, saved ${dateTime.format(selected.createdAt)}
      </h4>
      ${this.#meta(selected)}
      ${
        restore._tag === "Confirming"
          ? confirmation({
              question: `Restore version ${selected.version}? It becomes the newest version; the current text stays in the history.`,
              action: "Restore",
              go: () => void history.restoreSelected(),
              cancel: () => history.cancelRestore(),
            })
          : html`<div part="actions">
              <button
                part="restore"
                type="button"
                ?disabled=${isCurrent || restore._tag === "Restoring"}
                @click=${() => history.askRestore()}
              >
                ${restore._tag === "Restoring" ? "Restoring…" : "Restore this version"}
              </button>
              ${isCurrent ? html`<span part="restore-note">This is the current version.</span>` : nothing}
            </div>`
      }
      ${this.#restoreOutcome(restore)}
      <h5 part="subheading">Text</h5>
      ${this.#markdown.render("version", selected.draft.content, 6)}
      ${isCurrent || currentText === undefined || current === undefined ? nothing : this.#diff(selected, currentText, current)}
    </section>`
  }

  #versions() {
    const history = this.#history
    const versions = history.versions
    if (versions === undefined)
      return html`<div part="loading" aria-busy="true">
        <span class="visually-hidden">Loading the versions…</span>
        ${Array.from({ length: 3 }, () => html`<div part="skeleton-row" aria-hidden="true"></div>`)}
      </div>`
    if (versions._tag !== "Ok")
      return html`<div part="error" role="alert">
        The versions could not be loaded: ${versions._tag === "Unreachable" ? versions.message : messageOf(versions.error)}
        <button part="retry" type="button" @click=${() => history.reload()}>Try again</button>
      </div>`
    const current = history.currentVersion
    const restore = history.restore
    return html`<div part="layout">
        ${this.#versionList(versions.value, current)} ${this.#detail(versions.value, current)}
      </div>
      <p part="restored" role="status" tabindex="-1">
        ${restore._tag === "Restored" ? `Version ${restore.from} was restored as version ${restore.to}.` : ""}
      </p>`
  }

  override render() {
    const view = this.#history.state.view
    return html`<section part="section" aria-labelledby="heading" aria-busy=${this.#history.loading ? "true" : "false"}>
      <h3 part="heading" id="heading"><slot name="heading">Version history</slot></h3>
      ${knowledgeGate(view, { plural: "versions" }, () => this.#versions())}
    </section>`
  }
}
