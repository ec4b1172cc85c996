/**
 * The `SyncStore` contract, run the same on the in-memory `layerTest` and on
 * the server's store (PGlite, and PostgreSQL when TEST_DATABASE_URL is set):
 * transactions that commit all or nothing, a counter that bumps under the
 * user's row lock (concurrent writers get distinct, gapless versions),
 * change-log reads in version order, tombstone expiry raising the horizon,
 * rejections kept. Then the sync rules over the real store: exactly-once
 * push, gaps, rejections, conflict copies, whole-version pages and the 410.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Cursor, Protocol, Server, SyncError, SyncStore } from "@ignition/sync"
import { Context, Data, Effect, Either, Layer, Option } from "effect"
import { Database } from "../../src/Database/Database.js"
import * as Entities from "../../src/Sync/Entities.js"
import { Pokes } from "../../src/Sync/Pokes.js"
import * as Repo from "../../src/Sync/Repo.js"
import { VaultRepo } from "../../src/Vault/Repo.js"
import { envelopeJson } from "../support/KnowledgeBase.js"
import * as TestDatabase from "../support/TestDatabase.js"

/** Makes a user the store can hold rows for (the real store's rows reference `users`). */
class Users extends Context.Tag("test/Users")<Users, { readonly make: Effect.Effect<string> }>() {}

const inMemory = Layer.merge(SyncStore.layerTest, Layer.succeed(Users, { make: Effect.sync(() => randomUUID()) }))

const UsersLive = Layer.effect(
  Users,
  Effect.map(Database, (db) => ({
    make: db
      .execute((q) =>
        q
          .insertInto("users")
          .values({ email: `${randomUUID()}@example.com`, display_name: "Sync", status: "approved" })
          .returning("id")
          .executeTakeFirstOrThrow(),
      )
      .pipe(
        Effect.map((row) => row.id),
        Effect.orDie,
      ),
  })),
)

const real = Layer.merge(Repo.layer, UsersLive).pipe(
  Layer.provide(Layer.merge(VaultRepo.Default, Pokes.Default)),
  Layer.provideMerge(TestDatabase.layer),
)

const stores = [
  ["in memory", inMemory],
  [TestDatabase.engine, real],
] as const

class Abort extends Data.TaggedError("Abort") {}

const row = (entity: string, id: string, version: number, value: Option.Option<unknown>, writtenAt = 1_000) => ({
  entity,
  id,
  version,
  value,
  writtenAt,
})

const signer = Cursor.layer(new Uint8Array(32).fill(7))

const mutation = (mutationSeq: number, entity: string, op: string, args: unknown): Protocol.Mutation => ({
  mutationSeq,
  mutationId: `m${mutationSeq}`,
  entity,
  op,
  args,
})

const journal = (entryDate: string) => ({
  mode: "standard",
  content: envelopeJson(),
  meta: null,
  entryDate,
  tags: [],
})

