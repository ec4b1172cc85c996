// The history renders <ig-index-progress> while the records load: a page that loads only this element gets that one too.
import "../index-progress/define.js"
import { IgVersionHistory } from "./VersionHistory.js"

if (!customElements.get("ig-version-history")) customElements.define("ig-version-history", IgVersionHistory)

declare global {
  interface HTMLElementTagNameMap {
    "ig-version-history": IgVersionHistory
  }
}
