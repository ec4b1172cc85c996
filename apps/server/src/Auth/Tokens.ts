/**
 * Opaque secrets (session tokens, setup tokens, OpenID state): 256 random
 * bits, base64url. Only their SHA-256 is stored, so a database leak yields
 * no usable token.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { Redacted } from "effect"

/** A new 256-bit token. */
export const generate = (): Redacted.Redacted<string> => Redacted.make(randomBytes(32).toString("base64url"))

/** What the database stores for a token. */
export const digest = (token: Redacted.Redacted<string> | string): Uint8Array =>
  createHash("sha256")
    .update(typeof token === "string" ? token : Redacted.value(token), "utf8")
    .digest()

/** Compare two digests in constant time. */
export const equalDigests = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && timingSafeEqual(a, b)
