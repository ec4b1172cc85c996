/**
 * The keyring: the one place an unlocked vault's keys live on a client. It
 * creates vaults, unlocks them with a passphrase, passkey PRF output or
 * recovery code, seals and opens records with the current content key, adds
 * wraps and recovery codes, and prepares content-key rotations. Its lock
 * state follows `LockMachine`; the moment it locks — by idle timeout (timed
 * with `Clock`), page hidden, logout, session expiry, a remote or admin lock,
 * or the user — every key reference is dropped, the KEK bytes are
 * overwritten, and a `Locked` event is published (the search index listens).
 */
import {
  Context,
  Effect,
  Fiber,
  Layer,
  Option,
  PubSub,
  type Queue,
  Redacted,
  Ref,
  type Schema,
  type Scope,
  Stream,
} from "effect"
import * as ContentKeys from "./ContentKeys.js"
import { type CryptoPolicy, isWeaker } from "./CryptoPolicy.js"
import * as Entropy from "./Entropy.js"
import * as Envelope from "./Envelope.js"
import { uuid } from "./internal/ids.js"
import * as IndexKey from "./internal/indexKey.js"
import { wipe } from "./internal/subtle.js"
import * as LockMachine from "./LockMachine.js"
import * as RecoveryCode from "./RecoveryCode.js"
import * as UnlockProof from "./UnlockProof.js"
import { DecryptionFailed, UnknownContentKey, type VaultFailure, VaultLocked } from "./VaultError.js"
import * as WrappedKey from "./WrappedKey.js"

/** Who and which vault every key and record is bound to. */
export interface Binding {
  readonly userId: string
  readonly vaultId: string
}

/** A record's place within the vault (user and vault come from the keyring). */
export interface RecordRef {
  readonly recordType: string
  readonly recordId: string
}

export interface WrappedContentKey {
  readonly kid: Envelope.KeyId
  readonly wrapped: Envelope.Envelope
}

export type KeyringEvent =
  | { readonly _tag: "Unlocked" }
  | { readonly _tag: "Locked"; readonly reason: LockMachine.LockReason }

/** What a new vault sends to the server. */
export interface Created {
  readonly binding: Binding
  readonly passphraseWrap: WrappedKey.WrappedKey
  readonly contentKey: WrappedContentKey
  readonly unlockProof: Uint8Array
}

/** A new set of recovery codes: the formatted codes are shown once; the entries go to the server. */
export interface RecoveryCodeSet {
  readonly codes: ReadonlyArray<string>
  readonly entries: ReadonlyArray<{
    readonly id: string
    readonly verifier: Uint8Array
    readonly wrap: WrappedKey.WrappedKey
  }>
}

export interface UnlockInput {
  readonly binding: Binding
  readonly wrap: WrappedKey.WrappedKey
  readonly credential: WrappedKey.Credential
  readonly contentKeys: ReadonlyArray<WrappedContentKey>
  readonly currentKid: Envelope.KeyId
  /** The instance's current policy, already fetched; a weaker passphrase wrap is re-made under it. */
  readonly currentPolicy: CryptoPolicy
}

export interface Unlocked {
  readonly unlockProof: Uint8Array
  /** Present when the wrap used was weaker than the current policy: store it in place of the old one. */
  readonly upgradedWrap?: WrappedKey.WrappedKey
}

interface Keys {
  readonly binding: Binding
  readonly kek: Uint8Array
  readonly kekKey: Envelope.ContentKey
  /** HKDF of the KEK for the search-index snapshot (`internal/indexKey.ts`); derived at unlock, dropped at lock. */
  readonly indexKey: Envelope.ContentKey
  readonly contentKeys: ReadonlyMap<string, Envelope.ContentKey>
  readonly currentKid: Envelope.KeyId
}

