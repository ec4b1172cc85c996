import { IgCommandPalette } from "./CommandPalette.js"

if (!customElements.get("ig-command-palette")) customElements.define("ig-command-palette", IgCommandPalette)

declare global {
  interface HTMLElementTagNameMap {
    "ig-command-palette": IgCommandPalette
  }
}
