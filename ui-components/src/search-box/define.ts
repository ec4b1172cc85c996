// The box renders <ig-index-progress>: a page that loads only this element gets that one too.
import "../index-progress/define.js"
import { IgSearchBox } from "./SearchBox.js"

if (!customElements.get("ig-search-box")) customElements.define("ig-search-box", IgSearchBox)

declare global {
  interface HTMLElementTagNameMap {
    "ig-search-box": IgSearchBox
  }
}
