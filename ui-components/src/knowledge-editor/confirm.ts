/**
 * An inline confirmation: the question and two buttons, in place of the
 * action that asked (the same pattern as `<ig-recovery-codes>`). The element
 * moves focus to `confirm-button` when it appears and back to the action
 * when it goes; Escape cancels.
 */
import { html, type TemplateResult } from "lit"

export interface Confirmation {
  readonly question: string
  /** The button that goes ahead ("Delete", "Restore", "Discard changes"). */
  readonly action: string
  readonly cancelLabel?: string
  readonly go: () => void
  readonly cancel: () => void
}

export const confirmation = (confirm: Confirmation): TemplateResult =>
  html`<div
    part="confirm"
    role="group"
    aria-labelledby="confirm-text"
    @keydown=${(event: KeyboardEvent) => {
      if (event.key !== "Escape") return
      event.stopPropagation()
      confirm.cancel()
    }}
  >
    <span part="confirm-text" id="confirm-text">${confirm.question}</span>
    <button part="confirm-button" type="button" data-variant="danger" @click=${confirm.go}>${confirm.action}</button>
    <button part="cancel-button" type="button" @click=${confirm.cancel}>${confirm.cancelLabel ?? "Cancel"}</button>
  </div>`
