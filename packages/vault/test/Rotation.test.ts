/**
 * Record re-encryption after a content-key rotation: resumable in batches
 * (interrupted after any batch, a second run finishes the job), progress
 * reported, and a record rewritten concurrently is never clobbered.
 */
import { assert, layer } from "@effect/vitest"
import { Effect, FastCheck as fc, Layer, Redacted } from "effect"
import type { Envelope, KeyId } from "../src/Envelope.js"
import * as Keyring from "../src/Keyring.js"
import * as Rotation from "../src/Rotation.js"
import type { VaultFailure } from "../src/VaultError.js"
import { binding, floorPolicy } from "./support.js"

/** A record table in a Map, with the store port's compare-and-swap semantics. */
const memoryStore = (records: Map<string, Envelope>) => {
  const staleIds = (kid: KeyId) => [...records].filter(([, envelope]) => envelope.kid !== kid).map(([id]) => id)
  const store: Rotation.RecordStore = {
    countStale: (kid) => Effect.sync(() => staleIds(kid).length),
    stale: (kid, limit) =>
      Effect.sync(() =>
        staleIds(kid)
          .slice(0, limit)
          .map((id) => ({ ref: { recordType: "note", recordId: id }, envelope: records.get(id) as Envelope })),
      ),
    replace: (batch) =>
      Effect.sync(() => {
        let replaced = 0
        for (const { ref, previous, next } of batch) {
          if (records.get(ref.recordId) === previous) {
            records.set(ref.recordId, next)
            replaced++
          }
        }
        return replaced
      }),
  }
  return store
}

/** One vault for every run: Argon2id once, not per generated case. */
const UnlockedKeyring = Layer.effectDiscard(
  Effect.flatMap(Keyring.Keyring, (keyring) => keyring.create(binding, Redacted.make("passphrase"), floorPolicy)),
).pipe(Layer.provideMerge(Keyring.layerLive()))

const setUp = (count: number) =>
  Effect.gen(function* () {
    const keyring = yield* Keyring.Keyring
    const records = new Map<string, Envelope>()
    for (let index = 0; index < count; index++) {
      records.set(
        `n${index}`,
        yield* keyring.sealString({ recordType: "note", recordId: `n${index}` }, `note ${index}`),
      )
    }
    const rotation = yield* keyring.prepareContentKey
    yield* keyring.adoptContentKeys([rotation], rotation.kid)
    return { keyring, records, newKid: rotation.kid }
  })

layer(UnlockedKeyring)("Rotation", (it) => {
  it.effect.prop(
    "an interrupted re-encryption resumes and finishes; every record opens under the new key",
    [fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 5 })],
    ([count, batchSize, stopAfter]) =>
      Effect.gen(function* () {
        const { keyring, records, newKid } = yield* setUp(count)
        const store = memoryStore(records)
        const reports: Array<Rotation.Progress> = []
        let batches = 0
        // First run: "crash" after `stopAfter` batches.
        yield* Effect.exit(
          Rotation.reencrypt(store, {
            batchSize,
            onProgress: (progress) =>
              Effect.suspend(() => {
                reports.push(progress)
                return ++batches > stopAfter ? Effect.interrupt : Effect.void
              }),
          }),
        )
        const resumed = yield* Rotation.reencrypt(store, { batchSize })
        assert.strictEqual(resumed.done, resumed.total)
        for (const [id, envelope] of records) {
          assert.strictEqual(envelope.kid, newKid)
          assert.strictEqual(
            yield* keyring.openString({ recordType: "note", recordId: id }, envelope),
            `note ${id.slice(1)}`,
          )
        }
        for (const report of reports) assert.isAtMost(report.done, report.total)
      }),
    { fastCheck: { numRuns: 12 } },
  )

  it.effect("a record rewritten while the batch ran is kept as the writer left it", () =>
    Effect.gen(function* () {
      const { keyring, records } = yield* setUp(3)
      const store = memoryStore(records)
      const racing: Rotation.RecordStore<VaultFailure> = {
        ...store,
        replace: (batch) =>
          Effect.flatMap(keyring.sealString({ recordType: "note", recordId: "n1" }, "edited meanwhile"), (edited) =>
            Effect.flatMap(
              Effect.sync(() => records.set("n1", edited)),
              () => store.replace(batch),
            ),
          ),
      }
      const result = yield* Rotation.reencrypt(racing, { batchSize: 10 })
      assert.strictEqual(result.done, 2)
      assert.strictEqual(
        yield* keyring.openString({ recordType: "note", recordId: "n1" }, records.get("n1") as Envelope),
        "edited meanwhile",
      )
    }),
  )
})
