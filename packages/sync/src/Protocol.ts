/**
 * The wire messages of sync, version 1: pull, push, poll and poke. Every
 * message carries `protocolVersion`, so a server can refuse (or translate) a
 * client from another protocol generation instead of misreading it. Values
 * travel as the entity's encoded JSON; the server never needs to understand
 * an encrypted record's value, only its id and version.
 */
import { Schema } from "effect"

export const PROTOCOL_VERSION = 1
export const ProtocolVersion = Schema.Literal(PROTOCOL_VERSION)

/** A device install's id: 1–64 characters of base64url alphabet (a UUID qualifies). */
export const ClientId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/),
  Schema.brand("@ignition/sync/ClientId"),
  Schema.annotations({ identifier: "ClientId" }),
)
export type ClientId = typeof ClientId.Type

/** A registered entity's name, e.g. `settings` or `journal`. */
export const EntityName = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9-]{0,47}$/),
  Schema.annotations({ identifier: "EntityName" }),
)

/** A record's id within its entity. */
export const RecordId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_~:.-]{1,256}$/),
  Schema.annotations({ identifier: "RecordId" }),
)

/** A value of the per-user version counter; 0 before the first write. */
export const Version = Schema.Int.pipe(Schema.nonNegative(), Schema.annotations({ identifier: "Version" }))

/** A client's mutation sequence number: gapless from 1 per client. */
export const MutationSeq = Schema.Int.pipe(Schema.positive(), Schema.annotations({ identifier: "MutationSeq" }))

/** The highest mutation sequence number the server has consumed for a client; 0 for none. */
export const LastMutationSeq = Schema.Int.pipe(Schema.nonNegative())

/** An opaque, server-signed position in a user's change log (see `Cursor`). */
export const CursorString = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,128}$/),
  Schema.annotations({ identifier: "Cursor" }),
)

export const MAX_PULL_LIMIT = 1000
export const MAX_PUSH_MUTATIONS = 500

/** Why a vault is locked; mirrors `@ignition/vault`'s lock reasons. */
export const LockReason = Schema.Literal("manual", "idle", "hidden", "logout", "session-expired", "remote", "admin")

/**
 * The user's vault lock state as the server knows it. `epoch` increases at
 * every server-side lock, so a client applies it from every pull and never
 * lets an older state unlock a newer lock.
 */
export const VaultState = Schema.Struct({
  locked: Schema.Boolean,
  epoch: Schema.Int.pipe(Schema.nonNegative()),
  reason: Schema.NullOr(LockReason),
}).annotations({ identifier: "VaultState" })
export type VaultState = typeof VaultState.Type

/** A row that was written: its current value, stamped with the version of the write. */
export const Put = Schema.TaggedStruct("put", {
  entity: EntityName,
  id: RecordId,
  version: Version,
  value: Schema.Unknown,
}).annotations({ identifier: "Put" })

/** A row that was deleted (a tombstone), stamped with the version of the deletion. */
export const Deleted = Schema.TaggedStruct("deleted", {
  entity: EntityName,
  id: RecordId,
  version: Version,
}).annotations({ identifier: "Deleted" })

export const Change = Schema.Union(Put, Deleted)
export type Change = typeof Change.Type

export const PullRequest = Schema.Struct({
  protocolVersion: ProtocolVersion,
  clientId: ClientId,
  /** `null` pulls from the beginning (first sync, or the resync after a 410). */
  cursor: Schema.NullOr(CursorString),
  limit: Schema.Int.pipe(Schema.between(1, MAX_PULL_LIMIT)),
}).annotations({ identifier: "PullRequest" })
export type PullRequest = typeof PullRequest.Type

export const PullResponse = Schema.Struct({
  protocolVersion: ProtocolVersion,
  /** In version order; a page never splits the rows of one version. */
  changes: Schema.Array(Change),
  /** Where the next pull starts: after the last change returned. */
  cursor: CursorString,
  hasMore: Schema.Boolean,
  /** The requesting client's last consumed mutation: drop pending mutations at or below it. */
  lastMutationSeq: LastMutationSeq,
  vault: VaultState,
}).annotations({ identifier: "PullResponse" })
export type PullResponse = typeof PullResponse.Type

