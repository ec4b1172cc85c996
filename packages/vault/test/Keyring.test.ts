/**
 * The keyring end to end, with real Argon2id at the floor: create → seal →
 * lock drops every key → unlock by passphrase, recovery code or passkey PRF
 * → open; the idle timer runs on Clock (TestClock here); a weaker wrap is
 * upgraded silently at unlock; two devices rotating content keys leave
 * every record decryptable.
 */
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Queue, Redacted, TestClock } from "effect"
import * as Keyring from "../src/Keyring.js"
import { LockEvent } from "../src/LockMachine.js"
import * as RecoveryCode from "../src/RecoveryCode.js"
import { binding, floorPolicy, strongerPolicy } from "./support.js"

const ref = { recordType: "journal", recordId: "entry-1" }
const passphrase = Redacted.make("a long and memorable passphrase")

const withKeyring = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provide(effect, Keyring.layerLive())

/** Two independent devices of the same user. */
const device = (seed: string) => Effect.provide(Keyring.Keyring, Layer.fresh(Keyring.layerTest(seed)))

describe("Keyring", () => {
  it.scoped("create, seal, lock drops every key, unlock by passphrase, open", () =>
    withKeyring(
      Effect.gen(function* () {
        const keyring = yield* Keyring.Keyring
        const created = yield* keyring.create(binding, passphrase, floorPolicy)
        const envelope = yield* keyring.sealString(ref, "dear diary")
        const events = yield* keyring.subscribe
        yield* keyring.lock("manual")
        assert.strictEqual((yield* keyring.state)._tag, "Locked")
        assert.strictEqual((yield* Effect.flip(keyring.openString(ref, envelope)))._tag, "VaultLocked")
        assert.strictEqual((yield* Effect.flip(keyring.sealString(ref, "x")))._tag, "VaultLocked")
        const wrong = yield* Effect.flip(
          keyring.unlock({
            binding,
            wrap: created.passphraseWrap,
            credential: { type: "passphrase", passphrase: Redacted.make("not it") },
            contentKeys: [created.contentKey],
            currentKid: created.contentKey.kid,
            currentPolicy: floorPolicy,
          }),
        )
        assert.strictEqual(wrong._tag, "WrongCredential")
        const unlocked = yield* keyring.unlock({
          binding,
          wrap: created.passphraseWrap,
          credential: { type: "passphrase", passphrase },
          contentKeys: [created.contentKey],
          currentKid: created.contentKey.kid,
          currentPolicy: floorPolicy,
        })
        assert.deepStrictEqual(unlocked.unlockProof, created.unlockProof)
        assert.isUndefined(unlocked.upgradedWrap)
        assert.strictEqual(yield* keyring.openString(ref, envelope), "dear diary")
        const refs = [1, 2, 3].map((n) => ({ recordType: "journal", recordId: `entry-${n}` }))
        const sealed = yield* keyring.sealAll(refs.map((r, n) => ({ ref: r, plaintext: new Uint8Array([n]) })))
        const opened = yield* keyring.openAll(refs.map((r, n) => ({ ref: r, envelope: sealed[n] as typeof envelope })))
        assert.deepStrictEqual(opened, [new Uint8Array([0]), new Uint8Array([1]), new Uint8Array([2])])
        const seen = Chunk.toReadonlyArray(yield* Queue.takeAll(events))
        assert.deepStrictEqual(seen, [{ _tag: "Locked", reason: "manual" }, { _tag: "Unlocked" }])
      }),
    ),
  )

  it.scoped("locks itself after ten idle minutes on the Clock, and a focus session holds it open", () =>
    withKeyring(
      Effect.gen(function* () {
        const keyring = yield* Keyring.Keyring
        yield* keyring.create(binding, passphrase, floorPolicy)
        yield* TestClock.adjust("9 minutes")
        yield* keyring.dispatch(LockEvent.Activity())
        yield* TestClock.adjust("9 minutes")
        assert.strictEqual((yield* keyring.state)._tag, "Unlocked")
        yield* keyring.dispatch(LockEvent.FocusStarted())
        yield* TestClock.adjust("50 minutes")
        assert.strictEqual((yield* keyring.state)._tag, "Unlocked")
        yield* keyring.dispatch(LockEvent.FocusEnded())
        yield* TestClock.adjust("10 minutes")
        const state = yield* keyring.state
        assert.strictEqual(state._tag, "Locked")
        assert.strictEqual(state._tag === "Locked" && state.reason, "idle")
        assert.strictEqual((yield* Effect.flip(keyring.currentKid))._tag, "VaultLocked")
      }),
    ),
  )

  it.scoped("a recovery code and a passkey's PRF output unlock the same vault", () =>
    withKeyring(
      Effect.gen(function* () {
        const keyring = yield* Keyring.Keyring
        const created = yield* keyring.create(binding, passphrase, floorPolicy)
        const envelope = yield* keyring.sealString(ref, "secret")
        const set = yield* keyring.generateRecoveryCodes(floorPolicy)
        assert.strictEqual(set.codes.length, 10)
        const prfOutput = new Uint8Array(32).fill(42)
        const prfSalt = new Uint8Array(32).fill(7)
        const passkeyWrap = yield* keyring.addWrap(
          { type: "passkey", prfOutput },
          "credential-abc",
          floorPolicy,
          prfSalt,
        )
        const unlockWith = (wrap: typeof passkeyWrap, credential: Parameters<typeof keyring.addWrap>[0]) =>
          Effect.zipRight(
            keyring.lock("manual"),
            keyring.unlock({
              binding,
              wrap,
              credential,
              contentKeys: [created.contentKey],
              currentKid: created.contentKey.kid,
              currentPolicy: floorPolicy,
            }),
          )
        const code = yield* RecoveryCode.parse(set.codes[3] ?? "")
        const entry = set.entries[3]
        if (entry === undefined) return assert.fail("no entry")
        assert.deepStrictEqual(entry.verifier, yield* RecoveryCode.verifier(code))
        yield* unlockWith(entry.wrap, { type: "recovery-code", code })
        assert.strictEqual(yield* keyring.openString(ref, envelope), "secret")
        yield* unlockWith(passkeyWrap, { type: "passkey", prfOutput })
        assert.strictEqual(yield* keyring.openString(ref, envelope), "secret")
      }),
    ),
  )

  it.scoped("a wrap weaker than the instance's current policy is re-made at unlock", () =>
    withKeyring(
      Effect.gen(function* () {
        const keyring = yield* Keyring.Keyring
        const created = yield* keyring.create(binding, passphrase, floorPolicy)
        yield* keyring.lock("manual")
        const unlocked = yield* keyring.unlock({
          binding,
          wrap: created.passphraseWrap,
          credential: { type: "passphrase", passphrase },
          contentKeys: [created.contentKey],
          currentKid: created.contentKey.kid,
          currentPolicy: strongerPolicy,
        })
        const upgraded = unlocked.upgradedWrap
        if (upgraded === undefined) return assert.fail("expected an upgraded wrap")
        assert.strictEqual(upgraded.aad.policy_version, 3)
        assert.deepStrictEqual(upgraded.kdf.alg === "argon2id" && upgraded.kdf.m, 24 * 1024)
        yield* keyring.lock("manual")
        yield* keyring.unlock({
          binding,
          wrap: upgraded,
          credential: { type: "passphrase", passphrase },
          contentKeys: [created.contentKey],
          currentKid: created.contentKey.kid,
          currentPolicy: strongerPolicy,
        })
      }),
    ),
  )

  it.scoped("two devices rotate at once: the loser adopts the winner's key and every record still opens", () =>
    Effect.gen(function* () {
      const a = yield* device("device-a")
      const b = yield* device("device-b")
      const created = yield* a.create(binding, passphrase, floorPolicy)
      yield* b.unlock({
        binding,
        wrap: created.passphraseWrap,
        credential: { type: "passphrase", passphrase },
        contentKeys: [created.contentKey],
        currentKid: created.contentKey.kid,
        currentPolicy: floorPolicy,
      })
      const before = yield* a.sealString(ref, "sealed before rotation")
      // The server's compare-and-swap, in miniature: first writer for the expected kid wins.
      let serverCurrent = created.contentKey.kid
      const serverKeys = [created.contentKey]
      const post = (rotation: Effect.Effect.Success<typeof a.prepareContentKey>) =>
        rotation.expectedCurrentKid === serverCurrent
          ? Effect.sync(() => {
              serverKeys.push({ kid: rotation.kid, wrapped: rotation.wrapped })
              serverCurrent = rotation.kid
              return true
            })
          : Effect.succeed(false)
      const [fromA, fromB] = yield* Effect.all([a.prepareContentKey, b.prepareContentKey])
      assert.isTrue(yield* post(fromA))
      assert.isFalse(yield* post(fromB))
      yield* a.adoptContentKeys(serverKeys, serverCurrent)
      yield* b.adoptContentKeys(serverKeys, serverCurrent)
      const afterA = yield* a.sealString(ref, "sealed by A after")
      const afterB = yield* b.sealString(ref, "sealed by B after")
      assert.strictEqual(afterA.kid, fromA.kid)
      assert.strictEqual(afterB.kid, fromA.kid)
      for (const keyring of [a, b]) {
        assert.strictEqual(yield* keyring.openString(ref, before), "sealed before rotation")
        assert.strictEqual(yield* keyring.openString(ref, afterA), "sealed by A after")
        assert.strictEqual(yield* keyring.openString(ref, afterB), "sealed by B after")
      }
    }),
  )

  it.scoped("a lock while a wrap is being made does not turn it into a wrap of zeroes", () =>
    withKeyring(
      Effect.gen(function* () {
        const keyring = yield* Keyring.Keyring
        const created = yield* keyring.create(binding, passphrase, floorPolicy)
        const envelope = yield* keyring.sealString(ref, "still mine")
        const other = Redacted.make("another long passphrase entirely")
        const making = yield* Effect.fork(
          keyring.addWrap({ type: "passphrase", passphrase: other }, "second", floorPolicy),
        )
        yield* Effect.yieldNow()
        yield* keyring.lock("manual")
        const wrap = yield* Fiber.join(making)
        yield* keyring.unlock({
          binding,
          wrap,
          credential: { type: "passphrase", passphrase: other },
          contentKeys: [created.contentKey],
          currentKid: created.contentKey.kid,
          currentPolicy: floorPolicy,
        })
        assert.strictEqual(yield* keyring.openString(ref, envelope), "still mine")
      }),
    ),
  )
})
