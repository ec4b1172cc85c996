/**
 * The WebCrypto calls this package makes (HKDF, AES-256-GCM), as Effects.
 * WebCrypto copies its input when called, so a caller may reuse a buffer as
 * soon as the call has been made; results are fresh buffers.
 */

import { VaultError } from "@ignition/vault"
import { Effect, Option } from "effect"

const subtle = () => globalThis.crypto.subtle

const unavailable = (what: string) => (cause: unknown) =>
  new VaultError.CryptoUnavailable({
    message: `${what} failed: ${cause instanceof Error ? cause.name : "unknown error"}`,
  })

/**
 * A WebCrypto promise as an Effect, through `Effect.async` rather than
 * `tryPromise` around an async function: it runs once per segment, and the
 * lighter bridge is what the vault measured as the cheaper one.
 */
export const fromPromise = <A, E>(run: () => Promise<A>, onError: (cause: unknown) => E): Effect.Effect<A, E> =>
  Effect.async<A, E>((resume) => {
    run().then(
      (value) => resume(Effect.succeed(value)),
      (cause) => resume(Effect.fail(onError(cause))),
    )
  })

/** WebCrypto's types want ArrayBuffer-backed views; a copy only for a view over a SharedArrayBuffer. */
export const arrayBacked = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)

/** HKDF-SHA256 (RFC 5869) of `ikm` to `length` bytes. */
export const hkdfSha256 = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) =>
  fromPromise(async () => {
    const key = await subtle().importKey("raw", arrayBacked(ikm), "HKDF", false, ["deriveBits"])
    const bits = await subtle().deriveBits(
      { name: "HKDF", hash: "SHA-256", salt: arrayBacked(salt), info: arrayBacked(info) },
      key,
      length * 8,
    )
    return new Uint8Array(bits)
  }, unavailable("HKDF"))

/** An AES-256-GCM key from 32 raw bytes, for encrypt and decrypt only, never exportable. */
export const importAesKey = (raw: Uint8Array) =>
  fromPromise(
    () => subtle().importKey("raw", arrayBacked(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]),
    unavailable("importing an AES key"),
  )

const gcm = (iv: Uint8Array): AesGcmParams => ({ name: "AES-GCM", iv: arrayBacked(iv), tagLength: 128 })

export const aesGcmEncrypt = (key: CryptoKey, iv: Uint8Array, plaintext: Uint8Array) =>
  fromPromise(() => subtle().encrypt(gcm(iv), key, arrayBacked(plaintext)), unavailable("AES-GCM encryption")).pipe(
    Effect.map((ciphertext) => new Uint8Array(ciphertext)),
  )

/**
 * The plaintext, or none when the bytes do not authenticate under this key
 * and IV: the caller says what that means (and may try other IVs).
 */
export const aesGcmOpen = (key: CryptoKey, iv: Uint8Array, ciphertext: Uint8Array) =>
  Effect.async<Option.Option<Uint8Array>>((resume) => {
    subtle()
      .decrypt(gcm(iv), key, arrayBacked(ciphertext))
      .then(
        (plaintext) => resume(Effect.succeed(Option.some(new Uint8Array(plaintext)))),
        () => resume(Effect.succeed(Option.none())),
      )
  })

/** Overwrite secret bytes once they are no longer needed (best effort: the engine may hold copies). */
export const wipe = (bytes: Uint8Array) => {
  bytes.fill(0)
}
