/**
 * The vault's tables: one vault per user with its lock state, the KEK's
 * wraps, the KEK-wrapped content keys, the recovery codes' verifier hashes
 * and the crypto policies. Every lookup starts from the user, so one user's
 * request can never reach another's vault. Infrastructure failures are
 * defects; the one failure callers handle (a unique key already taken) is
 * typed.
 */
import { createHash, timingSafeEqual } from "node:crypto"
import { Data, Effect, Option } from "effect"
import { sql } from "kysely"
import { Database, type DatabaseError } from "../Database/Database.js"

/** A unique key is taken (a vault for this user, a vault or code id, a live wrap for the credential, a kid). */
export class Duplicate extends Data.TaggedError("Duplicate")<{ readonly constraint: string | undefined }> {}

export type CredentialType = "passphrase" | "passkey" | "recovery-code"

export interface VaultRecord {
  readonly id: string
  readonly userId: string
  readonly policyVersion: number
  readonly unlockProofHash: string
  readonly lockedAt: Date | null
  readonly lockReason: string | null
  readonly lockEpoch: number
  readonly enforceTier: string
  readonly currentKid: string
  readonly lastRotatedAt: Date | null
  readonly nextRotationDue: Date | null
  readonly createdAt: Date
}

export interface WrapRecord {
  readonly id: string
  readonly vaultId: string
  readonly credentialType: CredentialType
  readonly credentialId: string
  /** The WrappedKey JSON as stored. */
  readonly blob: unknown
  readonly policyVersion: number
  readonly createdAt: Date
}

export interface ContentKeyRecord {
  readonly kid: string
  /** The Envelope JSON as stored. */
  readonly wrapped: unknown
  readonly createdAt: Date
  readonly retiredAt: Date | null
}

export interface RecoveryCodeRecord {
  readonly id: string
  readonly vaultId: string
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
  readonly revokedAt: Date | null
  readonly usedCount: number
}

export interface PolicyRecord {
  readonly version: number
  readonly aead: string
  readonly kdf: unknown
  readonly deprecated: boolean
}

export interface NewVault {
  readonly id: string
  readonly userId: string
  readonly policyVersion: number
  readonly unlockProofHash: string
  readonly currentKid: string
  readonly nextRotationDue: Date | null
  readonly at: Date
}

export interface NewWrap {
  readonly vaultId: string
  readonly credentialType: CredentialType
  readonly credentialId: string
  readonly blob: unknown
  readonly policyVersion: number
  readonly at: Date
}

/** Lowercase hex SHA-256: what the server keeps of an unlock proof or a recovery verifier. */
export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex")

/** Compares two hex digests in constant time. */
export const sameDigest = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "hex")
  const right = Buffer.from(b, "hex")
  return left.length === 32 && right.length === 32 && timingSafeEqual(left, right)
}

const vaultColumns = [
  "id",
  "user_id",
  "crypto_policy_version",
  "unlock_proof_hash",
  "locked_at",
  "lock_reason",
  "lock_epoch",
  "enforce_tier",
  "current_kid",
  "last_rotated_at",
  "next_rotation_due",
  "created_at",
] as const

interface VaultRow {
  readonly id: string
  readonly user_id: string
  readonly crypto_policy_version: number
  readonly unlock_proof_hash: string
  readonly locked_at: Date | null
  readonly lock_reason: string | null
  readonly lock_epoch: number
  readonly enforce_tier: string
  readonly current_kid: string
  readonly last_rotated_at: Date | null
  readonly next_rotation_due: Date | null
  readonly created_at: Date
}

const fromVaultRow = (row: VaultRow): VaultRecord => ({
  id: row.id,
  userId: row.user_id,
  policyVersion: row.crypto_policy_version,
  unlockProofHash: row.unlock_proof_hash,
  lockedAt: row.locked_at,
  lockReason: row.lock_reason,
  lockEpoch: Number(row.lock_epoch),
  enforceTier: row.enforce_tier,
  currentKid: row.current_kid,
  lastRotatedAt: row.last_rotated_at,
  nextRotationDue: row.next_rotation_due,
  createdAt: row.created_at,
})

