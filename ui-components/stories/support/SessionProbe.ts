/**
 * Story-only: shows the session `<ig-app>` provides to the elements inside
 * it, the way a page's own element would read it (through `sessionContext`).
 */
import { sessionContext } from "@ignition/ui-components"
import { ContextConsumer } from "@lit/context"
import { css, html, LitElement, type TemplateResult } from "lit"

class StorySessionProbe extends LitElement {
  static override styles = css`
    :host {
      display: block;
      padding: var(--ig-space, 0.5rem);
      border: 1px dashed var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      color: var(--ig-color-text-muted, #5b5b66);
    }
    code {
      color: var(--ig-color-text, #17171c);
    }
  `

  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true })

  override render() {
    const session = this.#session.value
    const summary = (() => {
      switch (session?.status) {
        case undefined:
          return "no <ig-app> around this element"
        case "loading":
          return "loading…"
        case "signed-in":
          return `signed in as ${session.info.user.displayName} <${session.info.user.email}>`
        case "signed-out":
          return `signed out (${session.reason ?? "no reason given"})`
        case "unreachable":
          return `unreachable: ${session.message}`
      }
    })()
    return html`<p role="status">Session provided by &lt;ig-app&gt;: <code>${summary}</code></p>`
  }
}

if (!customElements.get("story-session-probe")) customElements.define("story-session-probe", StorySessionProbe)

declare global {
  interface HTMLElementTagNameMap {
    "story-session-probe": StorySessionProbe
  }
}

/**
 * The probe, to put inside `<ig-app>`. (Use this rather than a bare import
 * of the module: the package declares its side effects, and the production
 * build drops a story-only module imported for its side effect alone.)
 */
export const sessionProbe = (): TemplateResult => html`<story-session-probe></story-session-probe>`
