/**
 * An element's view of the knowledge base: the `KnowledgeBase` of the vault
 * session `<ig-app>` provides, re-rendering the element whenever the vault
 * or the records change. It also carries the vault's own controller, so an
 * element reads lock state and records from one place.
 */
import type { ReactiveController, ReactiveElement } from "lit"
import { VaultController } from "../vault/VaultController.js"
import { KnowledgeBase } from "./KnowledgeBase.js"

export class KnowledgeController implements ReactiveController {
  readonly #host: ReactiveElement
  readonly vault: VaultController
  #followed: KnowledgeBase | undefined

  constructor(host: ReactiveElement) {
    this.#host = host
    this.vault = new VaultController(host)
    host.addController(this)
  }

  readonly #changed = () => this.#host.requestUpdate()

  /** The knowledge base of the current vault session (undefined while signed out). */
  get base(): KnowledgeBase | undefined {
    const session = this.vault.session
    const base = session === undefined ? undefined : KnowledgeBase.of(session)
    if (base !== this.#followed) {
      this.#followed?.removeEventListener(KnowledgeBase.changeEvent, this.#changed)
      this.#followed = base
      if (this.#host.isConnected) base?.addEventListener(KnowledgeBase.changeEvent, this.#changed)
    }
    return base
  }

  hostConnected(): void {
    this.#followed?.addEventListener(KnowledgeBase.changeEvent, this.#changed)
  }

  hostUpdate(): void {
    // Follows a new session as soon as the vault controller reports one.
    void this.base
  }

  hostDisconnected(): void {
    this.#followed?.removeEventListener(KnowledgeBase.changeEvent, this.#changed)
  }
}
