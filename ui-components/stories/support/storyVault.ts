/**
 * Story-only: a vault without its cryptography, on both sides.
 *
 * - {@link vaultServer}: the vault endpoints of the fake server, with state —
 *   the vault (absent, locked or unlocked), its wraps, its recovery codes and
 *   the instance's crypto policies — in the contract's encoded shapes, so a
 *   lock, a new passphrase or a new set of codes shows in the next answer.
 * - `<story-vault>` (through {@link storyVault}): put inside `<ig-app>`
 *   around the elements under test, it provides them a vault in place of the
 *   one `<ig-app>` provides. Its verbs answer `Outcome`s as `VaultSession`'s
 *   do and make the same requests through the real client, but the wraps
 *   they send hold random bytes (no Argon2id, no WebAuthn): this device
 *   counts as unlocked whenever the server's vault is. A passkey ceremony
 *   cannot run against the fake relying party, so `passkey` says how the
 *   simulated one ends.
 */
import type { CryptoPolicyApi, VaultApi } from "@ignition/api"
import {
  clientContext,
  type IgnitionClient,
  type Outcome,
  type VaultSession,
  type VaultState,
  vaultContext,
} from "@ignition/ui-components"
import { type CryptoPolicy, RecoveryCode, type WrappedKey } from "@ignition/vault"
import { ContextConsumer, ContextProvider } from "@lit/context"
import { Effect, Redacted, Schema } from "effect"
import { html, LitElement, type TemplateResult } from "lit"
import { fromNow, user } from "./fixtures.js"
import { notFound, ok, type Reply, type Routes, refuse } from "./mockServer.js"

type Encoded<S extends Schema.Schema.Any> = Schema.Schema.Encoded<S>
type VaultInfoJson = Encoded<typeof VaultApi.VaultInfo>
type WrapJson = Encoded<typeof VaultApi.WrapRecord>
type WrappedKeyJson = WrapJson["wrap"]
export type RecoveryCodeJson = Encoded<typeof VaultApi.RecoveryCodeRecord>
type PoliciesJson = Encoded<typeof CryptoPolicyApi.CryptoPolicies>
type PolicyJson = PoliciesJson["current"]

const minute = 60_000
const day = 24 * 60 * minute

const toBase64Url = Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)
const random = (length: number) => globalThis.crypto.getRandomValues(new Uint8Array(length))
const randomText = (length: number) => toBase64Url(random(length))

export const vaultId = "6f1d2c3b-4a59-4e87-9d6c-5b4a39281706"

/** The instance's policies: v1 (the seed's, read only), v2 (the default), v3 (a stronger one an administrator published). */
export const policies: ReadonlyArray<PolicyJson> = [
  { version: 1, aead: "AES-256-GCM", kdf: { alg: "pbkdf2-sha256", iterations: 100_000 }, deprecated: true },
  { version: 2, aead: "AES-256-GCM", kdf: { alg: "argon2id", m: 64 * 1024, t: 3, p: 1 }, deprecated: false },
  { version: 3, aead: "AES-256-GCM", kdf: { alg: "argon2id", m: 128 * 1024, t: 4, p: 1 }, deprecated: false },
]

const policiesUpTo = (current: number): PoliciesJson => {
  const known = policies.filter((policy) => policy.version <= current)
  const newest = known[known.length - 1] ?? policies[1]
  if (newest === undefined) throw new Error("No policy.")
  return { current: newest, policies: known }
}

const kdfFor = (type: WrappedKey.CredentialType, policy: PolicyJson): WrappedKeyJson["kdf"] =>
  type === "passphrase" ? { ...policy.kdf, salt: randomText(16) } : { alg: "hkdf-sha256", salt: randomText(16) }

