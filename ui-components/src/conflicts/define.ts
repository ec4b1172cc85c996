import { IgConflicts } from "./Conflicts.js"

if (!customElements.get("ig-conflicts")) customElements.define("ig-conflicts", IgConflicts)

declare global {
  interface HTMLElementTagNameMap {
    "ig-conflicts": IgConflicts
  }
}
