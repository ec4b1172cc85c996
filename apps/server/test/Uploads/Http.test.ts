/**
 * The `uploads` group through the real HTTP server and the derived client,
 * over a blob directory of its own: a 3-chunk upload with chunks above the
 * JSON body limit, put in parallel, resumed from the status and completed
 * into a blob; bad input answered with the contract's errors (400 for an
 * index out of range or a corrupted chunk, 404 for someone else's session,
 * 413 with the limit, 409 for missing chunks), never a 5xx; 423 for
 * encrypted writes while the vault is locked; downloads whole
 * and by range (206 with Content-Range, 416 outside, 404 for others); 401 without a session.
 */
import { createHash, randomBytes } from "node:crypto"
import { Cookies } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { SegmentLayout } from "@ignition/upload"
import { Effect, Ref } from "effect"
import * as TestServerLayer from "../support/TestServer.js"
import { createVault, failure, type Member, member, send } from "../support/Vault.js"

const MiB = 1024 * 1024
const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash("sha256").update(bytes).digest())

/** A ciphertext of a 64-byte header and 5 MiB segments, the last holding 1,000 bytes, with its chunks. */
const ciphertext = (segments: number) => {
  const layout = SegmentLayout.make(64, 5 * MiB, (segments - 1) * 5 * MiB + 1000)
  const bytes = new Uint8Array(randomBytes(SegmentLayout.ciphertextBytes(layout)))
  const chunks = Array.from({ length: SegmentLayout.count(layout) }, (_, index) => {
    const { offset, length } = SegmentLayout.chunk(layout, index)
    return bytes.subarray(offset, offset + length)
  })
  return { bytes, chunks, identity: sha256(bytes) }
}

const create = (m: Member, ciphertextBytes: number, purpose: "file" | "image" = "file") =>
  m.client.uploads.create({ payload: { purpose, ciphertextBytes, headerBytes: 64, segmentBytes: 5 * MiB } })

const put = (m: Member, id: string, index: number, bytes: Uint8Array, checksum = sha256(bytes)) =>
  m.client.uploads.putChunk({ path: { id, index }, headers: { "x-chunk-sha256": checksum }, payload: bytes })

/** A blob as a browser downloads it: status, headers and the raw bytes. */
const download = (m: Member, blobId: string, range?: string) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestServerLayer.TestServer
    const cookie = Cookies.toCookieHeader(yield* Ref.get(m.cookies))
    return yield* Effect.promise(async () => {
      const response = await fetch(`${baseUrl}/api/blobs/${blobId}`, {
        headers: { cookie, origin: baseUrl, ...(range === undefined ? {} : { range }) },
      })
      return { status: response.status, headers: response.headers, body: new Uint8Array(await response.arrayBuffer()) }
    })
  })