const wrapColumns = [
  "id",
  "vault_id",
  "credential_type",
  "credential_id",
  "blob",
  "policy_version",
  "created_at",
] as const

const fromWrapRow = (row: {
  readonly id: string
  readonly vault_id: string
  readonly credential_type: CredentialType
  readonly credential_id: string
  readonly blob: unknown
  readonly policy_version: number
  readonly created_at: Date
}): WrapRecord => ({
  id: row.id,
  vaultId: row.vault_id,
  credentialType: row.credential_type,
  credentialId: row.credential_id,
  blob: row.blob,
  policyVersion: row.policy_version,
  createdAt: row.created_at,
})

const codeColumns = [
  "rc.id",
  "rc.vault_id",
  "rc.created_at",
  "rc.last_used_at",
  "rc.revoked_at",
  "rc.used_count",
] as const

const fromCodeRow = (row: {
  readonly id: string
  readonly vault_id: string
  readonly created_at: Date
  readonly last_used_at: Date | null
  readonly revoked_at: Date | null
  readonly used_count: number
}): RecoveryCodeRecord => ({
  id: row.id,
  vaultId: row.vault_id,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
  usedCount: row.used_count,
})

/** A unique violation becomes `Duplicate`; anything else is a defect. */
const uniqueOrDie = <A, R>(effect: Effect.Effect<A, DatabaseError, R>): Effect.Effect<A, Duplicate, R> =>
  Effect.catchAll(effect, (error) =>
    error.isUniqueViolation ? Effect.fail(new Duplicate({ constraint: error.constraint })) : Effect.die(error),
  )

