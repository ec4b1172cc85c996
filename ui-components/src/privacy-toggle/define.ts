import { IgPrivacyToggle } from "./PrivacyToggle.js"

if (!customElements.get("ig-privacy-toggle")) customElements.define("ig-privacy-toggle", IgPrivacyToggle)

declare global {
  interface HTMLElementTagNameMap {
    "ig-privacy-toggle": IgPrivacyToggle
  }
}
