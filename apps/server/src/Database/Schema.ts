/**
 * Kysely table types: what the migrations in `migrations/` create. Add a
 * table here together with the migration that creates it.
 */
import type { ColumnType, Generated, GeneratedAlways, JSONColumnType } from "kysely"

/** A timestamp the database can default; always read as a Date. */
type Timestamp = ColumnType<Date, Date | undefined, Date>
type NullableTimestamp = ColumnType<Date | null, Date | null | undefined, Date | null>

export interface InstanceTable {
  readonly singleton: Generated<boolean>
  readonly id: Generated<string>
  readonly created_at: ColumnType<Date, never, never>
}

export interface UsersTable {
  readonly id: Generated<string>
  readonly email: string
  readonly display_name: string
  readonly status: "pending" | "approved" | "suspended"
  readonly time_zone: ColumnType<string, string | undefined, string>
  readonly birth_year: number | null
  readonly age_verified_at: NullableTimestamp
  readonly terms_accepted_at: NullableTimestamp
  readonly created_at: Timestamp
  readonly updated_at: Timestamp
}

export interface PasswordCredentialsTable {
  readonly user_id: string
  readonly hash: string
  readonly updated_at: Timestamp
}

export interface SessionsTable {
  readonly id: Generated<string>
  readonly user_id: string
  readonly token_hash: Uint8Array
  readonly created_at: Timestamp
  readonly last_seen_at: Timestamp
  readonly expires_at: Date
  readonly absolute_expires_at: Date
  readonly revoked_at: NullableTimestamp
  readonly revoked_reason: string | null
  readonly rotated_from: string | null
  readonly user_agent: string | null
}

export interface OidcIdentitiesTable {
  readonly id: Generated<string>
  readonly user_id: string
  readonly provider: string
  readonly issuer: string
  readonly subject: string
  readonly email: string | null
  readonly created_at: Timestamp
  readonly last_used_at: NullableTimestamp
}

export interface OidcFlowsTable {
  readonly state_hash: Uint8Array
  readonly provider: string
  readonly code_verifier: string
  readonly nonce: string
  readonly return_to: string
  readonly expires_at: Date
}

export interface PasskeysTable {
  readonly id: Generated<string>
  readonly user_id: string
  readonly credential_id: string
  readonly public_key: Uint8Array
  readonly sign_count: ColumnType<number, number | undefined, number>
  readonly transports: ColumnType<Array<string>, Array<string> | undefined, Array<string>>
  readonly device_type: "singleDevice" | "multiDevice"
  readonly backed_up: ColumnType<boolean, boolean | undefined, boolean>
  readonly prf_capable: ColumnType<boolean, boolean | undefined, boolean>
  readonly name: ColumnType<string, string | undefined, string>
  readonly created_at: Timestamp
  readonly last_used_at: NullableTimestamp
}

export interface WebauthnChallengesTable {
  readonly id: Generated<string>
  readonly user_id: string | null
  readonly purpose: "register" | "login"
  readonly challenge: string
  readonly expires_at: Date
}

export interface RolesTable {
  readonly name: string
  readonly description: string
}

export interface PermissionsTable {
  readonly name: string
  readonly description: string
}

export interface RolePermissionsTable {
  readonly role: string
  readonly permission: string
}

export interface UserRolesTable {
  readonly user_id: string
  readonly role: string
  readonly granted_at: Timestamp
  readonly granted_by: string | null
}

export interface SecurityAuditTable {
  readonly id: Generated<number>
  readonly at: Timestamp
  readonly action: string
  readonly actor_user_id: string | null
  readonly subject_user_id: string | null
  readonly ip: string | null
  readonly user_agent: string | null
  readonly details: JSONColumnType<Record<string, unknown>, string | undefined, string>
}

export interface UserSettingsTable {
  readonly user_id: string
  readonly version: ColumnType<number, number | undefined, number>
  readonly settings: JSONColumnType<Record<string, unknown>, string, string>
  readonly updated_at: Timestamp
}

export interface InstanceSetupTable {
  readonly singleton: Generated<boolean>
  readonly token_hash: Uint8Array
  readonly created_at: Timestamp
  readonly consumed_at: NullableTimestamp
  readonly consumed_by: string | null
}

export interface CryptoPoliciesTable {
  readonly version: number
  readonly aead: "AES-256-GCM"
  readonly kdf: JSONColumnType<Record<string, unknown>, string, string>
  readonly deprecated: ColumnType<boolean, boolean | undefined, boolean>
  readonly created_at: Timestamp
}

