/**
 * The `vault` group: the server side of the end-to-end-encrypted vault. The
 * server keeps the KEK wrapped under each credential, the KEK-wrapped
 * content keys, the hashes of the unlock proof and of the recovery codes'
 * verifiers, and the lock state — never a key it could use. Every resource
 * belongs to the signed-in user. See docs/vault-server.md.
 *
 * `VaultUnlocked` is the middleware that answers `423 Locked` to E2EE
 * mutations while the caller's vault is locked (or does not exist yet);
 * every domain that writes encrypted records puts it on those endpoints.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSchema, OpenApi } from "@effect/platform"
import { Envelope, WrappedKey } from "@ignition/vault"
import { Schema } from "effect"
import { UserId } from "./Account.js"
import { Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized } from "./ApiError.js"
import { AdminAuthentication, Authentication, CurrentUser, sessionSecurity } from "./Authentication.js"

/**
 * A vault's id: a UUID chosen by the client, because it is bound into the
 * AAD of every wrap and envelope before the server sees them.
 *
 * @since 0.1.0
 */
export const VaultId = Schema.UUID.pipe(Schema.brand("VaultId"))

/**
 * @since 0.1.0
 */
export type VaultId = typeof VaultId.Type

/**
 * Exactly 32 bytes, as unpadded base64url on the wire; decoded as
 * `Redacted` so it cannot be logged by accident.
 *
 * @since 0.1.0
 */
export const Secret32 = Schema.Redacted(
  Schema.Uint8ArrayFromBase64Url.pipe(
    Schema.filter((bytes) => bytes.length === 32 || "must be 32 bytes (base64url)", {
      jsonSchema: { pattern: "^[A-Za-z0-9_-]{43}$" },
    }),
  ),
)

/**
 * The unlock proof: HKDF of the KEK (`UnlockProof.derive` in
 * `@ignition/vault`). The server keeps only its SHA-256.
 *
 * @since 0.1.0
 */
export const UnlockProof = Secret32

/**
 * A recovery code's verifier (`RecoveryCode.verifier`), unrelated to the key
 * that opens the code's wrap. The server keeps only its SHA-256.
 *
 * @since 0.1.0
 */
export const RecoveryVerifier = Secret32

/**
 * Why a client locks its vault. An administrator's force-lock is recorded
 * with the reason `admin`.
 *
 * @since 0.1.0
 */
export const LockReason = Schema.Literal("manual", "idle", "hidden", "logout", "session-expired")

/**
 * @since 0.1.0
 */
export type LockReason = typeof LockReason.Type

/**
 * The server's lock state. `epoch` counts unlocked → locked transitions: a
 * client that unlocked at epoch `n` and now sees a larger epoch knows that
 * the vault was locked since (by another device, a sign-out, an
 * administrator) and purges its keys, even if the vault is unlocked again.
 *
 * @since 0.1.0
 */
export class LockStatus extends Schema.Class<LockStatus>("LockStatus")({
  locked: Schema.Boolean,
  epoch: Schema.NonNegativeInt,
  reason: Schema.NullOr(Schema.String),
  lockedAt: Schema.NullOr(Schema.DateTimeUtc),
}) {}

/**
 * A content key as the client sends it: its id and the key wrapped by the
 * KEK as an envelope.
 *
 * @since 0.1.0
 */
export const NewContentKey = Schema.Struct({
  kid: Envelope.KeyId,
  wrapped: Envelope.Envelope,
})

/**
 * The KEK wrapped under one credential.
 *
 * @since 0.1.0
 */
export class WrapRecord extends Schema.Class<WrapRecord>("WrapRecord")({
  id: Schema.UUID,
  credentialType: WrappedKey.CredentialType,
  credentialId: Schema.String,
  policyVersion: Schema.Int.pipe(Schema.positive()),
  createdAt: Schema.DateTimeUtc,
  wrap: WrappedKey.WrappedKey,
}) {}

/**
 * A KEK-wrapped content key; retired keys stay readable forever.
 *
 * @since 0.1.0
 */
export class ContentKeyRecord extends Schema.Class<ContentKeyRecord>("ContentKeyRecord")({
  kid: Envelope.KeyId,
  wrapped: Envelope.Envelope,
  createdAt: Schema.DateTimeUtc,
  retiredAt: Schema.NullOr(Schema.DateTimeUtc),
}) {}

