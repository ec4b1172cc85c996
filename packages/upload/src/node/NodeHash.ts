/// <reference types="node" />
/**
 * SHA-256 from `node:crypto` (OpenSSL, SHA-NI where the CPU has it), for
 * servers, CLIs and benchmarks: synchronous, no copy into WebAssembly
 * memory, no thread-pool hop. Exported from `@ignition/upload/node` only, so
 * the browser path never imports a `node:` module.
 */
import { createHash } from "node:crypto"
import { Effect, Layer } from "effect"
import { type Hasher, Sha256 } from "../Sha256.js"

/** A plain Uint8Array (a Buffer compares unequal to one, and may sit in a shared pool). */
const bytesOf = (digest: Uint8Array) => Uint8Array.from(digest)

export const layer: Layer.Layer<Sha256> = Layer.succeed(Sha256, {
  digest: (bytes) => Effect.sync(() => bytesOf(createHash("sha256").update(bytes).digest())),
  incremental: Effect.sync((): Hasher => {
    const hash = createHash("sha256")
    return {
      update: (bytes) => {
        hash.update(bytes)
      },
      digest: () => bytesOf(hash.digest()),
    }
  }),
})
