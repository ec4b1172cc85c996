/**
 * The server rules over the in-memory store: exactly-once push (duplicates
 * acknowledged, gaps stop the batch, rejections consume their seq), entity
 * rules (LWW settings, CAS conflict copies, upsert no-ops, intents),
 * pagination that never splits a version, 410 below the tombstone horizon,
 * transactions that commit all or nothing, and polls whose digests match
 * what a pulling client computes.
 */
import { createHash } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Context, Duration, Effect, Either, Layer, Option, Schema, TestClock } from "effect"
import * as Cursor from "../src/Cursor.js"
import * as Digest from "../src/Digest.js"
import * as Entity from "../src/Entity.js"
import { type ClientId, type Mutation, PROTOCOL_VERSION, type PullResponse } from "../src/Protocol.js"
import * as Server from "../src/Server.js"
import { StoreUnavailable } from "../src/SyncError.js"
import { type InMemory, makeInMemory, SyncStore, type Transaction } from "../src/SyncStore.js"
import * as Entities from "./support/Entities.js"

const Counter = Schema.Struct({ total: Schema.Int })
const xp = Entity.serverIntent("xp", Counter, {
  award: Entity.intent(Schema.Struct({ points: Schema.Int.pipe(Schema.between(1, 100)) }), (current, { points }) =>
    Either.right({ total: Option.match(current, { onNone: () => 0, onSome: (c) => c.total }) + points }),
  ),
})
const checkIns = Entity.idempotentUpsert("check-ins", Schema.Struct({ done: Schema.Boolean }))
/** A rule that writes two rows per mutation (no registered policy does yet), to exercise paging by whole versions. */
const pairs: Entity.Definition = {
  name: "pairs",
  policy: "idempotent-upsert",
  apply: (_op, args) =>
    Effect.map(Schema.decodeUnknown(Schema.Struct({ id: Schema.String }))(args).pipe(Effect.orDie), ({ id }) => ({
      writes: [
        { _tag: "put", id: `${id}-left`, value: 1 },
        { _tag: "put", id: `${id}-right`, value: 2 },
      ],
    })),
}
const registry = Entity.registry(...Entities.registry.values(), xp, checkIns, pairs)

/** The in-memory store, also under its own tag so a test can set the vault state it reports. */
class InMemoryStore extends Context.Tag("test/InMemoryStore")<InMemoryStore, InMemory>() {}
const TestLayer = Layer.merge(
  Layer.effectContext(
    Effect.map(makeInMemory, (store) => Context.make(SyncStore, store).pipe(Context.add(InMemoryStore, store))),
  ),
  Cursor.layer(new Uint8Array(32).fill(1)),
)
const user = "user-1"
const phone = "phone" as ClientId
const envelope = (ct: string) => ({ v: 1, kid: "k1", iv: "AAAAAAAAAAAAAAAA", ct })

const mutation = (mutationSeq: number, entity: string, op: string, args: unknown): Mutation => ({
  mutationSeq,
  mutationId: `m${mutationSeq}`,
  entity,
  op,
  args,
})
const push = (mutations: ReadonlyArray<Mutation>, clientId: ClientId = phone) =>
  Server.push(registry, user, { protocolVersion: PROTOCOL_VERSION, clientId, mutations })
const pull = (cursor: string | null, limit = 100) =>
  Server.pull(user, { protocolVersion: PROTOCOL_VERSION, clientId: phone, cursor, limit })

