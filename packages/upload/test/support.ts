/**
 * Shared test material: a content key and binding for wrapping file keys,
 * layers for the cipher and the uploader, small limits so a file of a few
 * kilobytes has many chunks, and byte helpers.
 */

import { Entropy, Envelope } from "@ignition/vault"
import { Effect, Layer, Stream } from "effect"
import * as Aead from "../src/Aead.js"
import * as ChunkPlan from "../src/ChunkPlan.js"
import * as FileId from "../src/FileId.js"
import { concat } from "../src/internal/bytes.js"
import { importAesKey } from "../src/internal/webCrypto.js"
import * as KeyWrap from "../src/KeyWrap.js"
import * as Sha256 from "../src/Sha256.js"

export const binding = {
  userId: "0b9f7c4e-1a2b-4c3d-8e9f-0123456789ab",
  vaultId: "5d6e7f80-9a1b-4c2d-8e3f-abcdef012345",
}

export const fileId = FileId.make("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
export const otherFileId = FileId.make("7c6b5a49-3827-4160-9f8e-7d6c5b4a3928")

/** A content key of 32 × `fill`, as the vault would hold one. */
export const contentKey = (fill: number) =>
  Effect.map(
    importAesKey(new Uint8Array(32).fill(fill)),
    (key): Envelope.ContentKey => ({ kid: Envelope.KeyId.make(`test-${fill}`), key }),
  )

/** File keys wrapped under content key 32 × `fill` (0x5a unless said). */
export const keysLayer = (fill = 0x5a): Layer.Layer<KeyWrap.KeyWrap> =>
  Layer.unwrapEffect(Effect.map(contentKey(fill), (key) => KeyWrap.layerContentKey(key, binding))).pipe(
    Layer.provide(Entropy.layer),
    Layer.orDie,
  )

/** What FileCipher needs: real randomness, real key wraps, isomorphic AES-GCM and SHA-256. */
export const cipherLayer = Layer.mergeAll(keysLayer(), Aead.layer, Entropy.layer, Sha256.layer)

/** Small limits: chunks of 64 bytes by default, so a few kilobytes make dozens of them. */
export const smallLimits = new ChunkPlan.Limits({
  minSegmentBytes: 16,
  defaultSegmentBytes: 64,
  maxSegmentBytes: 1024 * 1024,
  maxParts: 10_000,
})

/** Deterministic bytes (a different pattern per `seed`). */
export const patterned = (length: number, seed = 1) =>
  Uint8Array.from({ length }, (_, index) => (index * 31 + seed * 17 + (index >> 8)) & 0xff)

export const collect = <E, R>(stream: Stream.Stream<Uint8Array, E, R>) =>
  Effect.map(Stream.runCollect(stream), (pieces) => concat(...pieces))

/** `bytes` as a stream cut at `cuts` (offsets, any order, out-of-range ones ignored). */
export const streamOf = (bytes: Uint8Array, cuts: ReadonlyArray<number> = []) => {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort((a, b) => a - b)
  const edges = [0, ...points, bytes.length]
  return Stream.fromIterable(edges.slice(1).map((end, index) => bytes.subarray(edges[index] ?? 0, end)))
}

export const flipBit = (bytes: Uint8Array, bit: number) => {
  const copy = new Uint8Array(bytes)
  const index = Math.floor(bit / 8) % copy.length
  copy[index] = (copy[index] ?? 0) ^ (1 << (bit % 8))
  return copy
}

export const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
