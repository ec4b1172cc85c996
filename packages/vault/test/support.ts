/** Shared test material: a policy at the OWASP floor (fast enough for tests) and content keys. */
import { Effect } from "effect"
import { CryptoPolicy } from "../src/CryptoPolicy.js"
import { type ContentKey, KeyId } from "../src/Envelope.js"
import { importAesKey } from "../src/internal/subtle.js"

/** Policy v2 with the floor's Argon2id parameters: real Argon2id, ~0.1 s per derivation. */
export const floorPolicy = new CryptoPolicy({
  version: 2,
  aead: "AES-256-GCM",
  kdf: { alg: "argon2id", m: 19 * 1024, t: 2, p: 1 },
  deprecated: false,
})

/** A later admin-published policy, stronger than the floor. */
export const strongerPolicy = new CryptoPolicy({
  version: 3,
  aead: "AES-256-GCM",
  kdf: { alg: "argon2id", m: 24 * 1024, t: 2, p: 1 },
  deprecated: false,
})

export const contentKey = (kid: string, fill: number) =>
  Effect.map(importAesKey(new Uint8Array(32).fill(fill)), (key): ContentKey => ({ kid: KeyId.make(kid), key }))

export const binding = {
  userId: "0b9f7c4e-1a2b-4c3d-8e9f-0123456789ab",
  vaultId: "5d6e7f80-9a1b-4c2d-8e3f-abcdef012345",
}

export const flipBit = (bytes: Uint8Array, bit: number) => {
  const copy = new Uint8Array(bytes)
  const index = Math.floor(bit / 8) % copy.length
  copy[index] = (copy[index] ?? 0) ^ (1 << (bit % 8))
  return copy
}
