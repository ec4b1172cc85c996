import { type Kysely, sql } from "kysely"

/**
 * Accounts, credentials, sessions, sign-in methods, roles and permissions,
 * the security audit log, per-user settings, instance setup and the shared
 * rate-limit store.
 */
export const up = async (db: Kysely<unknown>): Promise<void> => {
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email = btrim(email) and length(email) between 3 and 254),
      display_name text not null check (length(display_name) between 1 and 100),
      status text not null check (status in ('pending', 'approved', 'suspended')),
      time_zone text not null default 'UTC',
      birth_year integer check (birth_year between 1900 and 2200),
      age_verified_at timestamptz,
      terms_accepted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)
  // Case-insensitive uniqueness: Ada@Example.com and ada@example.com are one account.
  await sql`create unique index users_email_key on users (lower(email))`.execute(db)

  await sql`
    create table password_credentials (
      user_id uuid primary key references users (id) on delete cascade,
      hash text not null,
      updated_at timestamptz not null default now()
    )`.execute(db)

  await sql`
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      token_hash bytea not null unique,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      absolute_expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text,
      rotated_from uuid references sessions (id) on delete set null,
      user_agent text,
      check (expires_at <= absolute_expires_at)
    )`.execute(db)
  await sql`create index sessions_user_id_idx on sessions (user_id) where revoked_at is null`.execute(db)

  await sql`
    create table oidc_identities (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      issuer text not null,
      subject text not null,
      email text,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      unique (issuer, subject)
    )`.execute(db)
  await sql`create index oidc_identities_user_id_idx on oidc_identities (user_id)`.execute(db)

  // A sign-in in progress at an OpenID provider: single use, short-lived, found by the hash of its state.
  await sql`
    create table oidc_flows (
      state_hash bytea primary key,
      provider text not null,
      code_verifier text not null,
      nonce text not null,
      return_to text not null,
      expires_at timestamptz not null
    )`.execute(db)

  await sql`
    create table passkeys (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      credential_id text not null unique,
      public_key bytea not null,
      sign_count bigint not null default 0 check (sign_count >= 0),
      transports text[] not null default '{}',
      device_type text not null check (device_type in ('singleDevice', 'multiDevice')),
      backed_up boolean not null default false,
      prf_capable boolean not null default false,
      name text not null default 'Passkey',
      created_at timestamptz not null default now(),
      last_used_at timestamptz
    )`.execute(db)
  await sql`create index passkeys_user_id_idx on passkeys (user_id)`.execute(db)

  // A WebAuthn ceremony in progress: single use, short-lived.
  await sql`
    create table webauthn_challenges (
      id uuid primary key default gen_random_uuid(),
      user_id uuid references users (id) on delete cascade,
      purpose text not null check (purpose in ('register', 'login')),
      challenge text not null,
      expires_at timestamptz not null
    )`.execute(db)

  await sql`
    create table roles (
      name text primary key check (name ~ '^[a-z][a-z0-9_-]{1,39}$'),
      description text not null
    )`.execute(db)
  await sql`
    create table permissions (
      name text primary key check (name ~ '^[a-z][a-z0-9_.-]{1,79}$'),
      description text not null
    )`.execute(db)
  await sql`
    create table role_permissions (
      role text not null references roles (name) on delete cascade,
      permission text not null references permissions (name) on delete cascade,
      primary key (role, permission)
    )`.execute(db)
  await sql`
    create table user_roles (
      user_id uuid not null references users (id) on delete cascade,
      role text not null references roles (name) on delete cascade,
      granted_at timestamptz not null default now(),
      granted_by uuid references users (id) on delete set null,
      primary key (user_id, role)
    )`.execute(db)
  await sql`
    insert into roles (name, description) values
      ('admin', 'Administers the instance: users, roles, sign-outs'),
      ('member', 'Uses the instance')`.execute(db)
  await sql`
    insert into permissions (name, description) values
      ('users.read', 'List users and their status'),
      ('users.approve', 'Approve pending users'),
      ('users.suspend', 'Suspend users'),
      ('users.roles', 'Change the roles of users'),
      ('users.sign-out', 'Sign users out everywhere')`.execute(db)
  await sql`
    insert into role_permissions (role, permission)
      select 'admin', name from permissions`.execute(db)

  // What happened to whose account: never secrets, never private content.
  await sql`
    create table security_audit (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      action text not null,
      actor_user_id uuid references users (id) on delete set null,
      subject_user_id uuid references users (id) on delete set null,
      ip text,
      user_agent text,
      details jsonb not null default '{}'
    )`.execute(db)
  await sql`create index security_audit_subject_idx on security_audit (subject_user_id, at desc)`.execute(db)

  await sql`
    create table user_settings (
      user_id uuid primary key references users (id) on delete cascade,
      version integer not null default 1 check (version >= 1),
      settings jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db)

  // The one-time token that makes the first account an administrator (docs/accounts.md).
  await sql`
    create table instance_setup (
      singleton boolean primary key default true check (singleton),
      token_hash bytea not null,
      created_at timestamptz not null default now(),
      consumed_at timestamptz,
      consumed_by uuid references users (id) on delete set null
    )`.execute(db)

  // rate-limiter-flexible's PostgreSQL store (shared by every instance), created here rather than by the library.
  await sql`
    create table rate_limits (
      key varchar(255) primary key,
      points integer not null default 0,
      expire bigint
    )`.execute(db)
}

export const down = async (db: Kysely<unknown>): Promise<void> => {
  for (const table of [
    "rate_limits",
    "instance_setup",
    "user_settings",
    "security_audit",
    "user_roles",
    "role_permissions",
    "permissions",
    "roles",
    "webauthn_challenges",
    "passkeys",
    "oidc_flows",
    "oidc_identities",
    "sessions",
    "password_credentials",
    "users",
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
