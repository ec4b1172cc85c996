import { Account, AuthApi } from "@ignition/api"
import { Task } from "@lit/task"
import { Redacted } from "effect"
import { html, LitElement, nothing } from "lit"
import { ClientController } from "../controllers/ClientController.js"
import { FormController } from "../controllers/FormController.js"
import { IgSignedInEvent } from "../events/events.js"
import { field, formError } from "../internal/fields.js"
import { styles } from "./sign-up.styles.js"

/** Minimum age to hold an account (the server decides; this only shapes the form's hint). */
const minimumAge = 16

/**
 * Account creation: name, email, password, birth year (16 or older) and the
 * terms. On a fresh instance it also asks for the one-time setup token that
 * makes the first account an administrator.
 *
 * @summary Sign-up form with age gate and terms.
 * @fires ig-signed-in - The account was created and signed in.
 * @slot heading - Replaces the "Create an account" heading.
 * @slot terms - The terms text next to the checkbox (a link to them, usually).
 * @csspart form - The form.
 * @csspart heading - The heading.
 * @csspart field - A label with its input and error.
 * @csspart label - A field's label text.
 * @csspart input - An input.
 * @csspart field-error - The error shown under a field.
 * @csspart terms - The terms checkbox and its text.
 * @csspart form-error - An error about the whole form.
 * @csspart retry - The retry button after a network failure.
 * @csspart submit - The create button.
 * @csspart waiting - The notice shown when the account awaits approval.
 * @cssprop --ig-color-accent - The create button's colour.
 * @cssprop --ig-color-danger - Error text.
 */
export class IgSignUp extends LitElement {
  static override styles = styles
  static override properties = {
    baseUrl: { attribute: "base-url" },
    termsHref: { attribute: "terms-href" },
    values: { state: true },
    waiting: { state: true },
  }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string
  /** Where the terms are published. */
  declare termsHref: string
  declare values: {
    readonly displayName: string
    readonly email: string
    readonly password: string
    readonly birthYear: string
    readonly acceptTerms: boolean
    readonly setupToken: string
  }
  declare waiting: Account.User | undefined

  readonly #connection = new ClientController(this)
  readonly #form = new FormController(this, {
    Conflict: "email",
    WeakPassword: "password",
    "Forbidden:age_requirement": "birthYear",
    "Forbidden:setup_token": "setupToken",
  })
  readonly #methods = new Task(this, {
    args: () => [this.#connection.client] as const,
    task: async ([client]) => {
      const outcome = await client.call((api) => api.auth.methods())
      return outcome._tag === "Ok" ? outcome.value : undefined
    },
  })

  constructor() {
    super()
    this.baseUrl = ""
    this.termsHref = "/terms"
    this.values = { displayName: "", email: "", password: "", birthYear: "", acceptTerms: false, setupToken: "" }
    this.waiting = undefined
  }

  #set(name: keyof IgSignUp["values"], value: string | boolean) {
    this.values = { ...this.values, [name]: value }
  }

  readonly #submit = async (event?: Event) => {
    event?.preventDefault()
    const v = this.values
    if (!v.acceptTerms) {
      this.#form.fieldErrors = { acceptTerms: "Accept the terms to create an account." }
      this.requestUpdate()
      return
    }
    const birthYear = Number(v.birthYear)
    const result = await this.#form.submit(() =>
      this.#connection.client.call((api) =>
        api.auth.signup({
          payload: new AuthApi.SignupRequest({
            displayName: v.displayName.trim(),
            email: v.email.trim(),
            password: Redacted.make(v.password),
            birthYear: Number.isInteger(birthYear) ? birthYear : 0,
            acceptTerms: true,
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
            ...(v.setupToken.trim() === "" ? {} : { setupToken: v.setupToken.trim() }),
          }),
        }),
      ),
    )
    if (result === undefined) return
    this.values = { ...this.values, password: "" }
    if (result._tag === "SignedIn") {
      this.dispatchEvent(new IgSignedInEvent(new Account.SessionInfo({ user: result.user, session: result.session })))
    } else {
      this.waiting = result.user
    }
  }

  override render() {
    if (this.waiting !== undefined) {
      return html`<div part="waiting" role="status">
        Your account ${this.waiting.email} was created and awaits an administrator's approval. You can sign in once
        it is approved.
      </div>`
    }
    const form = this.#form
    const setupPending = this.#methods.value?.setupPending === true
    const termsError = form.fieldErrors.acceptTerms
    const maxYear = new Date().getFullYear() - minimumAge
    return html`
      <form part="form" @submit=${this.#submit} novalidate>
        <h2 part="heading"><slot name="heading">Create an account</slot></h2>
        ${field(form, {
          name: "displayName",
          label: "Name",
          type: "text",
          value: this.values.displayName,
          autocomplete: "name",
          onInput: (value) => this.#set("displayName", value),
        })}
        ${field(form, {
          name: "email",
          label: "Email",
          type: "email",
          value: this.values.email,
          autocomplete: "email",
          onInput: (value) => this.#set("email", value),
        })}
        ${field(form, {
          name: "password",
          label: "Password (at least 10 characters)",
          type: "password",
          value: this.values.password,
          autocomplete: "new-password",
          onInput: (value) => this.#set("password", value),
        })}
        ${field(form, {
          name: "birthYear",
          label: `Year of birth (you must be ${minimumAge} or older; ${maxYear - 1} or earlier)`,
          type: "text",
          inputmode: "numeric",
          value: this.values.birthYear,
          autocomplete: "bday-year",
          onInput: (value) => this.#set("birthYear", value),
        })}
        ${
          setupPending
            ? field(form, {
                name: "setupToken",
                label: "Setup token (makes this account the administrator)",
                type: "text",
                value: this.values.setupToken,
                autocomplete: "off",
                required: false,
                onInput: (value) => this.#set("setupToken", value),
              })
            : nothing
        }
        <label part="terms">
          <input
            type="checkbox"
            name="acceptTerms"
            .checked=${this.values.acceptTerms}
            aria-invalid=${termsError === undefined ? "false" : "true"}
            @change=${(event: Event) => {
              form.edited("acceptTerms")
              this.#set("acceptTerms", (event.target as HTMLInputElement).checked)
            }}
          />
          <span><slot name="terms">I accept the <a href=${this.termsHref} target="_blank">terms</a>.</slot></span>
        </label>
        ${termsError === undefined ? nothing : html`<span part="field-error" class="field-error" role="alert">${termsError}</span>`}
        ${formError(form, () => void this.#submit())}
        <button part="submit" type="submit" data-variant="primary" ?disabled=${form.pending}>
          ${form.pending ? "Creating…" : "Create account"}
        </button>
      </form>
    `
  }
}
