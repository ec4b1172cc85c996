/**
 * The vault panel of the settings page: the vault `<ig-app>` provides
 * (its state, re-rendered on every change), the instance's crypto policies
 * (`GET /api/crypto-policy`, loaded with `@lit/task`: the last answer stays
 * shown while a fresh one loads), and the panel's actions — lock now, a new
 * passphrase, a passkey that unlocks — each answering an `Outcome` from the
 * `VaultSession`, which turns a 423 into the locked state itself. The new
 * passphrase follows the same rules as at setup (`PassphraseController`:
 * at least 12 characters, judged "strong" in the browser, typed twice
 * alike). A 401 signs out (`ig-signed-out`, "expired").
 */
import type { CryptoPolicyApi, VaultApi } from "@ignition/api"
import type { CryptoPolicy } from "@ignition/vault"
import { ContextConsumer } from "@lit/context"
import { initialState, Task, TaskStatus } from "@lit/task"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient, Outcome, ServerError } from "../client/IgnitionClient.js"
import { sessionContext } from "../context/contexts.js"
import { FormController } from "../controllers/FormController.js"
import { IgSignedOutEvent } from "../events/events.js"
import { messageOf, sessionKey } from "../internal/session.js"
import { PassphraseController } from "../vault/PassphraseController.js"
import { VaultController } from "../vault/VaultController.js"

const mebibytes = (kib: number) => (kib % 1024 === 0 ? `${kib / 1024} MiB` : `${kib.toLocaleString("en")} KiB`)

/** A policy's key derivation in a few words: "Argon2id · 64 MiB · 3 passes". */
export const describeKdf = (kdf: CryptoPolicy.PolicyKdf): string =>
  kdf.alg === "argon2id"
    ? [
        "Argon2id",
        mebibytes(kdf.m),
        kdf.t === 1 ? "1 pass" : `${kdf.t} passes`,
        ...(kdf.p === 1 ? [] : [`${kdf.p} lanes`]),
      ].join(" · ")
    : `PBKDF2-SHA256 · ${kdf.iterations.toLocaleString("en")} iterations`

/** How many active wraps of each kind the vault has: the ways it can be unlocked. */
export const unlockMethods = (info: VaultApi.VaultInfo) => {
  const count = (type: string) => info.wraps.filter((wrap) => wrap.credentialType === type).length
  return { passphrase: count("passphrase"), passkey: count("passkey"), recoveryCode: count("recovery-code") }
}

/** Why the vault locked, as the server or this device recorded it. */
export const lockReasonText = (reason: string | null): string | undefined => {
  switch (reason) {
    case "manual":
      return "It was locked by hand."
    case "idle":
      return "It locked after a while without activity."
    case "hidden":
      return "It locked when the page was hidden."
    case "logout":
      return "It locked when you signed out."
    case "session-expired":
      return "It locked when your session ended."
    case "remote":
      return "It was locked on another device."
    case "admin":
      return "An administrator locked it."
    default:
      return undefined
  }
}

/** What a single-step action (lock now, add a passkey) is doing, or how it ended. */
export type Step =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "Working" }
  | { readonly _tag: "Done" }
  | { readonly _tag: "Failed"; readonly message: string }

type PolicyLoad =
  | { readonly _tag: "Loaded"; readonly policies: CryptoPolicyApi.CryptoPolicies }
  | { readonly _tag: "Skipped" }
  | { readonly _tag: "Failed"; readonly message: string }

/** The instance's policies, as far as they are known. */
export type PolicyView =
  | { readonly _tag: "Loading" }
  | { readonly _tag: "Failed"; readonly message: string }
  | {
      readonly _tag: "Ready"
      readonly policies: CryptoPolicyApi.CryptoPolicies
      readonly refreshError: string | undefined
    }