/**
 * The caller's vault: lock state, active wraps, every content key.
 *
 * @since 0.1.0
 */
export class VaultInfo extends Schema.Class<VaultInfo>("VaultInfo")({
  vaultId: VaultId,
  /** The oldest policy any active passphrase wrap was made under. */
  policyVersion: Schema.Int.pipe(Schema.positive()),
  lock: LockStatus,
  wraps: Schema.Array(WrapRecord),
  contentKeys: Schema.Array(ContentKeyRecord),
  currentKid: Envelope.KeyId,
  enforceTier: Schema.String,
  lastRotatedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** When set and past, the client should re-wrap under the current policy at its next unlock. */
  nextRotationDue: Schema.NullOr(Schema.DateTimeUtc),
}) {}

/**
 * A new vault: its id, the policy its passphrase wrap was made under, the
 * unlock proof, the passphrase wrap and the first content key.
 *
 * @since 0.1.0
 */
export class CreateVaultRequest extends Schema.Class<CreateVaultRequest>("CreateVaultRequest")({
  vaultId: VaultId,
  policyVersion: Schema.Int.pipe(Schema.positive()),
  unlockProof: UnlockProof,
  wrap: WrappedKey.WrappedKey,
  contentKey: NewContentKey,
}) {}

/**
 * A recovery code as the server keeps it (never the code, nor its verifier).
 *
 * @since 0.1.0
 */
export class RecoveryCodeRecord extends Schema.Class<RecoveryCodeRecord>("RecoveryCodeRecord")({
  id: Schema.UUID,
  createdAt: Schema.DateTimeUtc,
  lastUsedAt: Schema.NullOr(Schema.DateTimeUtc),
  revokedAt: Schema.NullOr(Schema.DateTimeUtc),
  usedCount: Schema.NonNegativeInt,
}) {}

/**
 * How many codes make a set.
 *
 * @since 0.1.0
 */
export const recoveryCodesPerSet = 10

/**
 * One code of a new set: its id (also the wrap's `credential_id`), its
 * verifier, and the KEK wrapped under the code.
 *
 * @since 0.1.0
 */
export const NewRecoveryCode = Schema.Struct({
  id: Schema.UUID,
  verifier: RecoveryVerifier,
  wrap: WrappedKey.WrappedKey,
})

/**
 * The confirmation a vault reset must carry, exactly.
 *
 * @since 0.1.0
 */
export const resetConfirmation = "RESET MY VAULT"

/**
 * @since 0.1.0
 */
export class ResetVaultRequest extends Schema.Class<ResetVaultRequest>("ResetVaultRequest")({
  confirmation: Schema.String.pipe(Schema.maxLength(64)),
  /** The account password; required for accounts that have one. */
  password: Schema.optional(Schema.Redacted(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1024)))),
  vault: CreateVaultRequest,
}) {}

/**
 * The vault is locked (or the caller has none yet): unlock it, then retry.
 * `epoch` is the vault's lock epoch (0 when there is no vault).
 *
 * @since 0.1.0
 */
export class VaultLocked extends Schema.TaggedError<VaultLocked>()(
  "VaultLocked",
  { message: Schema.String, epoch: Schema.NonNegativeInt },
  HttpApiSchema.annotations({ status: 423, description: "The vault is locked" }),
) {}

/**
 * The caller has no vault.
 *
 * @since 0.1.0
 */
export class VaultNotFound extends Schema.TaggedError<VaultNotFound>()(
  "VaultNotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "The user has no vault" }),
) {}

/**
 * The unlock proof does not match the vault's.
 *
 * @since 0.1.0
 */
export class WrongUnlockProof extends Schema.TaggedError<WrongUnlockProof>()(
  "WrongUnlockProof",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 403, description: "The unlock proof is wrong" }),
) {}

/**
 * A wrap refused for its cryptography: KDF parameters below the floor, a
 * KDF inconsistent with its version or credential, an unknown or read-only
 * policy version.
 *
 * @since 0.1.0
 */
export class WeakWrapRefused extends Schema.TaggedError<WeakWrapRefused>()(
  "WeakWrapRefused",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The wrap's policy or KDF parameters are refused" }),
) {}

