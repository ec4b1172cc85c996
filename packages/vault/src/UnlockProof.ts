/**
 * The unlock proof: HKDF(KEK, salt = vault id, info = purpose), 32 bytes.
 * The server stores only its SHA-256 and asks for the proof to mark the vault
 * unlocked, so "unlocked" on the server means "a client of this user holds
 * the KEK" — without the server learning anything that opens a wrap.
 */
import { Effect, Schema } from "effect"
import { hkdfSha256, sha256, utf8 } from "./internal/subtle.js"

export const PROOF_BYTES = 32

const info = utf8.encode("ignition/vault/unlock-proof")

export const derive = (kek: Uint8Array, vaultId: string) => hkdfSha256(kek, utf8.encode(vaultId), info, PROOF_BYTES)

/** The proof as it travels: base64url. */
export const encode = (proof: Uint8Array) => Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)(proof)

/** What a server stores: lowercase hex SHA-256 of the proof. */
export const hashHex = (proof: Uint8Array) =>
  Effect.map(sha256(proof), (digest) => Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join(""))
