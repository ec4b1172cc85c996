import { html, LitElement } from "lit"
import { FormController } from "../controllers/FormController.js"
import { IgVaultCodesShownEvent, IgVaultReadyEvent } from "../events/events.js"
import { formError } from "../internal/fields.js"
import { codeSheet } from "../vault/codeSheet.js"
import { PassphraseController } from "../vault/PassphraseController.js"
import { vaultPending } from "../vault/pending.js"
import { VaultController } from "../vault/VaultController.js"
import { styles } from "./vault-setup.styles.js"

/**
 * Creates the signed-in user's vault: a passphrase judged in the browser
 * (the server never sees it), then ten recovery codes shown once — copy or
 * download them — and a confirmation that they are stored before the vault
 * is ready.
 *
 * @summary Vault setup: passphrase with strength meter, recovery codes shown once, confirmation.
 * @fires ig-vault-codes-shown - The recovery codes are on screen (shown once): keep this element open.
 * @fires ig-vault-ready - The vault exists, is unlocked, and its recovery codes were confirmed stored.
 * @csspart form - The passphrase form.
 * @csspart heading - A step's heading.
 * @csspart field - A label with its input and error.
 * @csspart label - A field's label text.
 * @csspart input - An input.
 * @csspart field-error - The error shown under a field.
 * @csspart form-error - An error about the whole form.
 * @csspart retry - The retry button after a network failure.
 * @csspart strength - The strength meter and its advice.
 * @csspart submit - The button that creates the vault, or finishes setup.
 * @csspart codes - The list of recovery codes.
 * @csspart copy - Copies every code.
 * @csspart download - Downloads the codes as a text file.
 * @csspart confirm - The "I have stored them" checkbox.
 * @csspart loading - The placeholder while the vault's state loads.
 * @csspart unreachable - The message when the server could not be reached.
 * @cssprop --ig-color-accent - The primary button.
 * @cssprop --ig-color-danger - Errors and warnings.
 * @cssprop --ig-font-mono - The codes' typeface.
 */
export class IgVaultSetup extends LitElement {
  static override styles = styles
  static override properties = {
    codes: { state: true },
    copied: { state: true },
    stored: { state: true },
  }

  declare codes: ReadonlyArray<string> | undefined
  declare copied: boolean | undefined
  declare stored: boolean

  readonly #vault = new VaultController(this)
  readonly #passphrase = new PassphraseController(this)
  readonly #form = new FormController(this, {
    WrongCredential: "passphrase",
    PolicyRefused: "passphrase",
    WeakWrapRefused: "passphrase",
  })

  constructor() {
    super()
    this.stored = false
  }

  readonly #submit = async (event?: Event) => {
    event?.preventDefault()
    const vault = this.#vault.session
    if (vault === undefined) return
    const problem = vault.state.status === "unlocked" ? undefined : await this.#passphrase.problem()
    if (problem !== undefined) {
      this.#form.fieldErrors = problem
      this.requestUpdate()
      return
    }
    // The vault may exist already when only its first recovery codes failed: then make those.
    const codes = await this.#form.submit(() =>
      vault.state.status === "unlocked" ? vault.regenerateRecoveryCodes() : vault.create(this.#passphrase.passphrase),
    )
    if (codes === undefined) return
    this.#passphrase.clear()
    this.codes = codes
  }

  readonly #finish = () => {
    if (!this.stored) return
    this.codes = undefined
    this.dispatchEvent(new IgVaultReadyEvent())
  }

  override render() {
    if (this.codes !== undefined) return this.#renderCodes(this.codes)
    const state = this.#vault.state
    const pending = vaultPending(state, this.#vault.session)
    if (pending !== undefined) return pending
    if (state.status === "unlocked" && this.#form.formError !== undefined)
      return html`<section>
        <h2 part="heading">Your vault is created</h2>
        <p>Its recovery codes could not be made yet.</p>
        ${formError(this.#form, () => void this.#submit())}
        <button type="button" part="submit" data-variant="primary" @click=${() => void this.#submit()}>
          Make recovery codes
        </button>
      </section>`
    // While creating, the vault turns unlocked before its codes exist: keep the form until they arrive.
    if ((state.status === "locked" || state.status === "unlocked") && !this.#form.pending)
      return html`<p part="heading">Your vault is set up.</p>`
    return html`<form part="form" @submit=${this.#submit} novalidate>
      <h2 part="heading">Create your vault</h2>
      <p>
        Your ideas, notes and journal are encrypted on this device with a key only your passphrase opens. Nobody
        else — not the server, not an administrator — can read them or reset this passphrase for you.
      </p>
      ${this.#passphrase.fields(this.#form)}
      ${formError(this.#form, () => void this.#submit())}
      <button part="submit" data-variant="primary" ?disabled=${this.#form.pending}>
        ${this.#form.pending ? "Creating…" : "Create vault"}
      </button>
    </form>`
  }

  override updated(changed: Map<string, unknown>): void {
    // The codes replace the form the user was in: move focus to them rather than leave it on <body>.
    if (changed.has("codes") && this.codes !== undefined && changed.get("codes") === undefined) {
      this.renderRoot.querySelector<HTMLElement>("#codes-heading")?.focus()
      // Built apart from dispatchEvent: the manifest analyzer would list a nameless event (see @fires above).
      const shown = new IgVaultCodesShownEvent()
      this.dispatchEvent(shown)
    }
  }

  #renderCodes(codes: ReadonlyArray<string>) {
    return html`<section>
      <h2 part="heading" id="codes-heading" tabindex="-1">Save your recovery codes</h2>
      <p>
        If you forget your passphrase, one of these codes opens your vault once. They are shown only now: copy or
        download them and keep them somewhere safe, away from this device.
      </p>
      ${codeSheet(codes, this.copied, (copied) => {
        this.copied = copied
      })}
      <label class="check">
        <input
          part="confirm"
          type="checkbox"
          .checked=${this.stored}
          @change=${(event: Event) => {
            this.stored = (event.target as HTMLInputElement).checked
          }}
        />
        I have stored these codes somewhere safe
      </label>
      <button type="button" part="submit" data-variant="primary" ?disabled=${!this.stored} @click=${this.#finish}>
        Done
      </button>
    </section>`
  }
}
