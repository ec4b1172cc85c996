/**
 * `@ignition/upload/promise`: encrypted resumable uploads for applications
 * that do not use Effect. The ports are plain objects of Promise-returning
 * functions (a transport, the file-key wrapping, optionally a journal);
 * every Promise this module returns rejects with the package's typed errors
 * (`SessionGone`, `UploadRefused`, `Truncated`, …, each an `Error` with a
 * `_tag`). A port may reject with one of those to say what happened; any
 * other rejection counts as `TransportUnavailable` (retried),
 * `JournalUnavailable` or `FileKeyUnavailable`.
 */

import { Entropy } from "@ignition/vault"
import type { VaultKeyring } from "@ignition/vault/promise"
import { Cause, Effect, Exit, Layer, Option, Scope, Stream } from "effect"
import * as Aead from "./Aead.js"
import type * as ChunkPlan from "./ChunkPlan.js"
import * as FileCipher from "./FileCipher.js"
import * as FileId from "./FileId.js"
import * as KeyWrap from "./KeyWrap.js"
import type * as Progress from "./Progress.js"
import * as Sha256 from "./Sha256.js"
import * as Source from "./Source.js"
import {
  ChecksumMismatch,
  FileKeyUnavailable,
  JournalUnavailable,
  SessionGone,
  SourceUnreadable,
  type TransportFailure,
  TransportUnavailable,
  UploadRefused,
} from "./UploadError.js"
import * as Uploader from "./Uploader.js"
import * as UploadJournal from "./UploadJournal.js"
import * as UploadTransport from "./UploadTransport.js"

export {
  ChecksumMismatch,
  FileKeyUnavailable,
  FileMismatch,
  InvalidRange,
  JournalUnavailable,
  MalformedHeader,
  PlanRefused,
  SegmentCorrupted,
  SegmentDuplicated,
  SegmentOutOfOrder,
  SessionGone,
  SourceUnreadable,
  SourceUnstable,
  TrailingData,
  TransportUnavailable,
  Truncated,
  UploadCancelled,
  UploadRefused,
} from "./UploadError.js"
export type { UploadEvent, Uploaded } from "./Uploader.js"

export interface Transport {
  readonly createSession: (spec: UploadTransport.SessionSpec) => Promise<UploadTransport.Session>
  readonly status: (sessionId: string) => Promise<UploadTransport.SessionStatus>
  readonly putChunk: (sessionId: string, index: number, bytes: Uint8Array, sha256: Uint8Array) => Promise<void>
  readonly complete: (sessionId: string, sha256: Uint8Array) => Promise<UploadTransport.Completed>
  readonly abort: (sessionId: string) => Promise<void>
}

export interface Journal {
  readonly load: (uploadKey: string) => Promise<UploadJournal.JournalEntry | undefined>
  readonly begin: (uploadKey: string, session: UploadJournal.JournalSession) => Promise<void>
  /** Must be durable when it resolves: the chunk is sent after. */
  readonly recordChunk: (uploadKey: string, chunk: UploadJournal.ChunkHash) => Promise<void>
  readonly remove: (uploadKey: string) => Promise<void>
}

export interface FileKeys {
  readonly wrapFileKey: (fileKey: Uint8Array, fileId: string) => Promise<Uint8Array>
  readonly unwrapFileKey: (wrapped: Uint8Array, fileId: string) => Promise<Uint8Array>
}

const transportFailures: ReadonlyArray<new (...args: never) => TransportFailure> = [
  TransportUnavailable,
  ChecksumMismatch,
  SessionGone,
  UploadRefused,
]

const nameOf = (cause: unknown) => (cause instanceof Error ? cause.name : "unknown error")

const asTransportFailure = (cause: unknown): TransportFailure =>
  transportFailures.some((failure) => cause instanceof failure)
    ? (cause as TransportFailure)
    : new TransportUnavailable({ message: `the transport failed: ${nameOf(cause)}` })

const fromPromise = <A, E>(run: () => Promise<A>, onError: (cause: unknown) => E) =>
  Effect.tryPromise({ try: run, catch: onError })

