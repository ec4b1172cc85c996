import { DateTime } from "effect"
import { html, LitElement, nothing } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { ClientController } from "../controllers/ClientController.js"
import { AccountSessionsController, type Confirming, type Device } from "./AccountSessionsController.js"
import { styles } from "./account-sessions.styles.js"

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })
const units: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
]

/** A `<time>` saying how long ago (or "just now"), with the exact time as its title. */
const when = (time: DateTime.Utc, part: string) => {
  const date = DateTime.toDate(time)
  const seconds = (date.getTime() - Date.now()) / 1000
  const unit = units.find(([, size]) => Math.abs(seconds) >= size)
  const text = unit === undefined ? "just now" : relativeFormat.format(Math.round(seconds / unit[1]), unit[0])
  return html`<time part=${part} datetime=${DateTime.formatIso(time)} title=${absolute.format(date)}>${text}</time>`
}

const skeletonRows = 3

/**
 * The devices signed in to the user's account: browser and system, when
 * each signed in and was last seen, "This device" for the one in use. Each
 * can be signed out (after a confirmation), or all at once; signing out this
 * device signs the user out here.
 *
 * @summary The user's signed-in devices, with sign-out per device and everywhere.
 * @fires ig-signed-out - This device was signed out ("sign-out"), or the session had already ended ("expired").
 * @slot heading - Replaces the "Signed-in devices" heading.
 * @csspart section - The whole element's content.
 * @csspart heading - The heading.
 * @csspart list - The list of devices.
 * @csspart device - One device.
 * @csspart device-info - A device's name and times.
 * @csspart device-name - Its browser and system ("Firefox on Linux").
 * @csspart current - The "This device" badge.
 * @csspart device-times - When it signed in and was last seen.
 * @csspart created - When it signed in.
 * @csspart last-seen - When it was last seen.
 * @csspart revoke - A device's sign-out button.
 * @csspart confirm - A confirmation: its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that goes ahead.
 * @csspart cancel-button - The button that cancels.
 * @csspart row-error - Why a device (or all of them) could not be signed out.
 * @csspart footer - Holds "Sign out everywhere".
 * @csspart sign-out-everywhere - The "Sign out everywhere" button.
 * @csspart empty - Shown when no device is signed in.
 * @csspart skeleton - The placeholder list shown while loading for the first time.
 * @csspart skeleton-row - One placeholder row.
 * @csspart error - A load failure, with a retry.
 * @csspart retry - The retry button.
 * @csspart signed-out - Shown once the user is signed out.
 * @csspart status - The (visually hidden) live status.
 * @cssprop --ig-color-border - Borders between devices.
 * @cssprop --ig-color-danger - Sign-out buttons and errors.
 * @cssprop --ig-color-accent - The "This device" badge.
 * @cssprop --ig-color-text-muted - The devices' times.
 */
export class IgAccountSessions extends LitElement {
  static override styles = styles
  static override properties = { baseUrl: { attribute: "base-url" } }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string

  readonly #connection = new ClientController(this)
  readonly #sessions = new AccountSessionsController(this, () => this.#connection.client)
  #shownConfirming: Confirming = undefined

  constructor() {
    super()
    this.baseUrl = ""
  }

  /** Load the devices again (the list shown stays until the answer). */
  refresh(): void {
    this.#sessions.refresh()
  }

  override updated(): void {
    // A confirmation takes focus when it opens and gives it back when it closes.
    const confirming = this.#sessions.confirming
    const previous = this.#shownConfirming
    this.#shownConfirming = confirming
    if (confirming === previous) return
    if (confirming !== undefined) {
      this.renderRoot.querySelector<HTMLElement>('[part~="confirm-button"]')?.focus()
      return
    }
    const origin =
      previous?._tag === "Revoke"
        ? this.renderRoot.querySelector<HTMLElement>(`[data-session="${previous.id}"]`)
        : this.renderRoot.querySelector<HTMLElement>('[part~="sign-out-everywhere"]')
    ;(origin ?? this.renderRoot.querySelector<HTMLElement>('[part~="heading"]'))?.focus()
  }

