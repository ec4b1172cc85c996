/**
 * Story-only: a fake server for the vault with the real cryptography on the
 * device, for the stories of `<ig-vault-setup>`, `<ig-vault-unlock>` and
 * `<ig-vault-lock-banner>` inside `<ig-app>`. Nothing here is faked on the
 * device side: `<ig-app>` makes its own `VaultSession` for the signed-in
 * user, which runs Argon2id (WASM) and WebCrypto as in production.
 *
 * - The locked vault is the golden vector of `@ignition/vault`
 *   (packages/vault/test/fixtures/golden.json): its passphrase wrap opens
 *   with {@link goldenPassphrase} for the user and vault it is bound to, and
 *   its content key is wrapped by the same KEK. The session is therefore that
 *   user's ({@link vaultSession}), and the crypto policy is the wrap's (v2 at
 *   the floor: Argon2id 19 MiB, t=2, p=1 — fast enough for a story).
 * - {@link vaultServer} answers the vault endpoints with state, as the real
 *   server would: an unlock must carry the vault's unlock proof, a recovery
 *   code is found by its verifier and works once, a lock advances the epoch,
 *   and a vault created in a story (with its recovery codes) can be locked
 *   and unlocked again while the story is shown.
 * - {@link recoveryCodes}: a code that opens the golden vault (its wrap is
 *   made here from the golden KEK), one already used, one the server does
 *   not know, and one with a typo.
 */
import type { Account, CryptoPolicyApi, VaultApi } from "@ignition/api"
import { type VaultSession, type VaultState, vaultContext } from "@ignition/ui-components"
import { CryptoPolicy, Entropy, Envelope, RecoveryCode, UnlockProof, WrappedKey } from "@ignition/vault"
import { ContextEvent } from "@lit/context"
import { Effect, Schema } from "effect"
import { html, type TemplateResult } from "lit"
import { waitFor } from "storybook/test"
import golden from "../../../packages/vault/test/fixtures/golden.json" with { type: "json" }
import { fromNow, session } from "./fixtures.js"
import { type Handler, type MockRequest, mockServer, ok, type Reply, type Routes, refuse } from "./mockServer.js"

type Encoded<S extends Schema.Schema.Any> = Schema.Schema.Encoded<S>
export type VaultInfoJson = Encoded<typeof VaultApi.VaultInfo>
export type LockStatusJson = Encoded<typeof VaultApi.LockStatus>
type WrapRecordJson = Encoded<typeof VaultApi.WrapRecord>
type WrappedKeyJson = WrapRecordJson["wrap"]
type RecoveryCodeJson = Encoded<typeof VaultApi.RecoveryCodeRecord>
type PoliciesJson = Encoded<typeof CryptoPolicyApi.CryptoPolicies>

const minute = 60_000
const day = 24 * 60 * minute

// ---------------------------------------------------------------------------------------------------------------------
// The golden vault

/** The passphrase the golden wrap opens with. */
export const goldenPassphrase = "correct horse battery staple"

const goldenWrap: WrappedKeyJson = Schema.encodeSync(WrappedKey.WrappedKey)(
  Schema.decodeUnknownSync(WrappedKey.WrappedKey)(golden.wrap),
)
const goldenContentKey = {
  kid: golden.contentKey.kid,
  wrapped: Schema.encodeSync(Envelope.Envelope)(Schema.decodeUnknownSync(Envelope.Envelope)(golden.contentKey.wrapped)),
}
/** The user and vault the golden wrap is bound to (its AAD). */
export const goldenUserId = goldenWrap.aad.user_id
export const goldenVaultId = goldenWrap.aad.vault_id
/** The KEK inside the golden wrap (see the fixture's note): here only to make the working recovery code's wrap. */
const goldenKek = Uint8Array.from({ length: WrappedKey.KEK_BYTES }, (_, index) => index)

/** `GET /api/auth/session`: Ada, with the id the golden vault belongs to. */
export const vaultSession = {
  ...session,
  user: { ...session.user, id: goldenUserId },
} satisfies Encoded<typeof Account.SessionInfo>

