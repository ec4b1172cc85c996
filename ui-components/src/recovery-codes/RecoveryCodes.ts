import { DateTime } from "effect"
import { html, LitElement, nothing } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { literal, html as staticHtml } from "lit/static-html.js"
import { ClientController } from "../controllers/ClientController.js"
import { codeSheet } from "../vault/codeSheet.js"
import {
  type CodesView,
  type Readiness,
  type RecoveryCode,
  RecoveryCodesController,
  type Regeneration,
} from "./RecoveryCodesController.js"
import { styles } from "./recovery-codes.styles.js"

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" })

/** A `<time>` with the day, and the exact time as its title. */
const day = (time: DateTime.Utc) => {
  const date = DateTime.toDate(time)
  return html`<time datetime=${DateTime.formatIso(time)} title=${absolute.format(date)}>${dayFormat.format(date)}</time>`
}

const headings = [literal`h2`, literal`h3`, literal`h4`, literal`h5`, literal`h6`] as const
const headingTag = (level: number) => headings[Math.min(Math.max(Math.round(level), 2), 6) - 2] ?? headings[0]

/** Codes left at or below which the list suggests a new set. */
const lowThreshold = 3

const readinessNote: Readonly<Record<Exclude<Readiness, "ready" | "absent">, string>> = {
  unavailable: "New codes can be made only where your vault is open: sign in to the Ignition app.",
  checking: "Checking your vault…",
  unreachable: "Your vault could not be checked, so new codes cannot be made right now.",
  locked: "Unlock your vault to make new codes: each one wraps the vault's key, which only an unlocked device holds.",
  "must-set-passphrase": "Choose a new passphrase first: you unlocked with a recovery code, which is now used up.",
}

/**
 * The user's vault recovery codes: when each was made and last used, how
 * often, and whether it still works — never the codes themselves, which the
 * server does not have. Each working code can be revoked (after a
 * confirmation). "Regenerate" (after a confirmation, with the vault
 * unlocked on this device) makes a new set of ten and shows it once, with
 * "Copy all" and "Download"; the previous codes stop working at once.
 * Inside `<ig-app>` it uses the vault that `<ig-app>` provides; without it
 * (`base-url`) it lists and revokes, but cannot make new codes.
 *
 * @summary The vault's recovery codes: list, revoke, regenerate (shown once).
 * @fires ig-signed-out - The session had ended ("expired").
 * @slot heading - Replaces the "Recovery codes" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart intro - What recovery codes are for.
 * @csspart new-codes - The new codes, shown once after regenerating.
 * @csspart new-codes-heading - Their heading.
 * @csspart once-note - The note that they will not be shown again.
 * @csspart codes - The list of new codes.
 * @csspart copy - The "Copy all" button (its label says whether copying worked).
 * @csspart download - The "Download" button (a text file, ignition-recovery-codes.txt).
 * @csspart done - The "I have saved them" button, which hides the codes for good.
 * @csspart summary - How many codes still work.
 * @csspart low - The suggestion to make a new set when few or no codes are left.
 * @csspart list - The codes that still work.
 * @csspart item - One code that still works.
 * @csspart name - A code's label ("Code 3").
 * @csspart meta - When a code was made, last used and revoked, and how often it was used.
 * @csspart state - A code's state badge (active, used, revoked).
 * @csspart revoke - A code's revoke button.
 * @csspart confirm - A confirmation: its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that goes ahead.
 * @csspart cancel-button - The button that cancels.
 * @csspart row-error - Why a code could not be revoked.
 * @csspart history - The used and revoked codes (a disclosure).
 * @csspart history-summary - Its summary line.
 * @csspart history-list - Their list.
 * @csspart history-item - One used or revoked code.
 * @csspart footer - Holds "Regenerate" and why it may be unavailable.
 * @csspart regenerate - The "Regenerate codes" button.
 * @csspart needs-unlock - Why new codes cannot be made now (vault locked, …).
 * @csspart regenerate-error - Why regenerating failed.
 * @csspart empty - Shown when there are no codes yet.
 * @csspart no-vault - Shown when the user has no vault.
 * @csspart skeleton - The placeholder list shown while loading for the first time.
 * @csspart skeleton-row - One placeholder row.
 * @csspart error - A load failure, with a retry.
 * @csspart retry - The retry button.
 * @csspart signed-out - Shown once the user is signed out.
 * @csspart status - The (visually hidden) live status.
 * @cssprop --ig-color-border - Borders of the lists and the new codes.
 * @cssprop --ig-color-danger - Revoke buttons and errors.
 * @cssprop --ig-color-success - The "active" badge.
 * @cssprop --ig-color-accent - The frame of the new codes.
 * @cssprop --ig-color-text-muted - Dates and notes.
 * @cssprop --ig-font-mono - The codes' typeface.
 */
export class IgRecoveryCodes extends LitElement {
  static override styles = styles
  static override properties = {
    baseUrl: { attribute: "base-url" },
    headingLevel: { attribute: "heading-level", type: Number },
  }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string
  /** The level of the element's heading (2 to 6; 2 by default), to fit the page's outline. */
  declare headingLevel: number

