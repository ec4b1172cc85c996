import { type Kysely, sql } from "kysely"

/**
 * Sync (docs/sync-protocol.md): a change log per user ordered by a version
 * counter, the last mutation consumed per client, and the mutations that
 * were refused.
 *
 * - `sync_users`: the counter and the tombstone horizon. A write takes the
 *   row `for update` (serialising the user's writers) and bumps `version`
 *   with `update … set version = version + 1 returning version`, so versions
 *   become visible in commit order.
 * - `sync_rows`: the latest state of every synced row, stamped with the
 *   version that wrote it; `value` is null on a tombstone. Pulls read it by
 *   `(user_id, version)`.
 * - `client_mutations`: each client's last consumed `mutationSeq`, written in
 *   the same transaction as the mutation's effects (exactly once).
 * - `mutation_rejections`: mutations that can never apply, with the reason.
 * - `sync_secrets`: the key cursors are signed with, made once per database
 *   so every instance on it signs alike.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table sync_users (
      user_id uuid primary key references users (id) on delete cascade,
      version bigint not null default 0 check (version >= 0),
      horizon bigint not null default 0 check (horizon >= 0 and horizon <= version)
    )`.execute(db)

  await sql`
    create table sync_rows (
      user_id uuid not null references sync_users (user_id) on delete cascade,
      entity text not null,
      id text not null,
      version bigint not null check (version >= 1),
      value jsonb,
      written_at timestamptz not null,
      primary key (user_id, entity, id)
    )`.execute(db)
  await sql`create index sync_rows_version_idx on sync_rows (user_id, version)`.execute(db)
  await sql`create index sync_rows_tombstones_idx on sync_rows (user_id, written_at) where value is null`.execute(db)

  await sql`
    create table client_mutations (
      user_id uuid not null references sync_users (user_id) on delete cascade,
      client_id text not null,
      last_seq bigint not null check (last_seq >= 0),
      primary key (user_id, client_id)
    )`.execute(db)

  await sql`
    create table mutation_rejections (
      user_id uuid not null references sync_users (user_id) on delete cascade,
      client_id text not null,
      mutation_seq bigint not null check (mutation_seq >= 1),
      mutation_id text not null,
      reason text not null,
      rejected_at timestamptz not null default now(),
      primary key (user_id, client_id, mutation_seq)
    )`.execute(db)

  await sql`
    create table sync_secrets (
      name text primary key,
      secret bytea not null check (length(secret) >= 32)
    )`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of ["sync_secrets", "mutation_rejections", "client_mutations", "sync_rows", "sync_users"]) {
    await db.schema.dropTable(table).execute()
  }
}
