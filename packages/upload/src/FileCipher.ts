/**
 * Streaming file encryption (docs/chunked-encryption.md): a random 256-bit
 * key per file, wrapped through the KeyWrap port and stored in the header;
 * one segment key per file by HKDF; AES-256-GCM per segment with IV = nonce
 * prefix ‖ segment index ‖ last flag. Streams in and out hold the segment
 * being filled and at most four in flight, whatever the file's size.
 * Reading tells apart what went wrong: a cut-off file (`Truncated`), bytes
 * after the last segment (`TrailingData`), segments dropped or reordered
 * (`SegmentOutOfOrder`), repeated (`SegmentDuplicated`), or altered or taken
 * from another file (`SegmentCorrupted`). Ranged reads fetch and decrypt
 * only the whole segments a plaintext range touches.
 */

import { Entropy, type VaultError } from "@ignition/vault"
import { Chunk, Effect, Either, Option, Stream } from "effect"
import { Aead } from "./Aead.js"
import * as FileHeader from "./FileHeader.js"
import type { FileId } from "./FileId.js"
import { ahead } from "./internal/ahead.js"
import { concat } from "./internal/bytes.js"
import * as Segmenter from "./internal/segmenter.js"
import * as SegmentKey from "./internal/segmentKey.js"
import { wipe } from "./internal/webCrypto.js"
import { KEY_BYTES, KeyWrap } from "./KeyWrap.js"
import * as SegmentLayout from "./SegmentLayout.js"
import {
  type DecryptFailure,
  FileMismatch,
  PlanRefused,
  SegmentCorrupted,
  SegmentDuplicated,
  SegmentOutOfOrder,
  TrailingData,
  Truncated,
} from "./UploadError.js"

/** How far from its position a failing segment is tried, to name what happened (a failure path only). */
export const DIAGNOSIS_WINDOW = 16

/** One file's cipher: its header and the segment key derived from it. */
export interface SegmentCipher {
  readonly header: FileHeader.FileHeader
  readonly headerBytes: Uint8Array
  readonly encryptSegment: (
    index: number,
    plaintext: Uint8Array,
    last: boolean,
  ) => Effect.Effect<Uint8Array, VaultError.CryptoUnavailable | PlanRefused>
  /** The plaintext, or none when the bytes do not authenticate as segment `index` with this flag. */
  readonly openSegment: (
    index: number,
    ciphertext: Uint8Array,
    last: boolean,
  ) => Effect.Effect<Option.Option<Uint8Array>>
}

const tooManySegments = new PlanRefused({ message: "a file holds at most 2³² segments" })

/** The cipher of `header` from its (unwrapped) file key. The caller wipes `fileKey`. */
export const fromFileKey = (fileKey: Uint8Array, header: FileHeader.FileHeader) =>
  Effect.gen(function* () {
    const headerBytes = FileHeader.encode(header)
    const raw = yield* SegmentKey.deriveBytes(fileKey, header.salt, FileHeader.binding(headerBytes))
    const key = yield* Effect.ensuring(
      Effect.flatMap(Aead, (aead) => aead.importKey(raw)),
      Effect.sync(() => wipe(raw)),
    )
    const ivOf = (index: number, last: boolean) => SegmentKey.iv(header.noncePrefix, index, last)
    const cipher: SegmentCipher = {
      header,
      headerBytes,
      encryptSegment: (index, plaintext, last) =>
        index > SegmentKey.MAX_INDEX ? Effect.fail(tooManySegments) : key.seal(ivOf(index, last), plaintext),
      openSegment: (index, ciphertext, last) =>
        index > SegmentKey.MAX_INDEX || index < 0
          ? Effect.succeed(Option.none())
          : key.open(ivOf(index, last), ciphertext),
    }
    return cipher
  })

/** A new file: fresh key, salt and nonce prefix from Entropy; the key wrapped for `fileId` and wiped. */
export const create = (fileId: FileId, segmentBytes: number) =>
  Effect.gen(function* () {
    const fileKey = yield* Entropy.bytes(KEY_BYTES)
    return yield* Effect.gen(function* () {
      const header: FileHeader.FileHeader = {
        segmentBytes,
        fileId,
        salt: yield* Entropy.bytes(FileHeader.SALT_BYTES),
        noncePrefix: yield* Entropy.bytes(FileHeader.NONCE_PREFIX_BYTES),
        wrappedKey: yield* Effect.flatMap(KeyWrap, (keys) => keys.wrap(fileKey, fileId)),
      }
      return yield* fromFileKey(fileKey, header)
    }).pipe(Effect.ensuring(Effect.sync(() => wipe(fileKey))))
  })

