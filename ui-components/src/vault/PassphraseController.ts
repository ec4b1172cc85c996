/**
 * A new vault passphrase being chosen: the passphrase, its confirmation, a
 * strength judged as the user types (zxcvbn-ts, in the browser), and the
 * rule the vault applies — at least 12 characters, "strong" or better, and
 * typed twice alike. Used wherever a passphrase is set: vault setup, after a
 * recovery code, and changing it.
 */
import { ContextConsumer } from "@lit/context"
import { html, nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from "lit"
import { sessionContext } from "../context/contexts.js"
import type { FormController } from "../controllers/FormController.js"
import { field } from "../internal/fields.js"
import { estimate, labels, MIN_LENGTH, MIN_SCORE, type Strength } from "./strength.js"

export class PassphraseController implements ReactiveController {
  passphrase = ""
  confirmation = ""
  strength: Strength | undefined
  readonly #host: ReactiveElement
  readonly #session: ContextConsumer<typeof sessionContext, ReactiveElement>

  constructor(host: ReactiveElement) {
    this.#host = host
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true })
    host.addController(this)
  }

  hostConnected(): void {}

  #userInputs(): ReadonlyArray<string> {
    const session = this.#session.value
    return session?.status === "signed-in" ? [session.info.user.email, session.info.user.displayName] : []
  }

  async #judge(value: string) {
    const judged = await estimate(value, this.#userInputs())
    if (this.passphrase === value) {
      this.strength = judged
      this.#host.requestUpdate()
    }
  }

  /** The first rule broken, as a field error, after judging the final passphrase; undefined when it is fine. */
  async problem(): Promise<Readonly<Record<string, string>> | undefined> {
    this.strength = await estimate(this.passphrase, this.#userInputs())
    if (this.passphrase.length < MIN_LENGTH)
      return { passphrase: `Use at least ${MIN_LENGTH} characters; a few unrelated words work well.` }
    if (this.strength.score < MIN_SCORE)
      return { passphrase: this.strength.warning || "This passphrase would be guessed too easily." }
    if (this.confirmation !== this.passphrase) return { confirmation: "The two passphrases differ." }
    return undefined
  }

  clear(): void {
    this.passphrase = ""
    this.confirmation = ""
    this.strength = undefined
  }

  /** The passphrase field, the strength meter and the confirmation field. */
  fields(form: FormController, label = "Vault passphrase"): TemplateResult {
    const strength = this.strength
    return html`${field(form, {
      name: "passphrase",
      label,
      type: "password",
      value: this.passphrase,
      autocomplete: "new-password",
      onInput: (value) => {
        this.passphrase = value
        void this.#judge(value)
      },
    })}
      <div part="strength" class="strength" aria-live="polite">
        <meter
          min="0"
          max="4"
          low="2"
          high="3"
          optimum="4"
          .value=${strength?.score ?? 0}
          aria-label="Passphrase strength"
        ></meter>
        <span>${strength === undefined ? "Strength: —" : `Strength: ${labels[strength.score]}`}</span>
        ${strength?.warning ? html`<span class="warning">${strength.warning}</span>` : nothing}
        ${strength?.suggestions.map((suggestion) => html`<span>${suggestion}</span>`) ?? nothing}
      </div>
      ${field(form, {
        name: "confirmation",
        label: "Type it again",
        type: "password",
        value: this.confirmation,
        autocomplete: "new-password",
        onInput: (value) => {
          this.confirmation = value
        },
      })}`
  }
}
