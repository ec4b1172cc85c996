/**
 * Asks before the tab closes or reloads while an editor holds text that is
 * not saved. End-to-end-encrypted writes are never queued offline, so text
 * that was not saved exists nowhere else: the browser's own "leave site?"
 * prompt is the last chance to keep it.
 */
import type { ReactiveController, ReactiveElement } from "lit"

export class UnsavedGuardController implements ReactiveController {
  readonly #unsaved: () => boolean

  constructor(host: ReactiveElement, unsaved: () => boolean) {
    this.#unsaved = unsaved
    host.addController(this)
  }

  readonly #beforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.#unsaved()) return
    event.preventDefault()
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = ""
  }

  hostConnected(): void {
    window.addEventListener("beforeunload", this.#beforeUnload)
  }

  hostDisconnected(): void {
    window.removeEventListener("beforeunload", this.#beforeUnload)
  }
}