/** The cipher of an existing file, after checking that its header names the file expected. */
export const open = (header: FileHeader.FileHeader, expected: FileId) =>
  Effect.gen(function* () {
    if (header.fileId !== expected)
      return yield* new FileMismatch({ message: `the header is file ${header.fileId}'s, not ${expected}'s` })
    const fileKey = yield* Effect.flatMap(KeyWrap, (keys) => keys.unwrap(header.wrappedKey, header.fileId))
    return yield* Effect.ensuring(
      fromFileKey(fileKey, header),
      Effect.sync(() => wipe(fileKey)),
    )
  })

/** Tries a failing segment at other positions and with the other flag, to say what happened to it. */
const diagnose = (
  cipher: SegmentCipher,
  position: number,
  ciphertext: Uint8Array,
  last: boolean,
): Effect.Effect<DecryptFailure> =>
  Effect.gen(function* () {
    const opens = (index: number, flag: boolean) =>
      Effect.map(cipher.openSegment(index, ciphertext, flag), Option.isSome)
    if (yield* opens(position, !last))
      return last
        ? new Truncated({ message: `the file ends after segment ${position}, which is not its last` })
        : new TrailingData({ position, message: `segment ${position} is the file's last, yet bytes follow it` })
    for (let distance = 1; distance <= DIAGNOSIS_WINDOW; distance++) {
      for (const found of [position - distance, position + distance]) {
        if ((yield* opens(found, false)) || (yield* opens(found, true)))
          return found < position
            ? new SegmentDuplicated({ position, found, message: `segment ${found} appears again at ${position}` })
            : new SegmentOutOfOrder({
                position,
                found,
                message: `segment ${found} stands where segment ${position} belongs: segments dropped or reordered`,
              })
      }
    }
    return new SegmentCorrupted({
      position,
      message: `segment ${position} does not authenticate: altered, or from another file`,
    })
  })

/** Decrypts the segment at `position`; a failure says what happened to it. */
export const decryptSegment = (
  cipher: SegmentCipher,
  position: number,
  ciphertext: Uint8Array,
  last: boolean,
): Effect.Effect<Uint8Array, DecryptFailure> =>
  ciphertext.length < SegmentLayout.TAG_BYTES
    ? Effect.fail(new Truncated({ message: `the ciphertext ends inside segment ${position}` }))
    : Effect.flatMap(
        cipher.openSegment(position, ciphertext, last),
        Option.match({
          onSome: Effect.succeed,
          onNone: () => Effect.flip(diagnose(cipher, position, ciphertext, last)),
        }),
      )

/** Segments encrypted or decrypted ahead of the one being consumed: the next runs while this one is hashed. */
const LOOKAHEAD = 2

/**
 * Runs `f` over the segments of a byte stream (a fresh segmenter per run),
 * `LOOKAHEAD` segments ahead, each segment's buffer reused once `f` is done.
 * Pieces are taken one at a time, so a stream that arrives in large chunks
 * still holds only the segments in flight.
 */
const throughSegments = <A, E, R, E2, R2>(
  input: Stream.Stream<Uint8Array, E, R>,
  size: number,
  f: (segment: Segmenter.Segment) => Effect.Effect<A, E2, R2>,
) =>
  Stream.suspend(() => {
    const segmenter = Segmenter.make(size)
    return ahead(
      input.pipe(
        Stream.mapEffect((piece) => Effect.sync(() => segmenter.push(piece))),
        Stream.flattenChunks,
        Stream.concat(Stream.sync(segmenter.finish)),
      ),
      (segment) =>
        Effect.ensuring(
          f(segment),
          Effect.sync(() => segmenter.release(segment.bytes)),
        ),
      LOOKAHEAD,
    )
  })

/** The blob of `plaintext`: the header, then each segment. */
export const encrypt =
  (cipher: SegmentCipher) =>
  <E, R>(
    plaintext: Stream.Stream<Uint8Array, E, R>,
  ): Stream.Stream<Uint8Array, E | VaultError.CryptoUnavailable | PlanRefused, R> =>
    Stream.concat(
      Stream.succeed(cipher.headerBytes),
      throughSegments(plaintext, cipher.header.segmentBytes, (segment) =>
        cipher.encryptSegment(segment.index, segment.bytes, segment.last),
      ),
    )

/**
 * The plaintext of a blob, segment by segment; the header must name
 * `expected`, and the key is unwrapped through KeyWrap.
 */
