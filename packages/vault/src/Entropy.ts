/**
 * Where random bytes come from. Production draws from WebCrypto's CSPRNG;
 * tests pass a seeded generator so that golden vectors and property tests are
 * deterministic (DESIGN: randomness from a service). The service is
 * synchronous: an IV is drawn for every record sealed, and a plain call is
 * the cheapest way to do that many times a second.
 */
import { Context, Effect, Hash, Layer, Utils } from "effect"

export class Entropy extends Context.Tag("@ignition/vault/Entropy")<
  Entropy,
  { readonly fill: (length: number) => Uint8Array }
>() {}

/** WebCrypto's `getRandomValues`, in slices of at most 65,536 bytes (its per-call limit). */
export const layer: Layer.Layer<Entropy> = Layer.succeed(Entropy, {
  fill: (length) => {
    const out = new Uint8Array(length)
    for (let offset = 0; offset < length; offset += 65_536) {
      globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)))
    }
    return out
  },
})

/** A deterministic generator for tests (PCG, seeded like Effect's `Random.make`). Never use it to make real keys. */
export const layerTest = (seed: string): Layer.Layer<Entropy> =>
  Layer.sync(Entropy, () => {
    const generator = new Utils.PCGRandom(Hash.hash(seed))
    return {
      fill: (length) => {
        const out = new Uint8Array(length)
        for (let index = 0; index < length; index++) out[index] = generator.integer(256)
        return out
      },
    }
  })

/** Random bytes from the current Entropy. */
export const bytes = (length: number) => Effect.map(Entropy, (entropy) => entropy.fill(length))