for (const [name, store] of stores) {
  layer(Layer.merge(store, signer), { excludeTestServices: true })(`SyncStore contract (${name})`, (it) => {
    it.effect("a transaction commits everything or nothing", () =>
      Effect.gen(function* () {
        const sync = yield* SyncStore.SyncStore
        const user = yield* (yield* Users).make
        const failed = yield* Effect.either(
          sync.transaction(user, (tx) =>
            Effect.gen(function* () {
              const version = yield* tx.bumpVersion
              yield* tx.write(row("notes", "a", version, Option.some({ n: 1 })))
              yield* tx.setLastMutationSeq("phone", 1)
              return yield* new Abort()
            }),
          ),
        )
        assert.isTrue(Either.isLeft(failed))
        assert.strictEqual((yield* sync.head(user)).version, 0)
        assert.deepStrictEqual(yield* sync.changesSince(user, 0, 10), [])
        assert.strictEqual(yield* sync.lastMutationSeq(user, "phone"), 0)

        const version = yield* sync.transaction(user, (tx) =>
          Effect.gen(function* () {
            const next = yield* tx.bumpVersion
            assert.strictEqual(yield* tx.version, next)
            yield* tx.write(row("notes", "a", next, Option.some({ n: 1 })))
            yield* tx.setLastMutationSeq("phone", 1)
            yield* tx.recordRejection({ clientId: "phone", mutationSeq: 2, mutationId: "m2", reason: "no" })
            assert.deepStrictEqual(
              Option.map(yield* tx.row("notes", "a"), (found) => found.value),
              Option.some(Option.some({ n: 1 })),
            )
            return next
          }),
        )
        assert.strictEqual(version, 1)
        assert.strictEqual((yield* sync.head(user)).version, 1)
        assert.deepStrictEqual(yield* sync.changesSince(user, 0, 10), [row("notes", "a", 1, Option.some({ n: 1 }))])
        assert.strictEqual(yield* sync.lastMutationSeq(user, "phone"), 1)
        assert.deepStrictEqual(yield* sync.rejections(user), [
          { clientId: "phone", mutationSeq: 2, mutationId: "m2", reason: "no" },
        ])
        assert.deepStrictEqual(yield* sync.head(yield* (yield* Users).make), {
          version: 0,
          horizon: 0,
          vault: { locked: false, epoch: 0, reason: null },
        })
      }),
    )

    it.effect("concurrent writers of one user get distinct, gapless versions", () =>
      Effect.gen(function* () {
        const sync = yield* SyncStore.SyncStore
        const user = yield* (yield* Users).make
        const versions = yield* Effect.forEach(
          Array.from({ length: 12 }, (_, index) => index),
          (index) =>
            sync.transaction(user, (tx) =>
              Effect.gen(function* () {
                const version = yield* tx.bumpVersion
                yield* tx.write(row("notes", `n${index}`, version, Option.some(index)))
                return version
              }),
            ),
          { concurrency: "unbounded" },
        )
        assert.deepStrictEqual(
          [...versions].sort((a, b) => a - b),
          Array.from({ length: 12 }, (_, index) => index + 1),
        )
        const changes = yield* sync.changesSince(user, 0, 100)
        assert.deepStrictEqual(
          changes.map((change) => change.version),
          Array.from({ length: 12 }, (_, index) => index + 1),
        )
      }),
    )

    it.effect("reads the log in version order, completes a version, overwrites rows in place", () =>
      Effect.gen(function* () {
        const sync = yield* SyncStore.SyncStore
        const user = yield* (yield* Users).make
        const writeAll = (rows: ReadonlyArray<readonly [string, string, Option.Option<unknown>]>) =>
          sync.transaction(user, (tx) =>
            Effect.gen(function* () {
              const version = yield* tx.bumpVersion
              for (const [entity, id, value] of rows) yield* tx.write(row(entity, id, version, value))
            }),
          )
        yield* writeAll([
          ["notes", "b", Option.some(1)],
          ["notes", "a", Option.some(2)],
          ["cards", "z", Option.some(3)],
        ])
        yield* writeAll([["notes", "c", Option.some("x")]])
        yield* writeAll([["notes", "b", Option.none()]])
        const changes = yield* sync.changesSince(user, 0, 100)
        assert.deepStrictEqual(
          changes.map((change) => [change.entity, change.id, change.version, change.value]),
          [
            ["cards", "z", 1, Option.some(3)],
            ["notes", "a", 1, Option.some(2)],
            ["notes", "c", 2, Option.some("x")],
            ["notes", "b", 3, Option.none()],
          ],
        )
        assert.deepStrictEqual(
          (yield* sync.changesSince(user, 1, 1)).map((change) => change.id),
          ["c"],
        )
        assert.deepStrictEqual(
          (yield* sync.changesAt(user, 1)).map((change) => change.id),
          ["z", "a"],
        )
        const live = yield* sync.liveRows(user)
        assert.deepStrictEqual(
          [...live].sort((a, b) => a.version - b.version || (a.id < b.id ? -1 : 1)),
          [
            { entity: "notes", id: "a", version: 1 },
            { entity: "cards", id: "z", version: 1 },
            { entity: "notes", id: "c", version: 2 },
          ],
        )
      }),
    )

    it.effect("expiring tombstones deletes the old ones and raises the horizon", () =>
      Effect.gen(function* () {
        const sync = yield* SyncStore.SyncStore
        const user = yield* (yield* Users).make
        const write = (id: string, value: Option.Option<unknown>, writtenAt: number) =>
          sync.transaction(user, (tx) =>
            Effect.flatMap(tx.bumpVersion, (version) => tx.write(row("notes", id, version, value, writtenAt))),
          )
        yield* write("old", Option.none(), 1_000)
        yield* write("kept", Option.some(1), 1_000)
        yield* write("recent", Option.none(), 5_000)
        assert.strictEqual(yield* sync.expireTombstones(user, 2_000), 1)
        assert.deepStrictEqual(
          (yield* sync.changesSince(user, 0, 10)).map((change) => change.id),
          ["kept", "recent"],
        )
        assert.strictEqual((yield* sync.head(user)).horizon, 1)
        // Expiring again, with nothing older, never lowers the horizon.
        assert.strictEqual(yield* sync.expireTombstones(user, 2_000), 1)
      }),
    )
  })

  layer(Layer.merge(store, signer), { excludeTestServices: true })(`sync rules over the store (${name})`, (it) => {
    const push = (user: string, mutations: ReadonlyArray<Protocol.Mutation>, clientId = "phone") =>
      Server.push(Entities.registry, user, {
        protocolVersion: Protocol.PROTOCOL_VERSION,
        clientId: clientId as Protocol.ClientId,
        mutations,
      })
    const pull = (user: string, cursor: string | null, limit = 100) =>
      Server.pull(user, {
        protocolVersion: Protocol.PROTOCOL_VERSION,
        clientId: "phone" as Protocol.ClientId,
        cursor,
        limit,
      })

    it.effect("push: exactly once, duplicates acknowledged, a gap stops the batch, rejections move on", () =>
      Effect.gen(function* () {
        const user = yield* (yield* Users).make
        const theme = (seq: number, value: string) =>
          mutation(seq, "settings", "set", { id: "settings", fields: { theme: value } })
        const first = yield* push(user, [theme(2, "dark"), theme(1, "light"), theme(4, "system")])
        assert.deepStrictEqual(
          first.results.map((result) => [result._tag, result.mutationSeq]),
          [
            ["applied", 1],
            ["applied", 2],
            ["skipped-gap", 4],
          ],
        )
        assert.strictEqual(first.lastMutationSeq, 2)
        const second = yield* push(user, [theme(2, "light"), theme(3, "sepia"), theme(4, "system")])
        assert.deepStrictEqual(
          second.results.map((result) => result._tag),
          ["duplicate", "rejected", "applied"],
        )
        const sync = yield* SyncStore.SyncStore
        assert.deepStrictEqual(
          (yield* sync.rejections(user)).map((rejection) => rejection.mutationSeq),
          [3],
        )
        const page = yield* pull(user, null)
        assert.deepStrictEqual(page.changes, [
          {
            _tag: "put",
            entity: "settings",
            id: "settings",
            version: 3,
            value: { fields: { theme: "system" }, stamps: { theme: 3 } },
          },
        ])
        assert.strictEqual(page.lastMutationSeq, 4)
      }),
    )

    it.effect("compare-and-swap: a stale put becomes a conflict copy, a stale delete is rejected", () =>
      Effect.gen(function* () {
        const user = yield* (yield* Users).make
        const id = randomUUID()
        yield* push(user, [mutation(1, "journal", "put", { id, baseVersion: null, value: journal("2026-11-01") })])
        const laptop = yield* push(
          user,
          [mutation(1, "journal", "put", { id, baseVersion: null, value: journal("2026-11-02") })],
          "laptop",
        )
        const copy = laptop.results[0]
        assert.strictEqual(copy?._tag === "applied" ? copy.conflictCopyId : undefined, `${id}~conflict~m1`)
        const stale = yield* push(user, [mutation(2, "journal", "delete", { id, baseVersion: 5 })])
        assert.deepStrictEqual(stale.results[0], { _tag: "rejected", mutationSeq: 2, reason: "stale baseVersion" })
        const removed = yield* push(user, [mutation(3, "journal", "delete", { id, baseVersion: 1 })])
        assert.strictEqual(removed.results[0]?._tag, "applied")
        const page = yield* pull(user, null)
        assert.deepStrictEqual(
          page.changes.map((change) => [change._tag, change.id, change.version]),
          [
            ["put", `${id}~conflict~m1`, 2],
            ["deleted", id, 3],
          ],
        )
      }),
    )

    it.effect("pull pages by whole versions, refuses another user's cursor, and answers 410 below the horizon", () =>
      Effect.gen(function* () {
        const user = yield* (yield* Users).make
        const other = yield* (yield* Users).make
        const ids = Array.from({ length: 5 }, () => randomUUID())
        yield* push(
          user,
          ids.map((id, index) => mutation(index + 1, "ideas", "put", { id, baseVersion: null, value: idea() })),
        )
        const seen: Array<number> = []
        let cursor: string | null = null
        for (let hasMore = true; hasMore; ) {
          const page: Protocol.PullResponse = yield* pull(user, cursor, 2)
          seen.push(...page.changes.map((change) => change.version))
          cursor = page.cursor
          hasMore = page.hasMore
        }
        assert.deepStrictEqual(seen, [1, 2, 3, 4, 5])
        const foreign = yield* Effect.flip(pull(other, cursor))
        assert.instanceOf(foreign, SyncError.InvalidCursor)

        const early = (yield* pull(user, null, 1)).cursor
        yield* push(user, [mutation(6, "ideas", "delete", { id: ids[0], baseVersion: 1 })])
        const sync = yield* SyncStore.SyncStore
        yield* sync.expireTombstones(user, Date.now() + 60_000)
        const gone = yield* Effect.flip(pull(user, early))
        assert.instanceOf(gone, SyncError.ResyncRequired)
        assert.strictEqual(gone._tag === "ResyncRequired" ? gone.horizon : 0, 6)
        const fresh = yield* pull(user, null)
        assert.strictEqual(fresh.changes.length, 4)
      }),
    )
  })
}

const idea = () => ({ mode: "standard", content: envelopeJson(), meta: null, key: "Am", bpm: 120, moodTags: [] })

layer(Layer.merge(real, Pokes.Default.pipe(Layer.provide(TestDatabase.layer))), { excludeTestServices: true })(
  `the server's store pokes (${TestDatabase.engine})`,
  (it) => {
    it.scoped("a write that bumps the version pokes the user's clients when it commits", () =>
      Effect.gen(function* () {
        const sync = yield* SyncStore.SyncStore
        const user = yield* (yield* Users).make
        const pokes = yield* (yield* Pokes).subscribe(user)
        yield* sync.transaction(user, (tx) =>
          Effect.flatMap(tx.bumpVersion, (version) => tx.write(row("notes", "a", version, Option.some(1)))),
        )
        const poke = yield* pokes.next.pipe(Effect.timeout("10 seconds"))
        assert.deepStrictEqual(poke, { protocolVersion: Protocol.PROTOCOL_VERSION })
      }),
    )
  },
)
