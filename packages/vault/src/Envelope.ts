/**
 * The record envelope `{v, kid, iv, ct}`: AES-256-GCM under a content key,
 * random 96-bit IV, and AAD binding `{userId, vaultId, recordType, recordId,
 * kid, v}` so the server cannot move a ciphertext to another record, user,
 * vault or key. Bytes, strings and Schema-typed JSON go in; the same come out
 * or a typed `DecryptionFailed`.
 */
import { Effect, ParseResult, Schema } from "effect"
import * as Entropy from "./Entropy.js"
import * as Aad from "./internal/aad.js"
import {
  aesGcmDecrypt,
  aesGcmEncrypt,
  decryptionFailed,
  decryptPromise,
  encryptPromise,
  fromUtf8,
  utf8,
} from "./internal/subtle.js"
import { CryptoUnavailable, DecryptionFailed, MalformedInput, UnknownContentKey } from "./VaultError.js"

export const IV_BYTES = 12
const TAG_BYTES = 16

/** A content key id: 1–64 characters of base64url alphabet. */
export const KeyId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/),
  Schema.brand("@ignition/vault/KeyId"),
  Schema.annotations({ description: "A content key id (base64url alphabet, 1–64 characters)" }),
)
export type KeyId = typeof KeyId.Type

const bytesOfLength = (length: number, what: string) =>
  Schema.Uint8ArrayFromBase64Url.pipe(
    Schema.filter((bytes) => bytes.length === length || `${what} must be ${length} bytes`),
  )

export const Envelope = Schema.Struct({
  v: Schema.Literal(1),
  kid: KeyId,
  iv: bytesOfLength(IV_BYTES, "iv"),
  ct: Schema.Uint8ArrayFromBase64Url.pipe(
    Schema.filter((bytes) => bytes.length >= TAG_BYTES || "ct must hold at least the 16-byte tag"),
  ),
}).annotations({ identifier: "Envelope", description: "An encrypted record: {v, kid, iv, ct}" })
export type Envelope = typeof Envelope.Type
/** The envelope as it travels: base64url strings. */
export type EnvelopeJson = typeof Envelope.Encoded

/** Where a record lives; all of it is authenticated with the ciphertext. */
export interface RecordContext {
  readonly userId: string
  readonly vaultId: string
  readonly recordType: string
  readonly recordId: string
}

/** An unwrapped content key: a non-extractable AES-256-GCM key and its id. */
export interface ContentKey {
  readonly kid: KeyId
  readonly key: CryptoKey
}

const aad = (context: RecordContext, kid: string, v: number) =>
  Aad.encode("ignition/record", [v, context.userId, context.vaultId, context.recordType, context.recordId, kid])

export const seal = (key: ContentKey, context: RecordContext, plaintext: Uint8Array) =>
  Effect.flatMap(Entropy.bytes(IV_BYTES), (iv) =>
    Effect.map(
      aesGcmEncrypt(key.key, iv, plaintext, aad(context, key.kid, 1)),
      (ct): Envelope => ({ v: 1, kid: key.kid, iv, ct }),
    ),
  )

export const open = (
  key: ContentKey,
  context: RecordContext,
  envelope: Envelope,
): Effect.Effect<Uint8Array, DecryptionFailed | UnknownContentKey | CryptoUnavailable> =>
  envelope.kid !== key.kid
    ? Effect.fail(
        new UnknownContentKey({ kid: envelope.kid, message: `the envelope is sealed under key ${envelope.kid}` }),
      )
    : aesGcmDecrypt(
        key.key,
        envelope.iv,
        envelope.ct,
        aad(context, envelope.kid, envelope.v),
        () => `${context.recordType} ${context.recordId}`,
      )

/** Runs `work` over `items` with at most `concurrency` in flight; results in input order. */
const lanes = async <A, B>(items: ReadonlyArray<A>, concurrency: number, work: (item: A) => Promise<B>) => {
  const results = new Array<B>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as A)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane))
  return results
}

export interface BatchOptions {
  /** How many WebCrypto calls are in flight at once (16 by default). */
  readonly concurrency?: number
}

/**
 * Seals many records under one key: the same envelopes as `seal`, with one
 * bridge into Effect for the whole batch rather than one per record (what a
 * sync page, an import or a key rotation wants).
 */
