import { IgIndexProgress } from "./IndexProgress.js"

if (!customElements.get("ig-index-progress")) customElements.define("ig-index-progress", IgIndexProgress)

declare global {
  interface HTMLElementTagNameMap {
    "ig-index-progress": IgIndexProgress
  }
}
