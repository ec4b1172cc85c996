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
  static override properties = { open: { state: true }, settingUp: { state: true } }

  declare open: boolean
  /** Setup runs past the vault's creation (its recovery codes are shown once): keep it open until it is done. */
  declare settingUp: boolean
  readonly #vault = new VaultController(this)

  constructor() {
    super()
    this.open = false
    this.settingUp = false
  }

  readonly #setupDone = () => {
    this.settingUp = false
    this.open = false
  }

  readonly #toggle = () => {
    this.open = !this.open
  }

  override render() {
    const state = this.#vault.state
    if (this.settingUp && state.status === "unlocked")
      return this.#bar(
        "unlocked",
        "Your vault is created. Store its recovery codes to finish.",
        undefined,
        this.#setup(),
      )
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
          html`<ig-vault-unlock @ig-vault-unlocked=${() => {
            this.open = false
          }}></ig-vault-unlock>`,
        )
      case "unlocked":
        return state.mustSetPassphrase
          ? this.#bar(
              "locked",
              "Choose a new passphrase to finish unlocking.",
              undefined,
              html`<ig-vault-unlock></ig-vault-unlock>`,
            )
          : html`<div part="banner" data-status="unlocked" role="status">
              <span part="message">Your vault is unlocked on this device.</span>
              <button type="button" part="action" @click=${() => void this.#vault.session?.lock("manual")}>Lock now</button>
            </div>`
    }
  }

  /** One template for setup wherever it shows, so the same element (and its recovery codes) survives the vault's creation. */
  #setup() {
    return html`<ig-vault-setup @ig-vault-ready=${this.#setupDone}></ig-vault-setup>`
  }

  #bar(status: string, message: string, action: string | undefined, panel: unknown, onOpen?: () => void) {
    const open = this.open || action === undefined
    return html`<div part="banner" data-status=${status} role="status">
        <span part="message">${message}</span>
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
