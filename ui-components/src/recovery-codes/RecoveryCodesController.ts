/**
 * The signed-in user's recovery codes, from `GET /api/vault/recovery-codes`
 * — what the server keeps of them: when each was made, last used and
 * revoked, and how often it was used; never the codes, which it does not
 * have. Loaded with `@lit/task` "skeleton → stale → fresh" (a refresh keeps
 * the list shown until the fresh one arrives).
 *
 * Regenerating goes through the vault (`VaultSession.regenerateRecoveryCodes`:
 * the new codes wrap the vault's key, so this device must hold it) after a
 * confirmation, and keeps the new codes in memory only until the user says
 * they saved them, or the element leaves the page (copy and download are
 * the vault's shared code sheet, `../vault/codeSheet.ts`). Revoking one code goes
 * straight to the server (`POST /api/vault/recovery-codes/:id/revoke`), its
 * outcome handed to `VaultSession.noteRefusal` like every vault write. A 401
 * anywhere signs out (`ig-signed-out`, "expired").
 */
import { VaultApi } from "@ignition/api"
import { ContextConsumer } from "@lit/context"
import { initialState, Task, TaskStatus } from "@lit/task"
import { DateTime } from "effect"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient, Outcome, ServerError } from "../client/IgnitionClient.js"
import { sessionContext } from "../context/contexts.js"
import { IgSignedOutEvent } from "../events/events.js"
import { messageOf, sessionKey } from "../internal/session.js"
import { VaultController } from "../vault/VaultController.js"

export type RecoveryCode = VaultApi.RecoveryCodeRecord

/** Whether a code can still unlock the vault, was spent, or was revoked without being used. */
export type CodeState = "active" | "used" | "revoked"

export const codeState = (code: RecoveryCode): CodeState =>
  code.revokedAt === null ? "active" : code.usedCount > 0 || code.lastUsedAt !== null ? "used" : "revoked"

/** What the list shows. */
export type CodesView =
  | { readonly _tag: "Loading" }
  | { readonly _tag: "SignedOut" }
  | { readonly _tag: "NoVault" }
  | { readonly _tag: "Failed"; readonly message: string }
  | {
      readonly _tag: "Ready"
      /** The codes that still work, newest first. */
      readonly active: ReadonlyArray<RecoveryCode>
      /** Used and revoked codes, newest first. */
      readonly inactive: ReadonlyArray<RecoveryCode>
      /** A refresh is under way: the list shown is the previous one. */
      readonly refreshing: boolean
      /** The last refresh failed: the list shown is the previous one. */
      readonly refreshError: string | undefined
    }

/** Why new codes cannot be made right now ("ready" when they can). */
export type Readiness =
  /** The vault is unlocked on this device. */
  | "ready"
  /** No vault on this page (no `<ig-app>`, or signed out). */
  | "unavailable"
  /** The vault's state is not known yet. */
  | "checking"
  /** The vault's state could not be loaded. */
  | "unreachable"
  | "absent"
  | "locked"
  /** Unlocked with a recovery code: a new passphrase comes first. */
  | "must-set-passphrase"

/** The regeneration under way, or its result. */
export type Regeneration =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "Confirming" }
  | { readonly _tag: "Working" }
  | { readonly _tag: "Failed"; readonly message: string }
  /** The new codes, shown once: kept in memory only until dismissed. `copied`: whether the last copy worked. */
  | { readonly _tag: "Shown"; readonly codes: ReadonlyArray<string>; readonly copied: boolean | undefined }

const newestFirst = (a: RecoveryCode, b: RecoveryCode): number =>
  DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt)

type Load =
  | { readonly _tag: "Loaded"; readonly codes: ReadonlyArray<RecoveryCode> }
  | { readonly _tag: "SignedOut" }
  | { readonly _tag: "NoVault" }
  | { readonly _tag: "Failed"; readonly message: string }