export interface VaultsTable {
  readonly id: string
  readonly user_id: string
  readonly crypto_policy_version: number
  readonly unlock_proof_hash: string
  readonly locked_at: NullableTimestamp
  readonly lock_reason: string | null
  readonly lock_epoch: ColumnType<number, number | undefined, number>
  readonly enforce_tier: ColumnType<string, string | undefined, string>
  readonly current_kid: string
  readonly last_rotated_at: NullableTimestamp
  readonly next_rotation_due: NullableTimestamp
  readonly created_at: Timestamp
  readonly updated_at: Timestamp
}

export interface VaultKeyWrapsTable {
  readonly id: Generated<string>
  readonly vault_id: string
  readonly credential_type: "passphrase" | "passkey" | "recovery-code"
  readonly credential_id: string
  /** The WrappedKey JSON as the client sent it (base64url fields). */
  readonly blob: JSONColumnType<Record<string, unknown>, string, string>
  readonly policy_version: number
  readonly created_at: Timestamp
  readonly revoked_at: NullableTimestamp
}

export interface VaultContentKeysTable {
  readonly vault_id: string
  readonly kid: string
  /** The KEK-wrapped content key: an Envelope JSON. */
  readonly wrapped: JSONColumnType<Record<string, unknown>, string, string>
  readonly created_at: Timestamp
  readonly retired_at: NullableTimestamp
}

export interface RecoveryCodesTable {
  readonly id: string
  readonly vault_id: string
  readonly code_hash: string
  readonly created_at: Timestamp
  readonly last_used_at: NullableTimestamp
  readonly revoked_at: NullableTimestamp
  readonly used_count: ColumnType<number, number | undefined, number>
}

type Json = JSONColumnType<Record<string, unknown>, string, string>
type NullableJson = JSONColumnType<Record<string, unknown> | null, string | null, string | null>

export interface KnowledgeItemsTable {
  readonly user_id: string
  readonly type: "idea" | "infobase" | "journal"
  readonly id: string
  readonly mode: "standard" | "private"
  readonly version: number
  /** The content Envelope JSON; null on a tombstone. */
  readonly content: NullableJson
  /** Private mode: the metadata Envelope JSON. */
  readonly meta: NullableJson
  /** Standard mode: the plaintext metadata. */
  readonly metadata: NullableJson
  readonly size_bytes: number
  readonly created_at: Date
  readonly updated_at: Date
  readonly deleted_at: Date | null
}

export interface KnowledgeItemVersionsTable {
  readonly user_id: string
  readonly type: "idea" | "infobase" | "journal"
  readonly id: string
  readonly version: number
  readonly mode: "standard" | "private"
  readonly content: Json
  readonly meta: NullableJson
  readonly metadata: NullableJson
  readonly created_at: Date
  readonly superseded_at: Date | null
}

/** The flashcard tables' shared value sets (the migration's check constraints). */
type SchedulerName = "sm2" | "fsrs"
type AnswerButton = "again" | "hard" | "good" | "easy"
type Maturity = "learning" | "young" | "mature"

export interface LearnDecksTable {
  readonly user_id: string
  readonly id: string
  readonly name: string
  readonly scheduler: SchedulerName
  /** The scheduler's options (`Sm2.Options` or `Fsrs.Options`). */
  readonly options: Json
  readonly new_per_day: number
  readonly created_at: Date
  readonly updated_at: Date
}

/** A flashcard; the columns after `state` are generated from it (read-only). */
export interface LearnFlashcardsTable {
  readonly user_id: string
  readonly id: string
  readonly deck_id: string
  readonly seq: GeneratedAlways<number>
  readonly front: string
  readonly back: string
  readonly tags: Array<string>
  readonly topic: string | null
  /** The `@ignition/srs` CardState JSON. */
  readonly state: Json
  readonly scheduler: GeneratedAlways<SchedulerName>
  readonly due_at: GeneratedAlways<Date>
  readonly redrill_until: GeneratedAlways<Date | null>
  readonly last_reviewed_at: GeneratedAlways<Date | null>
  readonly interval_days: GeneratedAlways<number>
  /** Kept by triggers on learn_reviews. */
  readonly counted_reviews: ColumnType<number, never, never>
  readonly lapses: ColumnType<number, never, never>
  readonly created_at: Date
  readonly updated_at: Date
}

