/**
 * The vault `<ig-app>` provides: a `VaultSession` for whoever is signed in,
 * made when a user signs in and locked ("logout") and dropped when they sign
 * out or another user signs in — so keys never outlive the session they
 * were unlocked in.
 */

import type { LockMachine } from "@ignition/vault"
import { ContextProvider } from "@lit/context"
import type { ReactiveElement } from "lit"
import type { IgnitionClient } from "../client/IgnitionClient.js"
import { type SessionState, vaultContext } from "../context/contexts.js"
import { SyncSession } from "../sync/SyncSession.js"
import { VaultSession } from "../vault/VaultSession.js"

export class VaultProvider {
  readonly #provider: ContextProvider<typeof vaultContext, ReactiveElement>
  readonly #client: () => IgnitionClient | undefined
  readonly #policy: () => LockMachine.LockPolicy
  #userId: string | undefined

  constructor(host: ReactiveElement, client: () => IgnitionClient | undefined, policy: () => LockMachine.LockPolicy) {
    this.#provider = new ContextProvider(host, { context: vaultContext, initialValue: undefined })
    this.#client = client
    this.#policy = policy
  }

  get session(): VaultSession | undefined {
    return this.#provider.value
  }

  /** Follows the session: a vault per signed-in user. */
  follow(state: SessionState): void {
    if (state.status === "loading" || state.status === "unreachable") return
    const userId = state.status === "signed-in" ? state.info.user.id : undefined
    if (userId === this.#userId) return
    this.#userId = userId
    void this.#end(state.status === "signed-out" && state.reason === "expired" ? "session-expired" : "logout")
    const client = this.#client()
    if (userId === undefined || client === undefined) return
    const session = new VaultSession(client, userId, { lockPolicy: this.#policy() })
    this.#provider.setValue(session)
    void session.refresh()
  }

  async #end(reason: LockMachine.LockReason) {
    const previous = this.#provider.value
    this.#provider.setValue(undefined)
    if (previous === undefined) return
    await SyncSession.end(previous)
    await previous.lock(reason)
    await previous.dispose()
  }

  dispose(): void {
    void this.#end("logout")
  }
}
