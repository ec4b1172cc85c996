import { html, LitElement, nothing } from "lit"
import "../vault-setup/define.js"
import "../vault-unlock/define.js"
import { VaultController } from "../vault/VaultController.js"
import { styles } from "./vault-lock-banner.styles.js"

const reasons: Record<string, string> = {
  manual: "You locked it.",
  idle: "It locked after a while without activity.",
  hidden: "It locked when this page was hidden.",
  logout: "It locked when you signed out.",
  "session-expired": "It locked when your session ended.",
  remote: "It was locked on another device.",
  admin: "An administrator locked it.",
}

/**
 * The vault's state, always in view: locked (why, and a way to unlock right
 * here), unlocked (with "Lock now"), or not set up yet (with setup). It
 * announces changes politely to assistive technology.
 *
 * @summary Vault lock banner: state, reason, unlock or lock now.
 * @csspart banner - The bar with the state and its action.
 * @csspart message - The state and reason.
 * @csspart action - Unlock, lock now, or set up.
 * @csspart panel - Where the unlock or setup form opens.
 * @cssprop --ig-color-warning - The locked banner's border.
 * @cssprop --ig-color-warning-surface - The locked banner's background.
 */
export class IgVaultLockBanner extends LitElement {
  static override styles = styles
  static override properties = { open: { state: true }, settingUp: { state: true }, codesShown: { state: true } }

  declare open: boolean
  /** Setup runs past the vault's creation (its recovery codes are shown once): keep it open until it is done. */
  declare settingUp: boolean
  /** The setup inside shows recovery codes that will not be shown again: it cannot be closed. */
  declare codesShown: boolean
  readonly #vault = new VaultController(this)

  constructor() {
    super()
    this.open = false
    this.settingUp = false
    this.codesShown = false
  }

  /** Set when the user's own action changes the state: focus then moves to the new message, not to <body>. */
  #focusMessage = false

  readonly #setupDone = () => {
    this.settingUp = false
    this.codesShown = false
    this.open = false
    this.#focusMessage = true
  }

  readonly #unlocked = () => {
    this.open = false
    this.#focusMessage = true
  }

  readonly #toggle = () => {
    this.open = !this.open
    if (!this.open) this.settingUp = false
  }

  override updated(): void {
    if (!this.#focusMessage) return
    this.#focusMessage = false
    this.renderRoot.querySelector<HTMLElement>('[part~="message"]')?.focus()
  }

  override render() {
    const state = this.#vault.state
    if (this.settingUp && state.status === "unlocked") {
      // Closable unless its recovery codes are on screen (shown once): then only "Done" in setup ends it.
      const codesShown = this.codesShown
      return this.#bar(
        "unlocked",
        codesShown ? "Your vault is created. Store its recovery codes to finish." : "Your vault is set up.",
        codesShown ? undefined : "Close",
        this.#setup(),
      )
    }
    switch (state.status) {
      case "loading":
      case "unreachable":
        return nothing
      case "absent":
        return this.#bar("absent", "Your vault is not set up yet.", "Set up vault", this.#setup(), () => {
          this.settingUp = true
        })
      case "locked":
        return this.#bar(
          "locked",
          `Your vault is locked. ${reasons[state.reason ?? ""] ?? ""} Encrypted content stays hidden until you unlock it.`,
          "Unlock",
          html`<ig-vault-unlock @ig-vault-unlocked=${this.#unlocked}></ig-vault-unlock>`,
        )
      case "unlocked":
        return state.mustSetPassphrase
          ? this.#bar(
              "locked",
              "Choose a new passphrase to finish unlocking.",
              undefined,
              html`<ig-vault-unlock @ig-vault-unlocked=${this.#unlocked}></ig-vault-unlock>`,
            )
          : html`<div part="banner" data-status="unlocked" role="status">
              <span part="message" tabindex="-1">Your vault is unlocked on this device.</span>
              <button
                type="button"
                part="action"
                @click=${() => {
                  this.#focusMessage = true
                  void this.#vault.session?.lock("manual")
                }}
              >
                Lock now
              </button>
            </div>`
    }
  }

  /** One template for setup wherever it shows, so the same element (and its recovery codes) survives the vault's creation. */
  #setup() {
    return html`<ig-vault-setup
      @ig-vault-codes-shown=${() => {
        this.codesShown = true
      }}
      @ig-vault-ready=${this.#setupDone}
    ></ig-vault-setup>`
  }

  #bar(status: string, message: string, action: string | undefined, panel: unknown, onOpen?: () => void) {
    const open = this.open || action === undefined
    return html`<div part="banner" data-status=${status} role="status">
        <span part="message" tabindex="-1">${message}</span>
        ${
          action === undefined
            ? nothing
            : html`<button type="button" part="action" data-variant="primary" aria-expanded=${open ? "true" : "false"} @click=${() => {
                this.#toggle()
                if (this.open) onOpen?.()
              }}>
                ${open ? "Close" : action}
              </button>`
        }
      </div>
      ${open ? html`<div part="panel">${panel}</div>` : nothing}`
  }
}
