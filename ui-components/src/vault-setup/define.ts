import { IgVaultSetup } from "./VaultSetup.js"

if (!customElements.get("ig-vault-setup")) customElements.define("ig-vault-setup", IgVaultSetup)

declare global {
  interface HTMLElementTagNameMap {
    "ig-vault-setup": IgVaultSetup
  }
}
