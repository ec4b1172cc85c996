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
import { Data, Effect, Fiber, Layer, Option } from "effect"
import { sql } from "kysely"
import { Database } from "../../src/Database/Database.js"
import { Pokes } from "../../src/Sync/Pokes.js"
import * as TestDatabase from "../support/TestDatabase.js"

class WriteFailed extends Data.TaggedError("WriteFailed")<Record<never, never>> {}

/** Subscribe a fresh user; answers the id and its subscription. */
const subscribeNewUser = Effect.gen(function* () {
  const pokes = yield* Pokes
  const userId = randomUUID()
  return { userId, pokes: yield* pokes.subscribe(userId) }
})

/** Publish for a witness user and wait for its poke: every notification committed earlier has been delivered by then. */
const drain = Effect.gen(function* () {
  const pokes = yield* Pokes
  const witness = yield* subscribeNewUser
  yield* pokes.publish(witness.userId)
  yield* witness.pokes.next
})

// Live clock: the listener's reconnect back-off sleeps for real.
layer(Layer.provideMerge(Pokes.Default, TestDatabase.layer), { excludeTestServices: true })("Pokes", (it) => {
  it.scoped("a publish outside a transaction pokes that user's subscribers", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const first = yield* subscribeNewUser
      const second = yield* pokes.subscribe(first.userId)
      yield* pokes.publish(first.userId)
      assert.deepStrictEqual(yield* first.pokes.next, { protocolVersion: 1 })
      assert.deepStrictEqual(yield* second.next, { protocolVersion: 1 })
    }),
  )

  it.scoped("another user's write never reaches this user's subscription", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const mine = yield* subscribeNewUser
      const theirs = yield* subscribeNewUser
      yield* pokes.publish(theirs.userId)
      yield* theirs.pokes.next
      yield* drain
      assert.isTrue(Option.isNone(yield* mine.pokes.poll))
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
          yield* Effect.sleep("100 millis")
          assert.isTrue(Option.isNone(yield* user.pokes.poll))
        }),
      )
      assert.deepStrictEqual(yield* user.pokes.next, { protocolVersion: 1 })
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
      assert.isTrue(Option.isNone(yield* user.pokes.poll))
    }),
  )

  it.scoped("many pokes before the subscriber reads are one pending poke", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const user = yield* subscribeNewUser
      for (let i = 0; i < 20; i++) yield* pokes.publish(user.userId)
      yield* drain
      assert.isTrue(Option.isSome(yield* user.pokes.poll))
      assert.isTrue(Option.isNone(yield* user.pokes.poll))
    }),
  )

  it.scoped("a wait that is interrupted loses no poke", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const user = yield* subscribeNewUser
      const waiting = yield* Effect.fork(user.pokes.next)
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(waiting)
      yield* pokes.publish(user.userId)
      yield* drain
      assert.isTrue(Option.isSome(yield* user.pokes.poll))
    }),
  )

  it.scoped("a closed subscription hears nothing more", () =>
    Effect.gen(function* () {
      const pokes = yield* Pokes
      const userId = randomUUID()
      const closed = yield* Effect.scoped(pokes.subscribe(userId))
      yield* pokes.publish(userId)
      yield* drain
      assert.isTrue(Option.isNone(yield* closed.poll))
    }),
  )

  it.scoped.runIf(TestDatabase.engine === "postgres")(
    "after its connection is terminated the listener reconnects, pokes every subscriber, and hears writes again",
    () =>
      Effect.gen(function* () {
        const db = yield* Database
        const pokes = yield* Pokes
        const user = yield* subscribeNewUser
        // The listener's last (and only) statement names this schema's channel: it is this instance's.
        const terminated = yield* db.execute((q) =>
          sql<{ terminated: boolean }>`
            select pg_terminate_backend(pid) as terminated from pg_stat_activity
            where query = ${`listen "${pokes.channel}"`}`.execute(q),
        )
        assert.deepStrictEqual(
          terminated.rows.map((row) => row.terminated),
          [true],
        )
        assert.deepStrictEqual(yield* user.pokes.next, { protocolVersion: 1 })
        yield* pokes.publish(user.userId)
        assert.deepStrictEqual(yield* user.pokes.next, { protocolVersion: 1 })
      }).pipe(Effect.timeout("20 seconds")),
  )
})
