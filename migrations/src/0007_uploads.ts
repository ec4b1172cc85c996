import { type Kysely, sql } from "kysely"

/**
 * Encrypted uploads (docs/ops/blob-stores.md, docs/ops/file-identity-policy.md).
 *
 * - `blobs`: a stored ciphertext, owned by a user, identified by its
 *   SHA-256 (once per user), with the blob store key holding its bytes.
 * - `upload_sessions`: a multipart upload in progress: its purpose (which
 *   decides the per-file limit), size and layout (header and segment bytes,
 *   hence the chunk count), the blob store key and multipart upload id, its
 *   status and when it expires. A completed session names its blob.
 * - `upload_chunks`: the chunks received, each with the SHA-256 it was
 *   verified against and the store's tag for it; a repeated put replaces.
 * - `upload_quotas`: a user's quota when it is not the instance's default.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table blobs (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      sha256 bytea not null check (length(sha256) = 32),
      size bigint not null check (size >= 0),
      storage_key text not null unique,
      created_at timestamptz not null,
      unique (user_id, sha256)
    )`.execute(db)

  await sql`
    create table upload_sessions (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null check (purpose in ('file', 'audio', 'image', 'daw-project')),
      ciphertext_bytes bigint not null check (ciphertext_bytes >= 0),
      header_bytes integer not null check (header_bytes >= 0),
      segment_bytes integer not null check (segment_bytes > 0),
      chunk_count integer not null check (chunk_count between 1 and 10000),
      storage_key text not null unique,
      store_upload_id text not null,
      status text not null check (status in ('open', 'completed')),
      blob_id uuid references blobs (id) on delete set null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    )`.execute(db)
  await sql`create index upload_sessions_user_idx on upload_sessions (user_id, status)`.execute(db)
  await sql`create index upload_sessions_expiry_idx on upload_sessions (expires_at)`.execute(db)

  await sql`
    create table upload_chunks (
      session_id uuid not null references upload_sessions (id) on delete cascade,
      index integer not null check (index >= 0),
      sha256 bytea not null check (length(sha256) = 32),
      etag text not null,
      size integer not null check (size >= 0),
      received_at timestamptz not null,
      primary key (session_id, index)
    )`.execute(db)

  await sql`
    create table upload_quotas (
      user_id uuid primary key references users (id) on delete cascade,
      max_bytes bigint not null check (max_bytes >= 0)
    )`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of ["upload_quotas", "upload_chunks", "upload_sessions", "blobs"]) {
    await db.schema.dropTable(table).execute()
  }
}
