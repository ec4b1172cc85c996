/**
 * The "Accessibility" stories: the element next to notes on how it serves
 * keyboard and assistive-technology users, and what to keep when embedding
 * it. The a11y panel (axe-core) checks the rendered story as well.
 */
import { css, html, LitElement, type TemplateResult } from "lit"

class StoryA11yNotes extends LitElement {
  static override styles = css`
    :host {
      display: block;
      max-width: 40rem;
      margin-top: calc(var(--ig-space, 0.5rem) * 4);
      padding: calc(var(--ig-space, 0.5rem) * 2);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      color: var(--ig-color-text, #17171c);
      font-family: var(--ig-font-family, system-ui, sans-serif);
      line-height: 1.5;
    }
    h2 {
      margin: 0 0 var(--ig-space, 0.5rem);
      font-size: 1.125rem;
    }
    ::slotted(ul) {
      margin: 0;
      padding-left: 1.25rem;
    }
  `

  override render() {
    return html`<section aria-labelledby="title">
      <h2 id="title">Accessibility notes</h2>
      <slot></slot>
    </section>`
  }
}

if (!customElements.get("story-a11y-notes")) customElements.define("story-a11y-notes", StoryA11yNotes)

declare global {
  interface HTMLElementTagNameMap {
    "story-a11y-notes": StoryA11yNotes
  }
}

/** The element, then the notes as a list. */
export const withNotes = (element: TemplateResult, notes: ReadonlyArray<string | TemplateResult>): TemplateResult =>
  html`${element}
    <story-a11y-notes>
      <ul>
        ${notes.map((note) => html`<li>${note}</li>`)}
      </ul>
    </story-a11y-notes>`
