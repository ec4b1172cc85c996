import { type Kysely, sql } from "kysely"

/**
 * The private knowledge base (docs/knowledge-base.md): ideas, infobase notes
 * and journal entries in one table, told apart by `type`, and the saved
 * versions of infobase and journal records. Content is always a vault
 * envelope (`content`); metadata is plaintext JSON in Standard mode
 * (`metadata`) and an envelope in Private mode (`meta`). A delete leaves a
 * tombstone (`deleted_at`, no content) for sync; tombstones and superseded
 * versions are purged after a retention that is shorter for Private records.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  // The id is chosen by the client: the envelope's AAD binds it before the server sees the record.
  await sql`
    create table knowledge_items (
      user_id uuid not null references users (id) on delete cascade,
      type text not null check (type in ('idea', 'infobase', 'journal')),
      id uuid not null,
      mode text not null check (mode in ('standard', 'private')),
      version integer not null check (version >= 1),
      content jsonb check (content is null or jsonb_typeof(content) = 'object'),
      meta jsonb check (meta is null or jsonb_typeof(meta) = 'object'),
      metadata jsonb check (metadata is null or jsonb_typeof(metadata) = 'object'),
      size_bytes integer not null default 0 check (size_bytes >= 0),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz,
      primary key (user_id, type, id),
      check ((deleted_at is null) = (content is not null)),
      check (mode = 'standard' or metadata is null),
      check (mode = 'private' or meta is null),
      check (deleted_at is not null or (mode = 'standard') = (metadata is not null)),
      check (deleted_at is not null or (mode = 'private') = (meta is not null))
    )`.execute(db)
  await sql`
    create index knowledge_items_list_idx
      on knowledge_items (user_id, type, updated_at desc, id desc) where deleted_at is null`.execute(db)
  await sql`create index knowledge_items_tombstones_idx on knowledge_items (deleted_at) where deleted_at is not null`.execute(
    db,
  )

  // Every saved version of a record with history, the current one included; `superseded_at` starts its retention.
  await sql`
    create table knowledge_item_versions (
      user_id uuid not null,
      type text not null,
      id uuid not null,
      version integer not null check (version >= 1),
      mode text not null check (mode in ('standard', 'private')),
      content jsonb not null check (jsonb_typeof(content) = 'object'),
      meta jsonb check (meta is null or jsonb_typeof(meta) = 'object'),
      metadata jsonb check (metadata is null or jsonb_typeof(metadata) = 'object'),
      created_at timestamptz not null,
      superseded_at timestamptz,
      primary key (user_id, type, id, version),
      foreign key (user_id, type, id) references knowledge_items (user_id, type, id) on delete cascade,
      check (mode = 'standard' or metadata is null),
      check (mode = 'private' or meta is null)
    )`.execute(db)
  await sql`
    create index knowledge_item_versions_superseded_idx
      on knowledge_item_versions (superseded_at) where superseded_at is not null`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of ["knowledge_item_versions", "knowledge_items"]) {
    await db.schema.dropTable(table).execute()
  }
}
