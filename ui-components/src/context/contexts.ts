/**
 * What `<ig-app>` provides to every element inside it (and what a page can
 * provide itself when it embeds elements without `<ig-app>`).
 */
import type { Account } from "@ignition/api"
import { createContext } from "@lit/context"
import type { IgnitionClient } from "../client/IgnitionClient.js"
import type { VaultSession } from "../vault/VaultSession.js"

/** The connection to the server. */
export const clientContext = createContext<IgnitionClient | undefined>(Symbol.for("@ignition/ui-components/client"))

/**
 * Who is signed in. `loading` only before the first answer; afterwards a
 * refresh keeps the last known state until the fresh one arrives.
 */
export type SessionState =
  | { readonly status: "loading" }
  | { readonly status: "signed-out"; readonly reason?: string }
  | { readonly status: "signed-in"; readonly info: Account.SessionInfo }
  | { readonly status: "unreachable"; readonly message: string }

export const sessionContext = createContext<SessionState>(Symbol.for("@ignition/ui-components/session"))

/** The signed-in user's vault on this device; undefined while signed out. */
export const vaultContext = createContext<VaultSession | undefined>(Symbol.for("@ignition/ui-components/vault"))