export class VaultRepo extends Effect.Service<VaultRepo>()("@ignition/server/VaultRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database

    /** The user's vault; `forUpdate` locks its row until the transaction ends (serialises writers). */
    const find = (userId: string, options: { readonly forUpdate?: boolean } = {}) =>
      db
        .execute((q) => {
          const query = q.selectFrom("vaults").select(vaultColumns).where("user_id", "=", userId)
          return (options.forUpdate === true ? query.forUpdate() : query).executeTakeFirst()
        })
        .pipe(
          Effect.map((row) => Option.map(Option.fromNullable(row), fromVaultRow)),
          Effect.orDie,
        )

    const insert = (vault: NewVault) =>
      db
        .execute((q) =>
          q
            .insertInto("vaults")
            .values({
              id: vault.id,
              user_id: vault.userId,
              crypto_policy_version: vault.policyVersion,
              unlock_proof_hash: vault.unlockProofHash,
              current_kid: vault.currentKid,
              next_rotation_due: vault.nextRotationDue,
              created_at: vault.at,
              updated_at: vault.at,
            })
            .execute(),
        )
        .pipe(uniqueOrDie, Effect.asVoid)

    /** Deletes the user's vault (wraps, content keys and codes go by cascade); its id, if there was one. */
    const remove = (userId: string) =>
      db
        .execute((q) => q.deleteFrom("vaults").where("user_id", "=", userId).returning("id").executeTakeFirst())
        .pipe(
          Effect.map((row) => row?.id),
          Effect.orDie,
        )

    /**
     * Locks the user's vault. Only an unlocked → locked transition changes
     * anything (and advances the epoch); locking a locked vault keeps its
     * reason and time. None when the user has no vault.
     */
    const lock = (userId: string, reason: string, at: Date) =>
      Effect.gen(function* () {
        const changed = yield* db
          .execute((q) =>
            q
              .updateTable("vaults")
              .set({
                locked_at: at,
                lock_reason: reason,
                lock_epoch: sql<number>`lock_epoch + 1`,
                updated_at: at,
              })
              .where("user_id", "=", userId)
              .where("locked_at", "is", null)
              .returning(vaultColumns)
              .executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (changed !== undefined) return Option.some({ vault: fromVaultRow(changed), changed: true })
        return Option.map(yield* find(userId), (vault) => ({ vault, changed: false }))
      })

    /** Marks the vault unlocked; the record after, and whether it was locked before. */
    const unlock = (vaultId: string, at: Date) =>
      db
        .execute((q) =>
          q
            .updateTable("vaults")
            .set({ locked_at: null, lock_reason: null, updated_at: at })
            .where("id", "=", vaultId)
            .where("locked_at", "is not", null)
            .returning(vaultColumns)
            .executeTakeFirst(),
        )
        .pipe(
          Effect.map((row) => Option.map(Option.fromNullable(row), fromVaultRow)),
          Effect.orDie,
        )

    const activeWraps = (vaultId: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("vault_key_wraps")
            .select(wrapColumns)
            .where("vault_id", "=", vaultId)
            .where("revoked_at", "is", null)
            .orderBy("created_at")
            .orderBy("id")
            .execute(),
        )
        .pipe(
          Effect.map((rows) => rows.map(fromWrapRow)),
          Effect.orDie,
        )

    const findActiveWrap = (vaultId: string, wrapId: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("vault_key_wraps")
            .select(wrapColumns)
            .where("vault_id", "=", vaultId)
            .where("id", "=", wrapId)
            .where("revoked_at", "is", null)
            .executeTakeFirst(),
        )
        .pipe(
          Effect.map((row) => Option.map(Option.fromNullable(row), fromWrapRow)),
          Effect.orDie,
        )

    const insertWrap = (wrap: NewWrap) =>
      db
        .execute((q) =>
          q
            .insertInto("vault_key_wraps")
            .values({
              vault_id: wrap.vaultId,
              credential_type: wrap.credentialType,
              credential_id: wrap.credentialId,
              blob: JSON.stringify(wrap.blob),
              policy_version: wrap.policyVersion,
              created_at: wrap.at,
            })
            .returning(wrapColumns)
            .executeTakeFirstOrThrow(),
        )
        .pipe(Effect.map(fromWrapRow), uniqueOrDie)

    /** Revokes live wraps of the vault matching `filter`; how many. */
    const revokeWraps = (
      vaultId: string,
      at: Date,
      filter: { readonly id?: string; readonly credentialType?: CredentialType; readonly credentialId?: string },
    ) =>
      db
        .execute((q) => {
          let query = q
            .updateTable("vault_key_wraps")
            .set({ revoked_at: at })
            .where("vault_id", "=", vaultId)
            .where("revoked_at", "is", null)
          if (filter.id !== undefined) query = query.where("id", "=", filter.id)
          if (filter.credentialType !== undefined) query = query.where("credential_type", "=", filter.credentialType)
          if (filter.credentialId !== undefined) query = query.where("credential_id", "=", filter.credentialId)
          return query.returning("id").execute()
        })
        .pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie,
        )

    const countActive = (vaultId: string, credentialType: CredentialType) =>
      db
        .execute((q) =>
          q
            .selectFrom("vault_key_wraps")
            .select((eb) => eb.fn.countAll<number>().as("count"))
            .where("vault_id", "=", vaultId)
            .where("credential_type", "=", credentialType)
            .where("revoked_at", "is", null)
            .executeTakeFirstOrThrow(),
        )
        .pipe(
          Effect.map((row) => Number(row.count)),
          Effect.orDie,
        )

    /**
     * The vault's policy is the oldest of its live passphrase wraps'; once
     * that reaches the newest policy, no re-wrap is due any more.
     */
    const refreshPolicy = (vaultId: string, at: Date) =>
      db
        .execute((q) =>
          sql`
            update vaults v set
              crypto_policy_version = coalesce(w.oldest, v.crypto_policy_version),
              next_rotation_due = case when w.oldest >= p.newest then null else v.next_rotation_due end,
              updated_at = ${at}
            from
              (select min(policy_version) as oldest from vault_key_wraps
                where vault_id = ${vaultId} and credential_type = 'passphrase' and revoked_at is null) w,
              (select max(version) as newest from crypto_policies) p
            where v.id = ${vaultId}`.execute(q),
        )
        .pipe(Effect.asVoid, Effect.orDie)

    const contentKeys = (vaultId: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("vault_content_keys")
            .select(["kid", "wrapped", "created_at", "retired_at"])
            .where("vault_id", "=", vaultId)
            .orderBy("created_at")
            .orderBy("kid")
            .execute(),
        )
        .pipe(
          Effect.map((rows) =>
            rows.map(
              (row): ContentKeyRecord => ({
                kid: row.kid,
                wrapped: row.wrapped,
                createdAt: row.created_at,
                retiredAt: row.retired_at,
              }),
            ),
          ),
          Effect.orDie,
        )

    const insertContentKey = (vaultId: string, kid: string, wrapped: unknown, at: Date) =>
      db
        .execute((q) =>
          q
            .insertInto("vault_content_keys")
            .values({ vault_id: vaultId, kid, wrapped: JSON.stringify(wrapped), created_at: at })
            .returning(["kid", "wrapped", "created_at", "retired_at"])
            .executeTakeFirstOrThrow(),
        )
        .pipe(
          Effect.map(
            (row): ContentKeyRecord => ({
              kid: row.kid,
              wrapped: row.wrapped,
              createdAt: row.created_at,
              retiredAt: row.retired_at,
            }),
          ),
          uniqueOrDie,
        )

    /** Retires the current key and makes `kid` current (the caller holds the vault row lock). */
    const makeCurrent = (vaultId: string, previousKid: string, kid: string, at: Date) =>
      Effect.all(
        [
          db.execute((q) =>
            q
              .updateTable("vault_content_keys")
              .set({ retired_at: at })
              .where("vault_id", "=", vaultId)
              .where("kid", "=", previousKid)
              .where("retired_at", "is", null)
              .execute(),
          ),
          db.execute((q) =>
            q
              .updateTable("vaults")
              .set({ current_kid: kid, last_rotated_at: at, updated_at: at })
              .where("id", "=", vaultId)
              .execute(),
          ),
        ],
        { discard: true },
      ).pipe(Effect.orDie)

    const recoveryCodes = (vaultId: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("recovery_codes as rc")
            .select(codeColumns)
            .where("rc.vault_id", "=", vaultId)
            .orderBy("rc.created_at", "desc")
            .orderBy("rc.id")
            .execute(),
        )
        .pipe(
          Effect.map((rows) => rows.map(fromCodeRow)),
          Effect.orDie,
        )

    const insertRecoveryCode = (code: { id: string; vaultId: string; codeHash: string; at: Date }) =>
      db
        .execute((q) =>
          q
            .insertInto("recovery_codes")
            .values({ id: code.id, vault_id: code.vaultId, code_hash: code.codeHash, created_at: code.at })
            .returning(["id", "vault_id", "created_at", "last_used_at", "revoked_at", "used_count"])
            .executeTakeFirstOrThrow(),
        )
        .pipe(Effect.map(fromCodeRow), uniqueOrDie)

    /** Revokes the vault's live codes (all of them, or one); their ids. */
    const revokeRecoveryCodes = (vaultId: string, at: Date, codeId?: string) =>
      db
        .execute((q) => {
          const query = q
            .updateTable("recovery_codes")
            .set({ revoked_at: at })
            .where("vault_id", "=", vaultId)
            .where("revoked_at", "is", null)
          return (codeId === undefined ? query : query.where("id", "=", codeId)).returning("id").execute()
        })
        .pipe(
          Effect.map((rows) => rows.map((row) => row.id)),
          Effect.orDie,
        )

    /** One of the user's codes, by id or by verifier hash; another user's code is not found. */
    const findRecoveryCode = (userId: string, by: { readonly id: string } | { readonly codeHash: string }) =>
      db
        .execute((q) => {
          const query = q
            .selectFrom("recovery_codes as rc")
            .innerJoin("vaults as v", "v.id", "rc.vault_id")
            .select(codeColumns)
            .where("v.user_id", "=", userId)
          return ("id" in by ? query.where("rc.id", "=", by.id) : query.where("rc.code_hash", "=", by.codeHash))
            .forUpdate("rc")
            .executeTakeFirst()
        })
        .pipe(
          Effect.map((row) => Option.map(Option.fromNullable(row), fromCodeRow)),
          Effect.orDie,
        )

    /** Spends a live code: used once more, and revoked. False when it was already revoked. */
    const spendRecoveryCode = (codeId: string, at: Date) =>
      db
        .execute((q) =>
          q
            .updateTable("recovery_codes")
            .set({ used_count: sql<number>`used_count + 1`, last_used_at: at, revoked_at: at })
            .where("id", "=", codeId)
            .where("revoked_at", "is", null)
            .returning("id")
            .executeTakeFirst(),
        )
        .pipe(
          Effect.map((row) => row !== undefined),
          Effect.orDie,
        )

    const findWrapOf = (vaultId: string, credentialType: CredentialType, credentialId: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("vault_key_wraps")
            .select(wrapColumns)
            .where("vault_id", "=", vaultId)
            .where("credential_type", "=", credentialType)
            .where("credential_id", "=", credentialId)
            .where("revoked_at", "is", null)
            .executeTakeFirst(),
        )
        .pipe(
          Effect.map((row) => Option.map(Option.fromNullable(row), fromWrapRow)),
          Effect.orDie,
        )

    const policies = db
      .execute((q) =>
        q.selectFrom("crypto_policies").select(["version", "aead", "kdf", "deprecated"]).orderBy("version").execute(),
      )
      .pipe(
        Effect.map((rows) => rows.map((row): PolicyRecord => row)),
        Effect.orDie,
      )

    /** The newest policy, its row locked (serialises concurrent rotations). */
    const newestPolicyForUpdate = db
      .execute((q) =>
        q
          .selectFrom("crypto_policies")
          .select(["version", "aead", "kdf", "deprecated"])
          .orderBy("version", "desc")
          .limit(1)
          .forUpdate()
          .executeTakeFirstOrThrow(),
      )
      .pipe(Effect.orDie)

    const insertPolicy = (policy: PolicyRecord, at: Date) =>
      db
        .execute((q) =>
          q
            .insertInto("crypto_policies")
            .values({
              version: policy.version,
              aead: "AES-256-GCM",
              kdf: JSON.stringify(policy.kdf),
              deprecated: policy.deprecated,
              created_at: at,
            })
            .execute(),
        )
        .pipe(uniqueOrDie, Effect.asVoid)

    /** Marks every policy before `version` deprecated and every vault due for a re-wrap; how many vaults. */
    const deprecateBefore = (version: number, at: Date) =>
      Effect.gen(function* () {
        yield* db.execute((q) =>
          q.updateTable("crypto_policies").set({ deprecated: true }).where("version", "<", version).execute(),
        )
        const due = yield* db.execute((q) =>
          q.updateTable("vaults").set({ next_rotation_due: at, updated_at: at }).returning("id").execute(),
        )
        return due.length
      }).pipe(Effect.orDie)

    return {
      find,
      insert,
      remove,
      lock,
      unlock,
      activeWraps,
      findActiveWrap,
      findWrapOf,
      insertWrap,
      revokeWraps,
      countActive,
      refreshPolicy,
      contentKeys,
      insertContentKey,
      makeCurrent,
      recoveryCodes,
      insertRecoveryCode,
      revokeRecoveryCodes,
      findRecoveryCode,
      spendRecoveryCode,
      policies,
      newestPolicyForUpdate,
      insertPolicy,
      deprecateBefore,
    }
  }),
}) {}
