import { IgSignUp } from "./SignUp.js"

if (!customElements.get("ig-sign-up")) customElements.define("ig-sign-up", IgSignUp)

declare global {
  interface HTMLElementTagNameMap {
    "ig-sign-up": IgSignUp
  }
}
