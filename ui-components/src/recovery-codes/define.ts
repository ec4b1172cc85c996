import { IgRecoveryCodes } from "./RecoveryCodes.js"

if (!customElements.get("ig-recovery-codes")) customElements.define("ig-recovery-codes", IgRecoveryCodes)

declare global {
  interface HTMLElementTagNameMap {
    "ig-recovery-codes": IgRecoveryCodes
  }
}
