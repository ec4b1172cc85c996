/**
 * `@ignition/vault/promise`: the keyring for applications that do not use
 * Effect. Every method returns a Promise that rejects with the vault's typed
 * errors (`DecryptionFailed`, `WrongCredential`, `PolicyRefused`,
 * `VaultLocked`, …, each an `Error` with a `_tag`), and takes and returns the
 * JSON forms that travel to the server.
 */
import { Cause, Effect, Exit, ManagedRuntime, Redacted, Schema, Stream } from "effect"
import { CryptoPolicy } from "./CryptoPolicy.js"
import * as Envelope from "./Envelope.js"
import * as Keyring from "./Keyring.js"
import { LockEvent, type LockPolicy, type LockReason, type LockState } from "./LockMachine.js"
import * as RecoveryCode from "./RecoveryCode.js"
import * as WrappedKey from "./WrappedKey.js"

export { DecryptionFailed, PolicyRefused, VaultLocked, WrongCredential } from "./VaultError.js"

const toBase64Url = Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)
const decodePolicy = Schema.decodeUnknown(CryptoPolicy)

export type Credential =
  | { readonly type: "passphrase"; readonly passphrase: string }
  | { readonly type: "passkey"; readonly prfOutput: Uint8Array }
  | { readonly type: "recovery-code"; readonly code: string }

export interface RecordRef {
  readonly recordType: string
  readonly recordId: string
}

export interface WrappedContentKeyJson {
  readonly kid: string
  readonly wrapped: Envelope.EnvelopeJson
}

const credentialOf = (credential: Credential) =>
  credential.type === "passphrase"
    ? Effect.succeed<WrappedKey.Credential>({ type: "passphrase", passphrase: Redacted.make(credential.passphrase) })
    : credential.type === "passkey"
      ? Effect.succeed<WrappedKey.Credential>(credential)
      : Effect.map(
          RecoveryCode.parse(credential.code),
          (code): WrappedKey.Credential => ({ type: "recovery-code", code }),
        )

const contentKeysOf = (entries: ReadonlyArray<WrappedContentKeyJson>) =>
  Effect.forEach(entries, (entry) =>
    Effect.map(Envelope.decode(entry.wrapped), (wrapped) => ({ kid: Envelope.KeyId.make(entry.kid), wrapped })),
  )

/** A failed Effect becomes a rejection with its own typed error, not a wrapper. */
const unwrapExit = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const settle = async <A, E>(effect: Effect.Effect<A, E>) => unwrapExit(await Effect.runPromiseExit(effect))

export class VaultKeyring {
  readonly #runtime: ManagedRuntime.ManagedRuntime<Keyring.Keyring, never>

  constructor(policy?: LockPolicy) {
    this.#runtime = ManagedRuntime.make(Keyring.layerLive(policy))
  }

  async #run<A, E>(program: Effect.Effect<A, E, Keyring.Keyring>): Promise<A> {
    return unwrapExit(await this.#runtime.runPromiseExit(program))
  }

