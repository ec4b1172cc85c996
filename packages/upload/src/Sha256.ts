/**
 * SHA-256, one-shot and incremental, behind one service: chunk checksums
 * (what the server verifies) and the file identity (the hash of the whole
 * ciphertext, fed segment by segment). `layer` is isomorphic — WebCrypto for
 * one-shot digests, hash-wasm for incremental ones, since WebCrypto has no
 * streaming digest; `@ignition/upload/node` offers `node:crypto` for both.
 */

import { VaultError } from "@ignition/vault"
import { Context, Effect, Layer } from "effect"
import { createSHA256 } from "hash-wasm"
import { arrayBacked, fromPromise } from "./internal/webCrypto.js"

export const BYTES = 32

/** A running SHA-256: feed it bytes in order, then take the digest once (it cannot be fed afterwards). */
export interface Hasher {
  readonly update: (bytes: Uint8Array) => void
  readonly digest: () => Uint8Array
}

export class Sha256 extends Context.Tag("@ignition/upload/Sha256")<
  Sha256,
  {
    readonly digest: (bytes: Uint8Array) => Effect.Effect<Uint8Array, VaultError.CryptoUnavailable>
    readonly incremental: Effect.Effect<Hasher, VaultError.CryptoUnavailable>
  }
>() {}

const unavailable = (what: string) => (cause: unknown) =>
  new VaultError.CryptoUnavailable({
    message: `${what} failed: ${cause instanceof Error ? cause.name : "unknown error"}`,
  })

/** WebCrypto digests and hash-wasm (WebAssembly) incremental hashers: browsers, workers, Deno, Node. */
export const layer: Layer.Layer<Sha256> = Layer.succeed(Sha256, {
  digest: (bytes) =>
    fromPromise(() => globalThis.crypto.subtle.digest("SHA-256", arrayBacked(bytes)), unavailable("SHA-256")).pipe(
      Effect.map((digest) => new Uint8Array(digest)),
    ),
  incremental: fromPromise(createSHA256, unavailable("loading SHA-256 (WebAssembly)")).pipe(
    Effect.map(
      (hasher): Hasher => ({
        update: (bytes) => {
          hasher.update(bytes)
        },
        digest: () => hasher.digest("binary"),
      }),
    ),
  ),
})

export const digest = (bytes: Uint8Array) => Effect.flatMap(Sha256, (sha256) => sha256.digest(bytes))

export const incremental = Effect.flatMap(Sha256, (sha256) => sha256.incremental)
