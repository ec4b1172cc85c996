import { IgAdminUsers } from "./AdminUsers.js"

if (!customElements.get("ig-admin-users")) customElements.define("ig-admin-users", IgAdminUsers)

declare global {
  interface HTMLElementTagNameMap {
    "ig-admin-users": IgAdminUsers
  }
}
