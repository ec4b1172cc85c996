/**
 * AES-256-GCM behind one service, as SHA-256 is: `layer` is WebCrypto
 * (browsers, workers, Deno, Node) with non-extractable keys;
 * `@ignition/upload/node` offers node:crypto — synchronous, without
 * WebCrypto's copies and thread-pool hop — for Node programs. A key is
 * imported once per file (the segment key); 12-byte IVs, 16-byte tags
 * appended to the ciphertext.
 */
import type { VaultError } from "@ignition/vault"
import { Context, Effect, Layer, type Option } from "effect"
import { aesGcmEncrypt, aesGcmOpen, importAesKey } from "./internal/webCrypto.js"

export interface AeadKey {
  readonly seal: (iv: Uint8Array, plaintext: Uint8Array) => Effect.Effect<Uint8Array, VaultError.CryptoUnavailable>
  /** The plaintext, or none when the bytes do not authenticate under this key and IV. */
  readonly open: (iv: Uint8Array, ciphertext: Uint8Array) => Effect.Effect<Option.Option<Uint8Array>>
}

export class Aead extends Context.Tag("@ignition/upload/Aead")<
  Aead,
  {
    /** A key from 32 raw bytes; the caller wipes them afterwards. */
    readonly importKey: (raw: Uint8Array) => Effect.Effect<AeadKey, VaultError.CryptoUnavailable>
  }
>() {}

export const layer: Layer.Layer<Aead> = Layer.succeed(Aead, {
  importKey: (raw) =>
    Effect.map(
      importAesKey(raw),
      (key): AeadKey => ({
        seal: (iv, plaintext) => aesGcmEncrypt(key, iv, plaintext),
        open: (iv, ciphertext) => aesGcmOpen(key, iv, ciphertext),
      }),
    ),
})