export class RecoveryCodesController implements ReactiveController {
  regeneration: Regeneration = { _tag: "Idle" }
  /** The code whose revocation is being confirmed. */
  confirmingRevoke: string | undefined = undefined
  /** Revocations under way, by code id. */
  revoking: ReadonlySet<string> = new Set()
  /** Why a revocation failed, by code id. */
  errors: ReadonlyMap<string, string> = new Map()
  /** A short note for assistive technology after a change ("Recovery code revoked."). */
  announcement = ""

  readonly vault: VaultController
  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  readonly #session: ContextConsumer<typeof sessionContext, ReactiveElement>
  readonly #task: Task<readonly [IgnitionClient, string, string, number], Load>
  #generation = 0
  #codes: ReadonlyArray<RecoveryCode> | undefined
  #loadError: string | undefined
  #state: "ok" | "signed-out" | "no-vault" = "ok"
  #dataKey: string | undefined

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    this.vault = new VaultController(host)
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true })
    this.#task = new Task(host, {
      args: () => [this.#client(), this.#sessionKey(), this.#vaultKey(), this.#generation] as const,
      task: async ([connection, key, vault]) => {
        if (key !== this.#dataKey) {
          // Another user, or none: the previous list (and any codes shown) are not theirs to see.
          this.#dataKey = key
          this.#codes = undefined
          this.#loadError = undefined
          this.#state = "ok"
          this.#reset()
          this.regeneration = { _tag: "Idle" }
        }
        if (key === "loading") return initialState
        if (key === "signed-out") return { _tag: "SignedOut" }
        if (vault === "absent") return { _tag: "NoVault" }
        const outcome = await connection.call((api) => api.vault.recoveryCodes())
        if (outcome._tag === "Ok") return { _tag: "Loaded", codes: outcome.value }
        if (outcome._tag === "Unreachable") return { _tag: "Failed", message: outcome.message }
        if (this.#expired(outcome.error)) return { _tag: "SignedOut" }
        if (outcome.error._tag === "VaultNotFound") return { _tag: "NoVault" }
        return { _tag: "Failed", message: messageOf(outcome.error) }
      },
      onComplete: (load) => {
        switch (load._tag) {
          case "Loaded":
            this.#codes = [...load.codes].sort(newestFirst)
            this.#loadError = undefined
            this.#state = "ok"
            break
          case "SignedOut":
            this.#codes = undefined
            this.#state = "signed-out"
            break
          case "NoVault":
            this.#codes = undefined
            this.#state = "no-vault"
            break
          case "Failed":
            this.#loadError = load.message
            break
        }
      },
    })
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // New codes are shown once: they do not outlive the element.
    if (this.regeneration._tag === "Shown") this.regeneration = { _tag: "Idle" }
  }

  #sessionKey(): string {
    return sessionKey(this.#session.value)
  }

  /** Only whether a vault exists matters to the list: it is readable locked or unlocked. */
  #vaultKey(): string {
    return this.vault.state.status === "absent" ? "absent" : "present"
  }

  get view(): CodesView {
    if (this.#state === "signed-out") return { _tag: "SignedOut" }
    if (this.#state === "no-vault") return { _tag: "NoVault" }
    const refreshing = this.#task.status === TaskStatus.PENDING
    if (this.#codes !== undefined) {
      return {
        _tag: "Ready",
        active: this.#codes.filter((code) => codeState(code) === "active"),
        inactive: this.#codes.filter((code) => codeState(code) !== "active"),
        refreshing,
        refreshError: refreshing ? undefined : this.#loadError,
      }
    }
    if (this.#loadError !== undefined && !refreshing) return { _tag: "Failed", message: this.#loadError }
    return { _tag: "Loading" }
  }

  get readiness(): Readiness {
    const session = this.vault.session
    if (session === undefined) return "unavailable"
    const state = session.state
    if (state.status === "unlocked") return state.mustSetPassphrase ? "must-set-passphrase" : "ready"
    return state.status === "loading" ? "checking" : state.status
  }

  /** Load the list again; the current one stays until the answer. */
  refresh(): void {
    this.#generation++
    this.#host.requestUpdate()
  }

  /** Ask before regenerating (`true`), or close the question. */
  confirmRegenerate(open: boolean): void {
    if (this.regeneration._tag === "Working") return
    this.regeneration = open ? { _tag: "Confirming" } : { _tag: "Idle" }
    this.confirmingRevoke = undefined
    this.#host.requestUpdate()
  }

  async regenerate(): Promise<void> {
    const session = this.vault.session
    if (session === undefined || this.regeneration._tag === "Working" || this.readiness !== "ready") return
    this.regeneration = { _tag: "Working" }
    this.announcement = ""
    this.#host.requestUpdate()
    // The session reports a 423 itself (the vault turns locked); nothing else to tell it.
    const outcome = await session.regenerateRecoveryCodes()
    if (outcome._tag === "Ok") {
      this.regeneration = { _tag: "Shown", codes: outcome.value, copied: undefined }
      this.announcement = "New recovery codes made. Your previous codes no longer work."
      this.refresh()
      // The wraps changed (one per code): the vault's view of its unlock methods follows.
      void session.refresh()
    } else if (outcome._tag === "Unreachable") {
      this.regeneration = { _tag: "Failed", message: outcome.message }
    } else if (!this.#expired(outcome.error)) {
      this.regeneration = { _tag: "Failed", message: messageOf(outcome.error) }
    }
    this.#host.requestUpdate()
  }

  /** The user saved the new codes: forget them. */
  dismissCodes(): void {
    this.regeneration = { _tag: "Idle" }
    this.#host.requestUpdate()
  }

  /** The code sheet's "Copy all" finished: whether it worked. */
  noteCopied(copied: boolean): void {
    const shown = this.regeneration
    if (shown._tag !== "Shown") return
    this.regeneration = { ...shown, copied }
    this.#host.requestUpdate()
  }

  /** Ask before revoking `id`, or close the question (`undefined`). */
  confirmRevoke(id: string | undefined): void {
    this.confirmingRevoke = id
    if (id !== undefined && this.regeneration._tag === "Confirming") this.regeneration = { _tag: "Idle" }
    this.#host.requestUpdate()
  }

  async revoke(id: string): Promise<void> {
    if (this.revoking.has(id)) return
    this.confirmingRevoke = undefined
    this.revoking = new Set([...this.revoking, id])
    this.errors = new Map([...this.errors].filter(([key]) => key !== id))
    this.announcement = ""
    this.#host.requestUpdate()
    const outcome: Outcome<void> = await this.#client().call((api) => api.vault.revokeRecoveryCode({ path: { id } }))
    const session = this.vault.session
    if (session !== undefined) await session.noteRefusal(outcome)
    this.revoking = new Set([...this.revoking].filter((key) => key !== id))
    if (outcome._tag === "Ok" || (outcome._tag === "Refused" && outcome.error._tag === "NotFound")) {
      // Done, or it was gone already: either way it no longer works.
      this.#codes = this.#codes?.map((code) =>
        code.id === id && code.revokedAt === null
          ? new VaultApi.RecoveryCodeRecord({ ...code, revokedAt: DateTime.unsafeNow() })
          : code,
      )
      this.announcement = "Recovery code revoked."
      this.refresh()
      void session?.refresh()
    } else if (outcome._tag === "Unreachable") {
      this.#fail(id, outcome.message)
    } else if (!this.#expired(outcome.error)) {
      this.#fail(id, messageOf(outcome.error))
    }
    this.#host.requestUpdate()
  }

  #fail(id: string, message: string): void {
    this.errors = new Map([...this.errors, [id, message]])
  }

  /** A 401: the session ended elsewhere; the app goes back to sign-in. */
  #expired(error: ServerError): boolean {
    if (error._tag !== "Unauthorized") return false
    this.#state = "signed-out"
    this.#codes = undefined
    this.regeneration = { _tag: "Idle" }
    this.#reset()
    this.#host.dispatchEvent(new IgSignedOutEvent("expired"))
    this.#host.requestUpdate()
    return true
  }

  #reset(): void {
    this.confirmingRevoke = undefined
    this.revoking = new Set()
    this.errors = new Map()
    this.announcement = ""
  }
}
