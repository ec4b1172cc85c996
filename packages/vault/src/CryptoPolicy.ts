/**
 * The crypto policy registry. A policy names the AEAD and the passphrase KDF
 * with its parameters; every wrap records the policy version it was made
 * under. v1 (PBKDF2, the seed's format) is readable only, to migrate it; v2
 * (Argon2id 64 MiB, t=3, p=1) is the default; an administrator may publish
 * later versions with stronger Argon2id parameters. A client checks every
 * policy it is handed against its own floor and refuses anything weaker.
 */
import { Effect, Schema } from "effect"
import { type Argon2idParams, checkParams, type KdfParams, SALT_BYTES } from "./Kdf.js"
import { PolicyRefused } from "./VaultError.js"

const PositiveInt = Schema.Int.pipe(Schema.positive())

export const PolicyKdf = Schema.Union(
  Schema.Struct({ alg: Schema.Literal("argon2id"), m: PositiveInt, t: PositiveInt, p: PositiveInt }),
  Schema.Struct({ alg: Schema.Literal("pbkdf2-sha256"), iterations: PositiveInt }),
)
export type PolicyKdf = typeof PolicyKdf.Type

export class CryptoPolicy extends Schema.Class<CryptoPolicy>("CryptoPolicy")({
  version: PositiveInt,
  aead: Schema.Literal("AES-256-GCM"),
  kdf: PolicyKdf,
  /** Deprecated policies are still read; wraps made under them are upgraded at the next unlock. */
  deprecated: Schema.Boolean,
}) {}

/** The seed's policy: PBKDF2-HMAC-SHA256, 100,000 iterations. Read and migrate only. */
export const v1 = new CryptoPolicy({
  version: 1,
  aead: "AES-256-GCM",
  kdf: { alg: "pbkdf2-sha256", iterations: 100_000 },
  deprecated: true,
})

/** The default for new vaults: Argon2id, 64 MiB, 3 passes, 1 lane. */
export const v2 = new CryptoPolicy({
  version: 2,
  aead: "AES-256-GCM",
  kdf: { alg: "argon2id", m: 64 * 1024, t: 3, p: 1 },
  deprecated: false,
})

export const builtIn: ReadonlyArray<CryptoPolicy> = [v1, v2]

/** The lowest policy version under which a client will create a wrap. */
export const MIN_WRITE_VERSION = 2

const placeholderSalt = new Uint8Array(SALT_BYTES)

/**
 * Whether a client accepts this policy: v1 must be exactly PBKDF2 and is
 * only ever read; v2 and later must be Argon2id at or above the floor.
 */
export const check = (policy: CryptoPolicy, purpose: "read" | "write"): Effect.Effect<void, PolicyRefused> => {
  if (purpose === "write" && policy.version < MIN_WRITE_VERSION)
    return Effect.fail(
      new PolicyRefused({ message: `policy v${policy.version} is read-only; new wraps use v2 or later` }),
    )
  if (policy.version === 1 && policy.kdf.alg !== "pbkdf2-sha256")
    return Effect.fail(new PolicyRefused({ message: "policy v1 is PBKDF2-HMAC-SHA256" }))
  if (policy.version >= 2 && policy.kdf.alg !== "argon2id")
    return Effect.fail(new PolicyRefused({ message: `policy v${policy.version} must use Argon2id` }))
  return checkParams({ ...policy.kdf, salt: placeholderSalt })
}

/** The KDF parameters a new passphrase wrap uses under `policy`, with a fresh salt. */
export const passphraseParams = (
  policy: CryptoPolicy,
  salt: Uint8Array,
): Effect.Effect<Argon2idParams, PolicyRefused> =>
  Effect.flatMap(check(policy, "write"), () =>
    policy.kdf.alg === "argon2id"
      ? Effect.succeed({ ...policy.kdf, salt })
      : Effect.fail(new PolicyRefused({ message: "passphrase wraps use Argon2id" })),
  )

/**
 * Whether a passphrase wrap made with `params` under `policyVersion` is weaker
 * than `current` and should be re-made at unlock.
 */
export const isWeaker = (params: KdfParams, policyVersion: number, current: CryptoPolicy): boolean => {
  if (policyVersion < current.version) return true
  if (params.alg !== "argon2id" || current.kdf.alg !== "argon2id") return params.alg === "pbkdf2-sha256"
  return params.m < current.kdf.m || params.t < current.kdf.t
}