export const decrypt =
  (expected: FileId) =>
  <E, R>(
    ciphertext: Stream.Stream<Uint8Array, E, R>,
  ): Stream.Stream<Uint8Array, E | DecryptFailure | VaultError.CryptoUnavailable, R | KeyWrap | Aead> =>
    Stream.suspend(() => {
      interface Body {
        readonly cipher: SegmentCipher
        readonly segmenter: Segmenter.Segmenter
      }
      type Sealed = { readonly body: Body; readonly segment: Segmenter.Segment }
      let head: Uint8Array = new Uint8Array(0)
      let body: Body | undefined

      const sealed = (of: Body, segments: Chunk.Chunk<Segmenter.Segment>) =>
        Chunk.map(segments, (segment): Sealed => ({ body: of, segment }))

      const startBody = (headerBytes: Uint8Array, rest: Uint8Array) =>
        Effect.gen(function* () {
          const header = yield* FileHeader.decode(headerBytes)
          const cipher = yield* open(header, expected)
          const started: Body = { cipher, segmenter: Segmenter.make(header.segmentBytes + SegmentLayout.TAG_BYTES) }
          body = started
          return sealed(started, started.segmenter.push(rest))
        })

      // The header is small: pieces are joined until its size is known and reached.
      const push = (piece: Uint8Array) => {
        if (body !== undefined) return Effect.succeed(sealed(body, body.segmenter.push(piece)))
        head = head.length === 0 ? piece : concat(head, piece)
        if (head.length < FileHeader.FIXED_BYTES) return Effect.succeed(Chunk.empty<Sealed>())
        const size = FileHeader.sizeFromPrefix(head)
        if (Either.isLeft(size)) return Effect.fail(size.left)
        if (head.length < size.right) return Effect.succeed(Chunk.empty<Sealed>())
        return startBody(head.subarray(0, size.right), head.subarray(size.right))
      }

      const finish = Effect.suspend(() =>
        body === undefined
          ? Effect.fail(new Truncated({ message: "the ciphertext ends inside the header" }))
          : Effect.succeed<Sealed>({ body, segment: body.segmenter.finish() }),
      )

      return ahead(
        ciphertext.pipe(Stream.mapEffect(push), Stream.flattenChunks, Stream.concat(Stream.fromEffect(finish))),
        ({ body: of, segment }) =>
          Effect.ensuring(
            decryptSegment(of.cipher, segment.index, segment.bytes, segment.last),
            Effect.sync(() => of.segmenter.release(segment.bytes)),
          ),
        LOOKAHEAD,
      )
    })

/** Reads the header of a stored blob through `fetch(offset, length)`, then opens it for `expected`. */
export const openWith = <E, R>(
  expected: FileId,
  fetch: (offset: number, length: number) => Effect.Effect<Uint8Array, E, R>,
) =>
  Effect.gen(function* () {
    const prefix = yield* fetch(0, FileHeader.FIXED_BYTES)
    const size = yield* FileHeader.sizeFromPrefix(prefix)
    const rest = yield* fetch(FileHeader.FIXED_BYTES, size - FileHeader.FIXED_BYTES)
    return yield* open(yield* FileHeader.decode(concat(prefix, rest)), expected)
  })

/**
 * The plaintext bytes [start, end) of a stored blob of `ciphertextBytes`,
 * fetching and decrypting only the segments that hold them, one at a time.
 */
export const decryptRange = <E, R>(
  cipher: SegmentCipher,
  ciphertextBytes: number,
  start: number,
  end: number,
  fetch: (offset: number, length: number) => Effect.Effect<Uint8Array, E, R>,
) =>
  Effect.gen(function* () {
    const layout = yield* SegmentLayout.fromCiphertextBytes(
      cipher.headerBytes.length,
      cipher.header.segmentBytes,
      ciphertextBytes,
    )
    const plan = yield* SegmentLayout.range(layout, start, end)
    const out = new Uint8Array(plan.length)
    let written = 0
    for (let index = plan.first; index <= plan.last; index++) {
      const segment = SegmentLayout.segment(layout, index)
      const bytes = yield* fetch(segment.ciphertextOffset, segment.ciphertextLength)
      if (bytes.length !== segment.ciphertextLength)
        return yield* new Truncated({ message: `segment ${index} came back with ${bytes.length} bytes` })
      const plaintext = yield* decryptSegment(cipher, index, bytes, segment.last)
      const from = index === plan.first ? plan.skip : 0
      const take = Math.min(plaintext.length - from, plan.length - written)
      out.set(plaintext.subarray(from, from + take), written)
      written += take
    }
    return out
  })

const collect = <E, R>(stream: Stream.Stream<Uint8Array, E, R>) =>
  Effect.map(Stream.runCollect(stream), (pieces) => concat(...pieces))

/** A whole small file in memory: the blob of `plaintext`. */
export const encryptBytes = (cipher: SegmentCipher, plaintext: Uint8Array) =>
  collect(encrypt(cipher)(Stream.succeed(plaintext)))

/** A whole small blob in memory: its plaintext. */
export const decryptBytes = (expected: FileId, blob: Uint8Array) => collect(decrypt(expected)(Stream.succeed(blob)))
