/**
 * The port an upload talks to the server through. A session is created for
 * a blob of known size and layout; chunks (upload chunk = encryption
 * segment, the header riding with chunk 0) are put in any order and in
 * parallel, each with its SHA-256, which the server checks; the status
 * says which chunks are in; complete hands over the SHA-256 of the whole
 * ciphertext, the file's identity; abort drops the session. The HTTP
 * implementation comes with the server; `MemoryTransport` is an in-process
 * one for tests.
 */
import { Context, type Effect, Schema } from "effect"
import type { TransportFailure } from "./UploadError.js"

const ByteCount = Schema.Int.pipe(Schema.nonNegative())
const Digest = Schema.Uint8ArrayFromBase64Url.pipe(
  Schema.filter((bytes) => bytes.length === 32 || "a SHA-256 digest is 32 bytes"),
)

/** What the server needs to check every chunk's length: the blob's size and its layout. */
export const SessionSpec = Schema.Struct({
  ciphertextBytes: ByteCount,
  headerBytes: ByteCount,
  segmentBytes: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: "SessionSpec" })
export type SessionSpec = typeof SessionSpec.Type

export const Session = Schema.Struct({
  sessionId: Schema.String,
  /** When the server drops the session and its chunks unless completed (epoch milliseconds). */
  expiresAt: Schema.Number,
}).annotations({ identifier: "Session" })
export type Session = typeof Session.Type

export const SessionStatus = Schema.Struct({
  sessionId: Schema.String,
  /** Chunk indices the server holds, verified. */
  received: Schema.Array(Schema.Int),
  expiresAt: Schema.Number,
}).annotations({ identifier: "SessionStatus" })
export type SessionStatus = typeof SessionStatus.Type

/** A stored file: its identity (SHA-256 of the ciphertext) and size. Completing twice answers the same. */
export const Completed = Schema.Struct({
  sha256: Digest,
  ciphertextBytes: ByteCount,
}).annotations({ identifier: "Completed" })
export type Completed = typeof Completed.Type

export class UploadTransport extends Context.Tag("@ignition/upload/UploadTransport")<
  UploadTransport,
  {
    readonly create: (spec: SessionSpec) => Effect.Effect<Session, TransportFailure>
    readonly status: (sessionId: string) => Effect.Effect<SessionStatus, TransportFailure>
    readonly put: (
      sessionId: string,
      index: number,
      bytes: Uint8Array,
      sha256: Uint8Array,
    ) => Effect.Effect<void, TransportFailure>
    readonly complete: (sessionId: string, sha256: Uint8Array) => Effect.Effect<Completed, TransportFailure>
    readonly abort: (sessionId: string) => Effect.Effect<void, TransportFailure>
  }
>() {}
