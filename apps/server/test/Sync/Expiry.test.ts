/**
 * The change log's tombstone expiry: tombstones older than
 * TOMBSTONE_RETENTION go, and the horizon rises past them, for every user
 * who has some; younger tombstones and live rows stay.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { SyncStore } from "@ignition/sync"
import { Duration, Effect, Layer, Option, TestClock } from "effect"
import { AppConfig } from "../../src/AppConfig.js"
import { Database } from "../../src/Database/Database.js"
import * as Expiry from "../../src/Sync/Expiry.js"
import { Pokes } from "../../src/Sync/Pokes.js"
import * as Repo from "../../src/Sync/Repo.js"
import { VaultRepo } from "../../src/Vault/Repo.js"
import * as TestDatabase from "../support/TestDatabase.js"

const TestLayer = Repo.layer.pipe(
  Layer.provide(Layer.merge(VaultRepo.Default, Pokes.Default)),
  Layer.provideMerge(Layer.merge(TestDatabase.layer, AppConfig.layerTest({ tombstoneRetention: Duration.days(90) }))),
)

const day = Duration.toMillis(Duration.days(1))

layer(TestLayer)("sync tombstone expiry", (it) => {
  it.effect("drops tombstones past the retention and raises each owner's horizon", () =>
    Effect.gen(function* () {
      const db = yield* Database
      const sync = yield* SyncStore.SyncStore
      const newUser = db
        .execute((q) =>
          q
            .insertInto("users")
            .values({ email: `${randomUUID()}@example.com`, display_name: "Expiry", status: "approved" })
            .returning("id")
            .executeTakeFirstOrThrow(),
        )
        .pipe(
          Effect.orDie,
          Effect.map((row) => row.id),
        )
      const write = (userId: string, id: string, value: Option.Option<unknown>, writtenAt: number) =>
        sync.transaction(userId, (tx) =>
          Effect.flatMap(tx.bumpVersion, (version) => tx.write({ entity: "notes", id, version, value, writtenAt })),
        )
      const [alice, bob] = [yield* newUser, yield* newUser]
      yield* TestClock.setTime(200 * day)
      yield* write(alice, "old", Option.none(), 10 * day)
      yield* write(alice, "live", Option.some(1), 10 * day)
      yield* write(bob, "old", Option.none(), 20 * day)
      yield* write(bob, "young", Option.none(), 150 * day)
      assert.strictEqual(yield* Expiry.expireAll, 2)
      assert.deepStrictEqual(
        (yield* sync.changesSince(alice, 0, 10)).map((row) => row.id),
        ["live"],
      )
      assert.deepStrictEqual(
        (yield* sync.changesSince(bob, 0, 10)).map((row) => row.id),
        ["young"],
      )
      assert.strictEqual((yield* sync.head(alice)).horizon, 1)
      assert.strictEqual((yield* sync.head(bob)).horizon, 1)
      assert.strictEqual(yield* Expiry.expireAll, 0)
    }),
  )
})