export const Mutation = Schema.Struct({
  mutationSeq: MutationSeq,
  /** A random id per mutation, kept with a rejection so it can be traced. */
  mutationId: Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/)),
  entity: EntityName,
  op: Schema.String.pipe(Schema.pattern(/^[a-z][a-zA-Z0-9-]{0,47}$/)),
  args: Schema.Unknown,
}).annotations({ identifier: "Mutation" })
export type Mutation = typeof Mutation.Type

export const PushRequest = Schema.Struct({
  protocolVersion: ProtocolVersion,
  clientId: ClientId,
  mutations: Schema.Array(Mutation).pipe(Schema.maxItems(MAX_PUSH_MUTATIONS)),
}).annotations({ identifier: "PushRequest" })
export type PushRequest = typeof PushRequest.Type

/** The mutation's effects were committed at `version` (`null` when it changed nothing, e.g. a repeated upsert). */
export const Applied = Schema.TaggedStruct("applied", {
  mutationSeq: MutationSeq,
  version: Schema.NullOr(Version),
  /** A compare-and-swap write that found a newer version was kept here, beside it. */
  conflictCopyId: Schema.optional(RecordId),
})
/** The mutation was consumed earlier; it is acknowledged and not applied again. */
export const Duplicate = Schema.TaggedStruct("duplicate", { mutationSeq: MutationSeq })
/** The mutation can never succeed; it was recorded with its reason and its seq consumed, so the queue moves on. */
export const Rejected = Schema.TaggedStruct("rejected", { mutationSeq: MutationSeq, reason: Schema.String })
/** An earlier seq is missing; this one was not looked at. The client resends from `lastMutationSeq + 1`. */
export const SkippedGap = Schema.TaggedStruct("skipped-gap", { mutationSeq: MutationSeq })

export const MutationResult = Schema.Union(Applied, Duplicate, Rejected, SkippedGap)
export type MutationResult = typeof MutationResult.Type

export const PushResponse = Schema.Struct({
  protocolVersion: ProtocolVersion,
  results: Schema.Array(MutationResult),
  lastMutationSeq: LastMutationSeq,
}).annotations({ identifier: "PushResponse" })
export type PushResponse = typeof PushResponse.Type

/** A mutation the server refused, with its reason: kept so every device of the user can list it. */
export const RejectedMutation = Schema.Struct({
  clientId: ClientId,
  mutationSeq: MutationSeq,
  mutationId: Mutation.fields.mutationId,
  reason: Schema.String,
}).annotations({ identifier: "RejectedMutation" })
export type RejectedMutation = typeof RejectedMutation.Type

export const PollRequest = Schema.Struct({
  protocolVersion: ProtocolVersion,
  clientId: ClientId,
  cursor: Schema.NullOr(CursorString),
}).annotations({ identifier: "PollRequest" })
export type PollRequest = typeof PollRequest.Type

/** Count and hash of (id, version) of one entity's live rows, so a client that drifted notices and resyncs. */
export const EntityDigest = Schema.Struct({
  entity: EntityName,
  count: Schema.Int.pipe(Schema.nonNegative()),
  hash: Schema.String,
}).annotations({ identifier: "EntityDigest" })

export const PollResponse = Schema.Struct({
  protocolVersion: ProtocolVersion,
  /** The head of the user's change log; the client pulls when it differs from its own cursor. */
  cursor: CursorString,
  changed: Schema.Boolean,
  lastMutationSeq: LastMutationSeq,
  vault: VaultState,
  badges: Schema.Record({ key: Schema.String, value: Schema.Int.pipe(Schema.nonNegative()) }),
  digests: Schema.Array(EntityDigest),
}).annotations({ identifier: "PollResponse" })
export type PollResponse = typeof PollResponse.Type

/**
 * A realtime poke: data-free, a hint to pull. `version`, when present, lets a
 * client that is already there skip the pull; it is never a reason to skip
 * the next poll. `userId` appears only on the server's fan-out channel.
 */
export const Poke = Schema.Struct({
  protocolVersion: ProtocolVersion,
  userId: Schema.optional(Schema.String),
  version: Schema.optional(Version),
}).annotations({ identifier: "Poke" })
export type Poke = typeof Poke.Type