export class VaultSettingsController implements ReactiveController {
  readonly vault: VaultController
  /** The passphrase form's submission and its errors. */
  readonly passphraseForm: FormController
  /** The new passphrase, its confirmation and its strength. */
  readonly passphrase: PassphraseController
  /** The passphrase was just changed. */
  passphraseChanged = false
  lockStep: Step = { _tag: "Idle" }
  passkeyStep: Step = { _tag: "Idle" }

  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  readonly #session: ContextConsumer<typeof sessionContext, ReactiveElement>
  readonly #policyTask: Task<readonly [IgnitionClient, string, number], PolicyLoad>
  #generation = 0
  #policies: CryptoPolicyApi.CryptoPolicies | undefined
  #policyError: string | undefined
  #dataKey: string | undefined
  #signedOut = false

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    this.vault = new VaultController(host)
    this.passphrase = new PassphraseController(host)
    this.passphraseForm = new FormController(host, {
      WrongCredential: "passphrase",
      PolicyRefused: "passphrase",
      WeakWrapRefused: "passphrase",
    })
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true })
    this.#policyTask = new Task(host, {
      args: () => [this.#client(), this.#sessionKey(), this.#generation] as const,
      task: async ([connection, key]) => {
        if (key !== this.#dataKey) {
          // Another user, or none: what was typed or shown was for the previous one.
          this.#dataKey = key
          this.#policies = undefined
          this.#policyError = undefined
          this.#signedOut = false
          this.#reset()
        }
        if (key === "loading") return initialState
        if (key === "signed-out") return { _tag: "Skipped" }
        const outcome = await connection.call((api) => api.cryptoPolicy.list())
        if (outcome._tag === "Ok") return { _tag: "Loaded", policies: outcome.value }
        if (outcome._tag === "Refused" && this.#expired(outcome.error)) return { _tag: "Skipped" }
        return { _tag: "Failed", message: outcome._tag === "Refused" ? messageOf(outcome.error) : outcome.message }
      },
      onComplete: (load) => {
        if (load._tag === "Loaded") {
          this.#policies = load.policies
          this.#policyError = undefined
        } else if (load._tag === "Failed") {
          this.#policyError = load.message
        }
      },
    })
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // A half-typed passphrase does not stay in memory once the panel is gone.
    this.passphrase.clear()
  }

  #sessionKey(): string {
    return sessionKey(this.#session.value)
  }

  /** Whether the page provides a session at all, and its status. */
  get sessionStatus(): "none" | "loading" | "signed-out" | "signed-in" | "unreachable" {
    if (this.#signedOut) return "signed-out"
    return this.#session.value?.status ?? "none"
  }

  /** The signed-in user's email: the name a new passkey is registered under. */
  get account(): string | undefined {
    const session = this.#session.value
    return session?.status === "signed-in" ? session.info.user.email : undefined
  }

  get policies(): PolicyView {
    const refreshing = this.#policyTask.status === TaskStatus.PENDING
    if (this.#policies !== undefined)
      return { _tag: "Ready", policies: this.#policies, refreshError: refreshing ? undefined : this.#policyError }
    if (this.#policyError !== undefined && !refreshing) return { _tag: "Failed", message: this.#policyError }
    return { _tag: "Loading" }
  }

  reloadPolicies(): void {
    this.#generation++
    this.#host.requestUpdate()
  }

  /** Ask the server for the vault again (after it could not be reached). */
  async retryVault(): Promise<void> {
    await this.vault.session?.refresh()
    this.reloadPolicies()
  }

  async lockNow(): Promise<void> {
    const session = this.vault.session
    if (session === undefined || this.lockStep._tag === "Working") return
    this.lockStep = { _tag: "Working" }
    this.#host.requestUpdate()
    const outcome = await session.lock("manual")
    this.lockStep = this.#stepOf(outcome, "Idle")
    this.#host.requestUpdate()
  }

  async addPasskey(): Promise<void> {
    const session = this.vault.session
    if (session === undefined || this.passkeyStep._tag === "Working") return
    this.passkeyStep = { _tag: "Working" }
    this.#host.requestUpdate()
    const outcome = await session.addPasskey(this.account ?? "Ignition vault")
    this.passkeyStep = this.#stepOf(outcome, "Done")
    this.#host.requestUpdate()
  }

  /** Checks the passphrase here first (length, strength, match), then has the vault make its new wrap. */
  async changePassphrase(): Promise<boolean> {
    const session = this.vault.session
    const form = this.passphraseForm
    if (session === undefined || form.pending) return false
    this.passphraseChanged = false
    const problem = await this.passphrase.problem()
    if (problem !== undefined) {
      form.fieldErrors = problem
      form.formError = undefined
      this.#host.requestUpdate()
      return false
    }
    const passphrase = this.passphrase.passphrase
    await form.submit(async () => {
      const outcome = await session.setPassphrase(passphrase)
      if (outcome._tag === "Refused") this.#expired(outcome.error)
      return outcome
    })
    if (form.formError !== undefined || Object.keys(form.fieldErrors).length > 0) return false
    this.passphrase.clear()
    this.passphraseChanged = true
    this.#host.requestUpdate()
    return true
  }

  #stepOf(outcome: Outcome<void>, success: "Idle" | "Done"): Step {
    if (outcome._tag === "Ok") return { _tag: success }
    if (outcome._tag === "Unreachable") return { _tag: "Failed", message: outcome.message }
    if (this.#expired(outcome.error)) return { _tag: "Idle" }
    return { _tag: "Failed", message: messageOf(outcome.error) }
  }

  /** A 401: the session ended elsewhere; the app goes back to sign-in. */
  #expired(error: ServerError): boolean {
    if (error._tag !== "Unauthorized") return false
    this.#signedOut = true
    this.#reset()
    this.#host.dispatchEvent(new IgSignedOutEvent("expired"))
    this.#host.requestUpdate()
    return true
  }

  #reset(): void {
    this.passphrase.clear()
    this.passphraseChanged = false
    this.lockStep = { _tag: "Idle" }
    this.passkeyStep = { _tag: "Idle" }
    this.passphraseForm.fieldErrors = {}
    this.passphraseForm.formError = undefined
  }
}
