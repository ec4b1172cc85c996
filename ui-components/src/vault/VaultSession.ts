/**
 * A signed-in user's vault on this device: the keyring (from
 * `@ignition/vault`, keys only in memory) joined to the server's vault
 * endpoints. Elements read its `state` and call its verbs; every verb answers
 * an `Outcome` — success, a typed refusal (the server's error, or the
 * vault's own: `WrongCredential`, `PolicyRefused`, `InvalidRecoveryCode`),
 * or unreachable — and never throws.
 *
 * Locks go both ways: a lock here (idle, hidden, the user) is sent to the
 * server so the user's other devices lock at their next poll; a lock seen
 * there (another device, an administrator, a sign-out elsewhere) — the
 * server locked, or its lock epoch moved past the one this device unlocked
 * at — drops the keys here.
 */
import type { VaultApi } from "@ignition/api"
import { Keyring, type LockMachine, RecoveryCode, type WrappedKey } from "@ignition/vault"
import { Cause, Effect, Exit, ManagedRuntime, Option, Redacted, Stream } from "effect"
import type { IgnitionClient, Outcome } from "../client/IgnitionClient.js"
import { prfCreate, prfEvaluate } from "./prf.js"

export type VaultState =
  | { readonly status: "loading" }
  | { readonly status: "absent" }
  | {
      readonly status: "locked"
      readonly info: VaultApi.VaultInfo
      readonly reason: string | null
    }
  | {
      readonly status: "unlocked"
      readonly info: VaultApi.VaultInfo
      /** After unlocking with a recovery code: the passphrase must be replaced before anything else. */
      readonly mustSetPassphrase: boolean
    }
  | { readonly status: "unreachable"; readonly message: string }

export interface VaultSessionOptions {
  readonly lockPolicy?: LockMachine.LockPolicy
}

type Failure = { readonly _tag: string; readonly message: string }

const refused = (error: Failure): Outcome<never> => ({ _tag: "Refused", error })

/** The KEK-wrapped content keys as the keyring takes them. */
const contentKeysOf = (info: VaultApi.VaultInfo) =>
  info.contentKeys.map((key) => ({ kid: key.kid, wrapped: key.wrapped }))

const newest = (wraps: ReadonlyArray<VaultApi.WrapRecord>, type: WrappedKey.CredentialType) =>
  wraps
    .filter((wrap) => wrap.credentialType === type)
    .sort((a, b) => b.createdAt.epochMillis - a.createdAt.epochMillis)[0]

export class VaultSession extends EventTarget {
  static readonly changeEvent = "change"
  readonly #client: IgnitionClient
  readonly #userId: string
  readonly #runtime: ManagedRuntime.ManagedRuntime<Keyring.Keyring, never>
  #state: VaultState = { status: "loading" }
  /** The server's lock epoch when this device last unlocked: a larger one means a lock happened elsewhere. */
  #unlockedAtEpoch = -1
  /** Set while this device itself is telling the server about a lock, so that lock is not mistaken for a remote one. */
  #locallyLocking = false
  /** Set while dropping the keys of an unlock the server refused: nothing was unlocked, so nothing is shown or sent. */
  #abandoning = false

  constructor(client: IgnitionClient, userId: string, options: VaultSessionOptions = {}) {
    super()
    this.#client = client
    this.#userId = userId
    this.#runtime = ManagedRuntime.make(Keyring.layerLive(options.lockPolicy))
    this.#runtime.runFork(
      Effect.flatMap(Keyring.Keyring, (keyring) =>
        Stream.runForEach(keyring.events, (event) =>
          event._tag === "Locked" ? Effect.promise(() => this.#lockedHere(event.reason)) : Effect.void,
        ),
      ),
    )
  }

  get state(): VaultState {
    return this.#state
  }

  /** The connection the session talks through (the domains built on the vault use it too). */
  get client(): IgnitionClient {
    return this.#client
  }

  get userId(): string {
    return this.#userId
  }

