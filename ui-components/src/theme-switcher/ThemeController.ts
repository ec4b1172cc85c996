/**
 * The theme choice: applied at once on this device, saved in the user's
 * settings when signed in, and adopted from those settings when a session
 * starts (so a choice made on one device follows to the next).
 */
import { ContextConsumer } from "@lit/context"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient } from "../client/IgnitionClient.js"
import { sessionContext } from "../context/contexts.js"
import { IgThemeChangeEvent } from "../events/events.js"
import { apply, isTheme, stored, type Theme } from "./theme.js"

export class ThemeController implements ReactiveController {
  theme: Theme = "system"
  saveError: string | undefined = undefined
  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  #adoptedFor: string | undefined
  /** Choices made here, counted: an adoption that began before one must not undo it. */
  #choices = 0

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: (session) => {
        if (session.status === "signed-in" && session.info.user.id !== this.#adoptedFor) {
          this.#adoptedFor = session.info.user.id
          void this.#adopt()
        }
      },
    })
    host.addController(this)
  }

  hostConnected(): void {
    this.theme = stored()
    this.#host.requestUpdate()
  }

  async #adopt(): Promise<void> {
    const choicesBefore = this.#choices
    const outcome = await this.#client().call((api) => api.settings.get())
    // A choice made while the settings were on their way wins over what they said.
    if (this.#choices !== choicesBefore) return
    if (outcome._tag === "Ok" && isTheme(outcome.value.settings.theme)) {
      this.theme = outcome.value.settings.theme
      apply(this.theme)
      this.#host.requestUpdate()
    }
  }

  /** Choose a theme: applied now, saved to the account when signed in. */
  async choose(theme: Theme, signedIn: boolean): Promise<void> {
    this.#choices++
    this.theme = theme
    this.saveError = undefined
    apply(theme)
    this.#host.dispatchEvent(new IgThemeChangeEvent(theme))
    this.#host.requestUpdate()
    if (!signedIn) return
    const outcome = await this.#client().call((api) => api.settings.update({ payload: { theme } }))
    if (outcome._tag !== "Ok") {
      this.saveError = "The choice applies here but could not be saved to your account."
      this.#host.requestUpdate()
    }
  }
}
