/**
 * The security audit log: what happened to whose account, by whom, from
 * where. Details never hold secrets (no passwords, tokens, keys) nor
 * private content.
 */
import { Effect } from "effect"
import type { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import { clientInfo } from "./RequestInfo.js"

export type AuditAction =
  | "signup"
  | "sign_in"
  | "sign_in_failed"
  | "sign_out"
  | "sign_out_everywhere"
  | "session_revoked"
  | "session_rotated"
  | "password_changed"
  | "terms_accepted"
  | "setup_completed"
  | "user_approved"
  | "user_suspended"
  | "roles_changed"
  | "admin_signed_out_user"
  | "oidc_linked"
  | "passkey_registered"
  | "passkey_removed"
  | "vault.created"
  | "vault.lock"
  | "vault.unlock"
  | "vault.unlock_failed"
  | "vault.force_lock"
  | "vault.wrap_added"
  | "vault.wrap_revoked"
  | "vault.content_key_rotated"
  | "vault.recovery_codes_generated"
  | "vault.recovery_code_used"
  | "vault.recovery_code_failed"
  | "vault.recovery_code_revoked"
  | "vault.reset"
  | "vault.reset_refused"
  | "crypto_policy.rotated"

export interface AuditEntry {
  readonly action: AuditAction
  readonly actor?: string | undefined
  readonly subject?: string | undefined
  readonly details?: Record<string, string | number | boolean | null> | undefined
}

/** Write an entry (inside the current transaction, if any). */
export const record = (entry: AuditEntry): Effect.Effect<void, never, Database | AppConfig> =>
  Effect.gen(function* () {
    const db = yield* Database
    const client = yield* clientInfo
    yield* db
      .execute((q) =>
        q
          .insertInto("security_audit")
          .values({
            action: entry.action,
            actor_user_id: entry.actor ?? null,
            subject_user_id: entry.subject ?? null,
            ip: client.ip,
            user_agent: client.userAgent,
            details: JSON.stringify(entry.details ?? {}),
          })
          .execute(),
      )
      .pipe(Effect.orDie)
  })
