/**
 * The wrapped vault KEK: `{wrap_version, wrap_type, kdf, nonce, cipher, aad}`.
 * A credential (passphrase, passkey PRF output, recovery code) derives a key
 * that AES-256-GCM-encrypts the 256-bit KEK. The AAD authenticates the whole
 * header — `{user_id, vault_id, credential_id, credential_type,
 * policy_version}`, the wrap version and the KDF parameters — so the server
 * can neither replay a blob into another vault nor weaken its parameters.
 * v1 blobs (PBKDF2, the seed's) are read to migrate them; nothing here makes one.
 */
import { Effect, ParseResult, Redacted, Schema } from "effect"
import { type CryptoPolicy, check as checkPolicy, passphraseParams } from "./CryptoPolicy.js"
import * as Entropy from "./Entropy.js"
import * as Aad from "./internal/aad.js"
import { aesGcmDecrypt, aesGcmEncrypt, importAesKey, utf8, wipe } from "./internal/subtle.js"
import { checkParams, derive, KdfParams, SALT_BYTES } from "./Kdf.js"
import { type CryptoUnavailable, MalformedInput, PolicyRefused, WrongCredential } from "./VaultError.js"

export const KEK_BYTES = 32
const NONCE_BYTES = 12

export const CredentialType = Schema.Literal("passphrase", "passkey", "recovery-code")
export type CredentialType = typeof CredentialType.Type

export const WrapAad = Schema.Struct({
  user_id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  vault_id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(128)),
  credential_id: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(512)),
  credential_type: CredentialType,
  policy_version: Schema.Int.pipe(Schema.positive()),
})
export type WrapAad = typeof WrapAad.Type

export const WrappedKey = Schema.Struct({
  wrap_version: Schema.Literal("v1", "v2"),
  wrap_type: Schema.Literal("AEAD"),
  kdf: KdfParams,
  nonce: Schema.Uint8ArrayFromBase64Url.pipe(
    Schema.filter((bytes) => bytes.length === NONCE_BYTES || `nonce must be ${NONCE_BYTES} bytes`),
  ),
  cipher: Schema.Uint8ArrayFromBase64Url.pipe(
    Schema.filter((bytes) => bytes.length === KEK_BYTES + 16 || "cipher must be a 32-byte key and its 16-byte tag"),
  ),
  aad: WrapAad,
}).annotations({ identifier: "WrappedKey", description: "A vault KEK wrapped under one credential" })
export type WrappedKey = typeof WrappedKey.Type
export type WrappedKeyJson = typeof WrappedKey.Encoded

/** The secret a credential contributes; the passphrase stays redacted until the KDF reads it. */
export type Credential =
  | { readonly type: "passphrase"; readonly passphrase: Redacted.Redacted<string> }
  | { readonly type: "passkey"; readonly prfOutput: Uint8Array }
  | { readonly type: "recovery-code"; readonly code: Uint8Array }

/** What a wrap is bound to: who, which vault, which credential. */
export interface WrapBinding {
  readonly userId: string
  readonly vaultId: string
  readonly credentialId: string
}

const hkdfInfo: Record<CredentialType, Uint8Array> = {
  passphrase: utf8.encode("ignition/kek-wrap/passphrase"),
  passkey: utf8.encode("ignition/kek-wrap/passkey-prf"),
  "recovery-code": utf8.encode("ignition/kek-wrap/recovery-code"),
}

/** Passphrases are compared as Unicode NFKC, so the same words typed on another keyboard still open. */
const secretOf = (credential: Credential) =>
  credential.type === "passphrase"
    ? utf8.encode(Redacted.value(credential.passphrase).normalize("NFKC"))
    : credential.type === "passkey"
      ? credential.prfOutput
      : credential.code

const kdfFields = (kdf: KdfParams): ReadonlyArray<string | number> => {
  const salt = Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)(kdf.salt)
  switch (kdf.alg) {
    case "argon2id":
      return [kdf.alg, kdf.m, kdf.t, kdf.p, salt]
    case "pbkdf2-sha256":
      return [kdf.alg, kdf.iterations, salt]
    case "hkdf-sha256":
      return [kdf.alg, salt]
  }
}

const aadBytes = (header: Omit<WrappedKey, "nonce" | "cipher">) =>
  Aad.encode("ignition/kek-wrap", [
    header.wrap_version,
    header.wrap_type,
    header.aad.user_id,
    header.aad.vault_id,
    header.aad.credential_id,
    header.aad.credential_type,
    header.aad.policy_version,
    ...kdfFields(header.kdf),
  ])

