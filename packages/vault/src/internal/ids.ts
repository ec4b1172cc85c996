/** Random identifiers drawn from the Entropy service, so tests stay deterministic. */
import { Effect } from "effect"
import * as Entropy from "../Entropy.js"

/** An RFC 9562 version 4 UUID. */
export const uuid = Effect.map(Entropy.bytes(16), (bytes) => {
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
})
