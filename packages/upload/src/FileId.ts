/**
 * A file's identifier: a lower-case UUID chosen by the client when it
 * creates the file. Its 16 bytes sit in the encrypted file's header and in
 * the key derivation of every segment, and the wrapped file key is bound to
 * it, so a blob cannot be passed off as another file.
 */

import { Entropy } from "@ignition/vault"
import { Effect, Schema } from "effect"

export const BYTES = 16

export const FileId = Schema.String.pipe(
  Schema.pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  Schema.brand("@ignition/upload/FileId", { identifier: "FileId", description: "A file id: a lower-case UUID" }),
)
export type FileId = typeof FileId.Type

export const make = Schema.decodeSync(FileId)

/** A file id from untrusted input; a ParseError names what is wrong. */
export const decode = Schema.decodeUnknown(FileId)

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")

/** The 16 bytes of a file id (or of its encoded form), as the header stores them. */
export const toBytes = (id: string): Uint8Array => {
  const digits = id.replaceAll("-", "")
  return Uint8Array.from({ length: BYTES }, (_, index) => Number.parseInt(digits.slice(index * 2, index * 2 + 2), 16))
}

/** The id whose bytes these are (any 16 bytes make one). */
export const fromBytes = (bytes: Uint8Array): FileId => {
  const digits = hex(bytes.subarray(0, BYTES))
  return FileId.make(
    `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`,
  )
}

/** A fresh RFC 9562 version 4 id from the Entropy service. */
export const random: Effect.Effect<FileId, never, Entropy.Entropy> = Effect.map(Entropy.bytes(BYTES), (bytes) => {
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  return fromBytes(bytes)
})
