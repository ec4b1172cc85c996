import { IgSignIn } from "./SignIn.js"

if (!customElements.get("ig-sign-in")) customElements.define("ig-sign-in", IgSignIn)

declare global {
  interface HTMLElementTagNameMap {
    "ig-sign-in": IgSignIn
  }
}
