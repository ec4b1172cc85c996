/**
 * Errors that any endpoint of the Ignition API can answer with. Every error
 * body is JSON with a `_tag` and a human-readable `message`, so clients can
 * branch on the tag and show the message.
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

/**
 * No route matches the request's method and path, or the addressed resource
 * does not exist (or is not visible to the caller).
 *
 * @since 0.1.0
 */
export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "No such route or resource" }),
) {}

/**
 * The request could not be read: malformed JSON, an unreadable body.
 * (Well-formed input that fails validation answers `HttpApiDecodeError`.)
 *
 * @since 0.1.0
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()(
  "BadRequest",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The request body could not be read" }),
) {}

/**
 * No valid session: never signed in, signed out, expired, revoked or
 * rotated away — or wrong credentials (one answer for all, so it does not
 * tell whether an account exists).
 *
 * @since 0.1.0
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 401, description: "Not signed in, or wrong credentials" }),
) {}

/**
 * Why a request was refused, for clients to act on.
 *
 * @since 0.1.0
 */
export const ForbiddenReason = Schema.Literal(
  "origin",
  "pending_approval",
  "suspended",
  "terms_required",
  "admin_required",
  "age_requirement",
  "setup_token",
)

/**
 * The caller may not do this: a cross-origin or cross-site request from an
 * origin that is not allowed, an account awaiting approval or suspended,
 * terms not accepted yet, a missing role.
 *
 * @since 0.1.0
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String, reason: Schema.optionalWith(ForbiddenReason, { exact: true }) },
  HttpApiSchema.annotations({ status: 403, description: "The request is not allowed" }),
) {}

/**
 * The request conflicts with what exists (e.g. the email already has an
 * account).
 *
 * @since 0.1.0
 */
export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 409, description: "Conflicts with the current state" }),
) {}

/**
 * Too many attempts: wait `retryAfterSeconds` (also sent as `Retry-After`).
 *
 * @since 0.1.0
 */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()(
  "TooManyRequests",
  { message: Schema.String, retryAfterSeconds: Schema.Int.pipe(Schema.positive()) },
  HttpApiSchema.annotations({ status: 429, description: "Rate limited" }),
) {}

/**
 * The request body is larger than the endpoint accepts.
 *
 * @since 0.1.0
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()(
  "PayloadTooLarge",
  { message: Schema.String, limitBytes: Schema.Int.pipe(Schema.positive()) },
  HttpApiSchema.annotations({ status: 413, description: "The request body exceeds the limit" }),
) {}

/**
 * A request body sent without a Content-Length (chunked): JSON endpoints
 * need the size up front to enforce their limit before reading.
 *
 * @since 0.1.0
 */
export class LengthRequired extends Schema.TaggedError<LengthRequired>()(
  "LengthRequired",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 411, description: "The request body did not declare its length" }),
) {}

/**
 * The server cannot answer yet (still starting) or for a moment; retry
 * after `Retry-After`.
 *
 * @since 0.1.0
 */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  "ServiceUnavailable",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 503, description: "Starting or briefly unavailable" }),
) {}

/**
 * An unexpected failure on the server. The `requestId` matches the server's
 * log line for this request; nothing else about the failure is disclosed.
 *
 * @since 0.1.0
 */
export class InternalServerError extends Schema.TaggedError<InternalServerError>()(
  "InternalServerError",
  { message: Schema.String, requestId: Schema.String },
  HttpApiSchema.annotations({ status: 500, description: "Unexpected server failure" }),
) {}
