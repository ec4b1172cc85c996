import { type Account, AuthApi } from "@ignition/api"
import { Task } from "@lit/task"
import { type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from "@simplewebauthn/browser"
import { Redacted } from "effect"
import { html, LitElement, nothing } from "lit"
import type { Outcome } from "../client/IgnitionClient.js"
import { ClientController } from "../controllers/ClientController.js"
import { FormController } from "../controllers/FormController.js"
import { IgSignedInEvent } from "../events/events.js"
import { field, formError } from "../internal/fields.js"
import { styles } from "./sign-in.styles.js"

/**
 * Sign-in with email and password, a passkey, or the OpenID providers the
 * server reports as configured.
 *
 * @summary Sign-in form: password, passkey, OpenID providers.
 * @fires ig-signed-in - A session started; `event.session` holds who signed in.
 * @slot heading - Replaces the "Sign in" heading.
 * @csspart form - The password form.
 * @csspart heading - The heading.
 * @csspart field - A label with its input and error.
 * @csspart label - A field's label text.
 * @csspart input - An input.
 * @csspart field-error - The error shown under a field.
 * @csspart form-error - An error about the whole form.
 * @csspart retry - The retry button after a network failure.
 * @csspart submit - The sign-in button.
 * @csspart alternatives - Passkey and provider sign-in.
 * @csspart passkey - The passkey button.
 * @csspart provider - A link to sign in with an OpenID provider.
 * @cssprop --ig-color-accent - The sign-in button's colour.
 * @cssprop --ig-color-danger - Error text.
 * @cssprop --ig-color-border - Input and separator borders.
 */
export class IgSignIn extends LitElement {
  static override styles = styles
  static override properties = {
    baseUrl: { attribute: "base-url" },
    returnTo: { attribute: "return-to" },
    email: { state: true },
    password: { state: true },
  }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string
  /** Where an OpenID sign-in returns to (a path on the server's origin). */
  declare returnTo: string
  declare email: string
  declare password: string

  readonly #connection = new ClientController(this)
  readonly #form = new FormController(this, {})
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
    this.returnTo = "/"
    this.email = ""
    this.password = ""
  }

  #signedIn(outcome: Account.SessionInfo | undefined) {
    if (outcome === undefined) return
    this.password = ""
    // Built apart from dispatchEvent: the manifest analyzer reads `new X(identifier)` there as an event name.
    const signedIn = new IgSignedInEvent(outcome)
    this.dispatchEvent(signedIn)
  }

  readonly #submit = async (event?: Event) => {
    event?.preventDefault()
    const payload = new AuthApi.LoginRequest({ email: this.email.trim(), password: Redacted.make(this.password) })
    this.#signedIn(await this.#form.submit(() => this.#connection.client.call((api) => api.auth.login({ payload }))))
  }

  readonly #passkey = async () => {
    const client = this.#connection.client
    const session = await this.#form.submit(async (): Promise<Outcome<Account.SessionInfo>> => {
      const options = await client.call((api) => api.passkeys.loginOptions())
      if (options._tag !== "Ok") return options
      let response: Awaited<ReturnType<typeof startAuthentication>>
      try {
        // The server built these with @simplewebauthn/server: the browser library's own JSON shape.
        response = await startAuthentication({
          optionsJSON: options.value.options as unknown as PublicKeyCredentialRequestOptionsJSON,
        })
      } catch {
        return { _tag: "Refused", error: { _tag: "PasskeyCancelled", message: "The passkey sign-in was cancelled." } }
      }
      return client.call((api) =>
        api.passkeys.loginVerify({
          payload: { challengeId: options.value.challengeId, response: response as unknown as Record<string, unknown> },
        }),
      )
    })
    this.#signedIn(session)
  }

  #providers() {
    const methods = this.#methods.value
    if (methods === undefined) return nothing
    const origin = this.#connection.client.baseUrl
    return methods.oidc.map(
      (provider) =>
        html`<a
          part="provider"
          href=${`${origin}/api/auth/oidc/${encodeURIComponent(provider.id)}/start?returnTo=${encodeURIComponent(this.returnTo)}`}
          >Continue with ${provider.name}</a
        >`,
    )
  }

  override render() {
    const form = this.#form
    return html`
      <form part="form" @submit=${this.#submit} novalidate>
        <h2 part="heading"><slot name="heading">Sign in</slot></h2>
        ${field(form, {
          name: "email",
          label: "Email",
          type: "email",
          value: this.email,
          autocomplete: "username webauthn",
          onInput: (value) => {
            this.email = value
          },
        })}
        ${field(form, {
          name: "password",
          label: "Password",
          type: "password",
          value: this.password,
          autocomplete: "current-password",
          onInput: (value) => {
            this.password = value
          },
        })}
        ${formError(form, () => void this.#submit())}
        <button part="submit" type="submit" data-variant="primary" ?disabled=${form.pending}>
          ${form.pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <div part="alternatives">
        <button part="passkey" type="button" ?disabled=${form.pending} @click=${this.#passkey}>
          Sign in with a passkey
        </button>
        ${this.#providers()}
      </div>
    `
  }
}
