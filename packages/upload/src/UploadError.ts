/**
 * The upload package's typed failures: reading an encrypted file (header,
 * segments, ranges), the file key, planning, the source, the server and the
 * journal. Messages name positions, sizes and tags, never key material,
 * plaintext or ciphertext, so any of them is safe to log.
 */
import { Schema } from "effect"

/** Bytes that are not a file header this client understands (magic, version, suite or a field out of bounds). */
export class MalformedHeader extends Schema.TaggedError<MalformedHeader>()("MalformedHeader", {
  message: Schema.String,
}) {}

/** The header names another file than the one asked for: a blob moved or swapped by the server. */
export class FileMismatch extends Schema.TaggedError<FileMismatch>()("FileMismatch", {
  message: Schema.String,
}) {}

/** The wrapped file key could not be made or opened (vault locked, wrong vault, altered wrap). */
export class FileKeyUnavailable extends Schema.TaggedError<FileKeyUnavailable>()("FileKeyUnavailable", {
  message: Schema.String,
}) {}

/** The ciphertext ends early: its final segment is not flagged last, or a header or segment is cut short. */
export class Truncated extends Schema.TaggedError<Truncated>()("Truncated", {
  message: Schema.String,
}) {}

/** Bytes follow the segment flagged last (an appended segment, a duplicated last one, junk). */
export class TrailingData extends Schema.TaggedError<TrailingData>()("TrailingData", {
  position: Schema.Number,
  message: Schema.String,
}) {}

/** A later segment stands where an earlier one belongs: segments dropped or reordered. */
export class SegmentOutOfOrder extends Schema.TaggedError<SegmentOutOfOrder>()("SegmentOutOfOrder", {
  position: Schema.Number,
  found: Schema.Number,
  message: Schema.String,
}) {}

/** An earlier segment appears again. */
export class SegmentDuplicated extends Schema.TaggedError<SegmentDuplicated>()("SegmentDuplicated", {
  position: Schema.Number,
  found: Schema.Number,
  message: Schema.String,
}) {}

/** A segment does not authenticate at its position or near it: altered, or from another file or key. */
export class SegmentCorrupted extends Schema.TaggedError<SegmentCorrupted>()("SegmentCorrupted", {
  position: Schema.Number,
  message: Schema.String,
}) {}

/** A plaintext byte range outside the file, or empty and inverted. */
export class InvalidRange extends Schema.TaggedError<InvalidRange>()("InvalidRange", {
  message: Schema.String,
}) {}

/** No chunk plan satisfies the limits: a file too large, a requested size out of bounds. */
export class PlanRefused extends Schema.TaggedError<PlanRefused>()("PlanRefused", {
  message: Schema.String,
}) {}

/** The local source could not be read (a file removed, a permission revoked). */
export class SourceUnreadable extends Schema.TaggedError<SourceUnreadable>()("SourceUnreadable", {
  message: Schema.String,
}) {}

/** The source's bytes differ from what an interrupted upload already encrypted, too many times in a row. */
export class SourceUnstable extends Schema.TaggedError<SourceUnstable>()("SourceUnstable", {
  message: Schema.String,
}) {}

/** The server could not be reached or failed (network, timeout, 5xx): worth retrying. */
export class TransportUnavailable extends Schema.TaggedError<TransportUnavailable>()("TransportUnavailable", {
  message: Schema.String,
}) {}

/** The server received a chunk whose SHA-256 is not the one sent with it (damaged in transit): worth retrying. */
export class ChecksumMismatch extends Schema.TaggedError<ChecksumMismatch>()("ChecksumMismatch", {
  index: Schema.Number,
  message: Schema.String,
}) {}

/** The session expired, was aborted or never existed: start over with a new session. */
export class SessionGone extends Schema.TaggedError<SessionGone>()("SessionGone", {
  message: Schema.String,
}) {}

/** The server refused for good: a quota, a size limit, a malformed request. */
export class UploadRefused extends Schema.TaggedError<UploadRefused>()("UploadRefused", {
  reason: Schema.Literal("file-quota", "user-quota", "invalid", "identity-mismatch"),
  message: Schema.String,
}) {}

/** The local journal could not be read or written: without it an upload cannot promise never to reuse an IV. */
export class JournalUnavailable extends Schema.TaggedError<JournalUnavailable>()("JournalUnavailable", {
  message: Schema.String,
}) {}

/** The upload was cancelled by its owner. */
export class UploadCancelled extends Schema.TaggedError<UploadCancelled>()("UploadCancelled", {
  message: Schema.String,
}) {}

/** Anything that can go wrong reading an encrypted file. */
export type DecryptFailure =
  | MalformedHeader
  | FileMismatch
  | FileKeyUnavailable
  | Truncated
  | TrailingData
  | SegmentOutOfOrder
  | SegmentDuplicated
  | SegmentCorrupted

/** What a transport can answer instead of success. */
export type TransportFailure = TransportUnavailable | ChecksumMismatch | SessionGone | UploadRefused

/** Failures that a later attempt of the same request may not meet. */
export const isRetryable = (error: { readonly _tag: string }): boolean =>
  error._tag === "TransportUnavailable" || error._tag === "ChecksumMismatch"
