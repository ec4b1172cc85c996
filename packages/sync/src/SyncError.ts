/**
 * The sync protocol's typed failures. Each carries the HTTP status it maps to
 * so the server adapter does not re-derive it, and none echoes a cursor's MAC,
 * a record's value or a token, so a message is always safe to log.
 */
import { Schema } from "effect"

/** A cursor that is malformed, of an unknown format, or was not issued to this user (400). */
export class InvalidCursor extends Schema.TaggedError<InvalidCursor>()("InvalidCursor", {
  message: Schema.String,
}) {
  readonly status = 400
}

/**
 * The cursor is older than the user's tombstone horizon: deletions it has not
 * seen may have expired, so a delta could silently miss them (410
 * `resync_required`). The client pulls again from `null` and keeps its outbox.
 */
export class ResyncRequired extends Schema.TaggedError<ResyncRequired>()("ResyncRequired", {
  horizon: Schema.Int,
  message: Schema.String,
}) {
  readonly status = 410
  readonly code = "resync_required"
}

/** The transactional store could not be reached or aborted the transaction (503; the client retries). */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  message: Schema.String,
}) {
  readonly status = 503
}

/** Any failure of a pull. */
export type PullFailure = InvalidCursor | ResyncRequired | StoreUnavailable
