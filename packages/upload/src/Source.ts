/**
 * What an upload reads from: a size and random access to byte ranges, so
 * chunks can be read in any order, re-read after a crash, and never all at
 * once. A browser `File` (a `Blob`) is one; bytes in memory are another.
 */
import { Effect } from "effect"
import { SourceUnreadable } from "./UploadError.js"

export interface Source {
  readonly size: number
  /** Bytes [offset, offset + length); each call may allocate, none may hold the whole source. */
  readonly read: (offset: number, length: number) => Effect.Effect<Uint8Array, SourceUnreadable>
}

/** Bytes already in memory (views, not copies: do not change them during an upload). */
export const fromBytes = (bytes: Uint8Array): Source => ({
  size: bytes.length,
  read: (offset, length) => Effect.succeed(bytes.subarray(offset, offset + length)),
})

/** A Blob or a browser File: each read is one `slice().arrayBuffer()`. */
export const fromBlob = (blob: Blob): Source => ({
  size: blob.size,
  read: (offset, length) =>
    Effect.tryPromise({
      try: async () => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
      catch: (cause) =>
        new SourceUnreadable({
          message: `bytes ${offset}–${offset + length} could not be read: ${cause instanceof Error ? cause.name : "unknown error"}`,
        }),
    }),
})
