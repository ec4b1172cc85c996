/**
 * The server connection an element uses: the one `<ig-app>` (or the page)
 * provides through context, or — for an element embedded on its own — one
 * made from the element's `base-url` attribute.
 */
import { ContextConsumer } from "@lit/context"
import type { ReactiveController, ReactiveElement } from "lit"
import { IgnitionClient } from "../client/IgnitionClient.js"
import { clientContext } from "../context/contexts.js"

export class ClientController implements ReactiveController {
  readonly #host: ReactiveElement & { readonly baseUrl: string }
  readonly #provided: ContextConsumer<typeof clientContext, ReactiveElement>
  #own: IgnitionClient | undefined

  constructor(host: ReactiveElement & { readonly baseUrl: string }) {
    this.#host = host
    this.#provided = new ContextConsumer(host, { context: clientContext, subscribe: true })
    host.addController(this)
  }

  get client(): IgnitionClient {
    const provided = this.#provided.value
    if (provided !== undefined) return provided
    const baseUrl = this.#host.baseUrl || window.location.origin
    if (this.#own?.baseUrl !== baseUrl.replace(/\/$/, "")) {
      void this.#own?.dispose()
      this.#own = new IgnitionClient(baseUrl)
    }
    return this.#own
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    void this.#own?.dispose()
    this.#own = undefined
  }
}
