import { IgVaultUnlock } from "./VaultUnlock.js"

if (!customElements.get("ig-vault-unlock")) customElements.define("ig-vault-unlock", IgVaultUnlock)

declare global {
  interface HTMLElementTagNameMap {
    "ig-vault-unlock": IgVaultUnlock
  }
}