/**
 * A wrap whose AAD binds it to another user, vault or credential than the
 * request says, or a credential type this endpoint does not take.
 *
 * @since 0.1.0
 */
export class WrapBindingMismatch extends Schema.TaggedError<WrapBindingMismatch>()(
  "WrapBindingMismatch",
  { message: Schema.String, field: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The wrap is bound to something else" }),
) {}

/**
 * Compare-and-swap on the current content key failed: another device
 * rotated first. Nothing was stored; `currentKid` is the key now current.
 *
 * @since 0.1.0
 */
export class ContentKeyConflict extends Schema.TaggedError<ContentKeyConflict>()(
  "ContentKeyConflict",
  { message: Schema.String, currentKid: Schema.String },
  HttpApiSchema.annotations({ status: 409, description: "The current content key changed" }),
) {}

/**
 * No recovery code of the caller's has this verifier.
 *
 * @since 0.1.0
 */
export class RecoveryCodeNotFound extends Schema.TaggedError<RecoveryCodeNotFound>()(
  "RecoveryCodeNotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "No such recovery code" }),
) {}

/**
 * The recovery code was used or revoked: each code works once.
 *
 * @since 0.1.0
 */
export class RecoveryCodeUsed extends Schema.TaggedError<RecoveryCodeUsed>()(
  "RecoveryCodeUsed",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 410, description: "The recovery code was used or revoked" }),
) {}

/**
 * A vault reset was refused: wrong confirmation text, wrong or missing
 * password, or (for accounts without one) a session older than five
 * minutes. Nothing was destroyed.
 *
 * @since 0.1.0
 */
export class ResetRefused extends Schema.TaggedError<ResetRefused>()(
  "ResetRefused",
  { message: Schema.String, reason: Schema.Literal("confirmation", "password", "stale_session") },
  HttpApiSchema.annotations({ status: 403, description: "Re-authenticate and confirm to reset the vault" }),
) {}

/**
 * Requires an authenticated caller (like `Authentication`, whose
 * `CurrentUser` it reuses when that ran first, and provides otherwise) whose
 * vault is unlocked; answers 423 `VaultLocked` while the vault is locked or
 * absent. Put it on every endpoint that writes end-to-end-encrypted data.
 *
 * @since 0.1.0
 */
export class VaultUnlocked extends HttpApiMiddleware.Tag<VaultUnlocked>()("@ignition/api/VaultUnlocked", {
  failure: Schema.Union(Unauthorized, Forbidden, VaultLocked),
  provides: CurrentUser,
  security: { session: sessionSecurity },
}) {}

const WrapPath = Schema.Struct({ id: Schema.UUID })

/**
 * @since 0.1.0
 */
