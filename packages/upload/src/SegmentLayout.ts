/**
 * Where every byte of an encrypted file sits. The blob is the header
 * followed by the segments, each its plaintext plus a 16-byte GCM tag:
 *
 *     header ‖ ct₀ ‖ ct₁ ‖ … ‖ ctₙ₋₁        |ctᵢ| = |ptᵢ| + 16
 *
 * Upload chunk 0 is the header with ct₀; chunk i > 0 is ctᵢ. Pure
 * arithmetic, shared by the uploader, ranged reads and (later) the server,
 * which checks each chunk's length with it.
 */
import { Either } from "effect"
import { segmentCount } from "./ChunkPlan.js"
import { InvalidRange, Truncated } from "./UploadError.js"

export const TAG_BYTES = 16

export interface SegmentLayout {
  readonly headerBytes: number
  readonly segmentBytes: number
  readonly plaintextBytes: number
}

export const make = (headerBytes: number, segmentBytes: number, plaintextBytes: number): SegmentLayout => ({
  headerBytes,
  segmentBytes,
  plaintextBytes,
})

export const count = (layout: SegmentLayout): number => segmentCount(layout.plaintextBytes, layout.segmentBytes)

export const ciphertextBytes = (layout: SegmentLayout): number =>
  layout.headerBytes + layout.plaintextBytes + count(layout) * TAG_BYTES

export interface Segment {
  readonly index: number
  readonly last: boolean
  readonly plaintextOffset: number
  readonly plaintextLength: number
  /** Where the segment's own ciphertext (without the header) starts in the blob. */
  readonly ciphertextOffset: number
  readonly ciphertextLength: number
}

export const segment = (layout: SegmentLayout, index: number): Segment => {
  const plaintextOffset = index * layout.segmentBytes
  const plaintextLength = Math.min(layout.segmentBytes, layout.plaintextBytes - plaintextOffset)
  return {
    index,
    last: index === count(layout) - 1,
    plaintextOffset,
    plaintextLength,
    ciphertextOffset: layout.headerBytes + index * (layout.segmentBytes + TAG_BYTES),
    ciphertextLength: plaintextLength + TAG_BYTES,
  }
}

/** Upload chunk `index`: the blob bytes [offset, offset + length). */
export interface Chunk {
  readonly segment: Segment
  readonly offset: number
  readonly length: number
}

export const chunk = (layout: SegmentLayout, index: number): Chunk => {
  const of = segment(layout, index)
  return index === 0
    ? { segment: of, offset: 0, length: layout.headerBytes + of.ciphertextLength }
    : { segment: of, offset: of.ciphertextOffset, length: of.ciphertextLength }
}

/**
 * The layout of a blob of `ciphertextBytes` (what a server reports for a
 * stored file). Every length but those that leave the final segment shorter
 * than a tag is possible; those are cut short.
 */
export const fromCiphertextBytes = (
  headerBytes: number,
  segmentBytes: number,
  ciphertextBytes: number,
): Either.Either<SegmentLayout, Truncated> => {
  const body = ciphertextBytes - headerBytes
  const full = segmentBytes + TAG_BYTES
  const segments = Math.ceil(body / full)
  const lastLength = body - (segments - 1) * full
  if (!Number.isSafeInteger(ciphertextBytes) || body < TAG_BYTES || lastLength < TAG_BYTES)
    return Either.left(
      new Truncated({ message: `${ciphertextBytes} bytes cannot hold this header and whole segments` }),
    )
  return Either.right(make(headerBytes, segmentBytes, body - segments * TAG_BYTES))
}

/** Which segments hold the plaintext bytes [start, end), and where in their plaintext the range lies. */
export interface RangePlan {
  readonly first: number
  readonly last: number
  /** Plaintext bytes of segment `first` before the range starts. */
  readonly skip: number
  readonly length: number
}

export const range = (layout: SegmentLayout, start: number, end: number): Either.Either<RangePlan, InvalidRange> => {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start)
    return Either.left(new InvalidRange({ message: `[${start}, ${end}) is not a non-empty range` }))
  if (end > layout.plaintextBytes)
    return Either.left(
      new InvalidRange({ message: `[${start}, ${end}) ends past the file's ${layout.plaintextBytes} bytes` }),
    )
  const first = Math.floor(start / layout.segmentBytes)
  return Either.right({
    first,
    last: Math.floor((end - 1) / layout.segmentBytes),
    skip: start - first * layout.segmentBytes,
    length: end - start,
  })
}
