/**
 * What every adapter checks the same way, so they agree to the byte: keys
 * and prefixes, byte ranges against an object's size, part numbers and
 * checksums, and the part list a completion names.
 */
import { createHash, timingSafeEqual } from "node:crypto"
import { Effect, Either } from "effect"
import {
  BlobChecksumMismatch,
  BlobKeyInvalid,
  BlobPartsInvalid,
  BlobRangeInvalid,
  type ByteRange,
  maxPartNumber,
  type Part,
} from "../BlobStore.js"

/** S3's floor for every part but the last; the filesystem and memory stores hold to it too. */
export const minPartBytes = 5 * 1024 * 1024

const maxKeyLength = 1024
const segment = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/
const describe = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)

export const checkKey = (key: string): Effect.Effect<string, BlobKeyInvalid> =>
  key.length > 0 && key.length <= maxKeyLength && key.split("/").every((s) => segment.test(s))
    ? Effect.succeed(key)
    : Effect.fail(
        new BlobKeyInvalid({
          message: `${describe(key)} is not a blob key: 1 to ${maxKeyLength} characters, "/"-separated segments of letters, digits, ".", "_" and "-", none starting with "."`,
        }),
      )

/** A prefix is a key cut anywhere (its last segment may be partial or empty), or "" for everything. */
export const checkPrefix = (prefix: string): Effect.Effect<string, BlobKeyInvalid> => {
  const segments = prefix.split("/")
  const last = segments.pop() ?? ""
  return prefix.length <= maxKeyLength && segments.every((s) => segment.test(s)) && (last === "" || segment.test(last))
    ? Effect.succeed(prefix)
    : Effect.fail(new BlobKeyInvalid({ message: `${describe(prefix)} is not a blob key prefix` }))
}

export interface Resolved {
  readonly start: number
  /** Inclusive; `start - 1` for the whole of an empty object. */
  readonly end: number
}

/** The bytes a range selects from an object of `size` bytes; without a range, all of them. */
export const resolveRange = (size: number, range: ByteRange | undefined): Either.Either<Resolved, BlobRangeInvalid> => {
  const invalid = (message: string) => Either.left(new BlobRangeInvalid({ message, size }))
  if (range === undefined) return Either.right({ start: 0, end: size - 1 })
  if (range._tag === "Suffix") {
    if (!Number.isSafeInteger(range.length) || range.length <= 0)
      return invalid("A suffix range needs a positive length")
    if (size === 0) return invalid("The object is empty: no range of it is satisfiable")
    return Either.right({ start: Math.max(0, size - range.length), end: size - 1 })
  }
  const { start, end } = range
  if (!Number.isSafeInteger(start) || start < 0) return invalid("A range starts at a non-negative integer")
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    return invalid(`A range ending at ${end} cannot start at ${start}`)
  }
  if (start >= size) return invalid(`The range starts at byte ${start} of a ${size}-byte object`)
  return Either.right({ start, end: Math.min(end ?? size - 1, size - 1) })
}

export const checkPartNumber = (partNumber: number): Effect.Effect<number, BlobPartsInvalid> =>
  Number.isSafeInteger(partNumber) && partNumber >= 1 && partNumber <= maxPartNumber
    ? Effect.succeed(partNumber)
    : Effect.fail(new BlobPartsInvalid({ message: `Part numbers run from 1 to ${maxPartNumber}, not ${partNumber}` }))

export const sha256 = (bytes: Uint8Array): Buffer => createHash("sha256").update(bytes).digest()

/** The bytes' SHA-256 hex digest when it is `expected`; a mismatch stores nothing. */
export const verifyChecksum = (bytes: Uint8Array, expected: Uint8Array): Effect.Effect<string, BlobChecksumMismatch> =>
  Effect.suspend(() => {
    const actual = sha256(bytes)
    return expected.length === actual.length && timingSafeEqual(actual, expected)
      ? Effect.succeed(actual.toString("hex"))
      : Effect.fail(
          new BlobChecksumMismatch({
            message: `The ${bytes.length} bytes sent do not match the SHA-256 sent with them`,
          }),
        )
  })

/**
 * The parts a completion names against those the upload holds (by part
 * number): strictly ascending numbers, each held with the same tag, every
 * one but the last at least `minPartBytes`.
 */
export const checkCompletion = (
  named: ReadonlyArray<Part>,
  held: ReadonlyMap<number, Part>,
): Effect.Effect<ReadonlyArray<Part>, BlobPartsInvalid> => {
  const refuse = (message: string) => Effect.fail(new BlobPartsInvalid({ message }))
  if (named.length === 0) return refuse("A completion names at least one part")
  for (const [index, part] of named.entries()) {
    const previous = named[index - 1]
    if (previous !== undefined && part.partNumber <= previous.partNumber) {
      return refuse(
        `Parts are named in ascending order without repeats; ${part.partNumber} follows ${previous.partNumber}`,
      )
    }
    const stored = held.get(part.partNumber)
    if (stored === undefined) return refuse(`The upload holds no part ${part.partNumber}`)
    if (stored.etag !== part.etag) return refuse(`Part ${part.partNumber} holds other bytes than the ones named`)
    if (index < named.length - 1 && stored.size < minPartBytes) {
      return refuse(`Part ${part.partNumber} has ${stored.size} bytes; every part but the last needs ${minPartBytes}`)
    }
  }
  return Effect.succeed(named.map((part) => held.get(part.partNumber) ?? part))
}