layer(TestServerLayer.layer(), { excludeTestServices: true, timeout: "120 seconds" })("uploads over HTTP", (it) => {
  it.effect("chunks above the JSON limit go in parallel, resume from the status and complete into a blob", () =>
    Effect.gen(function* () {
      const m = yield* member("uploader")
      yield* createVault(m)
      const file = ciphertext(3)
      const session = yield* create(m, file.bytes.length)
      assert.strictEqual(session.chunkCount, 3)
      yield* put(m, session.sessionId, 2, file.chunks[2] ?? new Uint8Array(0))
      const status = yield* m.client.uploads.status({ path: { id: session.sessionId } })
      assert.deepStrictEqual(status.received, [2])
      yield* Effect.forEach(
        [0, 1, 2],
        (index) => put(m, session.sessionId, index, file.chunks[index] ?? new Uint8Array(0)),
        { concurrency: "unbounded" },
      )
      const stored = yield* m.client.uploads.complete({
        path: { id: session.sessionId },
        payload: { sha256: file.identity },
      })
      assert.strictEqual(stored.ciphertextBytes, file.bytes.length)
      assert.deepStrictEqual(stored.sha256, file.identity)
      assert.isTrue((yield* m.client.uploads.status({ path: { id: session.sessionId } })).completed)

      const whole = yield* download(m, stored.blobId)
      assert.strictEqual(whole.status, 200)
      assert.isTrue(Buffer.from(whole.body).equals(Buffer.from(file.bytes)))
      const size = file.bytes.length
      for (const [range, start, end] of [
        ["bytes=0-0", 0, 0],
        [`bytes=${5 * MiB}-${5 * MiB + 99}`, 5 * MiB, 5 * MiB + 99],
        ["bytes=-10", size - 10, size - 1],
        [`bytes=${size - 5}-`, size - 5, size - 1],
      ] as const) {
        const part = yield* download(m, stored.blobId, range)
        assert.strictEqual(part.status, 206, range)
        assert.strictEqual(part.headers.get("content-range"), `bytes ${start}-${end}/${size}`, range)
        assert.isTrue(Buffer.from(part.body).equals(Buffer.from(file.bytes.subarray(start, end + 1))), range)
      }
      const outside = yield* download(m, stored.blobId, `bytes=${size}-`)
      assert.strictEqual(outside.status, 416)
      assert.strictEqual(outside.headers.get("content-range"), `bytes */${size}`)
      const stranger = yield* member("stranger")
      assert.strictEqual((yield* download(stranger, stored.blobId)).status, 404)
    }),
  )

  it.effect("bad input gets the contract's 4xx and leaves what is stored alone", () =>
    Effect.gen(function* () {
      const m = yield* member("careless")
      const other = yield* member("other")
      yield* createVault(m)
      yield* createVault(other)
      const file = ciphertext(2)
      const { sessionId } = yield* create(m, file.bytes.length)
      const [first = new Uint8Array(0), last = new Uint8Array(0)] = file.chunks
      yield* put(m, sessionId, 0, first)

      assert.strictEqual((yield* failure(put(m, sessionId, 2, last)))._tag, "UploadInvalid")
      assert.strictEqual((yield* failure(put(m, sessionId, 1, first)))._tag, "UploadInvalid")
      const corrupted = last.slice()
      corrupted[10] = (corrupted[10] ?? 0) ^ 0xff
      assert.strictEqual((yield* failure(put(m, sessionId, 1, corrupted, sha256(last))))._tag, "ChunkChecksumMismatch")
      assert.strictEqual((yield* failure(put(other, sessionId, 1, last)))._tag, "UploadNotFound")
      assert.strictEqual(
        (yield* failure(other.client.uploads.status({ path: { id: sessionId } })))._tag,
        "UploadNotFound",
      )
      const incomplete = yield* failure(
        m.client.uploads.complete({ path: { id: sessionId }, payload: { sha256: file.identity } }),
      )
      assert.strictEqual(incomplete._tag, "UploadIncomplete")
      assert.deepStrictEqual((yield* m.client.uploads.status({ path: { id: sessionId } })).received, [0])

      const tooLarge = yield* failure(create(m, 10 * 1000 * 1000 + 1, "image"))
      assert.strictEqual(tooLarge._tag, "UploadTooLarge")
      if (tooLarge._tag === "UploadTooLarge") assert.strictEqual(tooLarge.limitBytes, 10 * 1000 * 1000)

      yield* m.client.uploads.abort({ path: { id: sessionId } })
      assert.strictEqual((yield* failure(m.client.uploads.status({ path: { id: sessionId } })))._tag, "UploadNotFound")
    }),
  )

  it.effect("while the vault is locked, creating, putting and completing are 423; status and abort still answer", () =>
    Effect.gen(function* () {
      const m = yield* member("locker")
      yield* createVault(m)
      const file = ciphertext(1)
      const { sessionId } = yield* create(m, file.bytes.length)
      yield* m.client.vault.lock({ payload: { reason: "manual" } })
      const [only = new Uint8Array(0)] = file.chunks
      assert.strictEqual((yield* failure(create(m, file.bytes.length)))._tag, "VaultLocked")
      assert.strictEqual((yield* failure(put(m, sessionId, 0, only)))._tag, "VaultLocked")
      assert.strictEqual(
        (yield* failure(m.client.uploads.complete({ path: { id: sessionId }, payload: { sha256: file.identity } })))
          ._tag,
        "VaultLocked",
      )
      assert.deepStrictEqual((yield* m.client.uploads.status({ path: { id: sessionId } })).received, [])
      yield* m.client.uploads.abort({ path: { id: sessionId } })
    }),
  )

  it.effect("without a session, creating an upload is 401", () =>
    Effect.gen(function* () {
      const stranger = yield* TestServerLayer.browser
      const answer = yield* send(stranger, "POST", "/api/uploads", {
        purpose: "file",
        ciphertextBytes: 100,
        headerBytes: 64,
        segmentBytes: 5 * MiB,
      })
      assert.strictEqual(answer.status, 401)
    }),
  )
})
