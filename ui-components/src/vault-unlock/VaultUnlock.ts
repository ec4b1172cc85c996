import { html, LitElement, nothing } from "lit"
import type { Outcome } from "../client/IgnitionClient.js"
import { FormController } from "../controllers/FormController.js"
import { IgVaultUnlockedEvent } from "../events/events.js"
import { field, formError } from "../internal/fields.js"
import { PassphraseController } from "../vault/PassphraseController.js"
import { vaultPending } from "../vault/pending.js"
import { VaultController } from "../vault/VaultController.js"
import { styles } from "./vault-unlock.styles.js"

type Method = "passphrase" | "passkey" | "recovery-code"

const methodLabels: Record<Method, string> = {
  passphrase: "Passphrase",
  passkey: "Passkey",
  "recovery-code": "Recovery code",
}

/**
 * Unlocks the vault on this device with its passphrase, a passkey that
 * supports PRF, or a recovery code. A recovery code works once: right after
 * it, a new passphrase must be chosen before anything else.
 *
 * @summary Vault unlock: passphrase, passkey or recovery code.
 * @fires ig-vault-unlocked - The vault is unlocked here; `event.method` says how.
 * @csspart form - The unlock (or new passphrase) form.
 * @csspart heading - The heading.
 * @csspart methods - The tabs choosing how to unlock.
 * @csspart method - One tab.
 * @csspart field - A label with its input and error.
 * @csspart label - A field's label text.
 * @csspart input - An input.
 * @csspart field-error - The error shown under a field.
 * @csspart form-error - An error about the whole form.
 * @csspart retry - The retry button after a network failure.
 * @csspart strength - The new passphrase's strength meter.
 * @csspart submit - The unlock button.
 * @csspart panel - The chosen method's fields (the tab panel).
 * @csspart loading - The placeholder while the vault's state loads.
 * @csspart unreachable - The message when the server could not be reached.
 * @cssprop --ig-color-accent - The unlock button and the selected tab.
 * @cssprop --ig-color-danger - Errors.
 */
export class IgVaultUnlock extends LitElement {
  static override styles = styles
  static override properties = {
    method: { state: true },
    secret: { state: true },
  }

  declare method: Method
  declare secret: string

