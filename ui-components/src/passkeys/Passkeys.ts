import type { AuthApi } from "@ignition/api"
import type { DateTime } from "effect"
import { html, LitElement, nothing } from "lit"
import { ClientController } from "../controllers/ClientController.js"
import { PasskeysController } from "./PasskeysController.js"
import { styles } from "./passkeys.styles.js"

const day = (value: DateTime.Utc) => new Date(value.epochMillis).toLocaleDateString(undefined, { dateStyle: "medium" })

/**
 * The signed-in user's passkeys: list, add (named), remove. A passkey whose
 * authenticator supports WebAuthn PRF can later unlock the vault.
 *
 * @summary Manage passkeys.
 * @fires ig-signed-out - The session ended while managing passkeys.
 * @csspart list - The list of passkeys.
 * @csspart item - One passkey.
 * @csspart name - A passkey's name.
 * @csspart meta - When it was added and last used.
 * @csspart remove - A passkey's remove button.
 * @csspart add - The form that adds a passkey.
 * @csspart input - The name field.
 * @csspart submit - The add button.
 * @csspart error - What went wrong.
 * @csspart retry - Retry after a loading failure.
 * @csspart skeleton - Shown while the first list loads.
 * @cssprop --ig-color-border - Item borders.
 * @cssprop --ig-color-text-muted - Secondary text.
 */
export class IgPasskeys extends LitElement {
  static override styles = styles
  static override properties = { baseUrl: { attribute: "base-url" }, name: { state: true } }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string
  declare name: string

  readonly #connection = new ClientController(this)
  readonly #passkeys = new PasskeysController(this, () => this.#connection.client)

  constructor() {
    super()
    this.baseUrl = ""
    this.name = ""
  }

  readonly #add = async (event: Event) => {
    event.preventDefault()
    await this.#passkeys.register(this.name.trim())
    if (this.#passkeys.error === undefined) this.name = ""
  }

  #list() {
    return this.#passkeys.list.render({
      pending: () =>
        this.#passkeys.list.value === undefined
          ? html`<div part="skeleton" class="skeleton" role="status" aria-busy="true" aria-label="Loading passkeys"></div>`
          : this.#items(this.#passkeys.list.value),
      complete: (passkeys) => this.#items(passkeys),
      error: (error) =>
        html`<p part="error" class="form-error" role="alert">
          ${error instanceof Error ? error.message : "Could not load your passkeys."}
          <button part="retry" type="button" @click=${() => this.#passkeys.reload()}>Try again</button>
        </p>`,
    })
  }

  #items(passkeys: ReadonlyArray<AuthApi.Passkey>) {
    if (passkeys.length === 0) return html`<p>No passkeys yet.</p>`
    return html`<ul part="list">
      ${passkeys.map(
        (passkey) => html`<li part="item">
          <span>
            <span part="name">${passkey.name}</span><br />
            <span part="meta" class="meta"
              >Added ${day(passkey.createdAt)}${passkey.lastUsedAt === null ? "" : `, last used ${day(passkey.lastUsedAt)}`}</span
            >
          </span>
          <button
            part="remove"
            type="button"
            ?disabled=${this.#passkeys.busy}
            @click=${() => void this.#passkeys.remove(passkey.id)}
            aria-label=${`Remove passkey ${passkey.name}`}
          >
            Remove
          </button>
        </li>`,
      )}
    </ul>`
  }

  override render() {
    return html`
      ${this.#list()}
      <form part="add" @submit=${this.#add}>
        <label
          >Name for a new passkey
          <input
            part="input"
            name="name"
            .value=${this.name}
            placeholder="e.g. Laptop"
            autocomplete="off"
            @input=${(event: InputEvent) => {
              this.name = (event.target as HTMLInputElement).value
            }}
        /></label>
        <button part="submit" type="submit" data-variant="primary" ?disabled=${this.#passkeys.busy}>Add a passkey</button>
      </form>
      ${this.#passkeys.error === undefined ? nothing : html`<p part="error" class="form-error" role="alert">${this.#passkeys.error}</p>`}
    `
  }
}
