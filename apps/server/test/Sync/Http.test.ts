/**
 * Sync through the real HTTP server and the derived client: pull, push and
 * poll for the signed-in user only (401 without a session), 400 for a
 * garbage or another user's cursor, 410 for one below the tombstone horizon,
 * a push applied up to a gap with the rest reported, a refused mutation
 * recorded (and listed) while the queue moves on, a retried push
 * acknowledged without applying anything twice, 413 for a push over the body
 * limit with nothing lost (one record of RECORD_MAX_BYTES fits), and the
 * vault's own lock state in every pull and poll.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Protocol } from "@ignition/sync"
import { Duration, Effect, Layer } from "effect"
import * as Expiry from "../../src/Sync/Expiry.js"
import { Pokes } from "../../src/Sync/Pokes.js"
import * as Repo from "../../src/Sync/Repo.js"
import { VaultRepo } from "../../src/Vault/Repo.js"
import { envelopeJson } from "../support/KnowledgeBase.js"
import * as TestServerLayer from "../support/TestServer.js"
import { browser } from "../support/TestServer.js"
import { createVault, failure, field, type Member, member, send } from "../support/Vault.js"

const maxJsonBodyBytes = 64 * 1024
/** A push may carry one record of RECORD_MAX_BYTES: its body limit is that record's (`recordBodyBytes`), here ≈ 150 KiB. */
const recordMaxBytes = 64 * 1024

const phone = Protocol.ClientId.make("phone")

const mutation = (mutationSeq: number, entity: string, op: string, args: unknown): Protocol.Mutation => ({
  mutationSeq,
  mutationId: `m${mutationSeq}-${randomUUID().slice(0, 8)}`,
  entity,
  op,
  args,
})

const theme = (seq: number, value: string) =>
  mutation(seq, "settings", "set", { id: "settings", fields: { theme: value } })

const push = (m: Member, mutations: ReadonlyArray<Protocol.Mutation>, clientId = phone) =>
  m.client.sync.push({ payload: { protocolVersion: Protocol.PROTOCOL_VERSION, clientId, mutations } })

const pull = (m: Member, cursor?: string, limit?: number) =>
  m.client.sync.pull({
    urlParams: {
      clientId: phone,
      ...(cursor === undefined ? {} : { cursor }),
      ...(limit === undefined ? {} : { limit }),
    },
  })

/** Tombstones expire as soon as the expiry runs (the test runs it), so a cursor can fall below the horizon. */
const tombstoneRetention = Duration.millis(1)

