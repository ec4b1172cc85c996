/**
 * Markup helpers for form fields: an input bound to its error message
 * (aria-invalid, aria-describedby), and the form-level error with a retry
 * when the network failed.
 */
import { html, nothing, type TemplateResult } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import type { FormController } from "../controllers/FormController.js"

export interface FieldOptions {
  readonly name: string
  readonly label: string
  readonly type: string
  readonly value: string
  readonly autocomplete?: string
  readonly required?: boolean
  readonly inputmode?: "numeric" | "email" | "text"
  readonly onInput: (value: string) => void
}

export const field = (form: FormController, options: FieldOptions): TemplateResult => {
  const error = form.fieldErrors[options.name]
  return html`<label part="field">
    <span part="label">${options.label}</span>
    <input
      part="input"
      name=${options.name}
      type=${options.type}
      .value=${options.value}
      autocomplete=${ifDefined(options.autocomplete)}
      inputmode=${ifDefined(options.inputmode)}
      ?required=${options.required ?? true}
      aria-invalid=${error === undefined ? "false" : "true"}
      aria-describedby=${ifDefined(error === undefined ? undefined : `${options.name}-error`)}
      @input=${(event: InputEvent) => {
        form.edited(options.name)
        options.onInput((event.target as HTMLInputElement).value)
      }}
    />
    ${
      error === undefined
        ? nothing
        : html`<span part="field-error" class="field-error" id=${`${options.name}-error`} role="alert">${error}</span>`
    }
  </label>`
}

export const formError = (form: FormController, retry: () => void): TemplateResult | typeof nothing =>
  form.formError === undefined
    ? nothing
    : html`<div part="form-error" class="form-error" role="alert">
        ${form.formError}
        ${form.retryable ? html`<button type="button" part="retry" @click=${retry}>Try again</button>` : nothing}
      </div>`