/** `GET /api/crypto-policy`: the golden wrap's policy is current (v2 at the client's floor, for speed). */
export const policies = {
  current: { version: 2, aead: "AES-256-GCM", kdf: { alg: "argon2id", m: 19456, t: 2, p: 1 }, deprecated: false },
  policies: [
    { version: 1, aead: "AES-256-GCM", kdf: { alg: "pbkdf2-sha256", iterations: 100_000 }, deprecated: true },
    { version: 2, aead: "AES-256-GCM", kdf: { alg: "argon2id", m: 19456, t: 2, p: 1 }, deprecated: false },
  ],
} satisfies PoliciesJson

/** A lock state; `locked` with its reason, or unlocked. */
export const lockStatus = (reason: string | null, epoch = 1): LockStatusJson =>
  reason === null
    ? { locked: false, epoch, reason: null, lockedAt: null }
    : { locked: true, epoch, reason, lockedAt: fromNow(-25 * minute) }

// ---------------------------------------------------------------------------------------------------------------------
// Recovery codes

const bytes = (seed: number) =>
  Uint8Array.from({ length: RecoveryCode.CODE_BYTES }, (_, index) => (index * 37 + seed) & 0xff)
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** `code` with the first character of group `group` (1-based) changed: its check character no longer matches. */
const withTypo = (code: string, group: number) =>
  code
    .split("-")
    .map((part, index) => {
      if (index !== group - 1) return part
      const first = part[0] ?? "0"
      const other = ALPHABET[(ALPHABET.indexOf(first) + 1) % ALPHABET.length] ?? "0"
      return `${other}${part.slice(1)}`
    })
    .join("-")

const codeBytes = { works: bytes(11), used: bytes(29), unknown: bytes(53) }

/** Codes to type in the stories (all well-formed but `typo`, whose third group's check fails). */
export const recoveryCodes = {
  /** Opens the golden vault, once. */
  works: RecoveryCode.format(codeBytes.works),
  /** The server has it, but it was used already (410). */
  used: RecoveryCode.format(codeBytes.used),
  /** Well-formed, but not one of this user's (404). */
  unknown: RecoveryCode.format(codeBytes.unknown),
  /** `works` with a typo in group 3: caught in the browser, never sent. */
  typo: withTypo(RecoveryCode.format(codeBytes.works), 3),
} as const

interface Material {
  /** The golden vault's unlock proof, base64url. */
  readonly proof: string
  readonly works: { readonly id: string; readonly verifier: string; readonly wrap: WrappedKeyJson }
  readonly usedVerifier: string
}

const encodeWrap = Schema.encodeSync(WrappedKey.WrappedKey)

/** The golden vault's unlock proof and its recovery codes (HKDF and AES-GCM, so async: made once). */
let material: Promise<Material> | undefined
const materialOnce = (): Promise<Material> => {
  material ??= Effect.runPromise(
    Effect.gen(function* () {
      const id = "8c1a2b3d-4e5f-4a6b-9c7d-0e1f2a3b4c5d"
      const wrap = yield* WrappedKey.wrap(
        goldenKek,
        { type: "recovery-code", code: codeBytes.works },
        { userId: goldenUserId, vaultId: goldenVaultId, credentialId: id },
        Schema.decodeUnknownSync(CryptoPolicy.CryptoPolicy)(policies.current),
      )
      return {
        proof: UnlockProof.encode(yield* UnlockProof.derive(goldenKek, goldenVaultId)),
        works: {
          id,
          verifier: RecoveryCode.encodeVerifier(yield* RecoveryCode.verifier(codeBytes.works)),
          wrap: encodeWrap(wrap),
        },
        usedVerifier: RecoveryCode.encodeVerifier(yield* RecoveryCode.verifier(codeBytes.used)),
      }
    }).pipe(Effect.provide(Entropy.layer)),
  )
  return material
}

// ---------------------------------------------------------------------------------------------------------------------
// The server

type RouteKey = keyof Routes

export interface VaultServerOptions {
  /**
   * The vault on the server: none, the golden vault locked (default), or the
   * golden vault unlocked — on another device: this one holds no key, so it
   * shows the vault locked (without a reason).
   */
  readonly vault?: "absent" | "locked" | "unlocked-elsewhere"
  /** Why the locked vault locked (default "idle"). */
  readonly reason?: string
  /** How long each answer takes, in ms (default 300). */
  readonly delay?: number
  /** The first request to each of these routes gets this answer; later ones the server's own (a retry that works). */
  readonly first?: Routes
}

interface CodeEntry {
  readonly record: RecoveryCodeJson
  readonly verifier: string
  readonly wrap: WrappedKeyJson | undefined
}