export class VaultApi extends HttpApiGroup.make("vault")
  .add(
    HttpApiEndpoint.post("create", "/api/vault")
      .setPayload(CreateVaultRequest)
      .addSuccess(VaultInfo, { status: 201 })
      .addError(WeakWrapRefused)
      .addError(WrapBindingMismatch)
      .addError(Conflict)
      .middleware(Authentication)
      .annotate(OpenApi.Summary, "Create the caller's vault (starts unlocked)"),
  )
  .add(
    HttpApiEndpoint.get("get", "/api/vault")
      .addSuccess(VaultInfo)
      .addError(VaultNotFound)
      .middleware(Authentication)
      .annotate(OpenApi.Summary, "The caller's vault: lock state, active wraps, content keys (readable while locked)"),
  )
  .add(
    HttpApiEndpoint.get("lockStatus", "/api/vault/lock-status")
      .addSuccess(LockStatus)
      .addError(VaultNotFound)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("lock", "/api/vault/lock")
      .setPayload(Schema.Struct({ reason: LockReason }))
      .addSuccess(LockStatus)
      .addError(VaultNotFound)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("unlock", "/api/vault/unlock")
      .setPayload(Schema.Struct({ unlockProof: UnlockProof }))
      .addSuccess(LockStatus)
      .addError(VaultNotFound)
      .addError(WrongUnlockProof)
      .addError(TooManyRequests)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("addWrap", "/api/vault/wraps")
      .setPayload(Schema.Struct({ wrap: WrappedKey.WrappedKey, replaces: Schema.optional(Schema.UUID) }))
      .addSuccess(WrapRecord, { status: 201 })
      .addError(WeakWrapRefused)
      .addError(WrapBindingMismatch)
      .addError(NotFound)
      .addError(Conflict)
      .middleware(VaultUnlocked)
      .annotate(OpenApi.Summary, "Add a wrap of the KEK; `replaces` revokes another in the same transaction"),
  )
  .add(
    HttpApiEndpoint.del("revokeWrap", "/api/vault/wraps/:id")
      .setPath(WrapPath)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(NotFound)
      .addError(Conflict)
      .middleware(VaultUnlocked),
  )
  .add(
    HttpApiEndpoint.post("rotateContentKey", "/api/vault/content-keys")
      .setPayload(
        Schema.Struct({
          kid: Envelope.KeyId,
          wrapped: Envelope.Envelope,
          expectedCurrentKid: Envelope.KeyId,
        }),
      )
      .addSuccess(ContentKeyRecord, { status: 201 })
      .addError(ContentKeyConflict)
      .addError(Conflict)
      .middleware(VaultUnlocked)
      .annotate(OpenApi.Summary, "Make a new content key current (compare-and-swap on the current one)"),
  )
  .add(
    HttpApiEndpoint.post("generateRecoveryCodes", "/api/vault/recovery-codes/generate")
      .setPayload(
        Schema.Struct({
          codes: Schema.Array(NewRecoveryCode).pipe(Schema.itemsCount(recoveryCodesPerSet)),
        }),
      )
      .addSuccess(Schema.Array(RecoveryCodeRecord), { status: 201 })
      .addError(WeakWrapRefused)
      .addError(WrapBindingMismatch)
      .addError(Conflict)
      .middleware(VaultUnlocked)
      .annotate(OpenApi.Summary, "Replace the recovery code set (the previous codes and their wraps are revoked)"),
  )
  .add(
    HttpApiEndpoint.get("recoveryCodes", "/api/vault/recovery-codes")
      .addSuccess(Schema.Array(RecoveryCodeRecord))
      .addError(VaultNotFound)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("validateRecoveryCode", "/api/vault/recovery-codes/validate")
      .setPayload(Schema.Struct({ verifier: RecoveryVerifier }))
      .addSuccess(Schema.Struct({ codeId: Schema.UUID, wrap: WrappedKey.WrappedKey }))
      .addError(RecoveryCodeNotFound)
      .addError(RecoveryCodeUsed)
      .addError(TooManyRequests)
      .middleware(Authentication)
      .annotate(OpenApi.Summary, "Spend a recovery code: its wrap, once (works while locked)"),
  )
  .add(
    HttpApiEndpoint.post("revokeRecoveryCode", "/api/vault/recovery-codes/:id/revoke")
      .setPath(WrapPath)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(NotFound)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("reset", "/api/vault/reset")
      .setPayload(ResetVaultRequest)
      .addSuccess(VaultInfo, { status: 201 })
      .addError(ResetRefused)
      .addError(WeakWrapRefused)
      .addError(WrapBindingMismatch)
      .addError(Conflict)
      .addError(TooManyRequests)
      .middleware(Authentication)
      .annotate(
        OpenApi.Summary,
        "Destroy the vault and every encrypted record, and start a new vault (re-authentication required)",
      ),
  )
  .annotate(OpenApi.Title, "Vault")
  .annotate(
    OpenApi.Description,
    "The end-to-end-encrypted vault's server side: wrapped keys, content keys, recovery codes and lock state",
  ) {}

/**
 * The `vaultAdmin` group: what an administrator may do to someone's vault
 * (lock it — nothing that reads it).
 *
 * @since 0.1.0
 */
export class VaultAdminApi extends HttpApiGroup.make("vaultAdmin")
  .add(
    HttpApiEndpoint.post("forceLock", "/api/admin/vault/:userId/force-lock")
      .setPath(Schema.Struct({ userId: UserId }))
      .addSuccess(LockStatus)
      .addError(VaultNotFound),
  )
  .middleware(AdminAuthentication)
  .annotate(OpenApi.Title, "Vault administration")
  .annotate(OpenApi.Description, "Force-lock a user's vault (admin role)") {}