export class Keyring extends Context.Tag("@ignition/vault/Keyring")<
  Keyring,
  {
    readonly state: Effect.Effect<LockMachine.LockState>
    /** Lock and unlock events, from the moment the stream runs. */
    readonly events: Stream.Stream<KeyringEvent>
    /** A subscription that exists from the moment this returns: no event in between is missed. */
    readonly subscribe: Effect.Effect<Queue.Dequeue<KeyringEvent>, never, Scope.Scope>
    readonly create: (
      binding: Binding,
      passphrase: Redacted.Redacted<string>,
      policy: CryptoPolicy,
    ) => Effect.Effect<Created, VaultFailure>
    readonly unlock: (input: UnlockInput) => Effect.Effect<Unlocked, VaultFailure>
    readonly dispatch: (event: LockMachine.LockEvent) => Effect.Effect<void>
    readonly lock: (reason: LockMachine.LockReason) => Effect.Effect<void>
    readonly seal: (ref: RecordRef, plaintext: Uint8Array) => Effect.Effect<Envelope.Envelope, VaultFailure>
    readonly open: (ref: RecordRef, envelope: Envelope.Envelope) => Effect.Effect<Uint8Array, VaultFailure>
    readonly sealString: (ref: RecordRef, text: string) => Effect.Effect<Envelope.Envelope, VaultFailure>
    readonly openString: (ref: RecordRef, envelope: Envelope.Envelope) => Effect.Effect<string, VaultFailure>
    readonly sealJson: <A, I>(
      schema: Schema.Schema<A, I>,
      ref: RecordRef,
      value: A,
    ) => Effect.Effect<Envelope.Envelope, VaultFailure>
    readonly openJson: <A, I>(
      schema: Schema.Schema<A, I>,
      ref: RecordRef,
      envelope: Envelope.Envelope,
    ) => Effect.Effect<A, VaultFailure>
    /** Seals many records at once (a sync page, an import): one bridge into Effect for the batch. */
    readonly sealAll: (
      items: ReadonlyArray<{ readonly ref: RecordRef; readonly plaintext: Uint8Array }>,
    ) => Effect.Effect<ReadonlyArray<Envelope.Envelope>, VaultFailure>
    /** Opens many records at once, each with the key its envelope names. */
    readonly openAll: (
      items: ReadonlyArray<{ readonly ref: RecordRef; readonly envelope: Envelope.Envelope }>,
    ) => Effect.Effect<ReadonlyArray<Uint8Array>, VaultFailure>
    /** Wraps the KEK under another credential (a new passphrase, a passkey's PRF output). */
    readonly addWrap: (
      credential: WrappedKey.Credential,
      credentialId: string,
      policy: CryptoPolicy,
      salt?: Uint8Array,
    ) => Effect.Effect<WrappedKey.WrappedKey, VaultFailure>
    readonly generateRecoveryCodes: (policy: CryptoPolicy) => Effect.Effect<RecoveryCodeSet, VaultFailure>
    /** A new content key for the server's compare-and-swap; it becomes current once `adoptContentKeys` lists it as such. */
    readonly prepareContentKey: Effect.Effect<
      WrappedContentKey & { readonly expectedCurrentKid: Envelope.KeyId },
      VaultFailure
    >
    /** Takes the server's list of content keys and its current kid (after a rotation, won or lost). */
    readonly adoptContentKeys: (
      contentKeys: ReadonlyArray<WrappedContentKey>,
      currentKid: Envelope.KeyId,
    ) => Effect.Effect<void, VaultFailure>
    readonly currentKid: Effect.Effect<Envelope.KeyId, VaultLocked>
    /**
     * Seals a search-index snapshot under the index key, derived from the KEK
     * by HKDF (info "ignition/search-index/v1"); its AAD binds user, vault and
     * the record type `search-index`. Rotating content keys does not affect it.
     */
    readonly sealIndex: (snapshot: Uint8Array) => Effect.Effect<Envelope.Envelope, VaultFailure>
    /** Opens a snapshot sealed by `sealIndex` for this user and vault; anything else is DecryptionFailed. */
    readonly openIndex: (envelope: Envelope.Envelope) => Effect.Effect<Uint8Array, VaultFailure>
  }
>() {}

const locked = new VaultLocked({ message: "the vault is locked" })