export const sealAll = (
  key: ContentKey,
  items: ReadonlyArray<{ readonly context: RecordContext; readonly plaintext: Uint8Array }>,
  options: BatchOptions = {},
): Effect.Effect<ReadonlyArray<Envelope>, CryptoUnavailable, Entropy.Entropy> =>
  Effect.flatMap(Entropy.Entropy, (entropy) =>
    Effect.tryPromise({
      try: () =>
        lanes(items, options.concurrency ?? 16, async ({ context, plaintext }): Promise<Envelope> => {
          const iv = entropy.fill(IV_BYTES)
          const ct = await encryptPromise(key.key, iv, plaintext, aad(context, key.kid, 1))
          return { v: 1, kid: key.kid, iv, ct }
        }),
      catch: (cause) =>
        new CryptoUnavailable({
          message: `AES-GCM encryption failed: ${cause instanceof Error ? cause.name : "unknown"}`,
        }),
    }),
  )

class BatchFailure {
  constructor(readonly error: DecryptionFailed | UnknownContentKey) {}
}

/**
 * Opens many records, each with the key its envelope names (`keyOf`); fails
 * with the first record that does not open, naming it.
 */
export const openAll = (
  keyOf: (kid: KeyId) => ContentKey | undefined,
  items: ReadonlyArray<{ readonly context: RecordContext; readonly envelope: Envelope }>,
  options: BatchOptions = {},
): Effect.Effect<ReadonlyArray<Uint8Array>, DecryptionFailed | UnknownContentKey> =>
  Effect.tryPromise({
    try: () =>
      lanes(items, options.concurrency ?? 16, ({ context, envelope }) => {
        const key = keyOf(envelope.kid)
        if (key === undefined)
          throw new BatchFailure(
            new UnknownContentKey({ kid: envelope.kid, message: `the envelope is sealed under key ${envelope.kid}` }),
          )
        return decryptPromise(key.key, envelope.iv, envelope.ct, aad(context, envelope.kid, envelope.v)).catch(() => {
          throw new BatchFailure(decryptionFailed(`${context.recordType} ${context.recordId}`))
        })
      }),
    catch: (cause) => (cause instanceof BatchFailure ? cause.error : decryptionFailed("a record of the batch")),
  })

export const sealString = (key: ContentKey, context: RecordContext, text: string) =>
  seal(key, context, utf8.encode(text))

export const openString = (key: ContentKey, context: RecordContext, envelope: Envelope) =>
  Effect.flatMap(open(key, context, envelope), (bytes) =>
    Effect.try({
      try: () => fromUtf8.decode(bytes),
      catch: () => new DecryptionFailed({ message: `${context.recordType} ${context.recordId} is not UTF-8 text` }),
    }),
  )

/** Encodes `value` with `schema` to JSON, then seals it. */
export const sealJson = <A, I>(schema: Schema.Schema<A, I>, key: ContentKey, context: RecordContext, value: A) =>
  Effect.flatMap(
    Effect.mapError(
      Schema.encode(Schema.parseJson(schema))(value),
      (error) => new MalformedInput({ message: ParseResult.TreeFormatter.formatErrorSync(error) }),
    ),
    (json) => sealString(key, context, json),
  )

/** Opens, then decodes the JSON with `schema`: a well-authenticated record of the wrong shape is MalformedInput. */
export const openJson = <A, I>(
  schema: Schema.Schema<A, I>,
  key: ContentKey,
  context: RecordContext,
  envelope: Envelope,
) =>
  Effect.flatMap(openString(key, context, envelope), (json) =>
    Effect.mapError(
      Schema.decodeUnknown(Schema.parseJson(schema))(json),
      (error) => new MalformedInput({ message: ParseResult.TreeFormatter.formatErrorSync(error) }),
    ),
  )

/** Decodes an envelope from its JSON form; the message names the offending field. */
export const decode = (input: unknown) =>
  Effect.mapError(
    Schema.decodeUnknown(Envelope)(input),
    (error) => new MalformedInput({ message: ParseResult.TreeFormatter.formatErrorSync(error) }),
  )

export const encode = (envelope: Envelope): EnvelopeJson => Schema.encodeSync(Envelope)(envelope)
