import { IgVaultLockBanner } from "./VaultLockBanner.js"

if (!customElements.get("ig-vault-lock-banner")) customElements.define("ig-vault-lock-banner", IgVaultLockBanner)

declare global {
  interface HTMLElementTagNameMap {
    "ig-vault-lock-banner": IgVaultLockBanner
  }
}