/**
 * The keyring, with its idle watcher running in the layer's scope. `policy`
 * sets the idle timeout and whether hiding the page locks.
 */
export const make = (
  policy: LockMachine.LockPolicy = LockMachine.defaultPolicy,
): Effect.Effect<Keyring["Type"], never, Entropy.Entropy | Scope.Scope> =>
  Effect.gen(function* () {
    const entropy = yield* Entropy.Entropy
    const provide = Effect.provideService(Entropy.Entropy, entropy)
    const now = Effect.clockWith((clock) => clock.currentTimeMillis)
    const machine = yield* Ref.make(LockMachine.initial(yield* now))
    const keys = yield* Ref.make(Option.none<Keys>())
    const events = yield* PubSub.unbounded<KeyringEvent>()
    const semaphore = yield* Effect.makeSemaphore(1)
    const watcher = yield* Ref.make(Option.none<Fiber.RuntimeFiber<void>>())

    const drop = Effect.flatMap(Ref.getAndSet(keys, Option.none()), (held) =>
      Effect.sync(() => Option.map(held, (k) => wipe(k.kek))),
    )

    const step = (event: LockMachine.LockEvent): Effect.Effect<void> =>
      Effect.gen(function* () {
        const at = yield* now
        const result = LockMachine.transition(yield* Ref.get(machine), event, at, policy)
        yield* Ref.set(machine, result.state)
        if (result.locked !== undefined) {
          yield* drop
          yield* PubSub.publish(events, { _tag: "Locked", reason: result.locked })
        }
        yield* arm
      })

    // Sleeps until the idle deadline, then ticks; re-armed after every event. Clock-driven, so TestClock moves it.
    const arm: Effect.Effect<void> = Effect.gen(function* () {
      const previous = yield* Ref.getAndSet(watcher, Option.none())
      if (Option.isSome(previous)) yield* Fiber.interruptFork(previous.value)
      const deadline = LockMachine.idleDeadline(yield* Ref.get(machine), policy)
      if (deadline === undefined) return
      const fiber = yield* Effect.forkDaemon(
        Effect.flatMap(now, (at) =>
          Effect.zipRight(
            Effect.sleep(Math.max(0, deadline - at)),
            semaphore.withPermits(1)(step(LockMachine.LockEvent.Tick())),
          ),
        ),
      )
      yield* Ref.set(watcher, Option.some(fiber))
    })

    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Ref.get(watcher), (fiber) => (Option.isSome(fiber) ? Fiber.interrupt(fiber.value) : Effect.void)),
    )
    yield* Effect.addFinalizer(() => drop)

    const dispatch = (event: LockMachine.LockEvent) => semaphore.withPermits(1)(step(event))

    const held = Effect.flatMap(
      Ref.get(keys),
      Option.match({ onNone: () => Effect.fail(locked), onSome: Effect.succeed }),
    )

    const install = (
      binding: Binding,
      kek: Uint8Array,
      contentKeys: ReadonlyArray<Envelope.ContentKey>,
      currentKid: Envelope.KeyId,
    ) =>
      Effect.gen(function* () {
        const kekKey = yield* ContentKeys.kekKey(kek)
        const indexKey = yield* IndexKey.derive(kek, binding.vaultId)
        yield* Ref.set(
          keys,
          Option.some({
            binding,
            kek,
            kekKey,
            indexKey,
            contentKeys: new Map(contentKeys.map((key) => [key.kid, key])),
            currentKid,
          }),
        )
        yield* step(LockMachine.LockEvent.Unlock())
        yield* PubSub.publish(events, { _tag: "Unlocked" })
      })

    const unwrapAll = (kekKey: Envelope.ContentKey, binding: Binding, wrapped: ReadonlyArray<WrappedContentKey>) =>
      Effect.forEach(wrapped, (entry) => ContentKeys.unwrap(kekKey, binding, entry.kid, entry.wrapped))

    const contextOf = (k: Keys, ref: RecordRef): Envelope.RecordContext => ({ ...k.binding, ...ref })

    const keyFor = (k: Keys, kid: string) => {
      const key = k.contentKeys.get(kid)
      return key === undefined
        ? Effect.fail(new UnknownContentKey({ kid, message: `content key ${kid} is not in this keyring` }))
        : Effect.succeed(key)
    }

    const current = (k: Keys) => keyFor(k, k.currentKid)

    /**
     * Wrapping the KEK runs a KDF for a while; a lock meanwhile wipes the held bytes. Work on a
     * copy, wiped afterwards, so a wrap is never made of zeroes.
     */
    const withKekCopy = <A, E>(use: (k: Keys, kek: Uint8Array) => Effect.Effect<A, E>) =>
      Effect.flatMap(held, (k) =>
        Effect.acquireUseRelease(
          Effect.sync(() => new Uint8Array(k.kek)),
          (kek) => use(k, kek),
          (kek) => Effect.sync(() => wipe(kek)),
        ),
      )

    const service: Keyring["Type"] = {
      state: Ref.get(machine),
      events: Stream.fromPubSub(events),
      subscribe: PubSub.subscribe(events),
      create: (binding, passphrase, cryptoPolicy) =>
        semaphore.withPermits(1)(
          provide(
            Effect.gen(function* () {
              const kek = yield* Entropy.bytes(WrappedKey.KEK_BYTES)
              const credentialId = yield* uuid
              const passphraseWrap = yield* WrappedKey.wrap(
                kek,
                { type: "passphrase", passphrase },
                { ...binding, credentialId },
                cryptoPolicy,
              )
              const kekKey = yield* ContentKeys.kekKey(kek)
              const generated = yield* ContentKeys.generate(kekKey, binding)
              const unlockProof = yield* UnlockProof.derive(kek, binding.vaultId)
              yield* install(binding, kek, [generated.key], generated.key.kid)
              return {
                binding,
                passphraseWrap,
                contentKey: { kid: generated.key.kid, wrapped: generated.wrapped },
                unlockProof,
              }
            }),
          ),
        ),
      unlock: (input) =>
        semaphore.withPermits(1)(
          provide(
            Effect.gen(function* () {
              const kek = yield* WrappedKey.unwrap(input.wrap, input.credential, input.binding)
              const kekKey = yield* ContentKeys.kekKey(kek)
              const contentKeys = yield* unwrapAll(kekKey, input.binding, input.contentKeys)
              if (!contentKeys.some((key) => key.kid === input.currentKid))
                return yield* new UnknownContentKey({
                  kid: input.currentKid,
                  message: "the current content key is missing",
                })
              const unlockProof = yield* UnlockProof.derive(kek, input.binding.vaultId)
              const weaker =
                input.credential.type === "passphrase" &&
                isWeaker(input.wrap.kdf, input.wrap.aad.policy_version, input.currentPolicy)
              const upgradedWrap = weaker
                ? yield* WrappedKey.wrap(
                    kek,
                    input.credential,
                    { ...input.binding, credentialId: yield* uuid },
                    input.currentPolicy,
                  )
                : undefined
              yield* install(input.binding, kek, contentKeys, input.currentKid)
              return upgradedWrap === undefined ? { unlockProof } : { unlockProof, upgradedWrap }
            }),
          ),
        ),
      dispatch,
      lock: (reason) => dispatch(LockMachine.LockEvent.Lock({ reason })),
      seal: (ref, plaintext) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(current(k), (key) => provide(Envelope.seal(key, contextOf(k, ref), plaintext))),
        ),
      open: (ref, envelope) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(keyFor(k, envelope.kid), (key) => Envelope.open(key, contextOf(k, ref), envelope)),
        ),
      sealString: (ref, text) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(current(k), (key) => provide(Envelope.sealString(key, contextOf(k, ref), text))),
        ),
      openString: (ref, envelope) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(keyFor(k, envelope.kid), (key) => Envelope.openString(key, contextOf(k, ref), envelope)),
        ),
      sealJson: (schema, ref, value) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(current(k), (key) => provide(Envelope.sealJson(schema, key, contextOf(k, ref), value))),
        ),
      openJson: (schema, ref, envelope) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(keyFor(k, envelope.kid), (key) => Envelope.openJson(schema, key, contextOf(k, ref), envelope)),
        ),
      sealAll: (items) =>
        Effect.flatMap(held, (k) =>
          Effect.flatMap(current(k), (key) =>
            provide(
              Envelope.sealAll(
                key,
                items.map((item) => ({ context: contextOf(k, item.ref), plaintext: item.plaintext })),
              ),
            ),
          ),
        ),
      openAll: (items) =>
        Effect.flatMap(held, (k) =>
          Envelope.openAll(
            (kid) => k.contentKeys.get(kid),
            items.map((item) => ({ context: contextOf(k, item.ref), envelope: item.envelope })),
          ),
        ),
      addWrap: (credential, credentialId, cryptoPolicy, salt) =>
        withKekCopy((k, kek) =>
          provide(WrappedKey.wrap(kek, credential, { ...k.binding, credentialId }, cryptoPolicy, salt)),
        ),
      generateRecoveryCodes: (cryptoPolicy) =>
        withKekCopy((k, kek) =>
          provide(
            Effect.gen(function* () {
              const codes = yield* RecoveryCode.generateSet
              const entries = yield* Effect.forEach(codes, (code) =>
                Effect.gen(function* () {
                  const id = yield* uuid
                  const wrap = yield* WrappedKey.wrap(
                    kek,
                    { type: "recovery-code", code },
                    { ...k.binding, credentialId: id },
                    cryptoPolicy,
                  )
                  return { id, verifier: yield* RecoveryCode.verifier(code), wrap }
                }),
              )
              return { codes: codes.map(RecoveryCode.format), entries }
            }),
          ),
        ),
      prepareContentKey: Effect.flatMap(held, (k) =>
        provide(
          Effect.map(ContentKeys.generate(k.kekKey, k.binding), (generated) => ({
            kid: generated.key.kid,
            wrapped: generated.wrapped,
            expectedCurrentKid: k.currentKid,
          })),
        ),
      ),
      adoptContentKeys: (wrapped, currentKid) =>
        semaphore.withPermits(1)(
          Effect.gen(function* () {
            const k = yield* held
            const known = wrapped.filter((entry) => !k.contentKeys.has(entry.kid))
            const added = yield* unwrapAll(k.kekKey, k.binding, known)
            const contentKeys = new Map(k.contentKeys)
            for (const key of added) contentKeys.set(key.kid, key)
            if (!contentKeys.has(currentKid))
              return yield* new UnknownContentKey({ kid: currentKid, message: "the current content key is missing" })
            yield* Ref.set(keys, Option.some({ ...k, contentKeys, currentKid }))
          }),
        ),
      currentKid: Effect.map(held, (k) => k.currentKid),
      sealIndex: (snapshot) =>
        Effect.flatMap(held, (k) => provide(Envelope.seal(k.indexKey, IndexKey.context(k.binding), snapshot))),
      openIndex: (envelope) =>
        Effect.flatMap(held, (k) =>
          Effect.catchTag(
            Envelope.open(k.indexKey, IndexKey.context(k.binding), envelope),
            "UnknownContentKey",
            () =>
              new DecryptionFailed({ message: "the search index snapshot is not sealed under this vault's index key" }),
          ),
        ),
    }
    return service
  })

export const layer = (policy?: LockMachine.LockPolicy): Layer.Layer<Keyring, never, Entropy.Entropy> =>
  Layer.scoped(Keyring, make(policy))

/** With WebCrypto's randomness. */
export const layerLive = (policy?: LockMachine.LockPolicy): Layer.Layer<Keyring> =>
  Layer.provide(layer(policy), Entropy.layer)

/** With a seeded generator: deterministic keys for tests. Never for real data. */
export const layerTest = (seed: string, policy?: LockMachine.LockPolicy): Layer.Layer<Keyring> =>
  Layer.provide(layer(policy), Entropy.layerTest(seed))

/** Re-exported for callers that only hold a passphrase string. */
export const passphrase = (text: string) => Redacted.make(text)
