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
 *
 * Existing knowledge-base records and settings are written into the log
 * (`backfill`).
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

  await backfill(db)

  await sql`
    create table sync_secrets (
      name text primary key,
      secret bytea not null check (length(secret) >= 32)
    )`.execute(db)
}

/**
 * What existed before sync joins the log, so that a client's first pull
 * carries it and a push can never overwrite a record it was never shown:
 * each user's knowledge-base records (tombstones included) at versions 1…n
 * in the order they were last written, each value as the knowledge base
 * logs it (mode, envelopes, every metadata field of its kind, null when
 * Private), then the settings fields the user changed, stamped n + 1.
 */
const backfill = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    insert into sync_users (user_id)
    select user_id from knowledge_items union select user_id from user_settings`.execute(db)
  await sql`
    insert into sync_rows (user_id, entity, id, version, value, written_at)
    select user_id,
           case type when 'idea' then 'ideas' else type end,
           id::text,
           row_number() over (partition by user_id order by updated_at, type, id),
           case when deleted_at is null then
             jsonb_build_object('mode', mode, 'content', content, 'meta', meta)
             || coalesce(metadata, case type
                  when 'idea' then '{"key": null, "bpm": null, "moodTags": null}'::jsonb
                  when 'infobase' then '{"title": null, "category": null, "tags": null}'::jsonb
                  else '{"entryDate": null, "tags": null}'::jsonb
                end)
           end,
           updated_at
    from knowledge_items`.execute(db)
  await sql`
    insert into sync_rows (user_id, entity, id, version, value, written_at)
    select s.user_id, 'settings', 'settings', n.next,
           jsonb_build_object(
             'fields', f.fields,
             'stamps', (select jsonb_object_agg(key, n.next) from jsonb_object_keys(f.fields) as key)),
           s.updated_at
    from user_settings s
    join users u on u.id = s.user_id
    cross join lateral (
      select coalesce(max(version), 0) + 1 as next from sync_rows r where r.user_id = s.user_id) n
    cross join lateral (
      select coalesce(s.settings -> 'values', '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object(
        'displayName', case when s.settings -> 'updatedAt' ->> 'displayName' is not null then u.display_name end,
        'timeZone', case when s.settings -> 'updatedAt' ->> 'timeZone' is not null then u.time_zone end)) as fields) f
    where f.fields <> '{}'::jsonb`.execute(db)
  await sql`
    update sync_users u set version = m.version
    from (select user_id, max(version) as version from sync_rows group by user_id) m
    where m.user_id = u.user_id`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of ["sync_secrets", "mutation_rejections", "client_mutations", "sync_rows", "sync_users"]) {
    await db.schema.dropTable(table).execute()
  }
}
