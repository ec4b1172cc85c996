/**
 * Transfer rate and time left, from bytes confirmed over time. The rate is
 * the bytes of the last `window` milliseconds over that time (or since the
 * meter started, when younger): chunks land in bursts when several are in
 * flight, and a window smooths them where a per-chunk rate would jump.
 * Pure: the caller passes the clock's time.
 */

export const DEFAULT_WINDOW_MILLIS = 10_000

interface Sample {
  readonly at: number
  /** Bytes confirmed since the meter started, at `at`. */
  readonly bytes: number
}

export interface Meter {
  readonly window: number
  /** Oldest first; the first one is at or before the window's start (or the meter's start). */
  readonly samples: ReadonlyArray<Sample>
}

export const start = (now: number, window: number = DEFAULT_WINDOW_MILLIS): Meter => ({
  window,
  samples: [{ at: now, bytes: 0 }],
})

/** Adds `bytes` confirmed at `now`; drops samples the window no longer needs. */
export const record = (meter: Meter, now: number, bytes: number): Meter => {
  const latest = meter.samples[meter.samples.length - 1] ?? { at: now, bytes: 0 }
  const samples = [...meter.samples, { at: now, bytes: latest.bytes + bytes }]
  // Keep the newest sample at or before the window's start, as the rate's base.
  let first = 0
  while (first + 1 < samples.length && (samples[first + 1]?.at ?? now) <= now - meter.window) first++
  return { window: meter.window, samples: samples.slice(first) }
}

/** Bytes per second over the window ending at `now`; 0 until time has passed. */
export const rate = (meter: Meter, now: number): number => {
  const base = meter.samples[0]
  const latest = meter.samples[meter.samples.length - 1]
  if (base === undefined || latest === undefined || now <= base.at) return 0
  return ((latest.bytes - base.bytes) * 1000) / (now - base.at)
}

export interface Snapshot {
  readonly uploadedBytes: number
  readonly totalBytes: number
  readonly bytesPerSecond: number
  /** Seconds left at the current rate; undefined while there is no rate yet. */
  readonly etaSeconds: number | undefined
}

export const snapshot = (meter: Meter, now: number, uploadedBytes: number, totalBytes: number): Snapshot => {
  const bytesPerSecond = rate(meter, now)
  const remaining = totalBytes - uploadedBytes
  return {
    uploadedBytes,
    totalBytes,
    bytesPerSecond,
    etaSeconds: remaining <= 0 ? 0 : bytesPerSecond > 0 ? remaining / bytesPerSecond : undefined,
  }
}
