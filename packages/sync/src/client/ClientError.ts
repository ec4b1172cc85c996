/**
 * The client engine's typed failures. Like the protocol's, none carries a
 * record's value, a cursor or a token, so every message is safe to log.
 */
import { Schema } from "effect"

/**
 * The server could not be reached or answered with a failure that may pass
 * (network down, timeout, 5xx, 429). The engine backs off and retries; what
 * was sent may or may not have been applied, which exactly-once push makes
 * harmless.
 */
export class SyncUnavailable extends Schema.TaggedError<SyncUnavailable>()("SyncUnavailable", {
  message: Schema.String,
}) {}

/** The server refuses end-to-end-encrypted writes while the vault is locked (423); they wait for an unlock. */
export class VaultLocked extends Schema.TaggedError<VaultLocked>()("VaultLocked", {
  message: Schema.String,
}) {
  readonly status = 423
}

/**
 * The server refused a request as malformed or not allowed (a 4xx other than
 * 410 and 423): retrying the same request cannot help, so the engine stops
 * and surfaces it instead of looping.
 */
export class SyncRefused extends Schema.TaggedError<SyncRefused>()("SyncRefused", {
  status: Schema.Int,
  message: Schema.String,
}) {}

/** The device's outbox could not be read or written (quota, a blocked or closed database). */
export class OutboxUnavailable extends Schema.TaggedError<OutboxUnavailable>()("OutboxUnavailable", {
  message: Schema.String,
}) {}
