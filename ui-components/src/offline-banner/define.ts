import { IgOfflineBanner } from "./OfflineBanner.js"

if (!customElements.get("ig-offline-banner")) customElements.define("ig-offline-banner", IgOfflineBanner)

declare global {
  interface HTMLElementTagNameMap {
    "ig-offline-banner": IgOfflineBanner
  }
}