interface ServerState {
  vault: VaultInfoJson | undefined
  proof: string | undefined
  codes: ReadonlyArray<CodeEntry>
}

/** The state of the server the story on screen talks to (see {@link lockElsewhere}). */
let shown: ServerState | undefined

const objectOf = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}

const vaultNotFound = (): Reply =>
  refuse(404, { _tag: "VaultNotFound", message: "You have no vault yet." } satisfies Encoded<
    typeof VaultApi.VaultNotFound
  >)

const vaultLocked = (epoch: number): Reply =>
  refuse(423, {
    _tag: "VaultLocked",
    message: "Your vault is locked: unlock it, then try again.",
    epoch,
  } satisfies Encoded<typeof VaultApi.VaultLocked>)

/** 400 `WeakWrapRefused`, as the server answers a wrap made under a policy it no longer accepts. */
export const weakWrapRefused = (message = "Unknown crypto policy v2"): Reply =>
  refuse(400, { _tag: "WeakWrapRefused", message } satisfies Encoded<typeof VaultApi.WeakWrapRefused>)

const wrapRecord = (wrap: WrappedKeyJson, createdAt: string): WrapRecordJson => ({
  id: globalThis.crypto.randomUUID(),
  credentialType: wrap.aad.credential_type,
  credentialId: wrap.aad.credential_id,
  policyVersion: wrap.aad.policy_version,
  createdAt,
  wrap,
})

const initialState = (options: VaultServerOptions, keys: Material): ServerState => {
  if (options.vault === "absent") return { vault: undefined, proof: undefined, codes: [] }
  const made = fromNow(-40 * day)
  const used = fromNow(-6 * day)
  return {
    vault: {
      vaultId: goldenVaultId,
      policyVersion: 2,
      lock: lockStatus(options.vault === "unlocked-elsewhere" ? null : (options.reason ?? "idle")),
      wraps: [
        {
          id: "3f4e5d6c-7b8a-4c9d-8e0f-1a2b3c4d5e6f",
          credentialType: "passphrase",
          credentialId: "golden-passphrase",
          policyVersion: 2,
          createdAt: made,
          wrap: goldenWrap,
        },
        { ...wrapRecord(keys.works.wrap, made), credentialId: keys.works.id },
      ],
      contentKeys: [{ ...goldenContentKey, createdAt: made, retiredAt: null }],
      currentKid: goldenContentKey.kid,
      enforceTier: "standard",
      lastRotatedAt: null,
      nextRotationDue: null,
    },
    proof: keys.proof,
    codes: [
      {
        record: { id: keys.works.id, createdAt: made, lastUsedAt: null, revokedAt: null, usedCount: 0 },
        verifier: keys.works.verifier,
        wrap: keys.works.wrap,
      },
      {
        record: {
          id: "9d8c7b6a-5f4e-4d3c-8b2a-190817263544",
          createdAt: made,
          lastUsedAt: used,
          revokedAt: used,
          usedCount: 1,
        },
        verifier: keys.usedVerifier,
        wrap: undefined,
      },
    ],
  }
}

