// The panel renders <ig-recovery-codes>: a page that loads only this element gets that one too.
import "../recovery-codes/define.js"
import { IgVaultSettings } from "./VaultSettings.js"

if (!customElements.get("ig-vault-settings")) customElements.define("ig-vault-settings", IgVaultSettings)

declare global {
  interface HTMLElementTagNameMap {
    "ig-vault-settings": IgVaultSettings
  }
}
