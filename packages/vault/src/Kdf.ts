/**
 * Key derivation: Argon2id (hash-wasm) for passphrases under policy v2 and
 * later, PBKDF2-HMAC-SHA256 (WebCrypto) only to read policy v1, and
 * HKDF-SHA256 for secrets that already carry full entropy (a passkey's PRF
 * output, a 128-bit recovery code). Every parameter set travels with the wrap
 * it produced, and is checked against the client's floor before any work.
 */
import { Effect, Schema } from "effect"
import { argon2id } from "hash-wasm"
import { hkdfSha256, pbkdf2Sha256 } from "./internal/subtle.js"
import { CryptoUnavailable, PolicyRefused } from "./VaultError.js"

/** Every derived credential key is 256 bits. */
export const KEY_BYTES = 32
/** Salts are at least 128 bits. */
export const SALT_BYTES = 16

const PositiveInt = Schema.Int.pipe(Schema.positive())
const Salt = Schema.Uint8ArrayFromBase64Url

/** Argon2id: memory `m` in KiB, `t` passes, `p` lanes. */
export const Argon2idParams = Schema.Struct({
  alg: Schema.Literal("argon2id"),
  m: PositiveInt,
  t: PositiveInt,
  p: PositiveInt,
  salt: Salt,
})
export type Argon2idParams = typeof Argon2idParams.Type

export const Pbkdf2Params = Schema.Struct({
  alg: Schema.Literal("pbkdf2-sha256"),
  iterations: PositiveInt,
  salt: Salt,
})
export type Pbkdf2Params = typeof Pbkdf2Params.Type

export const HkdfParams = Schema.Struct({
  alg: Schema.Literal("hkdf-sha256"),
  salt: Salt,
})
export type HkdfParams = typeof HkdfParams.Type

export const KdfParams = Schema.Union(Argon2idParams, Pbkdf2Params, HkdfParams)
export type KdfParams = typeof KdfParams.Type

/**
 * The client's floor and ceiling, whatever a server sends. The floor is
 * OWASP's minimum for Argon2id (19 MiB, t=2, p=1) and the seed's 100,000
 * PBKDF2 iterations; the ceiling stops a hostile server from making a client
 * allocate gigabytes or spin for minutes.
 */
export const limits = {
  argon2id: { minMemoryKiB: 19 * 1024, minPasses: 2, maxMemoryKiB: 1024 * 1024, maxPasses: 32, maxLanes: 16 },
  pbkdf2: { minIterations: 100_000, maxIterations: 10_000_000 },
} as const

const refuse = (message: string) => Effect.fail(new PolicyRefused({ message }))

/** Refuses any parameter set outside the client's limits. */
export const checkParams = (params: KdfParams): Effect.Effect<void, PolicyRefused> => {
  if (params.salt.length < SALT_BYTES) return refuse(`the ${params.alg} salt is shorter than ${SALT_BYTES} bytes`)
  switch (params.alg) {
    case "argon2id": {
      const a = limits.argon2id
      if (params.m < a.minMemoryKiB || params.t < a.minPasses)
        return refuse(
          `Argon2id m=${params.m} KiB, t=${params.t} is below the floor (m ≥ ${a.minMemoryKiB} KiB, t ≥ ${a.minPasses})`,
        )
      if (params.m > a.maxMemoryKiB || params.t > a.maxPasses || params.p > a.maxLanes)
        return refuse(`Argon2id m=${params.m} KiB, t=${params.t}, p=${params.p} exceeds what a client will compute`)
      if (params.m < 8 * params.p) return refuse("Argon2id needs at least 8 KiB of memory per lane")
      return Effect.void
    }
    case "pbkdf2-sha256": {
      const b = limits.pbkdf2
      if (params.iterations < b.minIterations)
        return refuse(`PBKDF2 with ${params.iterations} iterations is below the floor of ${b.minIterations}`)
      if (params.iterations > b.maxIterations)
        return refuse(`PBKDF2 with ${params.iterations} iterations exceeds what a client will compute`)
      return Effect.void
    }
    case "hkdf-sha256":
      return Effect.void
  }
}

const argon2 = (secret: Uint8Array, params: Argon2idParams) =>
  Effect.tryPromise({
    try: () =>
      argon2id({
        password: secret,
        salt: params.salt,
        parallelism: params.p,
        iterations: params.t,
        memorySize: params.m,
        hashLength: KEY_BYTES,
        outputType: "binary",
      }),
    catch: (cause) =>
      new CryptoUnavailable({
        message: `Argon2id failed: ${cause instanceof Error ? cause.message : "unknown error"}`,
      }),
  })

/**
 * Derives a 256-bit key from `secret` with `params`, after checking them.
 * `info` separates purposes for HKDF (the other KDFs are purpose-bound by
 * their salt, which is unique per wrap).
 */
export const derive = (
  secret: Uint8Array,
  params: KdfParams,
  info: Uint8Array,
): Effect.Effect<Uint8Array, PolicyRefused | CryptoUnavailable> =>
  Effect.zipRight(
    checkParams(params),
    params.alg === "argon2id"
      ? argon2(secret, params)
      : params.alg === "pbkdf2-sha256"
        ? pbkdf2Sha256(secret, params.salt, params.iterations, KEY_BYTES)
        : hkdfSha256(secret, params.salt, info, KEY_BYTES),
  )