  readonly #connection = new ClientController(this)
  readonly #codes = new RecoveryCodesController(this, () => this.#connection.client)
  #shown: { readonly regeneration: Regeneration["_tag"]; readonly revoke: string | undefined } = {
    regeneration: "Idle",
    revoke: undefined,
  }

  constructor() {
    super()
    this.baseUrl = ""
    this.headingLevel = 2
  }

  /** Load the codes again (the list shown stays until the answer). */
  refresh(): void {
    this.#codes.refresh()
  }

  override updated(): void {
    // Confirmations take focus when they open and give it back when they close; new codes take it when shown.
    const codes = this.#codes
    const previous = this.#shown
    const now = { regeneration: codes.regeneration._tag, revoke: codes.confirmingRevoke }
    this.#shown = now
    const target = (): string | undefined => {
      if (now.regeneration !== previous.regeneration) {
        if (now.regeneration === "Confirming") return '[part~="confirm-button"]'
        if (now.regeneration === "Shown") return '[part~="new-codes-heading"]'
        if (previous.regeneration === "Confirming" || previous.regeneration === "Shown") return '[part~="regenerate"]'
      }
      if (now.revoke === previous.revoke) return undefined
      if (now.revoke !== undefined) return '[part~="confirm-button"]'
      return this.renderRoot.querySelector(`[data-code="${previous.revoke}"]`) === null
        ? '[part~="heading"]'
        : `[data-code="${previous.revoke}"]`
    }
    const selector = target()
    if (selector !== undefined) this.renderRoot.querySelector<HTMLElement>(selector)?.focus()
  }

  #confirm(question: string, action: string, go: () => void, cancel: () => void) {
    return html`<div
      part="confirm"
      role="group"
      aria-label=${question}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === "Escape") {
          event.stopPropagation()
          cancel()
        }
      }}
    >
      <span part="confirm-text">${question}</span>
      <button part="confirm-button" type="button" data-variant="danger" @click=${go}>${action}</button>
      <button part="cancel-button" type="button" @click=${cancel}>Cancel</button>
    </div>`
  }

  #meta(code: RecoveryCode) {
    const uses = code.usedCount === 1 ? "used once" : `used ${code.usedCount} times`
    return html`<span part="meta">
      Made ${day(code.createdAt)}${code.lastUsedAt === null ? nothing : html` · last used ${day(code.lastUsedAt)}`}
      ${code.usedCount > 0 ? html` · ${uses}` : nothing}
      ${code.revokedAt === null ? nothing : html` · revoked ${day(code.revokedAt)}`}
    </span>`
  }

  #active(code: RecoveryCode, index: number) {
    const codes = this.#codes
    const name = `Code ${index + 1}`
    const busy = codes.revoking.has(code.id)
    const error = codes.errors.get(code.id)
    return html`<li part="item" aria-busy=${busy ? "true" : "false"}>
      <span part="name">${name}</span>
      ${this.#meta(code)}
      ${
        codes.confirmingRevoke === code.id
          ? this.#confirm(
              `Revoke ${name.toLowerCase()}? It stops working at once.`,
              "Revoke",
              () => void codes.revoke(code.id),
              () => codes.confirmRevoke(undefined),
            )
          : html`<button
            part="revoke"
            type="button"
            data-variant="danger"
            data-code=${code.id}
            aria-disabled=${busy ? "true" : "false"}
            aria-describedby=${ifDefined(error === undefined ? undefined : `error-${code.id}`)}
            @click=${() => {
              if (!busy) codes.confirmRevoke(code.id)
            }}
          >
            ${busy ? "Revoking…" : "Revoke"}<span class="visually-hidden"> ${name.toLowerCase()}</span>
          </button>`
      }
      ${
        error === undefined
          ? nothing
          : html`<p part="row-error" class="form-error" id=${`error-${code.id}`} role="alert">${error}</p>`
      }
    </li>`
  }

  #history(inactive: ReadonlyArray<RecoveryCode>) {
    if (inactive.length === 0) return nothing
    return html`<details part="history">
      <summary part="history-summary">Used and revoked codes (${inactive.length})</summary>
      <ul part="history-list">
        ${inactive.map((code) => {
          const used = code.usedCount > 0 || code.lastUsedAt !== null
          return html`<li part="history-item">
            <span part="state" data-state=${used ? "used" : "revoked"}>${used ? "Used" : "Revoked"}</span>
            ${this.#meta(code)}
          </li>`
        })}
      </ul>
    </details>`
  }

  #summary(active: number, total: number) {
    if (total === 0)
      return html`<p part="empty">
        You have no recovery codes yet. Make a set so that you can still open your vault if you forget your
        passphrase.
      </p>`
    return html`<p part="summary">
        ${active === 1 ? "1 code still works." : `${active} codes still work.`}
      </p>
      ${
        active === 0
          ? html`<p part="low" role="note">
            None of your codes can be used any more: make a new set so that you can still get into your vault.
          </p>`
          : active <= lowThreshold
            ? html`<p part="low" role="note">You are running low on codes: consider making a new set.</p>`
            : nothing
      }`
  }

  #newCodes(shown: Extract<Regeneration, { _tag: "Shown" }>) {
    const codes = this.#codes
    const tag = headingTag(this.headingLevel + 1)
    return html`<div part="new-codes" role="region" aria-labelledby="new-codes-heading">
      ${staticHtml`<${tag} part="new-codes-heading" id="new-codes-heading" tabindex="-1">Your new recovery codes</${tag}>`}
      <p part="once-note">
        <strong>They will not be shown again.</strong> Save them now — download them, print them or put them in a
        password manager — and keep them apart from your passphrase. Each one unlocks your vault once; your previous
        codes no longer work.
      </p>
      ${codeSheet(shown.codes, shown.copied, (copied) => codes.noteCopied(copied))}
      <button part="done" type="button" data-variant="primary" @click=${() => codes.dismissCodes()}>
        I have saved them
      </button>
    </div>`
  }

  #footer(hasCodes: boolean) {
    const codes = this.#codes
    const regeneration = codes.regeneration
    const readiness = codes.readiness
    if (readiness === "absent") return nothing
    const label = hasCodes ? "Regenerate codes" : "Make recovery codes"
    const working = regeneration._tag === "Working"
    const blocked = readiness !== "ready"
    const describedBy = [
      blocked ? "needs-unlock" : undefined,
      regeneration._tag === "Failed" ? "regenerate-error" : undefined,
    ].filter((id) => id !== undefined)
    return html`<div part="footer">
      ${
        regeneration._tag === "Confirming"
          ? this.#confirm(
              hasCodes
                ? "Make a new set of ten codes? The codes you have now stop working at once."
                : "Make a set of ten recovery codes?",
              hasCodes ? "Regenerate" : "Make codes",
              () => void codes.regenerate(),
              () => codes.confirmRegenerate(false),
            )
          : html`<button
            part="regenerate"
            type="button"
            aria-disabled=${blocked || working ? "true" : "false"}
            aria-describedby=${ifDefined(describedBy.length === 0 ? undefined : describedBy.join(" "))}
            @click=${() => {
              if (!blocked && !working) codes.confirmRegenerate(true)
            }}
          >
            ${working ? "Making new codes…" : label}
          </button>`
      }
      ${blocked ? html`<p part="needs-unlock" id="needs-unlock">${readinessNote[readiness]}</p>` : nothing}
      ${
        regeneration._tag === "Failed"
          ? html`<p part="regenerate-error" class="form-error" id="regenerate-error" role="alert">
            No new codes were made: ${regeneration.message}
          </p>`
          : nothing
      }
    </div>`
  }

  #ready(view: Extract<CodesView, { _tag: "Ready" }>) {
    const codes = this.#codes
    return html`
      ${
        view.refreshError === undefined
          ? nothing
          : html`<div part="error" role="alert">
            The codes could not be refreshed: ${view.refreshError}
            <button part="retry" type="button" @click=${() => codes.refresh()}>Try again</button>
          </div>`
      }
      ${this.#summary(view.active.length, view.active.length + view.inactive.length)}
      ${
        view.active.length === 0
          ? nothing
          : html`<ul part="list">
            ${view.active.map((code, index) => this.#active(code, index))}
          </ul>`
      }
      ${this.#history(view.inactive)} ${this.#footer(view.active.length + view.inactive.length > 0)}
    `
  }

  #body() {
    const codes = this.#codes
    const view = codes.view
    switch (view._tag) {
      case "Loading":
        return html`<ul part="skeleton" aria-hidden="true">
            ${Array.from({ length: 3 }, () => html`<li part="skeleton-row"></li>`)}
          </ul>`
      case "SignedOut":
        return html`<p part="signed-out">You are signed out. Sign in to see your recovery codes.</p>`
      case "NoVault":
        return html`<p part="no-vault">You have no vault yet, so no recovery codes either.</p>`
      case "Failed":
        return html`<div part="error" role="alert">
          Your recovery codes could not be loaded: ${view.message}
          <button part="retry" type="button" @click=${() => codes.refresh()}>Try again</button>
        </div>`
      case "Ready":
        return this.#ready(view)
    }
  }

  override render() {
    const codes = this.#codes
    const view = codes.view
    const busy =
      view._tag === "Loading" || (view._tag === "Ready" && view.refreshing) || codes.regeneration._tag === "Working"
    const tag = headingTag(this.headingLevel)
    const shown = codes.regeneration
    return html`<section part="section" aria-labelledby="heading" aria-busy=${busy ? "true" : "false"}>
      ${staticHtml`<${tag} part="heading" id="heading" tabindex="-1"><slot name="heading">Recovery codes</slot></${tag}>`}
      <p part="intro">
        If you forget your passphrase and have no passkey, a recovery code opens your vault once. Ignition keeps only
        a check of each code, never the code itself: it cannot show them again.
      </p>
      ${shown._tag === "Shown" ? this.#newCodes(shown) : nothing} ${this.#body()}
      <p part="status" class="visually-hidden" role="status">
        ${view._tag === "Loading" ? "Loading your recovery codes…" : codes.announcement}
      </p>
    </section>`
  }
}