/** A wrap record as the server lists it: random bytes where the ciphertext would be. */
const wrapRecord = (
  type: WrappedKey.CredentialType,
  credentialId: string,
  policyVersion: number,
  createdAt: string,
): WrapJson => {
  const policy = policies.find((candidate) => candidate.version === policyVersion) ?? policies[1]
  if (policy === undefined) throw new Error("No policy.")
  return {
    id: globalThis.crypto.randomUUID(),
    credentialType: type,
    credentialId,
    policyVersion,
    createdAt,
    wrap: {
      wrap_version: policyVersion === 1 ? "v1" : "v2",
      wrap_type: "AEAD",
      kdf: kdfFor(type, policy),
      nonce: randomText(12),
      cipher: randomText(48),
      aad: {
        user_id: user.id,
        vault_id: vaultId,
        credential_id: credentialId,
        credential_type: type,
        policy_version: policyVersion,
      },
    },
  }
}

const code = (createdAt: string, extra: Partial<RecoveryCodeJson> = {}): RecoveryCodeJson => ({
  id: globalThis.crypto.randomUUID(),
  createdAt,
  lastUsedAt: null,
  revokedAt: null,
  usedCount: 0,
  ...extra,
})

/** Which recovery codes the fake vault starts with. */
export type CodeSet =
  /** A set of ten made 40 days ago: one used (to unlock once), one revoked by hand. */
  | "some-used"
  /** The same set with only two codes left. */
  | "few"
  /** No code yet. */
  | "none"

const codesFor = (set: CodeSet): ReadonlyArray<RecoveryCodeJson> => {
  if (set === "none") return []
  const made = fromNow(-40 * day)
  const left = set === "few" ? 2 : 8
  return [
    ...Array.from({ length: left }, () => code(made)),
    code(made, { lastUsedAt: fromNow(-6 * day), revokedAt: fromNow(-6 * day), usedCount: 1 }),
    ...Array.from({ length: 9 - left }, (_, index) => code(made, { revokedAt: fromNow(-(index + 2) * day) })),
  ]
}

export interface VaultServerOptions {
  /** The vault on the server; "unlocked" makes this device unlocked too (default). */
  readonly vault?: "absent" | "locked" | "unlocked"
  /** Why a locked vault locked (default "idle"). */
  readonly lockReason?: string
  /** The instance's current policy version (default 2). */
  readonly currentPolicy?: 2 | 3
  /** The policy the passphrase wrap was made under (default: the current one). */
  readonly passphrasePolicy?: 1 | 2 | 3
  /** How many passkeys can unlock the vault (default 1). */
  readonly passkeys?: number
  /** The recovery codes (default "some-used"). */
  readonly codes?: CodeSet
  /** How long each answer takes, in ms (default 400). */
  readonly delay?: number
}

const vaultLocked = (epoch: number): Reply =>
  refuse(423, {
    _tag: "VaultLocked",
    message: "Your vault is locked: unlock it, then try again.",
    epoch,
  } satisfies Encoded<typeof VaultApi.VaultLocked>)

/** 404 `VaultNotFound`: the user has no vault. */
export const vaultNotFound = (message = "You have no vault yet."): Reply =>
  refuse(404, { _tag: "VaultNotFound", message } satisfies Encoded<typeof VaultApi.VaultNotFound>)

/** 423 `VaultLocked`, as when the vault was locked on another device meanwhile. */
export const lockedElsewhere = (): Reply => vaultLocked(4)

const objectOf = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}

/**
 * The vault endpoints of the fake server, with state: pass it to
 * `mockServer` as a function so that each story starts afresh.
 */
