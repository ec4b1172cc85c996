/**
 * Known answers for the file format, locked in fixtures/golden.json: for a
 * fixed file key, salt, nonce prefix and file id, the header bytes, the
 * segment key, every IV, every segment's and the whole blob's SHA-256, and
 * the blob itself. Our code must reproduce them; node:crypto, following
 * docs/chunked-encryption.md step by step, must too; and the stored blobs
 * must open through the KeyWrap port — with WebCrypto's AES-GCM and with
 * node:crypto's alike.
 */
import { createCipheriv, createHash, hkdfSync } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import * as Aead from "../src/Aead.js"
import * as FileCipher from "../src/FileCipher.js"
import * as FileHeader from "../src/FileHeader.js"
import { equal } from "../src/internal/bytes.js"
import * as SegmentKey from "../src/internal/segmentKey.js"
import { KeyWrap } from "../src/KeyWrap.js"
import * as NodeAead from "../src/node/NodeAead.js"
import { FileKeyUnavailable } from "../src/UploadError.js"
import golden from "./fixtures/golden.json" with { type: "json" }
import { hex } from "./support.js"

const bytes = (text: string) => Uint8Array.from(Buffer.from(text, "hex"))
const fromBase64Url = Schema.decodeSync(Schema.Uint8ArrayFromBase64Url)
const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex")
const plaintextOf = (length: number) => Uint8Array.from({ length }, (_, index) => (index * 7 + 3) & 0xff)

const fileKey = bytes(golden.fileKey)

/** Both AES-GCM implementations must make and read the same bytes. */
const aeads: ReadonlyArray<readonly [string, Layer.Layer<Aead.Aead>]> = [
  ["WebCrypto", Aead.layer],
  ["node:crypto", NodeAead.layer],
]
const header = Effect.runSync(FileHeader.decode(bytes(golden.header)))

/** The port, as a caller without a vault might supply it: this one file's key for its wrap. */
const goldenKeys = Layer.succeed(KeyWrap, {
  wrap: () => Effect.fail(new FileKeyUnavailable({ message: "not needed here" })),
  unwrap: (wrapped, fileId) =>
    equal(wrapped, header.wrappedKey) && fileId === header.fileId
      ? Effect.succeed(new Uint8Array(fileKey))
      : Effect.fail(new FileKeyUnavailable({ message: "not the golden wrap" })),
})

describe("golden vectors", () => {
  it("the header decodes to the documented inputs", () => {
    assert.strictEqual(header.segmentBytes, 64)
    assert.strictEqual(header.fileId, "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
    assert.strictEqual(hex(header.salt), "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f")
    assert.strictEqual(hex(header.noncePrefix), "a0a1a2a3a4a5a6")
    assert.strictEqual(new TextDecoder().decode(header.wrappedKey), "golden-wrapped-key")
  })

  it.effect.each(aeads)("our code reproduces every byte (%s)", ([, aead]) =>
    Effect.provide(
      Effect.gen(function* () {
        const cipher = yield* FileCipher.fromFileKey(fileKey, header)
        assert.strictEqual(hex(cipher.headerBytes), golden.header)
        const segmentKey = yield* SegmentKey.deriveBytes(fileKey, header.salt, FileHeader.binding(cipher.headerBytes))
        assert.strictEqual(hex(segmentKey), golden.segmentKey)
        for (const vector of golden.cases) {
          const blob = yield* FileCipher.encryptBytes(cipher, plaintextOf(vector.plaintextBytes))
          assert.deepStrictEqual(blob, fromBase64Url(vector.blob))
          assert.strictEqual(sha256(blob), vector.identity)
          vector.segments.forEach((segment, index) => {
            const last = index === vector.segments.length - 1
            assert.strictEqual(hex(SegmentKey.iv(header.noncePrefix, index, last)), segment.iv)
          })
        }
      }),
      aead,
    ),
  )

  it("node:crypto, following the documented format, makes the same blobs", () => {
    const headerBytes = bytes(golden.header)
    const segmentKey = new Uint8Array(hkdfSync("sha256", fileKey, header.salt, headerBytes.subarray(0, 65), 32))
    assert.strictEqual(hex(segmentKey), golden.segmentKey)
    for (const vector of golden.cases) {
      const plaintext = plaintextOf(vector.plaintextBytes)
      const parts: Array<Uint8Array> = [headerBytes]
      vector.segments.forEach((segment, index) => {
        const iv = new Uint8Array(12)
        iv.set(header.noncePrefix)
        new DataView(iv.buffer).setUint32(7, index)
        iv[11] = index === vector.segments.length - 1 ? 1 : 0
        assert.strictEqual(hex(iv), segment.iv)
        const aes = createCipheriv("aes-256-gcm", segmentKey, iv)
        const body = Buffer.concat([
          aes.update(plaintext.subarray(index * 64, index * 64 + 64)),
          aes.final(),
          aes.getAuthTag(),
        ])
        assert.strictEqual(sha256(body), segment.sha256)
        parts.push(body)
      })
      assert.strictEqual(Buffer.concat(parts).toString("base64url"), vector.blob)
      assert.strictEqual(sha256(Buffer.concat(parts)), vector.identity)
    }
  })

  it.effect.each(aeads)("the stored blobs open through the KeyWrap port, and not once altered (%s)", ([, aead]) =>
    Effect.provide(
      Effect.gen(function* () {
        for (const vector of golden.cases) {
          const blob = fromBase64Url(vector.blob)
          assert.deepStrictEqual(
            yield* FileCipher.decryptBytes(header.fileId, blob),
            plaintextOf(vector.plaintextBytes),
          )
          const altered = new Uint8Array(blob)
          altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1
          const error = yield* Effect.flip(FileCipher.decryptBytes(header.fileId, altered))
          assert.strictEqual(error._tag, "SegmentCorrupted")
        }
      }),
      Layer.merge(goldenKeys, aead),
    ),
  )
})
