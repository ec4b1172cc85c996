/**
 * The `sync` group: delta pull, exactly-once push and poll over the
 * signed-in user's change log (docs/sync-protocol.md). The messages are
 * `@ignition/sync`'s protocol schemas; this group puts them on HTTP.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Protocol, SyncError } from "@ignition/sync"
import { Schema } from "effect"
import { Authentication } from "./Authentication.js"
import { VaultLocked } from "./VaultApi.js"

/**
 * How many changes a pull answers when `limit` is absent.
 *
 * @since 0.1.0
 */
export const defaultPullLimit = 500

/**
 * `?clientId=` (the device install), `?cursor=` (absent to pull from the
 * beginning) and `?limit=` (1–1000).
 *
 * @since 0.1.0
 */
export const PullParams = Schema.Struct({
  clientId: Protocol.ClientId,
  cursor: Schema.optional(Protocol.CursorString),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, Protocol.MAX_PULL_LIMIT))),
})

/**
 * `?clientId=` and `?cursor=` (absent before the first pull).
 *
 * @since 0.1.0
 */
export const PollParams = Schema.Struct({
  clientId: Protocol.ClientId,
  cursor: Schema.optional(Protocol.CursorString),
})

/**
 * @since 0.1.0
 */
export class SyncApi extends HttpApiGroup.make("sync")
  .add(
    HttpApiEndpoint.get("pull", "/api/sync/pull")
      .setUrlParams(PullParams)
      .addSuccess(Protocol.PullResponse)
      .addError(SyncError.InvalidCursor, { status: 400 })
      .addError(SyncError.ResyncRequired, { status: 410 })
      .addError(SyncError.StoreUnavailable, { status: 503 })
      .annotate(
        OpenApi.Summary,
        "The changes after the cursor, oldest first; 410 when the cursor is older than the tombstone horizon",
      ),
  )
  .add(
    HttpApiEndpoint.post("push", "/api/sync/push")
      .setPayload(Protocol.PushRequest)
      .addSuccess(Protocol.PushResponse)
      .addError(VaultLocked)
      .addError(SyncError.StoreUnavailable, { status: 503 })
      .annotate(
        OpenApi.Summary,
        "Apply the client's mutations in mutationSeq order, each exactly once; one result per mutation",
      ),
  )
  .add(
    HttpApiEndpoint.get("poll", "/api/sync/poll")
      .setUrlParams(PollParams)
      .addSuccess(Protocol.PollResponse)
      .addError(SyncError.InvalidCursor, { status: 400 })
      .addError(SyncError.StoreUnavailable, { status: 503 })
      .annotate(
        OpenApi.Summary,
        "The head cursor, whether it moved, the vault lock state, badges and an integrity digest per entity",
      ),
  )
  .add(
    HttpApiEndpoint.get("rejections", "/api/sync/rejections")
      .addSuccess(
        Schema.Struct({ items: Schema.Array(Protocol.RejectedMutation) }).annotations({ identifier: "Rejections" }),
      )
      .addError(SyncError.StoreUnavailable, { status: 503 })
      .annotate(OpenApi.Summary, "The mutations the server refused, from every device of the user, oldest first"),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Sync")
  .annotate(OpenApi.Description, "The signed-in user's change log: pull, push, poll, refused mutations") {}