  readonly #vault = new VaultController(this)
  readonly #newPassphrase = new PassphraseController(this)
  readonly #form = new FormController(this, {
    WrongCredential: "secret",
    InvalidRecoveryCode: "secret",
    RecoveryCodeNotFound: "secret",
    RecoveryCodeUsed: "secret",
    NoPassphrase: "secret",
  })

  constructor() {
    super()
    this.method = "passphrase"
    this.secret = ""
  }

  #methods(): ReadonlyArray<Method> {
    const state = this.#vault.state
    const wraps = state.status === "locked" || state.status === "unlocked" ? state.info.wraps : []
    return [
      "passphrase",
      ...(wraps.some((wrap) => wrap.credentialType === "passkey") ? (["passkey"] as const) : []),
      "recovery-code",
    ]
  }

  readonly #unlock = async (event?: Event) => {
    event?.preventDefault()
    const vault = this.#vault.session
    if (vault === undefined) return
    const method = this.method
    const attempt = (): Promise<Outcome<void>> =>
      method === "passphrase"
        ? vault.unlockWithPassphrase(this.secret)
        : method === "passkey"
          ? vault.unlockWithPasskey()
          : vault.unlockWithRecoveryCode(this.secret)
    const result = await this.#form.submit(attempt)
    if (result === undefined && this.#vault.state.status !== "unlocked") return
    this.secret = ""
    if (method !== "recovery-code") this.dispatchEvent(new IgVaultUnlockedEvent(method))
  }

  readonly #setPassphrase = async (event?: Event) => {
    event?.preventDefault()
    const vault = this.#vault.session
    if (vault === undefined) return
    const problem = await this.#newPassphrase.problem()
    if (problem !== undefined) {
      this.#form.fieldErrors = problem
      this.requestUpdate()
      return
    }
    const done = await this.#form.submit(() => vault.setPassphrase(this.#newPassphrase.passphrase))
    if (done === undefined && this.#vault.state.status === "unlocked" && this.#vault.state.mustSetPassphrase) return
    this.#newPassphrase.clear()
    this.dispatchEvent(new IgVaultUnlockedEvent("recovery-code"))
  }

  #choose(method: Method, focus: boolean) {
    this.method = method
    this.secret = ""
    this.#form.fieldErrors = {}
    this.#form.formError = undefined
    if (focus)
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${method}`)?.focus())
  }

  /** Arrow keys, Home and End move between the methods (the WAI-ARIA tabs pattern). */
  #tabKey(event: KeyboardEvent, methods: ReadonlyArray<Method>, current: Method) {
    const index = methods.indexOf(current)
    const next =
      event.key === "ArrowRight"
        ? methods[(index + 1) % methods.length]
        : event.key === "ArrowLeft"
          ? methods[(index - 1 + methods.length) % methods.length]
          : event.key === "Home"
            ? methods[0]
            : event.key === "End"
              ? methods[methods.length - 1]
              : undefined
    if (next === undefined) return
    event.preventDefault()
    this.#choose(next, true)
  }

  override render() {
    const state = this.#vault.state
    const pending = vaultPending(state, this.#vault.session)
    if (pending !== undefined) return pending
    if (state.status === "unlocked" && state.mustSetPassphrase) return this.#renderNewPassphrase()
    if (state.status === "unlocked") return html`<p part="heading" role="status">Your vault is unlocked.</p>`
    if (state.status === "absent") return html`<p part="heading">You have no vault yet.</p>`
    const methods = this.#methods()
    const method = methods.includes(this.method) ? this.method : "passphrase"
    return html`<form part="form" @submit=${this.#unlock} novalidate>
      <h2 part="heading">Unlock your vault</h2>
      <div part="methods" role="tablist" aria-label="Unlock with">
        ${methods.map(
          (candidate) => html`<button
            type="button"
            part="method"
            role="tab"
            id=${`tab-${candidate}`}
            aria-controls="method-panel"
            aria-selected=${candidate === method ? "true" : "false"}
            tabindex=${candidate === method ? "0" : "-1"}
            @click=${() => this.#choose(candidate, false)}
            @keydown=${(event: KeyboardEvent) => this.#tabKey(event, methods, method)}
          >
            ${methodLabels[candidate]}
          </button>`,
        )}
      </div>
      <div part="panel" id="method-panel" role="tabpanel" aria-labelledby=${`tab-${method}`}>
        ${
          method === "passkey"
            ? html`<p>Your browser will ask for the passkey you added for this vault.</p>`
            : field(this.#form, {
                name: "secret",
                label: method === "passphrase" ? "Vault passphrase" : "Recovery code",
                type: method === "passphrase" ? "password" : "text",
                value: this.secret,
                autocomplete: method === "passphrase" ? "current-password" : "off",
                onInput: (value) => {
                  this.secret = value
                },
              })
        }
        ${method === "recovery-code" ? html`<p>A recovery code works once; you will choose a new passphrase next.</p>` : nothing}
      </div>
      ${formError(this.#form, () => void this.#unlock())}
      <button part="submit" data-variant="primary" ?disabled=${this.#form.pending}>
        ${this.#form.pending ? "Unlocking…" : method === "passkey" ? "Use passkey" : "Unlock"}
      </button>
    </form>`
  }

  #renderNewPassphrase() {
    return html`<form part="form" @submit=${this.#setPassphrase} novalidate>
      <h2 part="heading">Choose a new passphrase</h2>
      <p>The recovery code you used no longer works. Choose a new passphrase to finish unlocking.</p>
      ${this.#newPassphrase.fields(this.#form, "New vault passphrase")}
      ${formError(this.#form, () => void this.#setPassphrase())}
      <button part="submit" data-variant="primary" ?disabled=${this.#form.pending}>
        ${this.#form.pending ? "Saving…" : "Save passphrase"}
      </button>
    </form>`
  }
}
