/**
 * @ignition/vault — the client side of Ignition's end-to-end encryption:
 * KDFs with a policy floor, the KEK → content key → record key hierarchy,
 * record envelopes, recovery codes, the lock state machine and the encrypted
 * client-side search index. Isomorphic: WebCrypto, hash-wasm and minisearch only.
 */
export * as ContentKeys from "./ContentKeys.js"
export * as CryptoPolicy from "./CryptoPolicy.js"
export * as Entropy from "./Entropy.js"
export * as Envelope from "./Envelope.js"
export * as IndexStore from "./IndexStore.js"
export * as Kdf from "./Kdf.js"
export * as Keyring from "./Keyring.js"
export * as LockMachine from "./LockMachine.js"
export * as RecoveryCode from "./RecoveryCode.js"
export * as Rotation from "./Rotation.js"
export * as SearchIndex from "./SearchIndex.js"
export * as Tokenizer from "./Tokenizer.js"
export * as UnlockProof from "./UnlockProof.js"
export * as VaultError from "./VaultError.js"
export * as WrappedKey from "./WrappedKey.js"
