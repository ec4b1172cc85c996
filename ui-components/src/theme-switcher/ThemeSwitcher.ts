import { ContextConsumer } from "@lit/context"
import { html, LitElement, nothing } from "lit"
import { sessionContext } from "../context/contexts.js"
import { ClientController } from "../controllers/ClientController.js"
import { ThemeController } from "./ThemeController.js"
import type { Theme } from "./theme.js"
import { styles } from "./theme-switcher.styles.js"

const choices: ReadonlyArray<{ readonly value: Theme; readonly label: string }> = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
]

/**
 * The theme choice — system, light or dark — applied at once, remembered on
 * this device (and applied before first paint by the page's boot script),
 * and saved to the user's settings when signed in.
 *
 * @summary Dark, light or system theme.
 * @fires ig-theme-change - The choice changed; `event.theme` is the new one.
 * @csspart group - The fieldset holding the choices.
 * @csspart legend - Its legend.
 * @csspart option - A label with its radio button.
 * @csspart error - Shown when the choice could not be saved to the account.
 * @cssprop --ig-color-border - The group's border.
 */
export class IgThemeSwitcher extends LitElement {
  static override styles = styles
  static override properties = { baseUrl: { attribute: "base-url" } }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string

  readonly #connection = new ClientController(this)
  readonly #theme = new ThemeController(this, () => this.#connection.client)
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true })

  constructor() {
    super()
    this.baseUrl = ""
  }

  override render() {
    const signedIn = this.#session.value?.status === "signed-in"
    return html`<fieldset part="group">
        <legend part="legend">Theme</legend>
        ${choices.map(
          (choice) => html`<label part="option">
            <input
              type="radio"
              name="theme"
              value=${choice.value}
              .checked=${this.#theme.theme === choice.value}
              @change=${() => void this.#theme.choose(choice.value, signedIn)}
            />
            ${choice.label}
          </label>`,
        )}
      </fieldset>
      ${
        this.#theme.saveError === undefined
          ? nothing
          : html`<p part="error" class="form-error" role="alert">${this.#theme.saveError}</p>`
      }`
  }
}
