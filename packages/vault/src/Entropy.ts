/**
 * Where random bytes come from. Production draws from WebCrypto's CSPRNG;
 * tests pass a seeded generator so that golden vectors and property tests are
 * deterministic (DESIGN: randomness from a service).
 */
import { Context, Effect, Layer, Random } from "effect"

export class Entropy extends Context.Tag("@ignition/vault/Entropy")<
  Entropy,
  { readonly bytes: (length: number) => Effect.Effect<Uint8Array> }
>() {}

/** WebCrypto's `getRandomValues`, in slices of at most 65,536 bytes (its per-call limit). */
export const layer: Layer.Layer<Entropy> = Layer.succeed(Entropy, {
  bytes: (length) =>
    Effect.sync(() => {
      const out = new Uint8Array(length)
      for (let offset = 0; offset < length; offset += 65_536) {
        globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)))
      }
      return out
    }),
})

/** A deterministic generator for tests. Never use it to make real keys. */
export const layerTest = (seed: string): Layer.Layer<Entropy> =>
  Layer.sync(Entropy, () => {
    const random = Random.make(seed)
    return {
      bytes: (length) =>
        Effect.gen(function* () {
          const out = new Uint8Array(length)
          for (let index = 0; index < length; index++) out[index] = yield* random.nextIntBetween(0, 256)
          return out
        }),
    }
  })

/** Random bytes from the current Entropy. */
export const bytes = (length: number) => Effect.flatMap(Entropy, (entropy) => entropy.bytes(length))
