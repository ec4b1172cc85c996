/**
 * Whether the browser is online, kept current from the window's events.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit"

export class OnlineController implements ReactiveController {
  online = typeof navigator === "undefined" ? true : navigator.onLine
  readonly #host: ReactiveControllerHost

  constructor(host: ReactiveControllerHost) {
    this.#host = host
    host.addController(this)
  }

  readonly #update = () => {
    this.online = navigator.onLine
    this.#host.requestUpdate()
  }

  hostConnected(): void {
    window.addEventListener("online", this.#update)
    window.addEventListener("offline", this.#update)
    this.#update()
  }

  hostDisconnected(): void {
    window.removeEventListener("online", this.#update)
    window.removeEventListener("offline", this.#update)
  }
}
