/**
 * The per-file segment key and the per-segment IV (the design's streaming
 * AEAD, as in Tink's AES-GCM-HKDF streaming):
 *
 *     segment key = HKDF-SHA256(ikm = file key, salt = header salt, info = header bytes 0–64), 32 bytes
 *     IV(i, last) = nonce prefix (7) ‖ i as u32 big-endian (4) ‖ 0x01 if last else 0x00 (1)
 *
 * One key per file; every segment's IV differs from every other's by index
 * or flag, and the flag makes the last segment unforgeable as a middle one
 * and vice versa (truncation and extension fail).
 */
import type { VaultError } from "@ignition/vault"
import type { Effect } from "effect"
import { NONCE_PREFIX_BYTES } from "../FileHeader.js"
import { hkdfSha256 } from "./webCrypto.js"

export const KEY_BYTES = 32
export const IV_BYTES = 12
export const MAX_INDEX = 0xffff_ffff

export const deriveBytes = (
  fileKey: Uint8Array,
  salt: Uint8Array,
  binding: Uint8Array,
): Effect.Effect<Uint8Array, VaultError.CryptoUnavailable> => hkdfSha256(fileKey, salt, binding, KEY_BYTES)

/** IV for segment `index` (0 … 2³² − 1). */
export const iv = (noncePrefix: Uint8Array, index: number, last: boolean): Uint8Array => {
  const out = new Uint8Array(IV_BYTES)
  out.set(noncePrefix, 0)
  new DataView(out.buffer).setUint32(NONCE_PREFIX_BYTES, index)
  out[IV_BYTES - 1] = last ? 1 : 0
  return out
}
