/**
 * The Promise facade, as a non-Effect application would use it: a Promise
 * transport over the in-memory server and file keys from the vault's
 * promise keyring; uploads report events, land and decrypt (whole, as a
 * ReadableStream, by range); ports' plain rejections are retried as
 * TransportUnavailable; rejections carry the typed errors themselves; a
 * file key wrapped through the promise keyring opens through the Effect
 * adapter and back.
 */
import { assert, describe, it } from "@effect/vitest"
import { CryptoPolicy, Envelope, Keyring, WrappedKey } from "@ignition/vault"
import { VaultKeyring } from "@ignition/vault/promise"
import { Cause, Effect, Exit, Layer, Schema } from "effect"
import * as KeyWrap from "../src/KeyWrap.js"
import * as MemoryTransport from "../src/MemoryTransport.js"
import * as Promised from "../src/promise.js"
import * as Sha256 from "../src/Sha256.js"
import type { UploadTransport } from "../src/UploadTransport.js"
import { binding, fileId, otherFileId, patterned, smallLimits } from "./support.js"

const floorPolicy = {
  version: 2,
  aead: "AES-256-GCM",
  kdf: { alg: "argon2id", m: 19 * 1024, t: 2, p: 1 },
  deprecated: false,
}

const run = async <A, E>(effect: Effect.Effect<A, E>) => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

/** The in-memory server behind Promises; `flaky` makes the first put of each chunk throw a plain Error. */
const promiseTransport = (transport: UploadTransport["Type"], flaky = false): Promised.Transport => {
  const tried = new Set<number>()
  return {
    createSession: (spec) => run(transport.create(spec)),
    status: (sessionId) => run(transport.status(sessionId)),
    putChunk: async (sessionId, index, bytes, sha256) => {
      if (flaky && !tried.has(index)) {
        tried.add(index)
        throw new Error("socket hang up")
      }
      return run(transport.put(sessionId, index, bytes, sha256))
    },
    complete: (sessionId, sha256) => run(transport.complete(sessionId, sha256)),
    abort: (sessionId) => run(transport.abort(sessionId)),
  }
}

const setup = async () => {
  const keyring = new VaultKeyring()
  await keyring.create(binding, "a long and memorable passphrase", floorPolicy)
  const server = await run(Effect.provide(MemoryTransport.make({ limits: smallLimits }), Sha256.layer))
  return { keys: Promised.vaultFileKeys(keyring), server, keyring }
}

