/**
 * WebCrypto primitives as Effects. The only module that touches
 * `crypto.subtle`: everything above it speaks bytes, keys and typed errors.
 */
import { Effect } from "effect"
import { CryptoUnavailable, DecryptionFailed } from "../VaultError.js"

const subtle = () => globalThis.crypto.subtle

/** WebCrypto wants ArrayBuffer-backed views; a copy only when a view shares a larger or foreign buffer. */
export const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes as Uint8Array<ArrayBuffer>)
    : new Uint8Array(bytes)

const unavailable = (what: string) => (cause: unknown) =>
  new CryptoUnavailable({ message: `${what} failed: ${cause instanceof Error ? cause.name : "unknown error"}` })

export const utf8 = new TextEncoder()
export const fromUtf8 = new TextDecoder("utf-8", { fatal: true })

/** An AES-256-GCM key from 32 raw bytes, usable for encrypt and decrypt only and never exportable. */
export const importAesKey = (raw: Uint8Array) =>
  Effect.tryPromise({
    try: () => subtle().importKey("raw", buffer(raw), { name: "AES-GCM" }, false, ["encrypt", "decrypt"]),
    catch: unavailable("importing an AES key"),
  })

/**
 * A WebCrypto promise as an Effect. `Effect.async` rather than `tryPromise`
 * around an async function: this runs twice per record, and the lighter
 * bridge is most of the difference to a bare WebCrypto loop (benchmarks/).
 */
const fromPromise = <A, E>(run: () => Promise<A>, onError: (cause: unknown) => E): Effect.Effect<A, E> =>
  Effect.async<A, E>((resume) => {
    run().then(
      (value) => resume(Effect.succeed(value)),
      (cause) => resume(Effect.fail(onError(cause))),
    )
  })

const gcm = (iv: Uint8Array, aad: Uint8Array): AesGcmParams => ({
  name: "AES-GCM",
  iv: buffer(iv),
  additionalData: buffer(aad),
  tagLength: 128,
})

const encryptFailed = unavailable("AES-GCM encryption")

/** The bare WebCrypto calls, for batch loops that bridge to Effect once per batch. */
export const encryptPromise = (key: CryptoKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) =>
  subtle()
    .encrypt(gcm(iv, aad), key, buffer(plaintext))
    .then((ct) => new Uint8Array(ct))

export const decryptPromise = (key: CryptoKey, iv: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array) =>
  subtle()
    .decrypt(gcm(iv, aad), key, buffer(ciphertext))
    .then((pt) => new Uint8Array(pt))

export const decryptionFailed = (what: string) =>
  new DecryptionFailed({ message: `${what} did not decrypt: wrong key, or it was altered or moved` })

export const aesGcmEncrypt = (key: CryptoKey, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) =>
  fromPromise(() => encryptPromise(key, iv, plaintext, aad), encryptFailed)

/**
 * Any failure to open is the same typed error: the cause (key, iv, tag, AAD)
 * is deliberately not told apart. `what` names the failed item; a function,
 * so the success path builds no string.
 */
export const aesGcmDecrypt = (
  key: CryptoKey,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  what: string | (() => string),
) =>
  fromPromise(
    () => decryptPromise(key, iv, ciphertext, aad),
    () => decryptionFailed(typeof what === "string" ? what : what()),
  )

/** HKDF-SHA256 (RFC 5869) to `length` bytes. */
export const hkdfSha256 = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) =>
  Effect.tryPromise({
    try: async () => {
      const key = await subtle().importKey("raw", buffer(ikm), "HKDF", false, ["deriveBits"])
      return new Uint8Array(
        await subtle().deriveBits(
          { name: "HKDF", hash: "SHA-256", salt: buffer(salt), info: buffer(info) },
          key,
          length * 8,
        ),
      )
    },
    catch: unavailable("HKDF"),
  })

/** PBKDF2-HMAC-SHA256 to `length` bytes. */
export const pbkdf2Sha256 = (password: Uint8Array, salt: Uint8Array, iterations: number, length: number) =>
  Effect.tryPromise({
    try: async () => {
      const key = await subtle().importKey("raw", buffer(password), "PBKDF2", false, ["deriveBits"])
      return new Uint8Array(
        await subtle().deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: buffer(salt), iterations }, key, length * 8),
      )
    },
    catch: unavailable("PBKDF2"),
  })

export const sha256 = (bytes: Uint8Array) =>
  Effect.tryPromise({
    try: async () => new Uint8Array(await subtle().digest("SHA-256", buffer(bytes))),
    catch: unavailable("SHA-256"),
  })

/** Overwrite secret bytes once they are no longer needed (best effort: the engine may hold copies). */
export const wipe = (bytes: Uint8Array) => {
  bytes.fill(0)
}
