/**
 * How large an upload request may be: a chunk's body is its bytes, at most
 * the largest header plus the largest segment and its tag (`defaultLimits`),
 * whatever MAX_JSON_BODY_BYTES says; every other route keeps its limit.
 */
import { SegmentLayout } from "@ignition/upload"
import { defaultLimits } from "./Uploads.js"

const chunkPath = /^\/api\/uploads\/[^/]+\/chunks\/[^/]+$/

export const chunkBodyBytes = defaultLimits.maxHeaderBytes + defaultLimits.maxSegmentBytes + SegmentLayout.TAG_BYTES

/** `inner`'s limit, except for chunk puts. */
export const withChunks =
  (inner: (path: string) => number) =>
  (path: string): number =>
    chunkPath.test(path) ? chunkBodyBytes : inner(path)
