/**
 * Tap tempo: the BPM of the last taps, from the average interval between
 * them. A pause of more than two seconds starts a new count, and only the
 * last eight taps count, so a tempo can be tapped again at once.
 */

/** A pause this long (ms) starts a new count. */
export const idleMs = 2_000
/** How many of the last taps count. */
export const keptTaps = 8

export class TapTempo {
  #taps: Array<number> = []

  /** Records a tap at `at` (ms, monotonic); answers the tempo once there are two taps or more. */
  tap(at: number): number | undefined {
    const last = this.#taps.at(-1)
    if (last !== undefined && (at - last > idleMs || at < last)) this.#taps = []
    this.#taps.push(at)
    if (this.#taps.length > keptTaps) this.#taps.shift()
    const first = this.#taps[0]
    const span = first === undefined ? 0 : at - first
    if (this.#taps.length < 2 || span <= 0) return undefined
    return Math.round((60_000 * (this.#taps.length - 1)) / span)
  }

  /** How many taps the current count holds. */
  get taps(): number {
    return this.#taps.length
  }

  reset(): void {
    this.#taps = []
  }
}
