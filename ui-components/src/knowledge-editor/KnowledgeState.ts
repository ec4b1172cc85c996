/**
 * What a knowledge-base element may show, decided in one place: nothing but
 * a sentence while signed out, without a vault, or locked (no record, no
 * form: writes are blocked); a skeleton with the load's progress while the
 * records decrypt; the reason and a retry when they could not be loaded;
 * the records once they are ready (with a notice when some would not
 * decrypt). `knowledgeGate` renders every state but the last, which the
 * element renders itself. The gate renders `<ig-index-progress>`: an
 * element using it registers that one in its define.ts.
 */
import { ContextConsumer } from "@lit/context"
import { html, nothing, type ReactiveElement, type TemplateResult } from "lit"
import { sessionContext } from "../context/contexts.js"
import type { KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { KnowledgeController } from "../knowledge/KnowledgeController.js"

export type KnowledgeView =
  /** No `<ig-app>` (or page) provides a session or a vault here. */
  | { readonly _tag: "Unavailable" }
  | { readonly _tag: "SignedOut" }
  /** Who is signed in, or the vault's state, is not known yet. */
  | { readonly _tag: "Pending" }
  /** The server could not be reached; `retry` asks for the vault again (none when the session itself is unknown). */
  | { readonly _tag: "Unreachable"; readonly message: string; readonly retry: (() => void) | undefined }
  | { readonly _tag: "Absent" }
  | { readonly _tag: "Locked" }
  | { readonly _tag: "Loading" }
  | { readonly _tag: "Failed"; readonly message: string; readonly retry: () => void }
  | { readonly _tag: "Ready"; readonly base: KnowledgeBase; readonly unreadable: number }

/** The knowledge base (through `KnowledgeController`) and the session, as one view. */
export class KnowledgeState {
  readonly knowledge: KnowledgeController
  readonly #session: ContextConsumer<typeof sessionContext, ReactiveElement>

  constructor(host: ReactiveElement) {
    this.knowledge = new KnowledgeController(host)
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true })
  }

  get view(): KnowledgeView {
    const vault = this.knowledge.vault
    const session = vault.session
    if (session === undefined) {
      const signedIn = this.#session.value
      if (signedIn === undefined) return { _tag: "Unavailable" }
      if (signedIn.status === "signed-out") return { _tag: "SignedOut" }
      if (signedIn.status === "unreachable") return { _tag: "Unreachable", message: signedIn.message, retry: undefined }
      return { _tag: "Pending" }
    }
    const state = vault.state
    switch (state.status) {
      case "loading":
        return { _tag: "Pending" }
      case "unreachable":
        return { _tag: "Unreachable", message: state.message, retry: () => void session.refresh() }
      case "absent":
        return { _tag: "Absent" }
      case "locked":
        return { _tag: "Locked" }
      case "unlocked":
        break
    }
    const base = this.knowledge.base
    if (base === undefined) return { _tag: "Pending" }
    const status = base.status
    switch (status.status) {
      case "ready":
        return { _tag: "Ready", base, unreadable: status.unreadable }
      case "failed":
        return { _tag: "Failed", message: status.message, retry: () => base.reload() }
      default:
        // "locked" here only until the knowledge base has seen the unlock and begun loading.
        return { _tag: "Loading" }
    }
  }
}

/** How an element names what it holds, in its state sentences: "notes", "journal entries". */
export interface Noun {
  readonly plural: string
}

/**
 * Every state but Ready; `ready` renders that one. `<ig-index-progress>`
 * stays the same element from Loading to Ready, so it can say "Search is
 * ready" when the load ends.
 */
export const knowledgeGate = (
  view: KnowledgeView,
  noun: Noun,
  ready: (base: KnowledgeBase) => TemplateResult,
): TemplateResult => {
  const progress = view._tag === "Loading" || view._tag === "Ready"
  return html`${progress ? html`<ig-index-progress part="index-progress"></ig-index-progress>` : nothing}${stateOf(view, noun, ready)}`
}

const stateOf = (view: KnowledgeView, noun: Noun, ready: (base: KnowledgeBase) => TemplateResult): TemplateResult => {
  switch (view._tag) {
    case "Unavailable":
      return html`<p part="unavailable">Your ${noun.plural} are not available here: open them in the Ignition app.</p>`
    case "SignedOut":
      return html`<p part="signed-out">Sign in to see your ${noun.plural}.</p>`
    case "Absent":
      return html`<p part="absent">Set up your vault to keep your ${noun.plural} encrypted.</p>`
    case "Locked":
      return html`<p part="locked">Your ${noun.plural} are locked. Unlock the vault to see and edit them.</p>`
    case "Pending":
    case "Loading":
      return html`<div part="loading" aria-busy="true">
        <span class="visually-hidden">Loading your ${noun.plural}…</span>
        ${Array.from({ length: 3 }, () => html`<div part="skeleton-row" aria-hidden="true"></div>`)}
      </div>`
    case "Unreachable":
      return html`<div part="unreachable" role="alert">
        ${view.message}
        ${view.retry === undefined ? nothing : html`<button part="retry" type="button" @click=${view.retry}>Try again</button>`}
      </div>`
    case "Failed":
      return html`<div part="failed" role="alert">
        Your ${noun.plural} could not be loaded: ${view.message}
        <button part="retry" type="button" @click=${view.retry}>Try again</button>
      </div>`
    case "Ready":
      return html`${
        view.unreadable > 0
          ? html`<p part="unreadable" role="note">
            ${view.unreadable === 1 ? "One record" : `${view.unreadable} records`} in your knowledge base could not be
            decrypted on this device and ${view.unreadable === 1 ? "is" : "are"} not shown.
          </p>`
          : nothing
      }
        ${ready(view.base)}`
  }
}
