// The Journal renders <ig-index-progress> while the entries load (its editor registers the privacy switch and the history).
import "../index-progress/define.js"
import { IgJournal } from "./Journal.js"

if (!customElements.get("ig-journal")) customElements.define("ig-journal", IgJournal)

declare global {
  interface HTMLElementTagNameMap {
    "ig-journal": IgJournal
  }
}