const routesOf = (state: ServerState, delay: number): Routes => {
  const withLock = (lock: LockStatusJson) => {
    if (state.vault !== undefined) state.vault = { ...state.vault, lock }
    return lock
  }
  const unlocked = () => state.vault !== undefined && !state.vault.lock.locked
  return {
    "GET /api/auth/session": ok(vaultSession),
    "GET /api/crypto-policy": ok(policies, { delay }),
    "GET /api/vault": () => (state.vault === undefined ? vaultNotFound() : ok(state.vault, { delay })),
    "GET /api/vault/lock-status": () => (state.vault === undefined ? vaultNotFound() : ok(state.vault.lock, { delay })),
    "POST /api/vault": ({ body }) => {
      if (state.vault !== undefined) return refuse(409, { _tag: "Conflict", message: "You already have a vault." })
      const request = objectOf(body)
      const wrap = request.wrap as WrappedKeyJson
      const contentKey = objectOf(request.contentKey) as Pick<VaultInfoJson["contentKeys"][number], "kid" | "wrapped">
      const now = fromNow(0)
      state.proof = String(request.unlockProof)
      state.vault = {
        vaultId: String(request.vaultId),
        policyVersion: Number(request.policyVersion),
        lock: lockStatus(null, 0),
        wraps: [wrapRecord(wrap, now)],
        contentKeys: [{ kid: contentKey.kid, wrapped: contentKey.wrapped, createdAt: now, retiredAt: null }],
        currentKid: contentKey.kid,
        enforceTier: "standard",
        lastRotatedAt: null,
        nextRotationDue: null,
      }
      return ok(state.vault, { status: 201, delay })
    },
    "POST /api/vault/unlock": ({ body }) => {
      const vault = state.vault
      if (vault === undefined) return vaultNotFound()
      if (objectOf(body).unlockProof !== state.proof)
        return refuse(403, {
          _tag: "WrongUnlockProof",
          message: "The unlock proof does not match this vault",
        } satisfies Encoded<typeof VaultApi.WrongUnlockProof>)
      return ok(withLock(lockStatus(null, vault.lock.epoch)), { delay })
    },
    "POST /api/vault/lock": ({ body }) => {
      const vault = state.vault
      if (vault === undefined) return vaultNotFound()
      if (vault.lock.locked) return ok(vault.lock, { delay })
      const reason = objectOf(body).reason
      return ok(
        withLock({
          locked: true,
          epoch: vault.lock.epoch + 1,
          reason: typeof reason === "string" ? reason : "manual",
          lockedAt: fromNow(0),
        }),
        { delay },
      )
    },
    "POST /api/vault/wraps": ({ body }) => {
      const vault = state.vault
      if (vault === undefined || !unlocked()) return vaultLocked(vault?.lock.epoch ?? 0)
      const request = objectOf(body)
      const record = wrapRecord(request.wrap as WrappedKeyJson, fromNow(0))
      state.vault = { ...vault, wraps: [...vault.wraps.filter((wrap) => wrap.id !== request.replaces), record] }
      return ok(record, { status: 201, delay })
    },
    "POST /api/vault/recovery-codes/generate": ({ body }) => {
      const vault = state.vault
      if (vault === undefined || !unlocked()) return vaultLocked(vault?.lock.epoch ?? 0)
      const now = fromNow(0)
      const fresh = (
        objectOf(body).codes as ReadonlyArray<{
          readonly id: string
          readonly verifier: string
          readonly wrap: WrappedKeyJson
        }>
      ).map(
        (code): CodeEntry => ({
          record: { id: code.id, createdAt: now, lastUsedAt: null, revokedAt: null, usedCount: 0 },
          verifier: code.verifier,
          wrap: code.wrap,
        }),
      )
      state.codes = [
        ...fresh,
        ...state.codes.map((code) =>
          code.record.revokedAt === null ? { ...code, record: { ...code.record, revokedAt: now } } : code,
        ),
      ]
      state.vault = {
        ...vault,
        wraps: [
          ...vault.wraps.filter((wrap) => wrap.credentialType !== "recovery-code"),
          ...fresh.flatMap((code) => (code.wrap === undefined ? [] : [wrapRecord(code.wrap, now)])),
        ],
      }
      return ok(
        fresh.map((code) => code.record),
        { status: 201, delay },
      )
    },
    "GET /api/vault/recovery-codes": () =>
      state.vault === undefined
        ? vaultNotFound()
        : ok(
            state.codes.map((code) => code.record),
            { delay },
          ),
    "POST /api/vault/recovery-codes/validate": ({ body }) => {
      const verifier = objectOf(body).verifier
      const code = state.codes.find((candidate) => candidate.verifier === verifier)
      if (code === undefined)
        return refuse(404, {
          _tag: "RecoveryCodeNotFound",
          message: "No recovery code of yours matches",
        } satisfies Encoded<typeof VaultApi.RecoveryCodeNotFound>)
      if (code.record.revokedAt !== null || code.wrap === undefined)
        return refuse(410, {
          _tag: "RecoveryCodeUsed",
          message: "This recovery code was already used or revoked",
        } satisfies Encoded<typeof VaultApi.RecoveryCodeUsed>)
      const now = fromNow(0)
      state.codes = state.codes.map((candidate) =>
        candidate === code
          ? {
              ...code,
              record: { ...code.record, lastUsedAt: now, revokedAt: now, usedCount: code.record.usedCount + 1 },
            }
          : candidate,
      )
      if (state.vault !== undefined)
        state.vault = {
          ...state.vault,
          wraps: state.vault.wraps.filter(
            (wrap) => !(wrap.credentialType === "recovery-code" && wrap.credentialId === code.record.id),
          ),
        }
      return ok({ codeId: code.record.id, wrap: code.wrap }, { delay })
    },
  }
}

