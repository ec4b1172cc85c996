import { IgAccountSessions } from "./AccountSessions.js"

if (!customElements.get("ig-account-sessions")) customElements.define("ig-account-sessions", IgAccountSessions)

declare global {
  interface HTMLElementTagNameMap {
    "ig-account-sessions": IgAccountSessions
  }
}
