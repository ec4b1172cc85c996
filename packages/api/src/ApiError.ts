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
 * A cross-origin request from an origin that is not allowed to embed this
 * instance.
 *
 * @since 0.1.0
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 403, description: "The request is not allowed" }),
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
