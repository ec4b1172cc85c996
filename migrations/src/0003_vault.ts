import { type Kysely, sql } from "kysely"

/**
 * The end-to-end-encrypted vault, server side (docs/vault-server.md): the
 * crypto policy registry, one vault per user with its lock state, the KEK
 * wrapped under each credential, the KEK-wrapped content keys, and the
 * recovery codes' verifiers. The server stores only ciphertext, hashes and
 * public parameters: nothing here opens a vault.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  // Policy values match @ignition/vault's CryptoPolicy v1 and v2; later versions are published by an administrator.
  await sql`
    create table crypto_policies (
      version integer primary key check (version >= 1),
      aead text not null check (aead in ('AES-256-GCM')),
      kdf jsonb not null check (jsonb_typeof(kdf) = 'object' and kdf ? 'alg'),
      deprecated boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`
    insert into crypto_policies (version, aead, kdf, deprecated) values
      (1, 'AES-256-GCM', '{"alg": "pbkdf2-sha256", "iterations": 100000}', true),
      (2, 'AES-256-GCM', '{"alg": "argon2id", "m": 65536, "t": 3, "p": 1}', false)`.execute(db)

  // The vault id is chosen by the client: it is bound into every wrap's and envelope's AAD before the server sees it.
  await sql`
    create table vaults (
      id uuid primary key,
      user_id uuid not null unique references users (id) on delete cascade,
      crypto_policy_version integer not null references crypto_policies (version),
      unlock_proof_hash text not null check (unlock_proof_hash ~ '^[0-9a-f]{64}$'),
      locked_at timestamptz,
      lock_reason text check (lock_reason is null or length(lock_reason) between 1 and 32),
      lock_epoch bigint not null default 0 check (lock_epoch >= 0),
      enforce_tier text not null default 'standard',
      current_kid text not null check (current_kid ~ '^[A-Za-z0-9_-]{1,64}$'),
      last_rotated_at timestamptz,
      next_rotation_due timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((locked_at is null) = (lock_reason is null))
    )`.execute(db)

  await sql`
    create table vault_key_wraps (
      id uuid primary key default gen_random_uuid(),
      vault_id uuid not null references vaults (id) on delete cascade,
      credential_type text not null check (credential_type in ('passphrase', 'passkey', 'recovery-code')),
      credential_id text not null check (length(credential_id) between 1 and 512),
      blob jsonb not null,
      policy_version integer not null references crypto_policies (version),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`.execute(db)
  // One live wrap per credential; revoked wraps stay as history.
  await sql`
    create unique index vault_key_wraps_active_credential_key
      on vault_key_wraps (vault_id, credential_type, credential_id) where revoked_at is null`.execute(db)

  await sql`
    create table vault_content_keys (
      vault_id uuid not null references vaults (id) on delete cascade,
      kid text not null check (kid ~ '^[A-Za-z0-9_-]{1,64}$'),
      wrapped jsonb not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      primary key (vault_id, kid)
    )`.execute(db)

  // Only the SHA-256 of each code's verifier: enough to mark a code used, not to open its wrap.
  await sql`
    create table recovery_codes (
      id uuid primary key,
      vault_id uuid not null references vaults (id) on delete cascade,
      code_hash text not null unique check (code_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      used_count integer not null default 0 check (used_count >= 0)
    )`.execute(db)
  await sql`create index recovery_codes_vault_id_idx on recovery_codes (vault_id)`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of ["recovery_codes", "vault_content_keys", "vault_key_wraps", "vaults", "crypto_policies"]) {
    await db.schema.dropTable(table).execute()
  }
}
