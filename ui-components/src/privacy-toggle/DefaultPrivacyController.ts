/**
 * The privacy mode a new record starts in: the user's `defaultPrivacyMode`
 * from the settings document, asked once per vault session (a new user, a
 * new session). Until it is known — and if it cannot be loaded — it is
 * Standard, the server's own default; the editor's `<ig-privacy-toggle>`
 * shows the mode in words either way, so the user sees what a save will do.
 */
import { Task } from "@lit/task"
import type { ReactiveElement } from "lit"
import type { PrivacyMode } from "../knowledge/kinds.js"
import type { VaultSession } from "../vault/VaultSession.js"

export class DefaultPrivacyController {
  readonly #task: Task<readonly [VaultSession | undefined], PrivacyMode>

  constructor(host: ReactiveElement, session: () => VaultSession | undefined) {
    this.#task = new Task(host, {
      args: () => [session()] as const,
      task: async ([current]) => {
        if (current === undefined) return "standard"
        const outcome = await current.client.call((api) => api.settings.get())
        return outcome._tag === "Ok" ? outcome.value.settings.defaultPrivacyMode : "standard"
      },
    })
  }

  /** The mode for a new record. */
  get mode(): PrivacyMode {
    return this.#task.value ?? "standard"
  }
}
