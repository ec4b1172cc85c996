// The Infobase renders <ig-index-progress> while the notes load (its editor registers the privacy switch and the history).
import "../index-progress/define.js"
import { IgInfobase } from "./Infobase.js"

if (!customElements.get("ig-infobase")) customElements.define("ig-infobase", IgInfobase)

declare global {
  interface HTMLElementTagNameMap {
    "ig-infobase": IgInfobase
  }
}