const transportLayer = (transport: Transport) =>
  Layer.succeed(UploadTransport.UploadTransport, {
    create: (spec) => fromPromise(() => transport.createSession(spec), asTransportFailure),
    status: (sessionId) => fromPromise(() => transport.status(sessionId), asTransportFailure),
    put: (sessionId, index, bytes, sha256) =>
      fromPromise(() => transport.putChunk(sessionId, index, bytes, sha256), asTransportFailure),
    complete: (sessionId, sha256) => fromPromise(() => transport.complete(sessionId, sha256), asTransportFailure),
    abort: (sessionId) => fromPromise(() => transport.abort(sessionId), asTransportFailure),
  })

const journalFailed = (cause: unknown) =>
  cause instanceof JournalUnavailable
    ? cause
    : new JournalUnavailable({ message: `the journal failed: ${nameOf(cause)}` })

const journalLayer = (journal: Journal | undefined) =>
  journal === undefined
    ? UploadJournal.layerMemory
    : Layer.succeed(UploadJournal.UploadJournal, {
        load: (uploadKey) =>
          Effect.map(
            fromPromise(() => journal.load(uploadKey), journalFailed),
            (entry) => (entry === undefined ? Option.none() : Option.some(entry)),
          ),
        begin: (uploadKey, session) => fromPromise(() => journal.begin(uploadKey, session), journalFailed),
        recordChunk: (uploadKey, chunk) => fromPromise(() => journal.recordChunk(uploadKey, chunk), journalFailed),
        remove: (uploadKey) => fromPromise(() => journal.remove(uploadKey), journalFailed),
      })

const keysFailed = (cause: unknown) =>
  cause instanceof FileKeyUnavailable ? cause : new FileKeyUnavailable({ message: `the file key: ${nameOf(cause)}` })

const keysLayer = (keys: FileKeys) =>
  Layer.succeed(KeyWrap.KeyWrap, {
    wrap: (fileKey, fileId) => fromPromise(() => keys.wrapFileKey(fileKey, fileId), keysFailed),
    unwrap: (wrapped, fileId) => fromPromise(() => keys.unwrapFileKey(wrapped, fileId), keysFailed),
  })

/**
 * File keys sealed by the vault's promise keyring, in the same format as
 * `KeyWrap.layerKeyring` (an envelope, UTF-8 JSON, bound to the file id):
 * either side opens what the other wrapped.
 */
export const vaultFileKeys = (keyring: VaultKeyring): FileKeys => {
  const ref = (fileId: string) => ({ recordType: KeyWrap.RECORD_TYPE, recordId: fileId })
  return {
    wrapFileKey: async (fileKey, fileId) =>
      new TextEncoder().encode(JSON.stringify(await keyring.seal(ref(fileId), fileKey))),
    unwrapFileKey: (wrapped, fileId) =>
      keyring.open(ref(fileId), JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(wrapped))),
  }
}

/** Byte ranges on demand, for sources that are neither Blobs nor bytes in memory. */
export interface RangeReader {
  readonly size: number
  readonly read: (offset: number, length: number) => Promise<Uint8Array>
}

const sourceOf = (source: Blob | Uint8Array | RangeReader): Source.Source =>
  source instanceof Uint8Array
    ? Source.fromBytes(source)
    : source instanceof Blob
      ? Source.fromBlob(source)
      : {
          size: source.size,
          read: (offset, length) =>
            fromPromise(
              () => source.read(offset, length),
              (cause) => new SourceUnreadable({ message: `bytes at ${offset} could not be read: ${nameOf(cause)}` }),
            ),
        }

/** A failed Effect becomes a rejection with its own typed error, not a wrapper. */
const unwrapExit = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}

const settle = async <A, E>(effect: Effect.Effect<A, E>) => unwrapExit(await Effect.runPromiseExit(effect))

export interface UploadOptions {
  /** Names the upload in the journal: the same key resumes it. */
  readonly uploadKey: string
  /** A lower-case UUID, chosen by the caller (the file's record). */
  readonly fileId: string
  readonly source: Blob | Uint8Array | RangeReader
  readonly transport: Transport
  readonly keys: FileKeys
  /** In memory unless given: then an upload resumes only within this page's life. */
  readonly journal?: Journal
  readonly concurrency?: number
  readonly segmentBytes?: number
  readonly limits?: ChunkPlan.Limits
  readonly retry?: Partial<Uploader.RetryPolicy>
  readonly onEvent?: (event: Uploader.UploadEvent) => void
}