export const vaultServer =
  (options: VaultServerOptions = {}): (() => Routes) =>
  () => {
    const delay = options.delay ?? 400
    const current = options.currentPolicy ?? 2
    const made = fromNow(-40 * day)
    let absent = options.vault === "absent"
    let lock: VaultInfoJson["lock"] =
      options.vault === "locked"
        ? { locked: true, epoch: 3, reason: options.lockReason ?? "idle", lockedAt: fromNow(-25 * minute) }
        : { locked: false, epoch: 3, reason: null, lockedAt: null }
    let codes = codesFor(options.codes ?? "some-used")
    let wraps: ReadonlyArray<WrapJson> = [
      wrapRecord("passphrase", "passphrase", options.passphrasePolicy ?? current, made),
      ...Array.from({ length: options.passkeys ?? 1 }, (_, index) =>
        wrapRecord("passkey", randomText(32), current, fromNow(-(20 - index) * day)),
      ),
      ...codes
        .filter((entry) => entry.revokedAt === null)
        .map((entry) => wrapRecord("recovery-code", entry.id, 2, made)),
    ]
    const kid = "ck-2026-01"
    const info = (): VaultInfoJson => ({
      vaultId,
      policyVersion: Math.min(
        ...wraps.filter((wrap) => wrap.credentialType === "passphrase").map((wrap) => wrap.policyVersion),
      ),
      lock,
      wraps,
      contentKeys: [
        {
          kid,
          wrapped: { v: 1, kid, iv: randomText(12), ct: randomText(48) },
          createdAt: made,
          retiredAt: null,
        },
      ],
      currentKid: kid,
      enforceTier: "standard",
      lastRotatedAt: null,
      nextRotationDue: null,
    })
    const unlocked = () => !absent && !lock.locked
    return {
      "GET /api/vault": () => (absent ? vaultNotFound() : ok(info(), { delay })),
      "GET /api/vault/lock-status": () => (absent ? vaultNotFound() : ok(lock, { delay })),
      "POST /api/vault/lock": ({ body }) => {
        if (absent) return vaultNotFound()
        const reason = objectOf(body).reason
        if (!lock.locked)
          lock = {
            locked: true,
            epoch: lock.epoch + 1,
            reason: typeof reason === "string" ? reason : "manual",
            lockedAt: fromNow(0),
          }
        return ok(lock, { delay })
      },
      "POST /api/vault/wraps": ({ body }) => {
        if (!unlocked()) return vaultLocked(lock.epoch)
        const request = objectOf(body)
        const wrap = request.wrap as WrappedKeyJson
        const record: WrapJson = {
          id: globalThis.crypto.randomUUID(),
          credentialType: wrap.aad.credential_type,
          credentialId: wrap.aad.credential_id,
          policyVersion: wrap.aad.policy_version,
          createdAt: fromNow(0),
          wrap,
        }
        wraps = [...wraps.filter((candidate) => candidate.id !== request.replaces), record]
        absent = false
        return ok(record, { status: 201, delay })
      },
      "POST /api/vault/recovery-codes/generate": ({ body }) => {
        if (!unlocked()) return vaultLocked(lock.epoch)
        const now = fromNow(0)
        const fresh = (
          objectOf(body).codes as ReadonlyArray<{ readonly id: string; readonly wrap: WrappedKeyJson }>
        ).map((entry) => ({ entry: code(now, { id: entry.id }), wrap: entry.wrap }))
        codes = [
          ...fresh.map(({ entry }) => entry),
          ...codes.map((entry) => (entry.revokedAt === null ? { ...entry, revokedAt: now } : entry)),
        ]
        wraps = [
          ...wraps.filter((wrap) => wrap.credentialType !== "recovery-code"),
          ...fresh.map(({ entry, wrap }) => ({ ...wrapRecord("recovery-code", entry.id, current, now), wrap })),
        ]
        return ok(
          fresh.map(({ entry }) => entry),
          { status: 201, delay },
        )
      },
      "GET /api/vault/recovery-codes": () => (absent ? vaultNotFound() : ok(codes, { delay })),
      "POST /api/vault/recovery-codes/:id/revoke": ({ params }) => {
        const target = codes.find((entry) => entry.id === params.id)
        if (target === undefined) return notFound("No such recovery code")
        const now = fromNow(0)
        codes = codes.map((entry) =>
          entry.id === target.id && entry.revokedAt === null ? { ...entry, revokedAt: now } : entry,
        )
        wraps = wraps.filter((wrap) => !(wrap.credentialType === "recovery-code" && wrap.credentialId === target.id))
        return { status: 204, delay }
      },
      "GET /api/crypto-policy": () => ok(policiesUpTo(current), { delay }),
    }
  }