  #confirm(question: string, action: string, go: () => void) {
    const sessions = this.#sessions
    return html`<div
      part="confirm"
      role="group"
      aria-label=${question}
      @keydown=${(event: KeyboardEvent) => {
        if (event.key === "Escape") {
          event.stopPropagation()
          sessions.confirm(undefined)
        }
      }}
    >
      <span part="confirm-text">${question}</span>
      <button part="confirm-button" type="button" data-variant="danger" @click=${go}>${action}</button>
      <button part="cancel-button" type="button" @click=${() => sessions.confirm(undefined)}>Cancel</button>
    </div>`
  }

  #error(key: string) {
    const message = this.#sessions.errors.get(key)
    return message === undefined
      ? nothing
      : html`<p part="row-error" class="form-error" id=${`error-${key}`} role="alert">${message}</p>`
  }

  #device({ session, name }: Device) {
    const sessions = this.#sessions
    const busy = sessions.busy.has(session.id)
    const confirming = sessions.confirming?._tag === "Revoke" && sessions.confirming.id === session.id
    const hasError = sessions.errors.has(session.id)
    return html`<li part="device" aria-busy=${busy ? "true" : "false"}>
      <div part="device-info">
        <span part="device-name">${name}</span>
        ${session.current ? html`<span part="current">This device</span>` : nothing}
        <span part="device-times">
          Signed in ${when(session.createdAt, "created")} · last seen ${when(session.lastSeenAt, "last-seen")}
        </span>
      </div>
      ${
        confirming
          ? this.#confirm(
              session.current ? `Sign out ${name}? This is the device you are using.` : `Sign out ${name}?`,
              "Sign out",
              () => void sessions.revoke(session.id),
            )
          : html`<button
            part="revoke"
            type="button"
            data-session=${session.id}
            aria-disabled=${busy ? "true" : "false"}
            aria-describedby=${ifDefined(hasError ? `error-${session.id}` : undefined)}
            @click=${() => {
              if (!busy) sessions.confirm({ _tag: "Revoke", id: session.id })
            }}
          >
            ${busy ? "Signing out…" : "Sign out"}<span class="visually-hidden"> ${name}</span>
          </button>`
      }
      ${this.#error(session.id)}
    </li>`
  }

  #ready(devices: ReadonlyArray<Device>, refreshError: string | undefined) {
    const sessions = this.#sessions
    const busy = sessions.busy.has("everywhere")
    return html`
      ${
        refreshError === undefined
          ? nothing
          : html`<div part="error" role="alert">
            The list could not be refreshed: ${refreshError}
            <button part="retry" type="button" @click=${() => sessions.refresh()}>Try again</button>
          </div>`
      }
      ${
        devices.length === 0
          ? html`<p part="empty">No device is signed in to your account.</p>`
          : html`<ul part="list">
            ${devices.map((device) => this.#device(device))}
          </ul>`
      }
      <div part="footer">
        ${
          sessions.confirming?._tag === "Everywhere"
            ? this.#confirm(
                "Sign out of every device, including this one?",
                "Sign out everywhere",
                () => void sessions.signOutEverywhere(),
              )
            : html`<button
              part="sign-out-everywhere"
              type="button"
              data-variant="danger"
              aria-disabled=${busy ? "true" : "false"}
              aria-describedby=${ifDefined(sessions.errors.has("everywhere") ? "error-everywhere" : undefined)}
              @click=${() => {
                if (!busy) sessions.confirm({ _tag: "Everywhere" })
              }}
            >
              ${busy ? "Signing out…" : "Sign out everywhere"}
            </button>`
        }
        ${this.#error("everywhere")}
      </div>
    `
  }

  #body() {
    const sessions = this.#sessions
    const view = sessions.view
    switch (view._tag) {
      case "Loading":
        return html`<ul part="skeleton" aria-hidden="true">
            ${Array.from({ length: skeletonRows }, () => html`<li part="skeleton-row"></li>`)}
          </ul>
          <p part="status" class="visually-hidden" role="status">Loading your devices…</p>`
      case "SignedOut":
        return html`<p part="signed-out">You are signed out. Sign in to see your devices.</p>`
      case "Failed":
        return html`<div part="error" role="alert">
          Your devices could not be loaded: ${view.message}
          <button part="retry" type="button" @click=${() => sessions.refresh()}>Try again</button>
        </div>`
      case "Ready":
        return html`${this.#ready(view.devices, view.refreshError)}
          <p part="status" class="visually-hidden" role="status">${sessions.announcement}</p>`
    }
  }

  override render() {
    const view = this.#sessions.view
    const busy = view._tag === "Loading" || (view._tag === "Ready" && view.refreshing)
    return html`<section part="section" aria-labelledby="heading" aria-busy=${busy ? "true" : "false"}>
      <h2 part="heading" id="heading" tabindex="-1"><slot name="heading">Signed-in devices</slot></h2>
      ${this.#body()}
    </section>`
  }
}