describe("@ignition/upload/promise", () => {
  it("uploads with events, then decrypts whole, streamed and by range", async () => {
    const { keys, server, keyring } = await setup()
    const source = patterned(1000)
    const events: Array<string> = []
    const task = await Promised.startUpload({
      uploadKey: "file-1",
      fileId,
      source: new Blob([source]),
      transport: promiseTransport(server.transport, true),
      keys,
      limits: smallLimits,
      retry: { baseDelay: "1 millis", maxDelay: "4 millis" },
      concurrency: 3,
      onEvent: (event) => events.push(event._tag === "Retrying" ? `Retrying:${event.reason}` : event._tag),
    })
    const uploaded = await task.done
    assert.strictEqual(uploaded.fileId, fileId)
    const blob = server.blob(uploaded.sha256)
    if (blob._tag === "None") throw new Error("no blob stored")
    assert.deepStrictEqual(await Promised.decrypt(blob.value, fileId, keys), source)
    const streamed = Promised.decryptStream(new Blob([new Uint8Array(blob.value)]).stream(), fileId, keys)
    assert.deepStrictEqual(new Uint8Array(await new Response(streamed).arrayBuffer()), source)
    const range = await Promised.decryptRange({
      fileId,
      ciphertextBytes: blob.value.length,
      start: 100,
      end: 300,
      fetch: async (offset, length) => blob.value.slice(offset, offset + length),
      keys,
    })
    assert.deepStrictEqual(range, source.subarray(100, 300))
    // Every chunk's first put threw a plain Error: each was retried as TransportUnavailable.
    assert.strictEqual(events.filter((event) => event === "Retrying:TransportUnavailable").length, 16)
    assert.strictEqual(events[0], "Started")
    assert.strictEqual(events[events.length - 1], "Completed")
    await keyring.dispose()
  })

  it("rejects with the typed errors themselves", async () => {
    const { keys, server, keyring } = await setup()
    const task = await Promised.startUpload({
      uploadKey: "file-2",
      fileId,
      source: patterned(500),
      transport: promiseTransport(server.transport),
      keys,
      limits: smallLimits,
    })
    const uploaded = await task.done
    const blob = server.blob(uploaded.sha256)
    if (blob._tag === "None") throw new Error("no blob stored")
    const mismatch = await Promised.decrypt(blob.value, otherFileId, keys).catch((error: unknown) => error)
    assert.instanceOf(mismatch, Promised.FileMismatch)
    // 500 bytes: seven segments of 64 and a last one of 52 (68 with its tag), which goes.
    const cut = await Promised.decrypt(blob.value.subarray(0, blob.value.length - 68), fileId, keys).catch(
      (error: unknown) => error,
    )
    assert.instanceOf(cut, Promised.Truncated)
    await keyring.lock()
    const locked = await Promised.decrypt(blob.value, fileId, keys).catch((error: unknown) => error)
    assert.instanceOf(locked, Promised.FileKeyUnavailable)
    const refused = await Promised.startUpload({
      uploadKey: "file-3",
      fileId: "not-a-uuid",
      source: patterned(1),
      transport: promiseTransport(server.transport),
      keys,
    }).catch((error: unknown) => error)
    assert.deepInclude(refused, { _tag: "ParseError" })
    await keyring.dispose()
  })

  it("cancel rejects `done` with UploadCancelled and aborts the session", async () => {
    const { keys, server, keyring } = await setup()
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const transport = promiseTransport(server.transport)
    const task = await Promised.startUpload({
      uploadKey: "file-4",
      fileId,
      source: patterned(1000),
      transport: { ...transport, putChunk: async (...args) => held.then(() => transport.putChunk(...args)) },
      keys,
      limits: smallLimits,
    })
    await task.cancel()
    release()
    const error = await task.done.catch((cause: unknown) => cause)
    assert.instanceOf(error, Promised.UploadCancelled)
    assert.deepStrictEqual(server.openSessions(), [])
    await keyring.dispose()
  })

  it("a file key wrapped through the promise keyring opens through the Effect adapter, and back", async () => {
    const passphrase = "a long and memorable passphrase"
    const promiseKeyring = new VaultKeyring()
    const created = await promiseKeyring.create(binding, passphrase, floorPolicy)
    const keys = Promised.vaultFileKeys(promiseKeyring)
    const fileKey = patterned(32, 7)
    const wrappedByPromise = await keys.wrapFileKey(fileKey, fileId)
    // The same vault, unlocked in an Effect keyring.
    const viaEffect = Effect.gen(function* () {
      const keyring = yield* Keyring.Keyring
      const policy = yield* Effect.orDie(Schema.decodeUnknown(CryptoPolicy.CryptoPolicy)(floorPolicy))
      yield* keyring.unlock({
        binding,
        wrap: yield* WrappedKey.decode(created.wrap),
        credential: { type: "passphrase", passphrase: Keyring.passphrase(passphrase) },
        contentKeys: [
          {
            kid: Envelope.KeyId.make(created.contentKey.kid),
            wrapped: yield* Envelope.decode(created.contentKey.wrapped),
          },
        ],
        currentKid: Envelope.KeyId.make(created.contentKey.kid),
        currentPolicy: policy,
      })
      const wrap = yield* KeyWrap.KeyWrap
      return {
        opened: yield* wrap.unwrap(wrappedByPromise, fileId),
        wrappedByEffect: yield* wrap.wrap(fileKey, fileId),
      }
    })
    const { opened, wrappedByEffect } = await run(
      Effect.provide(viaEffect, KeyWrap.layerKeyring.pipe(Layer.provideMerge(Keyring.layerLive()))),
    )
    assert.deepStrictEqual(opened, fileKey)
    assert.deepStrictEqual(await keys.unwrapFileKey(wrappedByEffect, fileId), fileKey)
    await promiseKeyring.dispose()
  })
})