// ---------------------------------------------------------------------------------------------------------------------
// The device's side

/** How the simulated passkey ceremony ends. */
export type PasskeyOutcome = "created" | "cancelled" | "unsupported"

const refused = (_tag: string, message: string): Outcome<never> => ({ _tag: "Refused", error: { _tag, message } })

/** A random wrap of the right shape, bound to this user and vault. */
const fakeWrap = (
  type: WrappedKey.CredentialType,
  credentialId: string,
  policy: CryptoPolicy.CryptoPolicy,
): WrappedKey.WrappedKey => ({
  wrap_version: "v2",
  wrap_type: "AEAD",
  kdf:
    type === "passphrase" && policy.kdf.alg === "argon2id"
      ? { ...policy.kdf, salt: random(16) }
      : { alg: "hkdf-sha256", salt: random(16) },
  nonce: random(12),
  cipher: random(48),
  aad: {
    user_id: user.id,
    vault_id: vaultId,
    credential_id: credentialId,
    credential_type: type,
    policy_version: policy.version,
  },
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Verbs =
  | "state"
  | "refresh"
  | "checkLock"
  | "lock"
  | "setPassphrase"
  | "addPasskey"
  | "regenerateRecoveryCodes"
  | "noteRefusal"

/** What elements use of a `VaultSession`, answered without cryptography (see the module's comment). */
export class StoryVaultSession extends EventTarget implements Pick<VaultSession, Verbs> {
  readonly #client: IgnitionClient
  readonly #passkey: PasskeyOutcome
  #mustSetPassphrase: boolean
  #state: VaultState = { status: "loading" }

  constructor(client: IgnitionClient, options: { mustSetPassphrase: boolean; passkey: PasskeyOutcome }) {
    super()
    this.#client = client
    this.#mustSetPassphrase = options.mustSetPassphrase
    this.#passkey = options.passkey
  }

  get state(): VaultState {
    return this.#state
  }

  #set(state: VaultState) {
    this.#state = state
    this.dispatchEvent(new Event("change"))
  }

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
    if (outcome._tag === "Refused") return outcome
    const info = outcome.value
    this.#set(
      info.lock.locked
        ? { status: "locked", info, reason: info.lock.reason }
        : { status: "unlocked", info, mustSetPassphrase: this.#mustSetPassphrase },
    )
    return outcome
  }

  async checkLock(): Promise<void> {
    await this.refresh()
  }

  async lock(): Promise<Outcome<void>> {
    const outcome = await this.#client.call((api) => api.vault.lock({ payload: { reason: "manual" } }))
    if (outcome._tag !== "Ok") return outcome
    await this.refresh()
    return { _tag: "Ok", value: undefined }
  }

  async #policy() {
    return this.#client.call((api) => Effect.map(api.cryptoPolicy.list(), (list) => list.current))
  }

  async setPassphrase(): Promise<Outcome<void>> {
    const state = this.#state
    if (state.status !== "unlocked") return refused("VaultLocked", "Unlock the vault first.")
    const policy = await this.#policy()
    if (policy._tag !== "Ok") return policy
    const replaces = state.info.wraps.find((wrap) => wrap.credentialType === "passphrase")?.id
    const wrap = fakeWrap("passphrase", globalThis.crypto.randomUUID(), policy.value)
    const stored = await this.#client.call((api) =>
      api.vault.addWrap({ payload: replaces === undefined ? { wrap } : { wrap, replaces } }),
    )
    if (stored._tag !== "Ok") return this.noteRefusal(stored)
    this.#mustSetPassphrase = false
    await this.refresh()
    return { _tag: "Ok", value: undefined }
  }

  async addPasskey(): Promise<Outcome<void>> {
    if (this.#state.status !== "unlocked") return refused("VaultLocked", "Unlock the vault first.")
    const policy = await this.#policy()
    if (policy._tag !== "Ok") return policy
    // The browser's passkey dialog, simulated.
    await sleep(800)
    if (this.#passkey === "cancelled")
      return refused("PasskeyCancelled", "The passkey request was cancelled or timed out.")
    if (this.#passkey === "unsupported")
      return refused(
        "PrfUnsupported",
        "This passkey cannot unlock a vault: its authenticator does not support the PRF extension.",
      )
    const wrap = fakeWrap("passkey", randomText(32), policy.value)
    const stored = await this.#client.call((api) => api.vault.addWrap({ payload: { wrap } }))
    if (stored._tag !== "Ok") return this.noteRefusal(stored)
    await this.refresh()
    return { _tag: "Ok", value: undefined }
  }

  async regenerateRecoveryCodes(): Promise<Outcome<ReadonlyArray<string>>> {
    const policy = await this.#policy()
    if (policy._tag !== "Ok") return policy
    const set = Array.from({ length: RecoveryCode.CODES_PER_SET }, () => {
      const id = globalThis.crypto.randomUUID()
      return {
        code: RecoveryCode.format(random(RecoveryCode.CODE_BYTES)),
        entry: { id, verifier: Redacted.make(random(32)), wrap: fakeWrap("recovery-code", id, policy.value) },
      }
    })
    const stored = await this.#client.call((api) =>
      api.vault.generateRecoveryCodes({ payload: { codes: set.map(({ entry }) => entry) } }),
    )
    if (stored._tag !== "Ok") return this.noteRefusal(stored)
    return { _tag: "Ok", value: set.map(({ code }) => code) }
  }

  /** A 423 means the vault was locked elsewhere: the server's state shows it. */
  async noteRefusal<A>(outcome: Outcome<A>): Promise<Outcome<A>> {
    if (outcome._tag === "Refused" && outcome.error._tag === "VaultLocked" && this.#state.status === "unlocked")
      await this.refresh()
    return outcome
  }
}

class StoryVault extends LitElement {
  static override properties = {
    mustSetPassphrase: { attribute: "must-set-passphrase", type: Boolean },
    passkey: {},
  }

  /** The vault was unlocked with a recovery code: a new passphrase must come first. */
  declare mustSetPassphrase: boolean
  declare passkey: PasskeyOutcome

  readonly #provider = new ContextProvider(this, { context: vaultContext, initialValue: undefined })
  #client: IgnitionClient | undefined

  constructor() {
    super()
    this.mustSetPassphrase = false
    this.passkey = "created"
    new ContextConsumer(this, {
      context: clientContext,
      subscribe: true,
      callback: (client) => this.#start(client),
    })
  }

  #start(client: IgnitionClient | undefined) {
    if (client === undefined || client === this.#client) return
    this.#client = client
    const session = new StoryVaultSession(client, { mustSetPassphrase: this.mustSetPassphrase, passkey: this.passkey })
    // The elements read only the verbs StoryVaultSession has.
    this.#provider.setValue(session as unknown as VaultSession)
    void session.refresh()
  }

  override render() {
    return html`<slot></slot>`
  }
}

if (!customElements.get("story-vault")) customElements.define("story-vault", StoryVault)

declare global {
  interface HTMLElementTagNameMap {
    "story-vault": StoryVault
  }
}

/**
 * `<story-vault>` around `content`, to put inside `<ig-app>`. (A template
 * helper rather than a bare import, like `sessionProbe`: the production build
 * drops a story-only module imported for its side effect alone.)
 */
export const storyVault = (
  content: TemplateResult,
  options: { readonly mustSetPassphrase?: boolean; readonly passkey?: PasskeyOutcome } = {},
): TemplateResult =>
  html`<story-vault ?must-set-passphrase=${options.mustSetPassphrase ?? false} passkey=${options.passkey ?? "created"}
    >${content}</story-vault
  >`
