/**
 * Content-key rotation, the record half: after a new content key became
 * current, re-encrypt every record still sealed under an older key, in
 * batches, reporting progress. It is resumable by construction — each run
 * asks the store for records not yet under the current key, so an
 * interrupted run (closed tab, crash) simply continues — and safe alongside
 * other writers: the store replaces a record only if it still holds the
 * envelope that was read (compare-and-swap), and retired keys stay readable,
 * so no record is ever left undecryptable.
 */
import { Effect } from "effect"
import type { Envelope, KeyId } from "./Envelope.js"
import { Keyring, type RecordRef } from "./Keyring.js"

export interface StaleRecord {
  readonly ref: RecordRef
  readonly envelope: Envelope
}

/** Where the records live: the app's database, IndexedDB, or a test's Map. */
export interface RecordStore<E = never, R = never> {
  /** How many records are not sealed under `kid`. */
  readonly countStale: (kid: KeyId) => Effect.Effect<number, E, R>
  /** Up to `limit` records not sealed under `kid`. */
  readonly stale: (kid: KeyId, limit: number) => Effect.Effect<ReadonlyArray<StaleRecord>, E, R>
  /** Replaces each record whose envelope is still `previous`; returns how many were replaced. */
  readonly replace: (
    batch: ReadonlyArray<{ readonly ref: RecordRef; readonly previous: Envelope; readonly next: Envelope }>,
  ) => Effect.Effect<number, E, R>
}

export interface Progress {
  readonly done: number
  readonly total: number
}

export interface Options {
  readonly batchSize?: number
  readonly onProgress?: (progress: Progress) => Effect.Effect<void>
}

/** Re-encrypts every stale record under the keyring's current key; returns the final progress. */
export const reencrypt = <E, R>(store: RecordStore<E, R>, options: Options = {}) =>
  Effect.gen(function* () {
    const keyring = yield* Keyring
    const batchSize = Math.max(1, options.batchSize ?? 100)
    const kid = yield* keyring.currentKid
    const total = yield* store.countStale(kid)
    let done = 0
    while (true) {
      const batch = yield* store.stale(kid, batchSize)
      if (batch.length === 0) break
      const replacements = yield* Effect.forEach(batch, (record) =>
        Effect.flatMap(keyring.open(record.ref, record.envelope), (plaintext) =>
          Effect.map(keyring.seal(record.ref, plaintext), (next) => ({
            ref: record.ref,
            previous: record.envelope,
            next,
          })),
        ),
      )
      const replaced = yield* store.replace(replacements)
      done += replaced
      if (options.onProgress) yield* options.onProgress({ done, total: Math.max(total, done) })
      // Every record of the batch changed under us, and was written back stale: stop rather than spin.
      if (replaced === 0) break
    }
    return { done, total: Math.max(total, done) } satisfies Progress
  })
