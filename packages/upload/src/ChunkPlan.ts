/**
 * The chunk planner: how many plaintext bytes go in each segment of a file.
 * One encryption segment is one upload chunk (plus the 16-byte tag, plus the
 * header in front of the first), so a chunk's ciphertext is fixed as soon as
 * its plaintext is, and re-sending a chunk re-sends the same bytes. The
 * limits are S3 multipart's: parts of at least 5 MiB except the last, at
 * most 10,000 parts. Segments are 8 MiB unless asked otherwise, and grow (in
 * whole MiB) for files beyond 10,000 of them.
 */
import { Either, Schema } from "effect"
import { PlanRefused } from "./UploadError.js"

export const MiB = 1024 * 1024

/** The largest segment the file format allows (a hostile header cannot ask a reader for more). */
export const MAX_SEGMENT_BYTES = 1024 * MiB

const PositiveInt = Schema.Int.pipe(Schema.positive())

export class Limits extends Schema.Class<Limits>("Limits")({
  /** No chunk but the last may be smaller. */
  minSegmentBytes: PositiveInt,
  /** The size used unless the caller asks for another or the file needs bigger ones. */
  defaultSegmentBytes: PositiveInt,
  maxSegmentBytes: PositiveInt.pipe(Schema.lessThanOrEqualTo(MAX_SEGMENT_BYTES)),
  maxParts: PositiveInt,
}) {}

/** S3 multipart's limits, with 8 MiB segments by default. */
export const s3 = new Limits({
  minSegmentBytes: 5 * MiB,
  defaultSegmentBytes: 8 * MiB,
  maxSegmentBytes: MAX_SEGMENT_BYTES,
  maxParts: 10_000,
})

export interface Plan {
  readonly plaintextBytes: number
  readonly segmentBytes: number
  /** At least one: an empty file is one empty, authenticated segment. */
  readonly segmentCount: number
}

export const segmentCount = (plaintextBytes: number, segmentBytes: number): number =>
  Math.max(1, Math.ceil(plaintextBytes / segmentBytes))

export interface PlanOptions {
  /** The segment size wanted; the plan grows it when the file needs more than `maxParts` segments. */
  readonly segmentBytes?: number
  readonly limits?: Limits
}

/** Plans a file of `plaintextBytes`: refused when it is not a size, or no segment size within the limits fits it. */
export const make = (plaintextBytes: number, options: PlanOptions = {}): Either.Either<Plan, PlanRefused> => {
  const limits = options.limits ?? s3
  const wanted = options.segmentBytes ?? limits.defaultSegmentBytes
  if (!Number.isSafeInteger(plaintextBytes) || plaintextBytes < 0)
    return Either.left(new PlanRefused({ message: `${plaintextBytes} is not a file size` }))
  if (!Number.isSafeInteger(wanted) || wanted < limits.minSegmentBytes || wanted > limits.maxSegmentBytes)
    return Either.left(
      new PlanRefused({
        message: `segments must hold ${limits.minSegmentBytes}–${limits.maxSegmentBytes} bytes, not ${wanted}`,
      }),
    )
  const needed = Math.ceil(plaintextBytes / limits.maxParts)
  if (needed > limits.maxSegmentBytes)
    return Either.left(
      new PlanRefused({
        message: `a file of ${plaintextBytes} bytes needs more than ${limits.maxParts} segments of ${limits.maxSegmentBytes} bytes`,
      }),
    )
  // Whole MiB keep grown sizes readable; never past the maximum, which `needed` fits.
  const segmentBytes = wanted >= needed ? wanted : Math.min(Math.ceil(needed / MiB) * MiB, limits.maxSegmentBytes)
  return Either.right({ plaintextBytes, segmentBytes, segmentCount: segmentCount(plaintextBytes, segmentBytes) })
}