describe("Server.push", () => {
  it.effect("applies in seq order once, acknowledges duplicates, stops at a gap", () =>
    Effect.gen(function* () {
      const set = (seq: number, theme: string) => mutation(seq, "settings", "set", { id: "me", fields: { theme } })
      const first = yield* push([set(2, "dark"), set(1, "light")])
      assert.deepStrictEqual(
        first.results.map((r) => r._tag),
        ["applied", "applied"],
      )
      assert.strictEqual(first.lastMutationSeq, 2)
      const again = yield* push([set(2, "light"), set(3, "system"), set(5, "dark")])
      assert.deepStrictEqual(
        again.results.map((r) => [r._tag, r.mutationSeq]),
        [
          ["duplicate", 2],
          ["applied", 3],
          ["skipped-gap", 5],
        ],
      )
      const page = yield* pull(null)
      assert.deepStrictEqual(page.changes, [
        {
          _tag: "put",
          entity: "settings",
          id: "me",
          version: 3,
          value: { fields: { theme: "system" }, stamps: { theme: 3 } },
        },
      ])
      assert.strictEqual(page.lastMutationSeq, 3)
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("records a rejection with its reason and consumes its seq, so later mutations apply", () =>
    Effect.gen(function* () {
      const response = yield* push([
        mutation(1, "settings", "set", { id: "me", fields: { theme: "purple" } }),
        mutation(2, "nowhere", "set", {}),
        mutation(3, "xp", "award", { id: "me", input: { points: 1000 } }),
        mutation(4, "xp", "award", { id: "me", input: { points: 10 } }),
      ])
      assert.deepStrictEqual(
        response.results.map((r) => r._tag),
        ["rejected", "rejected", "rejected", "applied"],
      )
      assert.strictEqual(response.lastMutationSeq, 4)
      const store = yield* SyncStore
      const rejections = yield* store.rejections(user)
      assert.deepStrictEqual(
        rejections.map((r) => r.mutationSeq),
        [1, 2, 3],
      )
      assert.include(rejections[1]?.reason ?? "", "unknown entity")
      const page = yield* pull(null)
      assert.deepStrictEqual(
        page.changes.map((c) => (c._tag === "put" ? c.value : null)),
        [{ total: 10 }],
      )
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("keeps a stale compare-and-swap write as a conflict copy, and refuses a stale delete", () =>
    Effect.gen(function* () {
      yield* push([mutation(1, "journal", "put", { id: "day-1", baseVersion: null, value: envelope("AAAA") })])
      yield* push(
        [mutation(1, "journal", "put", { id: "day-1", baseVersion: 1, value: envelope("BBBB") })],
        "laptop" as ClientId,
      )
      const stale = yield* push([
        mutation(2, "journal", "put", { id: "day-1", baseVersion: 1, value: envelope("CCCC") }),
        mutation(3, "journal", "delete", { id: "day-1", baseVersion: 1 }),
      ])
      assert.deepStrictEqual(stale.results, [
        { _tag: "applied", mutationSeq: 2, version: 3, conflictCopyId: "day-1~conflict~m2" },
        { _tag: "rejected", mutationSeq: 3, reason: "stale baseVersion" },
      ])
      const page = yield* pull(null)
      assert.deepStrictEqual(
        page.changes.map((c) => [c.id, c.version, c._tag === "put" ? c.value : null]),
        [
          ["day-1", 2, envelope("BBBB")],
          ["day-1~conflict~m2", 3, envelope("CCCC")],
        ],
      )
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("an upsert of the value already stored changes nothing and bumps no version", () =>
    Effect.gen(function* () {
      const checkIn = (seq: number) => mutation(seq, "check-ins", "upsert", { id: "2026-11-22", value: { done: true } })
      const response = yield* push([checkIn(1), checkIn(2)])
      assert.deepStrictEqual(response.results, [
        { _tag: "applied", mutationSeq: 1, version: 1 },
        { _tag: "applied", mutationSeq: 2, version: null },
      ])
      const store = yield* SyncStore
      assert.strictEqual((yield* store.head(user)).version, 1)
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("a store failure mid-push keeps what committed; the retry acknowledges it and applies the rest", () => {
    let transactions = 0
    // The second transaction fails as a lost connection would.
    const flaky = Layer.effect(
      SyncStore,
      Effect.map(makeInMemory, (store) => ({
        ...store,
        transaction: <A, E, R>(userId: string, body: (transaction: Transaction) => Effect.Effect<A, E, R>) =>
          ++transactions === 2
            ? Effect.fail(new StoreUnavailable({ message: "connection lost" }))
            : store.transaction(userId, body),
      })),
    )
    return Effect.gen(function* () {
      const checkIn = (seq: number) => mutation(seq, "check-ins", "upsert", { id: `day-${seq}`, value: { done: true } })
      const batch = [checkIn(1), checkIn(2), checkIn(3)]
      assert.strictEqual((yield* Effect.flip(push(batch)))._tag, "StoreUnavailable")
      const store = yield* SyncStore
      assert.strictEqual(yield* store.lastMutationSeq(user, phone), 1)
      const retry = yield* push(batch)
      assert.deepStrictEqual(
        retry.results.map((r) => r._tag),
        ["duplicate", "applied", "applied"],
      )
      assert.strictEqual((yield* store.head(user)).version, 3)
    }).pipe(Effect.provide(Layer.merge(flaky, Cursor.layer(new Uint8Array(32).fill(1)))))
  })

  it.effect("a transaction that fails commits nothing", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const failed = yield* Effect.flip(
        store.transaction(user, (transaction) =>
          Effect.gen(function* () {
            yield* transaction.bumpVersion
            yield* transaction.setLastMutationSeq(phone, 7)
            return yield* new StoreUnavailable({ message: "connection lost" })
          }),
        ),
      )
      assert.strictEqual(failed._tag, "StoreUnavailable")
      assert.strictEqual((yield* store.head(user)).version, 0)
      assert.strictEqual(yield* store.lastMutationSeq(user, phone), 0)
    }).pipe(Effect.provide(TestLayer)),
  )
})

describe("Server.pull", () => {
  it.effect("pages in version order without splitting a version, and returns the vault state", () =>
    Effect.gen(function* () {
      yield* push([
        mutation(1, "journal", "put", { id: "a", baseVersion: null, value: envelope("AA") }),
        mutation(2, "pairs", "make", { id: "p" }),
        mutation(3, "ideas", "put", { id: "b", baseVersion: null, value: envelope("CC") }),
      ])
      yield* (yield* InMemoryStore).setVault(user, { locked: true, epoch: 3, reason: "remote" })
      const seen: Array<[string, number]> = []
      let cursor: string | null = null
      let pages = 0
      for (let hasMore = true; hasMore; pages++) {
        const page: PullResponse = yield* pull(cursor, 1)
        seen.push(...page.changes.map((c): [string, number] => [c.id, c.version]))
        assert.deepStrictEqual(page.vault, { locked: true, epoch: 3, reason: "remote" })
        cursor = page.cursor
        hasMore = page.hasMore
      }
      assert.deepStrictEqual(seen, [
        ["a", 1],
        ["p-left", 2],
        ["p-right", 2],
        ["b", 3],
      ])
      assert.strictEqual(pages, 3)
      assert.deepStrictEqual((yield* pull(cursor)).changes, [])
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("answers 410 to a cursor older than the horizon once tombstones expire, not to a pull from scratch", () =>
    Effect.gen(function* () {
      const old = (yield* pull(null)).cursor
      yield* push([
        mutation(1, "ideas", "put", { id: "keep", baseVersion: null, value: envelope("KK") }),
        mutation(2, "ideas", "put", { id: "x", baseVersion: null, value: envelope("AA") }),
        mutation(3, "ideas", "delete", { id: "x", baseVersion: 2 }),
      ])
      // The log holds each row's latest state: x's put was superseded by its tombstone.
      assert.deepStrictEqual(
        (yield* pull(old)).changes.map((c) => [c._tag, c.id, c.version]),
        [
          ["put", "keep", 1],
          ["deleted", "x", 3],
        ],
      )
      yield* TestClock.adjust(Duration.days(89))
      assert.strictEqual(yield* Server.expireTombstones(user), 0)
      yield* TestClock.adjust(Duration.days(2))
      assert.strictEqual(yield* Server.expireTombstones(user), 3)
      const gone = yield* Effect.flip(pull(old))
      assert.strictEqual(gone._tag, "ResyncRequired")
      assert.strictEqual(gone._tag === "ResyncRequired" ? gone.status : 0, 410)
      // A resync pages below the horizon (keep is at 1, the horizon at 3) without being refused.
      const first = yield* pull(null, 1)
      assert.deepStrictEqual(
        first.changes.map((c) => [c.id, c.version]),
        [["keep", 1]],
      )
      assert.deepStrictEqual((yield* pull(first.cursor)).changes, [])
      // Its cursor is refused once the horizon moves past it again.
      yield* push([mutation(4, "ideas", "delete", { id: "keep", baseVersion: 1 })])
      yield* TestClock.adjust(Duration.days(91))
      assert.strictEqual(yield* Server.expireTombstones(user), 4)
      assert.strictEqual((yield* Effect.flip(pull(first.cursor)))._tag, "ResyncRequired")
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("refuses another user's cursor as InvalidCursor", () =>
    Effect.gen(function* () {
      const signer = yield* Cursor.CursorSigner
      const foreign = yield* signer.encode("user-2", { version: 0, horizon: 0 })
      assert.strictEqual((yield* Effect.flip(pull(foreign)))._tag, "InvalidCursor")
    }).pipe(Effect.provide(TestLayer)),
  )
})

describe("Server.poll", () => {
  it.effect("says whether the head moved past the cursor and digests live rows as a pulling client would", () =>
    Effect.gen(function* () {
      const poll = (cursor: string | null) =>
        Server.poll(registry, user, { protocolVersion: PROTOCOL_VERSION, clientId: phone, cursor }, { inbox: 2 })
      yield* push([
        mutation(1, "journal", "put", { id: "b", baseVersion: null, value: envelope("AA") }),
        mutation(2, "journal", "put", { id: "a", baseVersion: null, value: envelope("BB") }),
        mutation(3, "ideas", "put", { id: "x", baseVersion: null, value: envelope("CC") }),
        mutation(4, "ideas", "delete", { id: "x", baseVersion: 3 }),
      ])
      const before = yield* poll(null)
      assert.isTrue(before.changed)
      assert.deepStrictEqual(before.badges, { inbox: 2 })
      const page = yield* pull(null)
      const after = yield* poll(page.cursor)
      assert.isFalse(after.changed)
      assert.strictEqual(after.cursor, page.cursor)
      const journal = after.digests.find((digest) => digest.entity === "journal")
      const expected = createHash("sha256").update("a:2\nb:1\n").digest("hex").slice(0, 32)
      assert.deepStrictEqual(journal, { entity: "journal", count: 2, hash: expected })
      const live = page.changes.filter((change) => change._tag === "put" && change.entity === "journal")
      assert.deepStrictEqual(yield* Digest.ofRows("journal", live), journal)
      const ideas = after.digests.find((digest) => digest.entity === "ideas")
      assert.deepStrictEqual(ideas, {
        entity: "ideas",
        count: 0,
        hash: createHash("sha256").digest("hex").slice(0, 32),
      })
    }).pipe(Effect.provide(TestLayer)),
  )
})
