/// <reference types="node" />
/**
 * AES-256-GCM from `node:crypto` for the Aead service: the key held in a
 * native KeyObject, each segment sealed on the calling thread without
 * WebCrypto's input copy and thread-pool round trip. The same bytes as
 * WebCrypto's (test/Golden.test.ts runs both).
 */
import { createCipheriv, createDecipheriv, createSecretKey } from "node:crypto"
import { VaultError } from "@ignition/vault"
import { Effect, Layer, Option } from "effect"
import { Aead, type AeadKey } from "../Aead.js"

const TAG_BYTES = 16
const SLICE_BYTES = 64 * 1024

const failed = (what: string) => (cause: unknown) =>
  new VaultError.CryptoUnavailable({
    message: `${what} failed: ${cause instanceof Error ? cause.name : "unknown error"}`,
  })

export const layer: Layer.Layer<Aead> = Layer.succeed(Aead, {
  importKey: (raw) =>
    Effect.try({
      try: (): AeadKey => {
        const key = createSecretKey(raw)
        return {
          seal: (iv, plaintext) =>
            Effect.try({
              try: () => {
                const cipher = createCipheriv("aes-256-gcm", key, iv)
                // Not zero-filled: every byte is written below (GCM gives one output byte per input byte).
                const out = Buffer.allocUnsafeSlow(plaintext.length + TAG_BYTES)
                let written = 0
                // In slices: each update's output is small, dies at once, and is still in cache when copied.
                for (let offset = 0; offset < plaintext.length; offset += SLICE_BYTES)
                  written += cipher.update(plaintext.subarray(offset, offset + SLICE_BYTES)).copy(out, written)
                written += cipher.final().copy(out, written)
                if (written !== plaintext.length) throw new RangeError("AES-GCM gave a short ciphertext")
                cipher.getAuthTag().copy(out, written)
                return new Uint8Array(out.buffer, out.byteOffset, out.length)
              },
              catch: failed("AES-GCM encryption"),
            }),
          open: (iv, ciphertext) =>
            Effect.sync(() => {
              if (ciphertext.length < TAG_BYTES) return Option.none()
              const body = ciphertext.length - TAG_BYTES
              try {
                const decipher = createDecipheriv("aes-256-gcm", key, iv)
                decipher.setAuthTag(ciphertext.subarray(body))
                const plaintext = decipher.update(ciphertext.subarray(0, body))
                // final() throws when the tag does not match: nothing unauthenticated leaves.
                decipher.final()
                return Option.some(new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.length))
              } catch {
                return Option.none()
              }
            }),
        }
      },
      catch: failed("importing an AES key"),
    }),
})
