/**
 * An element's view of sync: the `SyncSession` of the vault session
 * `<ig-app>` provides (one per signed-in user), re-rendering the element
 * whenever the engine's status changes — a pull, a write, the outbox, the
 * connection. It carries the vault's own controller too, so an element reads
 * the user, the lock state and sync from one place.
 */
import type { ReactiveController, ReactiveElement } from "lit"
import { VaultController } from "../vault/VaultController.js"
import { SyncSession } from "./SyncSession.js"

export class SyncController implements ReactiveController {
  readonly #host: ReactiveElement
  readonly vault: VaultController
  #followed: SyncSession | undefined

  constructor(host: ReactiveElement) {
    this.#host = host
    this.vault = new VaultController(host)
    host.addController(this)
  }

  readonly #changed = () => this.#host.requestUpdate()

  /** The sync session of the signed-in user (undefined while signed out). */
  get session(): SyncSession | undefined {
    const vault = this.vault.session
    const session = vault === undefined ? undefined : SyncSession.of(vault)
    if (session !== this.#followed) {
      this.#followed?.removeEventListener(SyncSession.changeEvent, this.#changed)
      this.#followed = session
      if (this.#host.isConnected) session?.addEventListener(SyncSession.changeEvent, this.#changed)
    }
    return session
  }

  hostConnected(): void {
    this.#followed?.addEventListener(SyncSession.changeEvent, this.#changed)
  }

  hostUpdate(): void {
    // Follows a new session as soon as the vault controller reports one.
    void this.session
  }

  hostDisconnected(): void {
    this.#followed?.removeEventListener(SyncSession.changeEvent, this.#changed)
  }
}
