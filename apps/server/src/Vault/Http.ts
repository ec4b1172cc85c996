/**
 * Handlers of the `vault` and `vaultAdmin` groups. The server checks what it
 * can without keys — that a wrap is bound (AAD) to this user, this vault and
 * the credential the request names, that its policy and KDF parameters
 * clear the floor — stores ciphertext as sent, and keeps the lock state
 * that every E2EE write is checked against. Each change runs in one
 * transaction with its audit entry; audit entries never hold key material,
 * proofs, verifiers or wraps. See docs/vault-server.md.
 */
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, IgnitionApi, VaultApi } from "@ignition/api"
import { CryptoPolicy, Envelope, WrappedKey } from "@ignition/vault"
import { Clock, DateTime, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as Audit from "../Auth/Audit.js"
import { type HasherBusy, Passwords } from "../Auth/Passwords.js"
import { RateLimit } from "../Auth/RateLimit.js"
import { clientInfo } from "../Auth/RequestInfo.js"
import * as SessionCookie from "../Auth/SessionCookie.js"
import { Sessions } from "../Auth/Sessions.js"
import { UserRepo } from "../Auth/UserRepo.js"
import { Database, type DatabaseError } from "../Database/Database.js"
import {
  type ContentKeyRecord,
  type CredentialType,
  type Duplicate,
  type PolicyRecord,
  sameDigest,
  sha256Hex,
  VaultRepo,
  type WrapRecord,
} from "./Repo.js"
import { VaultResetHooks } from "./ResetHooks.js"
import { lockStatus, requireUnlocked } from "./VaultUnlocked.js"

/** An account without a password resets its vault only from a session this young. */
export const freshSessionWindow = Duration.minutes(5)

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
const toDateTime = (date: Date | null) => (date === null ? null : DateTime.unsafeFromDate(date))

const noVault = new VaultApi.VaultNotFound({ message: "You have no vault yet" })
const noSuchWrap = new ApiError.NotFound({ message: "No such wrap" })
const noSuchCode = new ApiError.NotFound({ message: "No such recovery code" })

/** A saturated hashing pool is load, answered like a rate limit. */
const busy = (_: HasherBusy) =>
  new ApiError.TooManyRequests({ message: "The server is busy; try again in a second", retryAfterSeconds: 1 })

/** What a taken unique key means to the caller. */
const conflict = (duplicate: Duplicate) =>
  new ApiError.Conflict({
    message:
      duplicate.constraint === "vaults_user_id_key"
        ? "You already have a vault"
        : duplicate.constraint === "vaults_pkey"
          ? "This vault id is taken: choose another"
          : duplicate.constraint === "vault_key_wraps_active_credential_key"
            ? "This credential already has a live wrap: replace it instead"
            : duplicate.constraint === "vault_content_keys_pkey"
              ? "This content key id is already used in the vault"
              : duplicate.constraint === "recovery_codes_pkey" ||
                  duplicate.constraint === "recovery_codes_code_hash_key"
                ? "A recovery code id or verifier is already in use: generate a new set"
                : "Conflicts with what is stored",
  })

// Stored JSON was checked on the way in; failing to read it back is a bug, not bad input.
const decodeWrap = (blob: unknown) => Effect.orDie(Schema.decodeUnknown(WrappedKey.WrappedKey)(blob))
const decodeEnvelope = (json: unknown) => Effect.orDie(Schema.decodeUnknown(Envelope.Envelope)(json))

const wrapToApi = (record: WrapRecord) =>
  Effect.map(
    decodeWrap(record.blob),
    (wrap) =>
      new VaultApi.WrapRecord({
        id: record.id,
        credentialType: record.credentialType,
        credentialId: record.credentialId,
        policyVersion: record.policyVersion,
        createdAt: DateTime.unsafeFromDate(record.createdAt),
        wrap,
      }),
  )

const contentKeyToApi = (record: ContentKeyRecord) =>
  Effect.map(
    decodeEnvelope(record.wrapped),
    (wrapped) =>
      new VaultApi.ContentKeyRecord({
        kid: Envelope.KeyId.make(record.kid),
        wrapped,
        createdAt: DateTime.unsafeFromDate(record.createdAt),
        retiredAt: toDateTime(record.retiredAt),
      }),
  )

const codeToApi = (code: {
  readonly id: string
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
  readonly revokedAt: Date | null
  readonly usedCount: number
}) =>
  new VaultApi.RecoveryCodeRecord({
    id: code.id,
    createdAt: DateTime.unsafeFromDate(code.createdAt),
    lastUsedAt: toDateTime(code.lastUsedAt),
    revokedAt: toDateTime(code.revokedAt),
    usedCount: code.usedCount,
  })

interface Binding {
  readonly userId: string
  readonly vaultId: string
  readonly types: ReadonlyArray<CredentialType>
  readonly credentialId?: string | undefined
  /** Where the wrap sits in the request, to name the offending field. */
  readonly at: string
}

/**
 * What the server can check of a wrap without a key: its AAD binds it to
 * this user, vault and credential; it names a known policy under which new
 * wraps may be made; its KDF is the one its version and credential call for,
 * with parameters at or above the clients' floor (`WrappedKey.validate`).
 */
const checkWrap = (wrap: WrappedKey.WrappedKey, binding: Binding, policies: ReadonlyArray<PolicyRecord>) =>
  Effect.gen(function* () {
    const mismatch = (name: string, message: string) =>
      new VaultApi.WrapBindingMismatch({ field: `${binding.at}.aad.${name}`, message })
    if (wrap.aad.user_id !== binding.userId) return yield* mismatch("user_id", "The wrap is bound to another user")
    if (wrap.aad.vault_id !== binding.vaultId) return yield* mismatch("vault_id", "The wrap is bound to another vault")
    if (!binding.types.includes(wrap.aad.credential_type)) {
      return yield* mismatch("credential_type", `Expected a ${binding.types.join(" or ")} wrap here`)
    }
    if (binding.credentialId !== undefined && wrap.aad.credential_id !== binding.credentialId) {
      return yield* mismatch("credential_id", `The wrap must be bound to credential ${binding.credentialId}`)
    }
    const version = wrap.aad.policy_version
    if (!policies.some((policy) => policy.version === version)) {
      return yield* new VaultApi.WeakWrapRefused({ message: `Unknown crypto policy v${version}` })
    }
    if (version < CryptoPolicy.MIN_WRITE_VERSION) {
      return yield* new VaultApi.WeakWrapRefused({
        message: `Policy v${version} is read-only: new wraps use v${CryptoPolicy.MIN_WRITE_VERSION} or later`,
      })
    }
    yield* Effect.mapError(
      WrappedKey.validate(wrap),
      (refused) => new VaultApi.WeakWrapRefused({ message: refused.message }),
    )
  })

const newestVersion = (policies: ReadonlyArray<PolicyRecord>) =>
  policies.reduce((newest, policy) => Math.max(newest, policy.version), 0)

export const VaultLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "vault", (handlers) =>
  Effect.gen(function* () {
    const db = yield* Database
    const repo = yield* VaultRepo
    const users = yield* UserRepo
    const sessions = yield* Sessions
    const passwords = yield* Passwords
    const rateLimit = yield* RateLimit
    const resetHooks = yield* VaultResetHooks

    /** One transaction; a failing BEGIN or COMMIT is a defect like any other database failure. */
    const inTransaction = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E | DatabaseError, R>) =>
      db.transaction(effect).pipe(Effect.catchTag("DatabaseError", Effect.die))

    const findVault = (userId: string) =>
      Effect.flatMap(repo.find(userId), (found) => (Option.isSome(found) ? Effect.succeed(found.value) : noVault))

    const info = (userId: string) =>
      Effect.gen(function* () {
        const vault = yield* findVault(userId)
        const [wraps, keys] = yield* Effect.all([repo.activeWraps(vault.id), repo.contentKeys(vault.id)])
        return new VaultApi.VaultInfo({
          vaultId: VaultApi.VaultId.make(vault.id),
          policyVersion: vault.policyVersion,
          lock: lockStatus(vault),
          wraps: yield* Effect.forEach(wraps, wrapToApi),
          contentKeys: yield* Effect.forEach(keys, contentKeyToApi),
          currentKid: Envelope.KeyId.make(vault.currentKid),
          enforceTier: vault.enforceTier,
          lastRotatedAt: toDateTime(vault.lastRotatedAt),
          nextRotationDue: toDateTime(vault.nextRotationDue),
        })
      })

    /** The vault just written: its absence would be a bug. */
    const infoAfterWrite = (userId: string) => Effect.catchTag(info(userId), "VaultNotFound", Effect.die)

    /** Creates a vault from a request (in the caller's transaction): unlocked, epoch 0. */
    const createVault = (userId: string, request: VaultApi.CreateVaultRequest, at: Date) =>
      Effect.gen(function* () {
        const policies = yield* repo.policies
        if (request.wrap.aad.policy_version !== request.policyVersion) {
          return yield* new VaultApi.WrapBindingMismatch({
            field: "wrap.aad.policy_version",
            message: `The wrap is bound to policy v${request.wrap.aad.policy_version}, not v${request.policyVersion}`,
          })
        }
        yield* checkWrap(
          request.wrap,
          { userId, vaultId: request.vaultId, types: ["passphrase"], at: "wrap" },
          policies,
        )
        yield* repo.insert({
          id: request.vaultId,
          userId,
          policyVersion: request.policyVersion,
          unlockProofHash: sha256Hex(Redacted.value(request.unlockProof)),
          currentKid: request.contentKey.kid,
          nextRotationDue: request.policyVersion < newestVersion(policies) ? at : null,
          at,
        })
        yield* repo.insertWrap({
          vaultId: request.vaultId,
          credentialType: "passphrase",
          credentialId: request.wrap.aad.credential_id,
          blob: WrappedKey.encode(request.wrap),
          policyVersion: request.policyVersion,
          at,
        })
        yield* repo.insertContentKey(
          request.vaultId,
          request.contentKey.kid,
          Envelope.encode(request.contentKey.wrapped),
          at,
        )
      })

    const create = (request: VaultApi.CreateVaultRequest) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        yield* inTransaction(
          Effect.gen(function* () {
            yield* createVault(user.id, request, at)
            yield* Audit.record({
              action: "vault.created",
              actor: user.id,
              subject: user.id,
              details: { policyVersion: request.policyVersion },
            })
          }),
        ).pipe(Effect.catchTag("Duplicate", (duplicate) => Effect.fail(conflict(duplicate))))
        return yield* infoAfterWrite(user.id)
      })

    const lock = (reason: VaultApi.LockReason) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        return yield* inTransaction(
          Effect.gen(function* () {
            const locked = yield* repo.lock(user.id, reason, at)
            if (Option.isNone(locked)) return yield* noVault
            if (locked.value.changed) {
              yield* Audit.record({
                action: "vault.lock",
                actor: user.id,
                subject: user.id,
                details: { reason, epoch: locked.value.vault.lockEpoch },
              })
            }
            return lockStatus(locked.value.vault)
          }),
        )
      })

    const unlock = (proof: Redacted.Redacted<Uint8Array>) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        yield* rateLimit.guardUser("vault_unlock", user.id)
        const vault = yield* findVault(user.id)
        if (!sameDigest(sha256Hex(Redacted.value(proof)), vault.unlockProofHash)) {
          yield* rateLimit.failedUser("vault_unlock", user.id)
          yield* Audit.record({ action: "vault.unlock_failed", actor: user.id, subject: user.id })
          return yield* new VaultApi.WrongUnlockProof({ message: "The unlock proof does not match this vault" })
        }
        yield* rateLimit.succeededUser("vault_unlock", user.id)
        const at = yield* now
        return yield* inTransaction(
          Effect.gen(function* () {
            const unlocked = yield* repo.unlock(vault.id, at)
            if (Option.isNone(unlocked)) return lockStatus(vault)
            yield* Audit.record({
              action: "vault.unlock",
              actor: user.id,
              subject: user.id,
              details: { epoch: unlocked.value.lockEpoch },
            })
            return lockStatus(unlocked.value)
          }),
        )
      })

    const addWrap = (wrap: WrappedKey.WrappedKey, replaces: string | undefined) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        const record = yield* inTransaction(
          Effect.gen(function* () {
            const vault = yield* requireUnlocked(user.id)
            const binding = {
              userId: user.id,
              vaultId: vault.id,
              types: ["passphrase", "passkey"],
              at: "wrap",
            } as const
            yield* checkWrap(wrap, binding, yield* repo.policies)
            if (replaces !== undefined) {
              const replaced = yield* repo.findActiveWrap(vault.id, replaces)
              if (Option.isNone(replaced)) return yield* noSuchWrap
              if (replaced.value.credentialType !== wrap.aad.credential_type) {
                return yield* new ApiError.Conflict({
                  message: `A ${wrap.aad.credential_type} wrap cannot replace a ${replaced.value.credentialType} wrap`,
                })
              }
              yield* repo.revokeWraps(vault.id, at, { id: replaced.value.id })
            }
            const inserted = yield* repo.insertWrap({
              vaultId: vault.id,
              credentialType: wrap.aad.credential_type,
              credentialId: wrap.aad.credential_id,
              blob: WrappedKey.encode(wrap),
              policyVersion: wrap.aad.policy_version,
              at,
            })
            yield* repo.refreshPolicy(vault.id, at)
            yield* Audit.record({
              action: "vault.wrap_added",
              actor: user.id,
              subject: user.id,
              details: {
                credentialType: wrap.aad.credential_type,
                policyVersion: wrap.aad.policy_version,
                replaced: replaces !== undefined,
              },
            })
            return inserted
          }),
        ).pipe(Effect.catchTag("Duplicate", (duplicate) => Effect.fail(conflict(duplicate))))
        return yield* wrapToApi(record)
      })

    const revokeWrap = (wrapId: string) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        yield* inTransaction(
          Effect.gen(function* () {
            const vault = yield* requireUnlocked(user.id)
            const wrap = yield* repo.findActiveWrap(vault.id, wrapId)
            if (Option.isNone(wrap)) return yield* noSuchWrap
            const { credentialType, credentialId } = wrap.value
            if (credentialType === "passphrase" && (yield* repo.countActive(vault.id, "passphrase")) <= 1) {
              return yield* new ApiError.Conflict({
                message: "This is the vault's last passphrase wrap: change the passphrase instead of removing it",
              })
            }
            yield* repo.revokeWraps(vault.id, at, { id: wrap.value.id })
            // A recovery code without its wrap opens nothing: it goes too.
            if (credentialType === "recovery-code") yield* repo.revokeRecoveryCodes(vault.id, at, credentialId)
            yield* repo.refreshPolicy(vault.id, at)
            yield* Audit.record({
              action: "vault.wrap_revoked",
              actor: user.id,
              subject: user.id,
              details: { credentialType },
            })
          }),
        )
      })

    const rotateContentKey = (request: {
      readonly kid: Envelope.KeyId
      readonly wrapped: Envelope.Envelope
      readonly expectedCurrentKid: Envelope.KeyId
    }) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        const record = yield* inTransaction(
          Effect.gen(function* () {
            // The row lock makes this a compare-and-swap: a concurrent rotation waits here, then sees the new kid.
            const vault = yield* requireUnlocked(user.id)
            if (vault.currentKid !== request.expectedCurrentKid) {
              return yield* new VaultApi.ContentKeyConflict({
                currentKid: vault.currentKid,
                message: `The current content key is ${vault.currentKid}, not ${request.expectedCurrentKid}: another device rotated first`,
              })
            }
            const inserted = yield* repo.insertContentKey(vault.id, request.kid, Envelope.encode(request.wrapped), at)
            yield* repo.makeCurrent(vault.id, vault.currentKid, request.kid, at)
            yield* Audit.record({
              action: "vault.content_key_rotated",
              actor: user.id,
              subject: user.id,
              details: { kid: request.kid, previousKid: vault.currentKid },
            })
            return inserted
          }),
        ).pipe(Effect.catchTag("Duplicate", (duplicate) => Effect.fail(conflict(duplicate))))
        return yield* contentKeyToApi(record)
      })

    const generateRecoveryCodes = (codes: ReadonlyArray<typeof VaultApi.NewRecoveryCode.Type>) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        const hashes = codes.map((code) => sha256Hex(Redacted.value(code.verifier)))
        if (new Set(codes.map((code) => code.id)).size !== codes.length || new Set(hashes).size !== hashes.length) {
          return yield* new ApiError.BadRequest({ message: "Each recovery code needs its own id and verifier" })
        }
        const created = yield* inTransaction(
          Effect.gen(function* () {
            const vault = yield* requireUnlocked(user.id)
            const policies = yield* repo.policies
            for (const [index, code] of codes.entries()) {
              const binding = {
                userId: user.id,
                vaultId: vault.id,
                types: ["recovery-code"],
                credentialId: code.id,
                at: `codes[${index}].wrap`,
              } as const
              yield* checkWrap(code.wrap, binding, policies)
            }
            const revoked = yield* repo.revokeRecoveryCodes(vault.id, at)
            yield* repo.revokeWraps(vault.id, at, { credentialType: "recovery-code" })
            const inserted = yield* Effect.forEach(codes, (code, index) =>
              Effect.zipLeft(
                repo.insertRecoveryCode({ id: code.id, vaultId: vault.id, codeHash: hashes[index] ?? "", at }),
                repo.insertWrap({
                  vaultId: vault.id,
                  credentialType: "recovery-code",
                  credentialId: code.id,
                  blob: WrappedKey.encode(code.wrap),
                  policyVersion: code.wrap.aad.policy_version,
                  at,
                }),
              ),
            )
            yield* Audit.record({
              action: "vault.recovery_codes_generated",
              actor: user.id,
              subject: user.id,
              details: { count: inserted.length, revoked: revoked.length },
            })
            return inserted
          }),
        ).pipe(Effect.catchTag("Duplicate", (duplicate) => Effect.fail(conflict(duplicate))))
        return created.map(codeToApi)
      })

    const validateRecoveryCode = (verifier: Redacted.Redacted<Uint8Array>) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        yield* rateLimit.guardUser("vault_recovery", user.id)
        const codeHash = sha256Hex(Redacted.value(verifier))
        const at = yield* now
        const outcome = yield* inTransaction(
          Effect.gen(function* () {
            const code = yield* repo.findRecoveryCode(user.id, { codeHash })
            if (Option.isNone(code)) return { _tag: "Unknown" } as const
            const wrap = yield* repo.findWrapOf(code.value.vaultId, "recovery-code", code.value.id)
            if (code.value.revokedAt !== null || code.value.usedCount > 0 || Option.isNone(wrap)) {
              return { _tag: "Spent" } as const
            }
            // One use: the code and its wrap are revoked in the same transaction that hands the wrap out.
            if (!(yield* repo.spendRecoveryCode(code.value.id, at))) return { _tag: "Spent" } as const
            yield* repo.revokeWraps(code.value.vaultId, at, { id: wrap.value.id })
            yield* Audit.record({
              action: "vault.recovery_code_used",
              actor: user.id,
              subject: user.id,
              details: { codeId: code.value.id },
            })
            return { _tag: "Used", codeId: code.value.id, wrap: wrap.value } as const
          }),
        )
        if (outcome._tag !== "Used") {
          yield* rateLimit.failedUser("vault_recovery", user.id)
          yield* Audit.record({
            action: "vault.recovery_code_failed",
            actor: user.id,
            subject: user.id,
            details: { reason: outcome._tag === "Unknown" ? "unknown" : "spent" },
          })
          return yield* outcome._tag === "Unknown"
            ? Effect.fail(new VaultApi.RecoveryCodeNotFound({ message: "No recovery code of yours matches" }))
            : Effect.fail(new VaultApi.RecoveryCodeUsed({ message: "This recovery code was already used or revoked" }))
        }
        yield* rateLimit.succeededUser("vault_recovery", user.id)
        return { codeId: outcome.codeId, wrap: yield* decodeWrap(outcome.wrap.blob) }
      })

    const recoveryCodes = Effect.gen(function* () {
      const { user } = yield* Authentication.CurrentUser
      const vault = yield* findVault(user.id)
      return (yield* repo.recoveryCodes(vault.id)).map(codeToApi)
    })

    const revokeRecoveryCode = (codeId: string) =>
      Effect.gen(function* () {
        const { user } = yield* Authentication.CurrentUser
        const at = yield* now
        yield* inTransaction(
          Effect.gen(function* () {
            const code = yield* repo.findRecoveryCode(user.id, { id: codeId })
            if (Option.isNone(code)) return yield* noSuchCode
            if (code.value.revokedAt !== null) return
            yield* repo.revokeRecoveryCodes(code.value.vaultId, at, code.value.id)
            yield* repo.revokeWraps(code.value.vaultId, at, { credentialType: "recovery-code", credentialId: codeId })
            yield* Audit.record({
              action: "vault.recovery_code_revoked",
              actor: user.id,
              subject: user.id,
              details: { codeId },
            })
          }),
        )
      })

    /**
     * Destroys the vault and every record encrypted under it, and creates
     * the new one, in one transaction — after a fresh re-authentication and
     * the exact confirmation text. Then the session is rotated.
     */
    const reset = (request: VaultApi.ResetVaultRequest) =>
      Effect.gen(function* () {
        const { user, sessionId, session } = yield* Authentication.CurrentUser
        const refuse = (reason: VaultApi.ResetRefused["reason"], message: string) =>
          Effect.zipRight(
            Audit.record({ action: "vault.reset_refused", actor: user.id, subject: user.id, details: { reason } }),
            Effect.fail(new VaultApi.ResetRefused({ reason, message })),
          )
        if (request.confirmation !== VaultApi.resetConfirmation) {
          return yield* refuse("confirmation", `Type "${VaultApi.resetConfirmation}" exactly to confirm the reset`)
        }
        const stored = yield* users.passwordHash(user.id)
        if (stored !== undefined) {
          if (request.password === undefined) {
            return yield* refuse("password", "Enter your account password to reset the vault")
          }
          const client = yield* clientInfo
          yield* rateLimit.guard("sign_in", client.ip, user.email)
          if (!(yield* passwords.verify(request.password, stored).pipe(Effect.mapError(busy)))) {
            yield* rateLimit.failed(client.ip, user.email)
            return yield* refuse("password", "The password is wrong")
          }
        } else {
          const age = (yield* Clock.currentTimeMillis) - DateTime.toEpochMillis(session.createdAt)
          if (age > Duration.toMillis(freshSessionWindow)) {
            return yield* refuse("stale_session", "Sign in again, then reset the vault within five minutes")
          }
        }
        const at = yield* now
        const target = yield* inTransaction(
          Effect.gen(function* () {
            const previous = yield* repo.remove(user.id)
            const target = { userId: user.id, vaultId: previous }
            let purged = 0
            for (const hook of resetHooks) purged += yield* hook.purge(target)
            yield* createVault(user.id, request.vault, at)
            yield* Audit.record({
              action: "vault.reset",
              actor: user.id,
              subject: user.id,
              details: { previousVault: previous ?? null, vault: request.vault.vaultId, recordsPurged: purged },
            })
            return target
          }),
        ).pipe(Effect.catchTag("Duplicate", (duplicate) => Effect.fail(conflict(duplicate))))
        for (const hook of resetHooks) {
          if (hook.afterCommit !== undefined) yield* hook.afterCommit(target)
        }
        // Rotation on vault reset: the old session token stops working, the browser gets a new one.
        const current = (yield* sessions.listLive(user.id)).find((live) => live.id === sessionId)
        if (current !== undefined) {
          const rotated = yield* sessions.rotate(current)
          if (Option.isSome(rotated)) {
            yield* SessionCookie.set(rotated.value.token)
            yield* Audit.record({ action: "session_rotated", actor: user.id, subject: user.id })
          }
        }
        return yield* infoAfterWrite(user.id)
      })

    return handlers
      .handle("create", ({ payload }) => create(payload))
      .handle("get", () => Effect.flatMap(Authentication.CurrentUser, ({ user }) => info(user.id)))
      .handle("lockStatus", () =>
        Effect.flatMap(Authentication.CurrentUser, ({ user }) => Effect.map(findVault(user.id), lockStatus)),
      )
      .handle("lock", ({ payload }) => lock(payload.reason))
      .handle("unlock", ({ payload }) => unlock(payload.unlockProof))
      .handle("addWrap", ({ payload }) => addWrap(payload.wrap, payload.replaces))
      .handle("revokeWrap", ({ path }) => revokeWrap(path.id))
      .handle("rotateContentKey", ({ payload }) => rotateContentKey(payload))
      .handle("generateRecoveryCodes", ({ payload }) => generateRecoveryCodes(payload.codes))
      .handle("recoveryCodes", () => recoveryCodes)
      .handle("validateRecoveryCode", ({ payload }) => validateRecoveryCode(payload.verifier))
      .handle("revokeRecoveryCode", ({ path }) => revokeRecoveryCode(path.id))
      .handle("reset", ({ payload }) => reset(payload))
  }),
)

export const VaultAdminLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "vaultAdmin", (handlers) =>
  Effect.gen(function* () {
    const db = yield* Database
    const repo = yield* VaultRepo
    return handlers.handle("forceLock", ({ path }) =>
      Effect.gen(function* () {
        const { user: admin } = yield* Authentication.CurrentUser
        const at = yield* now
        return yield* db
          .transaction(
            Effect.gen(function* () {
              const locked = yield* repo.lock(path.userId, "admin", at)
              if (Option.isNone(locked)) {
                return yield* new VaultApi.VaultNotFound({ message: "This user has no vault" })
              }
              yield* Audit.record({
                action: "vault.force_lock",
                actor: admin.id,
                subject: path.userId,
                details: { epoch: locked.value.vault.lockEpoch, alreadyLocked: !locked.value.changed },
              })
              return lockStatus(locked.value.vault)
            }),
          )
          .pipe(Effect.catchTag("DatabaseError", Effect.die))
      }),
    )
  }),
)

/** Both vault groups with the services they use (the reset hooks are given by the caller). */
export const layer = (resetHooks: Layer.Layer<VaultResetHooks>) =>
  Layer.mergeAll(VaultLive, VaultAdminLive).pipe(Layer.provide(resetHooks))
