/**
 * What a vault element shows before the vault's state is known: a skeleton
 * while it loads, and the reason with a retry when the server could not be
 * reached — never a form that would act on a vault that is not loaded.
 */
import { html, type TemplateResult } from "lit"
import type { VaultSession, VaultState } from "./VaultSession.js"

export const vaultPending = (state: VaultState, session: VaultSession | undefined): TemplateResult | undefined => {
  if (state.status === "loading")
    return html`<div part="loading" class="skeleton" role="status" aria-busy="true" aria-label="Loading your vault"></div>`
  if (state.status === "unreachable")
    return html`<div part="unreachable" role="alert">
      ${state.message}
      <button type="button" part="retry" @click=${() => void session?.refresh()}>Try again</button>
    </div>`
  return undefined
}
