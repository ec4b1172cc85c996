/**
 * How large an upload request may be: a chunk's body is its bytes, at most
 * the largest header plus the largest segment and its tag (`formatLimits`),
 * whatever MAX_JSON_BODY_BYTES says; every other route keeps its limit.
 */
import { SegmentLayout } from "@ignition/upload"
import { formatLimits } from "./Uploads.js"

const chunkPath = /^\/api\/uploads\/[^/]+\/chunks\/[^/]+$/

export const chunkBodyBytes = formatLimits.maxHeaderBytes + formatLimits.maxSegmentBytes + SegmentLayout.TAG_BYTES

/** `inner`'s limit, except for chunk puts. */
export const withChunks =
  (inner: (path: string) => number) =>
  (path: string): number =>
    chunkPath.test(path) ? chunkBodyBytes : inner(path)