export interface UploadTask {
  /** Resolves with the stored file, or rejects with a typed error (UploadCancelled after `cancel`). */
  readonly done: Promise<Uploader.Uploaded>
  readonly progress: () => Promise<Progress.Snapshot>
  readonly pause: () => Promise<void>
  readonly resume: () => Promise<void>
  readonly cancel: () => Promise<void>
}

/** Starts (or resumes, when the journal knows `uploadKey`) an upload. */
export const startUpload = async (options: UploadOptions): Promise<UploadTask> => {
  const fileId = await settle(FileId.decode(options.fileId))
  const layer = Layer.mergeAll(
    transportLayer(options.transport),
    journalLayer(options.journal),
    keysLayer(options.keys),
    Aead.layer,
    Sha256.layer,
    Entropy.layer,
  )
  const scope = Effect.runSync(Scope.make())
  const handle = await settle(
    Effect.provide(
      Scope.extend(
        Uploader.start({
          uploadKey: options.uploadKey,
          fileId,
          source: sourceOf(options.source),
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
          ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
          ...(options.limits === undefined ? {} : { limits: options.limits }),
          ...(options.retry === undefined ? {} : { retry: options.retry }),
        }),
        scope,
      ),
      layer,
    ),
  )
  const listener = options.onEvent
  // The events end with Completed, Failed or Cancelled, each published before the outcome: all reach the listener.
  const listening =
    listener === undefined
      ? Promise.resolve()
      : Effect.runPromise(Stream.runForEach(handle.events, (event) => Effect.sync(() => listener(event))))
  const done = settle(handle.await).finally(async () => {
    await listening
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })
  // The caller may only ever look at `done` through the task: never an unhandled rejection from here.
  done.catch(() => undefined)
  return {
    done,
    progress: () => settle(handle.progress),
    pause: () => settle(handle.pause),
    resume: () => settle(handle.resume),
    cancel: () => settle(handle.cancel),
  }
}

const keysFor = (keys: FileKeys) => Layer.mergeAll(keysLayer(keys), Aead.layer, Entropy.layer)

/** A whole blob in memory: its plaintext, if its header names `fileId` and every segment authenticates. */
export const decrypt = (blob: Uint8Array, fileId: string, keys: FileKeys): Promise<Uint8Array> =>
  settle(
    Effect.provide(
      Effect.flatMap(FileId.decode(fileId), (id) => FileCipher.decryptBytes(id, blob)),
      keysFor(keys),
    ),
  )

/** A blob as it downloads: its plaintext, segment by segment; the stream errors with a typed error. */
export const decryptStream = (
  blob: ReadableStream<Uint8Array>,
  fileId: string,
  keys: FileKeys,
): ReadableStream<Uint8Array> =>
  Stream.toReadableStream(
    Stream.provideLayer(
      Stream.unwrap(
        Effect.map(FileId.decode(fileId), (id) =>
          FileCipher.decrypt(id)(
            Stream.fromReadableStream({
              evaluate: () => blob,
              onError: (cause) => new TransportUnavailable({ message: `the download failed: ${nameOf(cause)}` }),
            }),
          ),
        ),
      ),
      keysFor(keys),
    ),
  )

/**
 * Plaintext bytes [start, end) of a stored blob of `ciphertextBytes`,
 * through `fetch(offset, length)` (an HTTP Range request): the header, then
 * only the segments that hold the range.
 */
export const decryptRange = (options: {
  readonly fileId: string
  readonly ciphertextBytes: number
  readonly start: number
  readonly end: number
  readonly fetch: (offset: number, length: number) => Promise<Uint8Array>
  readonly keys: FileKeys
}): Promise<Uint8Array> => {
  const fetch = (offset: number, length: number) =>
    fromPromise(
      () => options.fetch(offset, length),
      (cause) => new TransportUnavailable({ message: `bytes at ${offset} could not be fetched: ${nameOf(cause)}` }),
    )
  return settle(
    Effect.provide(
      Effect.gen(function* () {
        const cipher = yield* FileCipher.openWith(yield* FileId.decode(options.fileId), fetch)
        return yield* FileCipher.decryptRange(cipher, options.ciphertextBytes, options.start, options.end, fetch)
      }),
      keysFor(options.keys),
    ),
  )
}
