/**
 * The vault's typed failures. Each names what went wrong without echoing key
 * material, passphrases or ciphertext, so a message is always safe to log.
 */
import { Schema } from "effect"

/** Authenticated decryption failed: wrong key, or any bit of iv, ciphertext or AAD changed. */
export class DecryptionFailed extends Schema.TaggedError<DecryptionFailed>()("DecryptionFailed", {
  message: Schema.String,
}) {}

/** A wrapped key did not open with the credential given (wrong passphrase, code or passkey). */
export class WrongCredential extends Schema.TaggedError<WrongCredential>()("WrongCredential", {
  message: Schema.String,
}) {}

/** A policy, KDF or parameter set below the client's floor, or inconsistent with its policy version. */
export class PolicyRefused extends Schema.TaggedError<PolicyRefused>()("PolicyRefused", {
  message: Schema.String,
}) {}

/** Bytes or JSON that do not have the shape of an envelope, wrap or code. */
export class MalformedInput extends Schema.TaggedError<MalformedInput>()("MalformedInput", {
  message: Schema.String,
}) {}

/** An envelope names a content key this keyring does not hold. */
export class UnknownContentKey extends Schema.TaggedError<UnknownContentKey>()("UnknownContentKey", {
  kid: Schema.String,
  message: Schema.String,
}) {}

/** A key operation was asked of a locked vault. */
export class VaultLocked extends Schema.TaggedError<VaultLocked>()("VaultLocked", {
  message: Schema.String,
}) {}

/** A recovery code that is not well-formed: wrong length, alphabet or check character (a typo). */
export class InvalidRecoveryCode extends Schema.TaggedError<InvalidRecoveryCode>()("InvalidRecoveryCode", {
  /** 1-based index of the first group whose check character does not match, when known. */
  group: Schema.optional(Schema.Number),
  message: Schema.String,
}) {}

/** The platform refused a primitive (no WebCrypto, out of memory for Argon2). */
export class CryptoUnavailable extends Schema.TaggedError<CryptoUnavailable>()("CryptoUnavailable", {
  message: Schema.String,
}) {}

/** Any of the vault's failures. */
export type VaultFailure =
  | DecryptionFailed
  | WrongCredential
  | PolicyRefused
  | MalformedInput
  | UnknownContentKey
  | VaultLocked
  | InvalidRecoveryCode
  | CryptoUnavailable
