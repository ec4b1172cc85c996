/**
 * The encrypted file's header, version 1 (all integers big-endian):
 *
 *     offset  bytes  field
 *          0      4  magic "IGNF" (49 47 4e 46)
 *          4      1  format version, 1
 *          5      1  suite, 1: AES-256-GCM segments with 16-byte tags, segment key by HKDF-SHA256
 *          6      4  segment size in plaintext bytes, 1 … 2³⁰
 *         10     16  file id (the UUID's bytes)
 *         26     32  HKDF salt (random per file)
 *         58      7  nonce prefix (random per file)
 *         65      2  length n of the wrapped file key, 1 … 1024
 *         67      n  the wrapped file key (opaque here: what the KeyWrap port made)
 *
 * Bytes 0–64 are the file's binding: the HKDF info of its segment key, so
 * changing any of them (a downgrade of version or suite, another segment
 * size, file id, salt or prefix) changes the key, and no segment opens. The
 * wrapped key is outside the binding so that re-wrapping a file key (another
 * vault key) leaves every segment as it is; it binds itself to the file id.
 */
import { Either, ParseResult, Schema } from "effect"
import { MAX_SEGMENT_BYTES } from "./ChunkPlan.js"
import * as FileId from "./FileId.js"
import { MalformedHeader } from "./UploadError.js"

export const MAGIC = Uint8Array.of(0x49, 0x47, 0x4e, 0x46)
export const VERSION = 1
export const SUITE = 1
export const SALT_BYTES = 32
export const NONCE_PREFIX_BYTES = 7
export const MAX_WRAPPED_KEY_BYTES = 1024
/** The bound part: everything before the wrapped key's length. */
export const BINDING_BYTES = 65
/** The header up to and including the wrapped key's length: enough to know the whole header's size. */
export const FIXED_BYTES = 67

const bytesOfLength = (length: number) =>
  Schema.Uint8ArrayFromSelf.pipe(Schema.filter((bytes) => bytes.length === length || `must be ${length} bytes`))

export const FileHeader = Schema.Struct({
  segmentBytes: Schema.Int.pipe(Schema.between(1, MAX_SEGMENT_BYTES)),
  fileId: FileId.FileId,
  salt: bytesOfLength(SALT_BYTES),
  noncePrefix: bytesOfLength(NONCE_PREFIX_BYTES),
  wrappedKey: Schema.Uint8ArrayFromSelf.pipe(
    Schema.filter(
      (bytes) =>
        (bytes.length >= 1 && bytes.length <= MAX_WRAPPED_KEY_BYTES) ||
        `the wrapped key must be 1–${MAX_WRAPPED_KEY_BYTES} bytes`,
    ),
  ),
}).annotations({ identifier: "FileHeader" })
export type FileHeader = typeof FileHeader.Type

export const byteLength = (header: typeof FileHeader.Encoded): number => FIXED_BYTES + header.wrappedKey.length

const write = (header: typeof FileHeader.Encoded): Uint8Array => {
  const out = new Uint8Array(byteLength(header))
  const view = new DataView(out.buffer)
  out.set(MAGIC, 0)
  out[4] = VERSION
  out[5] = SUITE
  view.setUint32(6, header.segmentBytes)
  out.set(FileId.toBytes(header.fileId), 10)
  out.set(header.salt, 26)
  out.set(header.noncePrefix, 58)
  view.setUint16(65, header.wrappedKey.length)
  out.set(header.wrappedKey, FIXED_BYTES)
  return out
}

/**
 * The whole header's size from its first 67 bytes, checking what they can
 * tell: magic, version, suite and the wrapped key's length. A stream reader
 * calls it before it has the rest.
 */
export const sizeFromPrefix = (prefix: Uint8Array): Either.Either<number, MalformedHeader> => {
  const refuse = (message: string) => Either.left(new MalformedHeader({ message }))
  if (prefix.length < FIXED_BYTES) return refuse(`a header needs at least ${FIXED_BYTES} bytes`)
  if (MAGIC.some((byte, index) => prefix[index] !== byte)) return refuse("not an Ignition encrypted file")
  if (prefix[4] !== VERSION) return refuse(`format version ${prefix[4]} is not supported`)
  if (prefix[5] !== SUITE) return refuse(`cipher suite ${prefix[5]} is not supported`)
  const wrappedKeyBytes = new DataView(prefix.buffer, prefix.byteOffset, FIXED_BYTES).getUint16(65)
  if (wrappedKeyBytes < 1 || wrappedKeyBytes > MAX_WRAPPED_KEY_BYTES)
    return refuse(`the wrapped key must be 1–${MAX_WRAPPED_KEY_BYTES} bytes`)
  return Either.right(FIXED_BYTES + wrappedKeyBytes)
}

const read = (bytes: Uint8Array): Either.Either<typeof FileHeader.Encoded, string> => {
  const size = sizeFromPrefix(bytes)
  if (Either.isLeft(size)) return Either.left(size.left.message)
  if (bytes.length !== size.right) return Either.left(`the header is ${size.right} bytes, not ${bytes.length}`)
  return Either.right({
    segmentBytes: new DataView(bytes.buffer, bytes.byteOffset, FIXED_BYTES).getUint32(6),
    fileId: FileId.fromBytes(bytes.subarray(10, 26)),
    salt: bytes.slice(26, 58),
    noncePrefix: bytes.slice(58, 65),
    wrappedKey: bytes.slice(FIXED_BYTES),
  })
}

/** The header as the bytes that begin the blob. */
export const FileHeaderFromBytes = Schema.transformOrFail(Schema.Uint8ArrayFromSelf, FileHeader, {
  strict: true,
  decode: (bytes, _, ast) => Either.mapLeft(read(bytes), (message) => new ParseResult.Type(ast, bytes, message)),
  encode: (header) => ParseResult.succeed(write(header)),
}).annotations({ identifier: "FileHeaderFromBytes" })

export const encode: (header: FileHeader) => Uint8Array = Schema.encodeSync(FileHeaderFromBytes)

/** Decodes exactly one header; the message says what is wrong, never echoing bytes. */
export const decode = (bytes: Uint8Array): Either.Either<FileHeader, MalformedHeader> =>
  Either.mapLeft(
    Schema.decodeEither(FileHeaderFromBytes)(bytes),
    (error) => new MalformedHeader({ message: ParseResult.TreeFormatter.formatErrorSync(error) }),
  )

/** Header bytes 0–64: the HKDF info of the file's segment key. */
export const binding = (headerBytes: Uint8Array): Uint8Array => headerBytes.subarray(0, BINDING_BYTES)