  #set(state: VaultState) {
    this.#state = state
    this.dispatchEvent(new Event(VaultSession.changeEvent))
  }

  async #keyring<A>(use: (keyring: Keyring.Keyring["Type"]) => Effect.Effect<A, Failure>): Promise<Outcome<A>> {
    const exit = await this.#runtime.runPromiseExit(Effect.flatMap(Keyring.Keyring, use))
    if (Exit.isSuccess(exit)) return { _tag: "Ok", value: exit.value }
    const failure = Cause.failureOption(exit.cause)
    return Option.isSome(failure)
      ? refused(failure.value)
      : refused({ _tag: "CryptoUnavailable", message: "This browser could not run the vault's cryptography." })
  }

  /** Runs `use` with the keyring (the domains built on the vault seal and open through it); never throws. */
  withKeyring<A>(use: (keyring: Keyring.Keyring["Type"]) => Effect.Effect<A, Failure>): Promise<Outcome<A>> {
    return this.#keyring(use)
  }

  /** The vault as the server has it; keys here are dropped if the server saw a lock this device did not. */
  async refresh(): Promise<Outcome<VaultApi.VaultInfo | undefined>> {
    const outcome = await this.#client.call((api) => api.vault.get())
    if (outcome._tag === "Refused" && outcome.error._tag === "VaultNotFound") {
      this.#set({ status: "absent" })
      return { _tag: "Ok", value: undefined }
    }
    if (outcome._tag === "Unreachable") {
      if (this.#state.status === "loading") this.#set({ status: "unreachable", message: outcome.message })
      return outcome
    }
    if (outcome._tag === "Refused") {
      // Not knowing the vault is not "loading" forever: say why, and the poll or a retry tries again.
      if (this.#state.status === "loading")
        this.#set({ status: "unreachable", message: outcome.error.message ?? "The vault could not be loaded." })
      return outcome
    }
    await this.#apply(outcome.value.lock, outcome.value)
    return outcome
  }

  /** Compares the server's lock state with this device's, as the poll does. */
  async checkLock(): Promise<void> {
    // A vault that never loaded (offline, server down) is fetched again on the same beat.
    if (this.#state.status === "loading" || this.#state.status === "unreachable") {
      await this.refresh()
      return
    }
    if (this.#state.status !== "unlocked") return
    const outcome = await this.#client.call((api) => api.vault.lockStatus())
    if (outcome._tag === "Ok") await this.#apply(outcome.value)
  }

  async #apply(lock: VaultApi.LockStatus, info?: VaultApi.VaultInfo) {
    const current = this.#state
    const knownInfo = info ?? (current.status === "locked" || current.status === "unlocked" ? current.info : undefined)
    if (knownInfo === undefined) return
    const lockedElsewhere = lock.locked || lock.epoch > this.#unlockedAtEpoch
    if (current.status !== "unlocked") {
      this.#set({ status: "locked", info: knownInfo, reason: lock.reason })
    } else if (!lockedElsewhere) {
      this.#set({ ...current, info: knownInfo })
    } else if (!this.#locallyLocking) {
      await this.#keyring((keyring) => keyring.lock("remote"))
      this.#set({ status: "locked", info: knownInfo, reason: lock.reason === "admin" ? "admin" : "remote" })
    }
  }

  /** Drops keys the server did not accept (a refused unlock or creation) without reporting a lock. */
  async #abandon() {
    this.#abandoning = true
    await this.#keyring((keyring) => keyring.lock("remote"))
  }

  /** The keyring locked (any trigger): tell the server unless the lock came from there, and show it. */
  async #lockedHere(reason: LockMachine.LockReason) {
    if (this.#abandoning) {
      this.#abandoning = false
      return
    }
    const info = this.#state.status === "unlocked" || this.#state.status === "locked" ? this.#state.info : undefined
    if (info !== undefined) this.#set({ status: "locked", info, reason })
    if (reason === "remote" || reason === "admin") return
    const serverReason =
      reason === "manual" || reason === "idle" || reason === "hidden" || reason === "logout"
        ? reason
        : "session-expired"
    this.#locallyLocking = true
    try {
      const outcome = await this.#client.call((api) => api.vault.lock({ payload: { reason: serverReason } }))
      if (outcome._tag === "Ok" && info !== undefined)
        this.#set({ status: "locked", info, reason: outcome.value.reason })
    } finally {
      this.#locallyLocking = false
    }
  }

  async #currentPolicy() {
    return this.#client.call((api) => Effect.map(api.cryptoPolicy.list(), (policies) => policies.current))
  }

  /** Creates the vault under `passphrase`, then a first set of recovery codes, returned to be shown once. */
  async create(passphrase: string): Promise<Outcome<ReadonlyArray<string>>> {
    const policy = await this.#currentPolicy()
    if (policy._tag !== "Ok") return policy
    const vaultId = globalThis.crypto.randomUUID()
    const created = await this.#keyring((keyring) =>
      keyring.create({ userId: this.#userId, vaultId }, Redacted.make(passphrase), policy.value),
    )
    if (created._tag !== "Ok") return created
    const stored = await this.#client.call((api) =>
      api.vault.create({
        payload: {
          vaultId: vaultId as VaultApi.VaultId,
          policyVersion: policy.value.version,
          unlockProof: Redacted.make(created.value.unlockProof),
          wrap: created.value.passphraseWrap,
          contentKey: created.value.contentKey,
        },
      }),
    )
    if (stored._tag !== "Ok") {
      await this.#abandon()
      return stored
    }
    this.#unlockedAtEpoch = stored.value.lock.epoch
    this.#set({ status: "unlocked", info: stored.value, mustSetPassphrase: false })
    return this.regenerateRecoveryCodes()
  }

  async #unlockWith(
    info: VaultApi.VaultInfo,
    wrap: WrappedKey.WrappedKey,
    credential: WrappedKey.Credential,
    replaceWrapId?: string,
  ): Promise<Outcome<void>> {
    const policy = await this.#currentPolicy()
    if (policy._tag !== "Ok") return policy
    const unlocked = await this.#keyring((keyring) =>
      keyring.unlock({
        binding: { userId: this.#userId, vaultId: info.vaultId },
        wrap,
        credential,
        contentKeys: contentKeysOf(info),
        currentKid: info.currentKid,
        currentPolicy: policy.value,
      }),
    )
    if (unlocked._tag !== "Ok") return unlocked
    const status = await this.#client.call((api) =>
      api.vault.unlock({ payload: { unlockProof: Redacted.make(unlocked.value.unlockProof) } }),
    )
    if (status._tag !== "Ok") {
      await this.#abandon()
      return status
    }
    this.#unlockedAtEpoch = status.value.epoch
    const upgraded = unlocked.value.upgradedWrap
    if (upgraded !== undefined && replaceWrapId !== undefined) {
      // A weaker wrap is re-made under the current policy without asking: the user typed the passphrase anyway.
      await this.#client.call((api) => api.vault.addWrap({ payload: { wrap: upgraded, replaces: replaceWrapId } }))
    }
    const fresh = await this.#client.call((api) => api.vault.get())
    this.#set({
      status: "unlocked",
      info: fresh._tag === "Ok" ? fresh.value : info,
      mustSetPassphrase: credential.type === "recovery-code",
    })
    return { _tag: "Ok", value: undefined }
  }

  #lockedInfo(): Outcome<VaultApi.VaultInfo> {
    const state = this.#state
    return state.status === "locked" || state.status === "unlocked"
      ? { _tag: "Ok", value: state.info }
      : refused({ _tag: "VaultNotFound", message: "There is no vault to unlock yet." })
  }

  async unlockWithPassphrase(passphrase: string): Promise<Outcome<void>> {
    const info = this.#lockedInfo()
    if (info._tag !== "Ok") return info
    const wrap = newest(info.value.wraps, "passphrase")
    if (wrap === undefined)
      return refused({ _tag: "NoPassphrase", message: "This vault has no passphrase; use a recovery code." })
    return this.#unlockWith(
      info.value,
      wrap.wrap,
      { type: "passphrase", passphrase: Redacted.make(passphrase) },
      wrap.id,
    )
  }

  /** Spends a recovery code (once: the server revokes it) and unlocks; a new passphrase must follow. */
  async unlockWithRecoveryCode(typed: string): Promise<Outcome<void>> {
    const info = this.#lockedInfo()
    if (info._tag !== "Ok") return info
    const parsed = await this.#keyring(() =>
      Effect.flatMap(RecoveryCode.parse(typed), (code) =>
        Effect.map(RecoveryCode.verifier(code), (verifier) => ({ code, verifier })),
      ),
    )
    if (parsed._tag !== "Ok") return parsed
    const spent = await this.#client.call((api) =>
      api.vault.validateRecoveryCode({ payload: { verifier: Redacted.make(parsed.value.verifier) } }),
    )
    if (spent._tag !== "Ok") return spent
    return this.#unlockWith(info.value, spent.value.wrap, { type: "recovery-code", code: parsed.value.code })
  }

  /** Unlocks with any passkey that has a PRF wrap of this vault. */
  async unlockWithPasskey(): Promise<Outcome<void>> {
    const info = this.#lockedInfo()
    if (info._tag !== "Ok") return info
    const wraps = info.value.wraps.filter((wrap) => wrap.credentialType === "passkey")
    if (wraps.length === 0) return refused({ _tag: "NoPasskey", message: "No passkey can unlock this vault yet." })
    const evaluated = await prfEvaluate(
      wraps.map((wrap) => ({ credentialId: wrap.credentialId, salt: wrap.wrap.kdf.salt })),
    )
    if (evaluated._tag !== "Ok") return evaluated
    const wrap = wraps.find((candidate) => candidate.credentialId === evaluated.value.credentialId)
    if (wrap === undefined) return refused({ _tag: "NoPasskey", message: "That passkey cannot unlock this vault." })
    return this.#unlockWith(info.value, wrap.wrap, { type: "passkey", prfOutput: evaluated.value.output })
  }

  /** Replaces the passphrase (or sets one after a recovery code): a new wrap that revokes the old one. */
  async setPassphrase(passphrase: string): Promise<Outcome<void>> {
    const state = this.#state
    if (state.status !== "unlocked") return refused({ _tag: "VaultLocked", message: "Unlock the vault first." })
    const policy = await this.#currentPolicy()
    if (policy._tag !== "Ok") return policy
    const wrap = await this.#keyring((keyring) =>
      keyring.addWrap(
        { type: "passphrase", passphrase: Redacted.make(passphrase) },
        globalThis.crypto.randomUUID(),
        policy.value,
      ),
    )
    if (wrap._tag !== "Ok") return wrap
    const replaces = newest(state.info.wraps, "passphrase")?.id
    const stored = await this.#client.call((api) =>
      api.vault.addWrap({ payload: replaces === undefined ? { wrap: wrap.value } : { wrap: wrap.value, replaces } }),
    )
    if (stored._tag !== "Ok") return this.#seen(stored)
    await this.refresh()
    if (this.#state.status === "unlocked") this.#set({ ...this.#state, mustSetPassphrase: false })
    return { _tag: "Ok", value: undefined }
  }

  /** Registers a new passkey on this device whose PRF output wraps the KEK. */
  async addPasskey(userName: string): Promise<Outcome<void>> {
    const state = this.#state
    if (state.status !== "unlocked") return refused({ _tag: "VaultLocked", message: "Unlock the vault first." })
    const policy = await this.#currentPolicy()
    if (policy._tag !== "Ok") return policy
    const salt = globalThis.crypto.getRandomValues(new Uint8Array(32))
    const created = await prfCreate(userName, this.#userId, salt)
    if (created._tag !== "Ok") return created
    const wrap = await this.#keyring((keyring) =>
      keyring.addWrap(
        { type: "passkey", prfOutput: created.value.output },
        created.value.credentialId,
        policy.value,
        salt,
      ),
    )
    if (wrap._tag !== "Ok") return wrap
    const stored = await this.#client.call((api) => api.vault.addWrap({ payload: { wrap: wrap.value } }))
    if (stored._tag !== "Ok") return this.#seen(stored)
    await this.refresh()
    return { _tag: "Ok", value: undefined }
  }

  /** A new set of ten codes, returned to be shown once; the old set stops working. */
  async regenerateRecoveryCodes(): Promise<Outcome<ReadonlyArray<string>>> {
    const policy = await this.#currentPolicy()
    if (policy._tag !== "Ok") return policy
    const set = await this.#keyring((keyring) => keyring.generateRecoveryCodes(policy.value))
    if (set._tag !== "Ok") return set
    const stored = await this.#client.call((api) =>
      api.vault.generateRecoveryCodes({
        payload: {
          codes: set.value.entries.map((entry) => ({
            id: entry.id,
            verifier: Redacted.make(entry.verifier),
            wrap: entry.wrap,
          })),
        },
      }),
    )
    if (stored._tag !== "Ok") return this.#seen(stored)
    await this.refresh()
    return { _tag: "Ok", value: set.value.codes }
  }

  /** A 423 from any end-to-end-encrypted write means the vault was locked elsewhere: show it. */
  async #seen<A>(outcome: Outcome<A>): Promise<Outcome<A>> {
    if (outcome._tag === "Refused" && outcome.error._tag === "VaultLocked" && this.#state.status === "unlocked") {
      await this.#keyring((keyring) => keyring.lock("remote"))
      await this.refresh()
    }
    return outcome
  }

  /** Lets any element report a 423 it received. */
  noteRefusal<A>(outcome: Outcome<A>): Promise<Outcome<A>> {
    return this.#seen(outcome)
  }

  lock(reason: LockMachine.LockReason = "manual"): Promise<Outcome<void>> {
    return this.#keyring((keyring) => keyring.lock(reason))
  }

  notify(event: LockMachine.LockEvent): Promise<Outcome<void>> {
    return this.#keyring((keyring) => keyring.dispatch(event))
  }

  /** Seals and opens records for the domains built on the vault. */
  get keyring(): Promise<Keyring.Keyring["Type"]> {
    return this.#runtime.runPromise(Keyring.Keyring)
  }

  async dispose(): Promise<void> {
    await this.#runtime.dispose()
  }
}
