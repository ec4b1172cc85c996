/**
 * @ignition/vault — the client side of Ignition's end-to-end encryption:
 * KDFs with a policy floor, the KEK → content key → record key hierarchy,
 * record envelopes, recovery codes and the lock state machine. Isomorphic:
 * WebCrypto and hash-wasm only.
 */
export * as ContentKeys from "./ContentKeys.js"
export * as CryptoPolicy from "./CryptoPolicy.js"
export * as Entropy from "./Entropy.js"
export * as Envelope from "./Envelope.js"
export * as Kdf from "./Kdf.js"
export * as Keyring from "./Keyring.js"
export * as LockMachine from "./LockMachine.js"
export * as RecoveryCode from "./RecoveryCode.js"
export * as Rotation from "./Rotation.js"
export * as UnlockProof from "./UnlockProof.js"
export * as VaultError from "./VaultError.js"
export * as WrappedKey from "./WrappedKey.js"