/** One answered review (append-only); `maturity`, `counted` and `first_review` are generated. */
export interface LearnReviewsTable {
  readonly user_id: string
  readonly id: string
  readonly card_id: string
  readonly deck_id: string
  readonly scheduler: SchedulerName
  readonly grade: number
  readonly button: AnswerButton
  readonly reviewed_at: Date
  /** `YYYY-MM-DD` in the learner's time zone when the review was applied. */
  readonly local_day: string
  readonly first_of_day: boolean
  readonly elapsed_days: number
  readonly duration_ms: number
  readonly state_before: Json
  readonly state_after: Json
  readonly maturity: GeneratedAlways<Maturity>
  readonly counted: GeneratedAlways<boolean>
  readonly first_review: GeneratedAlways<boolean>
}

/** The log summed per deck and local day (kept by triggers on learn_reviews). */
export interface LearnReviewDaysTable {
  readonly user_id: string
  readonly deck_id: string
  readonly local_day: string
  readonly maturity: Maturity
  readonly button: AnswerButton
  readonly counted: boolean
  readonly reviews: number
}

export interface SyncUsersTable {
  readonly user_id: string
  readonly version: ColumnType<number, number | undefined, number>
  readonly horizon: ColumnType<number, number | undefined, number>
}

export interface SyncRowsTable {
  readonly user_id: string
  readonly entity: string
  readonly id: string
  readonly version: number
  /** The row's value as the entity encodes it; null on a tombstone. */
  readonly value: ColumnType<unknown, string | null, string | null>
  readonly written_at: Date
}

export interface ClientMutationsTable {
  readonly user_id: string
  readonly client_id: string
  readonly last_seq: number
}

export interface MutationRejectionsTable {
  readonly user_id: string
  readonly client_id: string
  readonly mutation_seq: number
  readonly mutation_id: string
  readonly reason: string
  readonly rejected_at: Timestamp
}

export interface SyncSecretsTable {
  readonly name: string
  readonly secret: Uint8Array
}

export interface BlobsTable {
  readonly id: string
  readonly user_id: string
  readonly sha256: Uint8Array
  readonly size: number
  readonly storage_key: string
  readonly created_at: Date
}

export type UploadPurpose = "file" | "audio" | "image" | "daw-project"

export interface UploadSessionsTable {
  readonly id: string
  readonly user_id: string
  readonly purpose: UploadPurpose
  readonly ciphertext_bytes: number
  readonly header_bytes: number
  readonly segment_bytes: number
  readonly chunk_count: number
  readonly storage_key: string
  readonly store_upload_id: string
  readonly status: "open" | "completed"
  readonly blob_id: string | null
  readonly created_at: Date
  readonly expires_at: Date
}

export interface UploadChunksTable {
  readonly session_id: string
  readonly index: number
  readonly sha256: Uint8Array
  readonly etag: string
  readonly size: number
  readonly received_at: Date
}

export interface UploadQuotasTable {
  readonly user_id: string
  readonly max_bytes: number
}

export interface DatabaseSchema {
  readonly instance: InstanceTable
  readonly users: UsersTable
  readonly password_credentials: PasswordCredentialsTable
  readonly sessions: SessionsTable
  readonly oidc_identities: OidcIdentitiesTable
  readonly oidc_flows: OidcFlowsTable
  readonly passkeys: PasskeysTable
  readonly webauthn_challenges: WebauthnChallengesTable
  readonly roles: RolesTable
  readonly permissions: PermissionsTable
  readonly role_permissions: RolePermissionsTable
  readonly user_roles: UserRolesTable
  readonly security_audit: SecurityAuditTable
  readonly user_settings: UserSettingsTable
  readonly instance_setup: InstanceSetupTable
  readonly crypto_policies: CryptoPoliciesTable
  readonly vaults: VaultsTable
  readonly vault_key_wraps: VaultKeyWrapsTable
  readonly vault_content_keys: VaultContentKeysTable
  readonly recovery_codes: RecoveryCodesTable
  readonly knowledge_items: KnowledgeItemsTable
  readonly knowledge_item_versions: KnowledgeItemVersionsTable
  readonly sync_users: SyncUsersTable
  readonly sync_rows: SyncRowsTable
  readonly client_mutations: ClientMutationsTable
  readonly mutation_rejections: MutationRejectionsTable
  readonly sync_secrets: SyncSecretsTable
  readonly learn_decks: LearnDecksTable
  readonly learn_flashcards: LearnFlashcardsTable
  readonly learn_reviews: LearnReviewsTable
  readonly learn_review_days: LearnReviewDaysTable
  readonly blobs: BlobsTable
  readonly upload_sessions: UploadSessionsTable
  readonly upload_chunks: UploadChunksTable
  readonly upload_quotas: UploadQuotasTable
}