const answer = (handler: Handler | undefined, request: MockRequest): Reply =>
  handler === undefined
    ? refuse(404, { _tag: "NotFound", message: "No story answer." })
    : typeof handler === "function"
      ? handler(request)
      : handler

/** The first request to each route of `first` gets its answer; the rest go to `routes`. */
const firstThen = (routes: Routes, first: Routes): Routes => {
  const result: Partial<Record<RouteKey, Handler>> = { ...routes }
  for (const [key, handler] of Object.entries(first) as ReadonlyArray<[RouteKey, Handler | undefined]>) {
    let answered = false
    result[key] = (request) => {
      if (answered) return answer(routes[key], request)
      answered = true
      return answer(handler, request)
    }
  }
  return result
}

/**
 * A story's (or a meta's) `beforeEach`: the signed-in session, the crypto
 * policy and the vault endpoints, with state that starts afresh each time
 * the story is shown. A story's own `mockServer` routes, listed after, take
 * precedence path by path.
 */
export const vaultServer =
  (options: VaultServerOptions = {}): (() => Promise<() => void>) =>
  async () => {
    const keys = await materialOnce()
    const state = initialState(options, keys)
    shown = state
    const routes = routesOf(state, options.delay ?? 300)
    const cleanup = mockServer(firstThen(routes, options.first ?? {}))()
    return () => {
      if (shown === state) shown = undefined
      cleanup()
    }
  }

/**
 * Locks the vault on the server as another device (or an administrator)
 * would: this device notices at its next poll of `GET /api/vault/lock-status`.
 */
export const lockElsewhere = (reason = "manual"): void => {
  const vault = shown?.vault
  if (shown === undefined || vault === undefined || vault.lock.locked) return
  shown.vault = {
    ...vault,
    lock: { locked: true, epoch: vault.lock.epoch + 1, reason, lockedAt: fromNow(0) },
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// In the stories

/** What to type in the unlock stories, shown under the element. */
export const unlockHint = (): TemplateResult =>
  html`<p class="story-hint">
    Story vault — passphrase: <code>${goldenPassphrase}</code>; recovery code (works once):
    <code>${recoveryCodes.works}</code>; already used: <code>${recoveryCodes.used}</code>.
  </p>`

/** The shadow root of the first `tag` inside `root` (a shadow root or the story's canvas), once it has rendered. */
export const shadowIn = async (root: ParentNode, tag: string): Promise<ShadowRoot> => {
  const host = await waitFor(
    () => {
      const found = root.querySelector(tag)
      if (found === null) throw new Error(`No <${tag}> yet.`)
      return found
    },
    { timeout: 5000 },
  )
  if ("updateComplete" in host && host.updateComplete instanceof Promise) await host.updateComplete
  const shadow = host.shadowRoot
  if (shadow === null) throw new Error(`<${tag}> has no open shadow root.`)
  return shadow
}

/** The state of the vault `<ig-app>` provides to `element` (asked as the element asks: a context request). */
export const vaultStateOf = (element: Element): VaultState => {
  let session: VaultSession | undefined
  element.dispatchEvent(
    new ContextEvent(vaultContext, element, (provided) => {
      session = provided
    }),
  )
  return session?.state ?? { status: "loading" }
}

/**
 * Waits until the vault's state is known to the first `tag` in the story:
 * `<ig-vault-setup>` and `<ig-vault-unlock>` show a loading placeholder
 * (part `loading`) until then, so a `play` function looking for the form at
 * once would find none.
 */
export const vaultKnown = (canvasElement: HTMLElement, tag: string): Promise<VaultState> =>
  waitFor(
    () => {
      const element = canvasElement.querySelector(tag)
      const state = element === null ? undefined : vaultStateOf(element)
      if (state === undefined || state.status === "loading") throw new Error("The vault is not known yet.")
      return state
    },
    { timeout: 5000 },
  )

/** Waits (long enough for Argon2id and the first answers) until the text of `root` matches `text`. */
export const showsIn = (root: ShadowRoot, text: RegExp, timeout = 10_000): Promise<void> =>
  waitFor(
    () => {
      const content = root.textContent ?? ""
      if (!text.test(content)) throw new Error(`Expected ${text}, got: ${content.replace(/\s+/g, " ").trim()}`)
    },
    { timeout },
  )
