import { IgPasskeys } from "./Passkeys.js"

if (!customElements.get("ig-passkeys")) customElements.define("ig-passkeys", IgPasskeys)

declare global {
  interface HTMLElementTagNameMap {
    "ig-passkeys": IgPasskeys
  }
}