  #with<A, E>(use: (keyring: Keyring.Keyring["Type"]) => Effect.Effect<A, E>) {
    return this.#run(Effect.flatMap(Keyring.Keyring, use))
  }

  /** Creates a vault's keys under `passphrase`; the keyring is unlocked afterwards. */
  create(binding: Keyring.Binding, passphrase: string, policy: unknown) {
    return this.#with((keyring) =>
      Effect.gen(function* () {
        const created = yield* keyring.create(binding, Redacted.make(passphrase), yield* decodePolicy(policy))
        return {
          wrap: WrappedKey.encode(created.passphraseWrap),
          contentKey: { kid: created.contentKey.kid, wrapped: Envelope.encode(created.contentKey.wrapped) },
          unlockProof: toBase64Url(created.unlockProof),
        }
      }),
    )
  }

  /** Unlocks with one wrap and credential; `upgradedWrap` is set when the wrap should be replaced by a stronger one. */
  unlock(input: {
    readonly binding: Keyring.Binding
    readonly wrap: unknown
    readonly credential: Credential
    readonly contentKeys: ReadonlyArray<WrappedContentKeyJson>
    readonly currentKid: string
    readonly currentPolicy: unknown
  }) {
    return this.#with((keyring) =>
      Effect.gen(function* () {
        const unlocked = yield* keyring.unlock({
          binding: input.binding,
          wrap: yield* WrappedKey.decode(input.wrap),
          credential: yield* credentialOf(input.credential),
          contentKeys: yield* contentKeysOf(input.contentKeys),
          currentKid: Envelope.KeyId.make(input.currentKid),
          currentPolicy: yield* decodePolicy(input.currentPolicy),
        })
        return {
          unlockProof: toBase64Url(unlocked.unlockProof),
          upgradedWrap: unlocked.upgradedWrap === undefined ? undefined : WrappedKey.encode(unlocked.upgradedWrap),
        }
      }),
    )
  }

  lock(reason: LockReason = "manual") {
    return this.#with((keyring) => keyring.lock(reason))
  }

  /** Feeds the lock policy: user activity, page hidden/visible, focus sessions. */
  notify(event: "activity" | "hidden" | "visible" | "focus-started" | "focus-ended") {
    const events = {
      activity: LockEvent.Activity(),
      hidden: LockEvent.Hidden(),
      visible: LockEvent.Visible(),
      "focus-started": LockEvent.FocusStarted(),
      "focus-ended": LockEvent.FocusEnded(),
    } as const
    return this.#with((keyring) => keyring.dispatch(events[event]))
  }

  state(): Promise<LockState> {
    return this.#with((keyring) => keyring.state)
  }

  /** Calls `listener` with the reason each time the vault locks; returns a function that stops listening. */
  onLock(listener: (reason: LockReason) => void): () => void {
    const fiber = this.#runtime.runFork(
      Effect.flatMap(Keyring.Keyring, (keyring) =>
        Stream.runForEach(keyring.events, (event) =>
          event._tag === "Locked" ? Effect.sync(() => listener(event.reason)) : Effect.void,
        ),
      ),
    )
    return () => {
      this.#runtime.runFork(fiber.interruptAsFork(fiber.id()))
    }
  }

  sealString(ref: RecordRef, text: string) {
    return this.#with((keyring) => Effect.map(keyring.sealString(ref, text), Envelope.encode))
  }

  openString(ref: RecordRef, envelope: unknown) {
    return this.#with((keyring) =>
      Effect.flatMap(Envelope.decode(envelope), (decoded) => keyring.openString(ref, decoded)),
    )
  }

  seal(ref: RecordRef, bytes: Uint8Array) {
    return this.#with((keyring) => Effect.map(keyring.seal(ref, bytes), Envelope.encode))
  }

  open(ref: RecordRef, envelope: unknown) {
    return this.#with((keyring) => Effect.flatMap(Envelope.decode(envelope), (decoded) => keyring.open(ref, decoded)))
  }

  /** Wraps the unlocked KEK under another credential. */
  addWrap(credential: Credential, credentialId: string, policy: unknown, salt?: Uint8Array) {
    return this.#with((keyring) =>
      Effect.gen(function* () {
        const wrap = yield* keyring.addWrap(
          yield* credentialOf(credential),
          credentialId,
          yield* decodePolicy(policy),
          salt,
        )
        return WrappedKey.encode(wrap)
      }),
    )
  }

  /** Ten new recovery codes: show `codes` once, send `entries` to the server. */
  generateRecoveryCodes(policy: unknown) {
    return this.#with((keyring) =>
      Effect.gen(function* () {
        const set = yield* keyring.generateRecoveryCodes(yield* decodePolicy(policy))
        return {
          codes: set.codes,
          entries: set.entries.map((entry) => ({
            id: entry.id,
            verifier: toBase64Url(entry.verifier),
            wrap: WrappedKey.encode(entry.wrap),
          })),
        }
      }),
    )
  }

  /** The verifier a server checks a typed recovery code by (the code itself never leaves the client). */
  static recoveryVerifier(code: string) {
    return settle(
      Effect.flatMap(RecoveryCode.parse(code), (bytes) => Effect.map(RecoveryCode.verifier(bytes), toBase64Url)),
    )
  }

  dispose() {
    return this.#runtime.dispose()
  }
}