layer(TestServerLayer.layer({ config: { trustProxy: true, maxJsonBodyBytes, recordMaxBytes, tombstoneRetention } }), {
  excludeTestServices: true,
})("sync over HTTP", (it) => {
  it.effect("push applies up to a gap, records refusals, acknowledges retries; pull and poll follow", () =>
    Effect.gen(function* () {
      const me = yield* member("sync")
      const first = yield* push(me, [theme(1, "dark"), theme(2, "sepia"), theme(4, "light")])
      assert.deepStrictEqual(
        first.results.map((result) => [result._tag, result.mutationSeq]),
        [
          ["applied", 1],
          ["rejected", 2],
          ["skipped-gap", 4],
        ],
      )
      assert.strictEqual(first.lastMutationSeq, 2)
      const refused = yield* me.client.sync.rejections()
      assert.deepStrictEqual(
        refused.items.map(({ clientId, mutationSeq }) => [clientId, mutationSeq]),
        [["phone", 2]],
      )
      assert.include(refused.items[0]?.reason, "invalid arguments")
      const retry = yield* push(me, [theme(1, "dark"), theme(3, "light"), theme(4, "system")])
      assert.deepStrictEqual(
        retry.results.map((result) => result._tag),
        ["duplicate", "applied", "applied"],
      )

      const page = yield* pull(me)
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
      assert.isFalse(page.hasMore)

      const quiet = yield* me.client.sync.poll({ urlParams: { clientId: phone, cursor: page.cursor } })
      assert.isFalse(quiet.changed)
      assert.strictEqual(quiet.cursor, page.cursor)
      assert.deepStrictEqual(quiet.badges, {})
      assert.deepStrictEqual(
        quiet.digests.map((digest) => [digest.entity, digest.count]),
        [
          ["settings", 1],
          ["ideas", 0],
          ["infobase", 0],
          ["journal", 0],
        ],
      )
      yield* push(me, [theme(5, "dark")])
      assert.isTrue((yield* me.client.sync.poll({ urlParams: { clientId: phone, cursor: page.cursor } })).changed)
    }),
  )

  it.effect("a garbage cursor and another user's cursor are 400; no session is 401", () =>
    Effect.gen(function* () {
      const me = yield* member("sync-a")
      const other = yield* member("sync-b")
      yield* push(me, [theme(1, "dark")])
      const mine = (yield* pull(me)).cursor
      const garbage = yield* failure(pull(me, "not-a-cursor"))
      assert.strictEqual(garbage._tag, "InvalidCursor")
      const foreign = yield* failure(pull(other, mine))
      assert.strictEqual(foreign._tag, "InvalidCursor")
      const foreignPoll = yield* failure(other.client.sync.poll({ urlParams: { clientId: phone, cursor: mine } }))
      assert.strictEqual(foreignPoll._tag, "InvalidCursor")
      const anonymous = yield* browser
      const answer = yield* send(anonymous, "GET", "/api/sync/pull?clientId=phone")
      assert.strictEqual(answer.status, 401)
      const badLimit = yield* send(me, "GET", "/api/sync/pull?clientId=phone&limit=5000")
      assert.strictEqual(badLimit.status, 400)
    }),
  )

  it.effect("a cursor older than the tombstone horizon is 410 ResyncRequired; a pull from scratch is not", () =>
    Effect.gen(function* () {
      const me = yield* member("sync-410")
      yield* createVault(me)
      const id = randomUUID()
      const value = { mode: "standard", content: envelopeJson(), meta: null, key: null, bpm: null, moodTags: [] }
      yield* push(me, [mutation(1, "ideas", "put", { id, baseVersion: null, value })])
      const before = (yield* pull(me)).cursor
      yield* push(me, [mutation(2, "ideas", "delete", { id, baseVersion: 1 })])
      yield* Effect.sleep("5 millis")
      yield* Expiry.expireAll.pipe(
        Effect.provide(Repo.layer.pipe(Layer.provide(Layer.merge(VaultRepo.Default, Pokes.Default)))),
      )
      const gone = yield* failure(pull(me, before))
      assert.strictEqual(gone._tag, "ResyncRequired")
      const fresh = yield* pull(me)
      assert.deepStrictEqual(fresh.changes, [])
    }),
  )

  it.effect("a push over the body limit is 413 and loses nothing acknowledged", () =>
    Effect.gen(function* () {
      const me = yield* member("sync-big")
      yield* push(me, [theme(1, "dark")])
      const tooBig = Array.from({ length: 100 }, (_, index) =>
        mutation(index + 2, "settings", "set", { id: "settings", fields: { displayName: "x".repeat(2_000) } }),
      )
      const answer = yield* send(me, "POST", "/api/sync/push", {
        protocolVersion: Protocol.PROTOCOL_VERSION,
        clientId: phone,
        mutations: tooBig,
      })
      assert.strictEqual(answer.status, 413)
      assert.strictEqual(field(answer.body, "_tag"), "PayloadTooLarge")
      const page = yield* pull(me)
      assert.strictEqual(page.lastMutationSeq, 1)
      assert.strictEqual(page.changes.length, 1)
    }),
  )

  it.effect("a push carrying a record of RECORD_MAX_BYTES passes the body limit, one over it is rejected", () =>
    Effect.gen(function* () {
      const me = yield* member("sync-record")
      yield* createVault(me)
      const put = (seq: number, ctBytes: number) =>
        mutation(seq, "ideas", "put", {
          id: randomUUID(),
          baseVersion: null,
          value: { mode: "standard", content: envelopeJson(ctBytes), meta: null, key: null, bpm: null, moodTags: [] },
        })
      const largest = yield* push(me, [put(1, recordMaxBytes)])
      assert.strictEqual(largest.results[0]?._tag, "applied")
      const over = yield* push(me, [put(2, recordMaxBytes + 1)])
      assert.include(over.results[0]?._tag === "rejected" ? over.results[0].reason : "", "the limit is")
    }),
  )

  it.effect("pull and poll carry the vault's own lock state", () =>
    Effect.gen(function* () {
      const me = yield* member("sync-vault")
      assert.deepStrictEqual((yield* pull(me)).vault, { locked: false, epoch: 0, reason: null })
      yield* createVault(me)
      yield* me.client.vault.lock({ payload: { reason: "idle" } })
      const locked = yield* pull(me)
      assert.isTrue(locked.vault.locked)
      assert.strictEqual(locked.vault.reason, "idle")
      const status = yield* me.client.vault.lockStatus()
      assert.strictEqual(locked.vault.epoch, status.epoch)
      const polled = yield* me.client.sync.poll({ urlParams: { clientId: phone } })
      assert.deepStrictEqual(polled.vault, locked.vault)
    }),
  )
})
