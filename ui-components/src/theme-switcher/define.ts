import { IgThemeSwitcher } from "./ThemeSwitcher.js"

if (!customElements.get("ig-theme-switcher")) customElements.define("ig-theme-switcher", IgThemeSwitcher)

declare global {
  interface HTMLElementTagNameMap {
    "ig-theme-switcher": IgThemeSwitcher
  }
}
