// The element renders <ig-privacy-toggle> and, while loading, <ig-index-progress>: a page that loads only this element gets those too.
import "../index-progress/define.js"
import "../privacy-toggle/define.js"
import { IgIdeas } from "./Ideas.js"

if (!customElements.get("ig-ideas")) customElements.define("ig-ideas", IgIdeas)

declare global {
  interface HTMLElementTagNameMap {
    "ig-ideas": IgIdeas
  }
}
