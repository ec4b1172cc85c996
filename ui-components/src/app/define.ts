import { IgApp } from "./IgApp.js"

if (!customElements.get("ig-app")) customElements.define("ig-app", IgApp)

declare global {
  interface HTMLElementTagNameMap {
    "ig-app": IgApp
  }
}
