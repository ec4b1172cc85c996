/**
 * An element's view of the vault: the `VaultSession` that `<ig-app>`
 * provides, re-rendering the element whenever the vault's state changes.
 */
import { ContextConsumer } from "@lit/context"
import type { ReactiveController, ReactiveElement } from "lit"
import { vaultContext } from "../context/contexts.js"
import { VaultSession as Session, type VaultSession, type VaultState } from "./VaultSession.js"

export class VaultController implements ReactiveController {
  readonly #host: ReactiveElement
  #subscribed: VaultSession | undefined

  constructor(host: ReactiveElement) {
    this.#host = host
    new ContextConsumer(host, {
      context: vaultContext,
      subscribe: true,
      callback: (session) => this.#follow(session),
    })
    host.addController(this)
  }

  readonly #changed = () => this.#host.requestUpdate()

  #follow(session: VaultSession | undefined) {
    this.#subscribed?.removeEventListener(Session.changeEvent, this.#changed)
    this.#subscribed = session
    session?.addEventListener(Session.changeEvent, this.#changed)
    this.#host.requestUpdate()
  }

  get session(): VaultSession | undefined {
    return this.#subscribed
  }

  get state(): VaultState {
    return this.#subscribed?.state ?? { status: "loading" }
  }

  hostConnected(): void {
    this.#subscribed?.addEventListener(Session.changeEvent, this.#changed)
  }

  hostDisconnected(): void {
    this.#subscribed?.removeEventListener(Session.changeEvent, this.#changed)
  }
}
