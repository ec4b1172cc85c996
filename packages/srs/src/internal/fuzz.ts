/**
 * Anki's interval fuzz (rslib `scheduler/states/fuzz.rs`, the ranges ts-fsrs
 * also uses): an interval of d ≥ 2.5 days may land anywhere in d ± delta,
 * where delta is 1 day plus 15 % of the part of d between 2.5 and 7 days,
 * 10 % of the part between 7 and 20, and 5 % of the part above 20. Cards
 * learnt together then spread over neighbouring days instead of falling due
 * in a clump.
 */
import type { Random } from "../Scheduler.js"

const RANGES = [
  { start: 2.5, end: 7, factor: 0.15 },
  { start: 7, end: 20, factor: 0.1 },
  { start: 20, end: Number.POSITIVE_INFINITY, factor: 0.05 },
] as const

/** The days a fuzzed `interval` may take, never below 2 or above `maximum`; `interval` itself below 2.5 days. */
export const fuzzRange = (interval: number, maximum: number): { readonly min: number; readonly max: number } => {
  if (interval < 2.5) return { min: interval, max: interval }
  let delta = 1
  for (const range of RANGES) delta += range.factor * Math.max(0, Math.min(interval, range.end) - range.start)
  const max = Math.min(Math.round(interval + delta), maximum)
  return { min: Math.min(Math.max(2, Math.round(interval - delta)), max), max }
}

/** A uniform pick from `fuzzRange(interval, maximum)`. */
export const fuzz = (interval: number, maximum: number, random: Random): number => {
  const { min, max } = fuzzRange(interval, maximum)
  return min === max ? min : min + Math.floor(random() * (max - min + 1))
}