/** Which KDF each credential type must use under each wrap version: anything else is refused. */
const consistent = (wrap: Omit<WrappedKey, "nonce" | "cipher">): Effect.Effect<void, PolicyRefused> => {
  const { credential_type, policy_version } = wrap.aad
  const refuse = (message: string) => Effect.fail(new PolicyRefused({ message }))
  if (wrap.wrap_version === "v1") {
    if (policy_version !== 1 || wrap.kdf.alg !== "pbkdf2-sha256" || credential_type !== "passphrase")
      return refuse("a v1 wrap is a PBKDF2 passphrase wrap under policy 1")
    return Effect.void
  }
  if (policy_version < 2) return refuse("a v2 wrap needs policy 2 or later")
  if (credential_type === "passphrase" && wrap.kdf.alg !== "argon2id")
    return refuse("a v2 passphrase wrap must use Argon2id")
  if (credential_type !== "passphrase" && wrap.kdf.alg !== "hkdf-sha256")
    return refuse(`a ${credential_type} wrap derives its key with HKDF`)
  return Effect.void
}

const credentialKey = (credential: Credential, kdf: KdfParams) =>
  Effect.gen(function* () {
    const raw = yield* derive(secretOf(credential), kdf, hkdfInfo[credential.type])
    const key = yield* importAesKey(raw)
    wipe(raw)
    return key
  })

/**
 * Wraps `kek` under `credential`. Passphrases use `policy`'s Argon2id
 * parameters (refused below the floor or under a read-only policy);
 * passkey PRF outputs and recovery codes, already 256/128-bit secrets, use
 * HKDF. `salt` is the PRF evaluation input for a passkey, random otherwise.
 */
export const wrap = (
  kek: Uint8Array,
  credential: Credential,
  binding: WrapBinding,
  policy: CryptoPolicy,
  salt?: Uint8Array,
): Effect.Effect<WrappedKey, PolicyRefused | CryptoUnavailable, Entropy.Entropy> =>
  Effect.gen(function* () {
    yield* checkPolicy(policy, "write")
    const freshSalt = salt ?? (yield* Entropy.bytes(SALT_BYTES))
    const kdf: KdfParams =
      credential.type === "passphrase"
        ? yield* passphraseParams(policy, freshSalt)
        : { alg: "hkdf-sha256", salt: freshSalt }
    const header = {
      wrap_version: "v2" as const,
      wrap_type: "AEAD" as const,
      kdf,
      aad: {
        user_id: binding.userId,
        vault_id: binding.vaultId,
        credential_id: binding.credentialId,
        credential_type: credential.type,
        policy_version: policy.version,
      },
    }
    const key = yield* credentialKey(credential, kdf)
    const nonce = yield* Entropy.bytes(NONCE_BYTES)
    const cipher = yield* aesGcmEncrypt(key, nonce, kek, aadBytes(header))
    return { ...header, nonce, cipher }
  })

/**
 * Opens a wrap with `credential`, after checking that it belongs to `expected`
 * (the server could hand over another user's or vault's blob), that its KDF
 * matches its version and type, and that its parameters clear the floor.
 * A wrong passphrase, code or passkey is `WrongCredential`.
 */
export const unwrap = (
  wrapped: WrappedKey,
  credential: Credential,
  expected: { readonly userId: string; readonly vaultId: string },
): Effect.Effect<Uint8Array, WrongCredential | PolicyRefused | CryptoUnavailable> =>
  Effect.gen(function* () {
    if (wrapped.aad.user_id !== expected.userId || wrapped.aad.vault_id !== expected.vaultId)
      return yield* new PolicyRefused({ message: "the wrap belongs to another user or vault" })
    if (wrapped.aad.credential_type !== credential.type)
      return yield* new WrongCredential({ message: `this wrap opens with a ${wrapped.aad.credential_type}` })
    yield* consistent(wrapped)
    const key = yield* credentialKey(credential, wrapped.kdf)
    return yield* Effect.mapError(
      aesGcmDecrypt(key, wrapped.nonce, wrapped.cipher, aadBytes(wrapped), "the wrapped key"),
      () => new WrongCredential({ message: `the ${credential.type} does not open this vault` }),
    )
  })

/** Decodes a wrap from its JSON form; the message names the offending field. */
export const decode = (input: unknown) =>
  Effect.mapError(
    Schema.decodeUnknown(WrappedKey)(input),
    (error) => new MalformedInput({ message: ParseResult.TreeFormatter.formatErrorSync(error) }),
  )

export const encode = (wrapped: WrappedKey): WrappedKeyJson => Schema.encodeSync(WrappedKey)(wrapped)

/** Checks a decoded wrap the way `unwrap` would, without a credential: servers refuse weak wraps with it. */
export const validate = (wrapped: WrappedKey): Effect.Effect<void, PolicyRefused> =>
  Effect.zipRight(consistent(wrapped), checkParams(wrapped.kdf))
