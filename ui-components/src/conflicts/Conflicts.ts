import { html, LitElement, nothing, type TemplateResult } from "lit"
import { IgConflictResolvedEvent } from "../events/events.js"
import type { Entry, KindName } from "../knowledge/KnowledgeBase.js"
import { entryLabel, firstLine, noteLabel } from "../knowledge-editor/labels.js"
import { type Choice, type Conflict, ConflictsController } from "./ConflictsController.js"
import { styles } from "./conflicts.styles.js"

const kindLabel: Record<KindName, string> = { idea: "Idea", infobase: "Note", journal: "Journal entry" }

/** How a record is named in the list: a note by its title, an entry by its date, an idea by its first line. */
const nameOf = (entry: Entry): string => {
  const draft = entry.draft
  if ("title" in draft) return noteLabel(draft)
  if ("entryDate" in draft) return entryLabel(draft)
  return firstLine(draft.text) || "(no text)"
}

/**
 * The signed-in user's conflict copies and refused changes, the same on
 * every device. A conflict copy is what a save kept when another device had
 * changed the same record first: nothing is ever silently overwritten, so
 * the user decides here. For each copy the list names the record it came
 * from and offers to keep the current version (the copy is deleted), to use
 * the copy instead (when the record it came from is known: the copy replaces
 * it), or to keep both (the copy becomes a record of its own, without the
 * `conflict-copy` tag). Every choice is written through the normal write
 * path, so the user's other devices follow.
 *
 * Refused changes are changes the server turned down for good (invalid, or
 * no longer possible); they are listed with the server's reason until
 * dismissed.
 *
 * It uses the vault and the sync session `<ig-app>` provides. Copies of
 * encrypted records are named only while the vault is unlocked.
 *
 * @summary Conflict copies and refused changes, with keep-current, use-copy and keep-both.
 * @fires ig-conflict-resolved - A copy was resolved; `event.kind`, `event.id` (the copy's), `event.choice` (`current`, `copy` or `both`).
 * @slot heading - Replaces the "Conflicts" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart signed-out - Shown when nobody is signed in (or no `<ig-app>` provides a session).
 * @csspart locked - Says the vault must be unlocked to name the copies.
 * @csspart empty - Shown when there is nothing to resolve.
 * @csspart list - The conflict copies.
 * @csspart conflict - One conflict copy.
 * @csspart kind - Its kind ("Note", "Idea", "Journal entry").
 * @csspart name - The copy's (or, unopened, its record's) name.
 * @csspart origin - Which record it came from.
 * @csspart actions - Holds the three choices.
 * @csspart keep-current - "Keep the current version" (deletes the copy).
 * @csspart use-copy - "Use this copy" (replaces the record it came from).
 * @csspart keep-both - "Keep both" (the copy becomes a record of its own).
 * @csspart error - Why the last choice could not be carried out.
 * @csspart rejections - The refused changes.
 * @csspart rejection - One refused change.
 * @csspart reason - The server's reason.
 * @csspart dismiss - The button that dismisses a refused change.
 * @cssprop --ig-color-border - Borders between items.
 * @cssprop --ig-color-danger - Errors and refused changes.
 * @cssprop --ig-color-text-muted - Secondary text.
 */
export class IgConflicts extends LitElement {
  static override styles = styles

  readonly #conflicts = new ConflictsController(this)

  async #choose(conflict: Conflict, choice: Choice) {
    if (!(await this.#conflicts.resolve(conflict, choice))) return
    // Built apart from dispatchEvent: the manifest analyzer reads `new X(identifier)` there as an event name.
    const resolved = new IgConflictResolvedEvent(conflict.kind, conflict.id, choice)
    this.dispatchEvent(resolved)
  }

  #conflict(conflict: Conflict): TemplateResult {
    const resolution = this.#conflicts.resolution
    const busy = resolution._tag === "Working"
    const name =
      conflict._tag === "KnowledgeCopy"
        ? nameOf(conflict.entry)
        : conflict.current === undefined
          ? "A record that is not on this device"
          : nameOf(conflict.current)
    const origin =
      conflict._tag === "KnowledgeCopy"
        ? "Saved as a copy when another device had changed the same record first."
        : conflict.current === undefined
          ? "Kept beside a record this device cannot show (deleted, or the vault is locked)."
          : `A copy of “${name}”, kept when another device had changed it first.`
    const label = `${kindLabel[conflict.kind]}: ${name}`
    return html`<li part="conflict" aria-label=${label}>
      <span part="kind">${kindLabel[conflict.kind]}</span>
      <span part="name">${name}</span>
      <span part="origin">${origin}</span>
      <div part="actions" role="group" aria-label=${`Resolve ${label}`}>
        <button part="keep-current" type="button" ?disabled=${busy} @click=${() => this.#choose(conflict, "current")}>
          ${conflict._tag === "KnowledgeCopy" ? "Discard this copy" : "Keep the current version"}
        </button>
        ${
          conflict._tag === "SyncCopy"
            ? html`<button part="use-copy" type="button" ?disabled=${busy} @click=${() => this.#choose(conflict, "copy")}>
                Use this copy
              </button>`
            : nothing
        }
        <button part="keep-both" type="button" ?disabled=${busy} @click=${() => this.#choose(conflict, "both")}>
          Keep both
        </button>
      </div>
      ${
        resolution._tag === "Failed" && resolution.id === conflict.id
          ? html`<p part="error" role="alert">${resolution.message}</p>`
          : nothing
      }
    </li>`
  }

  override render() {
    const session = this.#conflicts.sync.session
    const heading = html`<h2 part="heading"><slot name="heading">Conflicts</slot></h2>`
    if (session === undefined)
      return html`<section part="section">${heading}<p part="signed-out">Sign in to see conflicts.</p></section>`
    const conflicts = this.#conflicts.conflicts
    const rejections = this.#conflicts.rejections
    const unlocked = this.#conflicts.sync.vault.state.status === "unlocked"
    return html`<section part="section">
      ${heading}
      ${unlocked ? nothing : html`<p part="locked">Unlock the vault to see what each copy holds.</p>`}
      ${
        conflicts.length === 0 && rejections.length === 0
          ? html`<p part="empty">Nothing to resolve: every change is in place.</p>`
          : nothing
      }
      ${
        conflicts.length === 0
          ? nothing
          : html`<ul part="list" aria-label="Conflict copies">${conflicts.map((conflict) => this.#conflict(conflict))}</ul>`
      }
      ${
        rejections.length === 0
          ? nothing
          : html`<ul part="rejections" aria-label="Refused changes">
              ${rejections.map(
                (rejection) => html`<li part="rejection">
                  <span part="kind">A change to ${rejection.entity} was refused.</span>
                  <span part="reason">${rejection.reason}</span>
                  <button part="dismiss" type="button" @click=${() => this.#conflicts.dismiss(rejection.mutationSeq)}>
                    Dismiss
                  </button>
                </li>`,
              )}
            </ul>`
      }
    </section>`
  }
}
