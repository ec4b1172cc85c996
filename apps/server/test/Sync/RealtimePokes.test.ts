/**
 * The `Pokes` service on a real engine: PGlite's in-process channel by
 * default, a dedicated LISTEN connection on PostgreSQL when the project runs
 * with IGNITION_TEST_DATABASE=postgres.
 *
 * "Nothing arrived" is observed without sleeping: notifications reach the
 * listener in commit order, so once a later poke for a witness user has
 * arrived, an earlier one for the user under test would have too.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Data, Effect, Layer, Option, Queue } from "effect"
import { Database } from "../../src/Database/Database.js"
import { Pokes } from "../../src/Sync/Pokes.js"
import * as TestDatabase from "../support/TestDatabase.js"

class WriteFailed extends Data.TaggedError("WriteFailed")<Record<never, never>> {}

/** Subscribe a fresh user; answers the id and its queue of pokes. */
const subscribeNewUser = Effect.gen(function* () {
  const pokes = yield* Pokes
  const userId = randomUUID()
  return { userId, queue: yield* pokes.subscribe(userId) }
})

/** Publish for a witness user and wait for its poke: every notification committed earlier has been delivered by then. */
const drain = Effect.gen(function* () {
  const pokes = yield* Pokes
  const witness = yield* subscribeNewUser
  yield* pokes.publish(witness.userId)
  yield* Queue.take(witness.queue)
})

layer(Layer.provideMerge(Pokes.Default, TestDatabase.layer))("Pokes", (it) => {
  it.scoped("a publish outside a transaction pokes that user's subscribers", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const first = yield* subscribeNewUser
      const second = yield* pokes.subscribe(first.userId)
      yield* pokes.publish(first.userId)
      assert.deepStrictEqual(yield* Queue.take(first.queue), { protocolVersion: 1 })
      assert.deepStrictEqual(yield* Queue.take(second), { protocolVersion: 1 })
    }),
  )

  it.scoped("another user's write never reaches this user's subscription", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const mine = yield* subscribeNewUser
      const theirs = yield* subscribeNewUser
      yield* pokes.publish(theirs.userId)
      yield* Queue.take(theirs.queue)
      yield* drain
      assert.strictEqual(yield* Queue.size(mine.queue), 0)
    }),
  )

  it.scoped("a poke published inside a transaction is delivered at commit, not before", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const pokes = yield* Pokes
      const user = yield* subscribeNewUser
      yield* db.transaction(
        Effect.gen(function* () {
          yield* pokes.publish(user.userId)
          // Nothing else can be committed meanwhile (PGlite has one session), so give it real time to (wrongly) arrive.
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 100)))
          assert.strictEqual(yield* Queue.size(user.queue), 0)
        }),
      )
      assert.deepStrictEqual(yield* Queue.take(user.queue), { protocolVersion: 1 })
    }),
  )

  it.scoped("a rolled-back transaction pokes nobody", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const pokes = yield* Pokes
      const user = yield* subscribeNewUser
      const outcome = yield* db
        .transaction(Effect.zipRight(pokes.publish(user.userId), Effect.fail(new WriteFailed())))
        .pipe(Effect.flip)
      assert.strictEqual(outcome._tag, "WriteFailed")
      yield* drain
      assert.strictEqual(yield* Queue.size(user.queue), 0)
    }),
  )

  it.scoped("many pokes before the subscriber reads are one pending poke", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const user = yield* subscribeNewUser
      for (let i = 0; i < 20; i++) yield* pokes.publish(user.userId)
      yield* drain
      assert.strictEqual(yield* Queue.size(user.queue), 1)
      yield* Queue.take(user.queue)
      assert.isTrue(Option.isNone(yield* Queue.poll(user.queue)))
    }),
  )

  it.scoped("a closed subscription is removed and shut down", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const userId = randomUUID()
      const queue = yield* Effect.scoped(pokes.subscribe(userId))
      assert.isTrue(yield* Queue.isShutdown(queue))
      yield* pokes.publish(userId)
      yield* drain
    }),
  )
})
