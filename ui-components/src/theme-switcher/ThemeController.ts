/**
 * The theme choice: applied at once on this device, saved in the user's
 * settings when signed in, and adopted from those settings (so a choice made
 * on one device follows to the next).
 *
 * Inside `<ig-app>` the settings go through the sync engine: a choice is a
 * last-writer-wins `settings` write in the device's outbox, so one made
 * offline waits there and reaches the server when the device is back; the
 * theme is adopted from the engine's view of the settings whenever it
 * changes (a pull, a poke, another tab). Without a sync engine (no vault
 * session provided, or storage unavailable) the settings endpoint is used.
 */
import { ContextConsumer } from "@lit/context"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient } from "../client/IgnitionClient.js"
import { sessionContext } from "../context/contexts.js"
import { IgThemeChangeEvent } from "../events/events.js"
import { settingsId } from "../sync/entities.js"
import { SyncController } from "../sync/SyncController.js"
import type { SyncSession } from "../sync/SyncSession.js"
import { apply, isTheme, stored, type Theme } from "./theme.js"

const unsaved = "The choice applies here but could not be saved to your account."

export class ThemeController implements ReactiveController {
  theme: Theme = "system"
  saveError: string | undefined = undefined
  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  readonly #sync: SyncController
  #adoptedFor: string | undefined
  /** Choices made here, counted: an adoption that began before one must not undo it. */
  #choices = 0
  #followed: SyncSession | undefined
  /** The engine's view revision last adopted from. */
  #revision = -1

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    this.#sync = new SyncController(host)
    new ContextConsumer(host, {
      context: sessionContext,
      subscribe: true,
      callback: (session) => {
        if (session.status === "signed-in" && session.info.user.id !== this.#adoptedFor) {
          this.#adoptedFor = session.info.user.id
          // With a sync engine, its view of the settings is adopted as it arrives (hostUpdate).
          if (this.#sync.session === undefined) void this.#adopt()
        }
      },
    })
    host.addController(this)
  }

  hostConnected(): void {
    this.theme = stored()
    this.#host.requestUpdate()
  }

  hostUpdate(): void {
    const session = this.#sync.session
    if (session !== this.#followed) {
      this.#followed = session
      this.#revision = -1
    }
    const revision = session?.status?.revision
    if (session === undefined || revision === undefined || revision === this.#revision) return
    this.#revision = revision
    void this.#adoptFromView(session)
  }

  #adopted(theme: Theme) {
    if (theme === this.theme) return
    this.theme = theme
    apply(theme)
    this.#host.requestUpdate()
  }

  async #adoptFromView(session: SyncSession): Promise<void> {
    const choicesBefore = this.#choices
    const row = await session.row("settings", settingsId)
    if (this.#choices !== choicesBefore || row === undefined) return
    const value = row.value
    const theme =
      typeof value === "object" && value !== null && "fields" in value && typeof value.fields === "object"
        ? (value.fields as { readonly theme?: unknown }).theme
        : undefined
    if (isTheme(theme)) this.#adopted(theme)
  }

  async #adopt(): Promise<void> {
    const choicesBefore = this.#choices
    const outcome = await this.#client().call((api) => api.settings.get())
    // A choice made while the settings were on their way wins over what they said.
    if (this.#choices !== choicesBefore) return
    if (outcome._tag === "Ok" && isTheme(outcome.value.settings.theme)) this.#adopted(outcome.value.settings.theme)
  }

  /** Choose a theme: applied now, saved to the account when signed in (queued while offline). */
  async choose(theme: Theme, signedIn: boolean): Promise<void> {
    this.#choices++
    this.theme = theme
    this.saveError = undefined
    apply(theme)
    this.#host.dispatchEvent(new IgThemeChangeEvent(theme))
    this.#host.requestUpdate()
    if (!signedIn) return
    const session = this.#sync.session
    if (session !== undefined && session.state.status !== "failed") {
      const outcome = await session.mutate({
        entity: "settings",
        op: "set",
        args: { id: settingsId, fields: { theme } },
      })
      if (outcome._tag === "Queued") return
    } else {
      const outcome = await this.#client().call((api) => api.settings.update({ payload: { theme } }))
      if (outcome._tag === "Ok") return
    }
    this.saveError = unsaved
    this.#host.requestUpdate()
  }
}
