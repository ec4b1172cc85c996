/**
 * A model-based test of the server rules under an unreliable network. Three
 * clients queue mutations (server-executed additions, some invalid, per-client
 * upserts, a shared LWW settings field and shared compare-and-swap journal
 * records edited from stale bases), deliver their pending mutations
 * with requests or responses lost, duplicated, reordered or with holes, and
 * pull in small pages. Invariants checked along the way and at the end:
 *
 * - exactly once: after every delivery, the server's total is the sum of the
 *   valid additions whose seq the server has consumed — no more, no less;
 * - monotonic reads: every change a client receives is newer than all it had;
 * - read your writes: after a pull, a client sees each of its acknowledged
 *   writes (or a later one of its own);
 * - convergence: once everything is delivered, every client that pulls holds
 *   exactly the server's state, and every mutation has been consumed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck as fc, Layer, Option, Schema } from "effect"
import * as Cursor from "../src/Cursor.js"
import * as Entity from "../src/Entity.js"
import { type ClientId, type Mutation, PROTOCOL_VERSION, type PullResponse } from "../src/Protocol.js"
import * as Server from "../src/Server.js"
import { layerTest, SyncStore } from "../src/SyncStore.js"
import * as Entities from "./support/Entities.js"

const CLIENTS = 3
const user = "user-1"
const themes = ["system", "light", "dark"] as const

const Total = Schema.Struct({ total: Schema.Int })
const tally = Entity.serverIntent("tally", Total, {
  add: Entity.intent(Schema.Struct({ n: Schema.Int.pipe(Schema.between(1, 100)) }), (current, { n }) =>
    Either.right({ total: Option.match(current, { onNone: () => 0, onSome: (value) => value.total }) + n }),
  ),
})
const slots = Entity.idempotentUpsert("slots", Schema.Struct({ seq: Schema.Int }))
const registry = Entity.registry(Entities.settings, Entities.journal, tally, slots)
// One key import for all runs; each run gets a fresh store.
const signer = Effect.runPromise(Cursor.make(new Uint8Array(32).fill(9)))
const TestLayer = Layer.merge(
  layerTest,
  Layer.effect(
    Cursor.CursorSigner,
    Effect.promise(() => signer),
  ),
)

type Intent =
  | { readonly _tag: "add"; readonly n: number }
  | { readonly _tag: "slot"; readonly slot: number }
  | { readonly _tag: "theme"; readonly theme: (typeof themes)[number] }
  | { readonly _tag: "note"; readonly note: number }

type Command =
  | { readonly _tag: "enqueue"; readonly client: number; readonly intent: Intent }
  | {
      readonly _tag: "deliver"
      readonly client: number
      readonly loss: "none" | "request" | "response"
      readonly duplicate: boolean
      readonly reverse: boolean
      readonly hole: number | null
    }
  | { readonly _tag: "pull"; readonly client: number; readonly limit: number }

const client = fc.nat(CLIENTS - 1)
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    _tag: fc.constant("enqueue" as const),
    client,
    intent: fc.oneof(
      // 0 is outside the intent's input schema: a mutation that can never apply.
      fc.record({ _tag: fc.constant("add" as const), n: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ _tag: fc.constant("slot" as const), slot: fc.nat(1) }),
      fc.record({ _tag: fc.constant("theme" as const), theme: fc.constantFrom(...themes) }),
      fc.record({ _tag: fc.constant("note" as const), note: fc.nat(1) }),
    ),
  }),
  fc.record({
    _tag: fc.constant("deliver" as const),
    client,
    loss: fc.constantFrom("none" as const, "none" as const, "request" as const, "response" as const),
    duplicate: fc.boolean(),
    reverse: fc.boolean(),
    hole: fc.option(fc.nat(3)),
  }),
  fc.record({ _tag: fc.constant("pull" as const), client, limit: fc.integer({ min: 1, max: 3 }) }),
)

interface Queued {
  readonly mutation: Mutation
  readonly intent: Intent
}

interface Client {
  readonly id: ClientId
  readonly log: Array<Queued>
  acknowledged: number
  cursor: string | null
  newest: number
  readonly cache: Map<string, { readonly version: number; readonly value: unknown }>
}

const slotId = (client: number, slot: number) => `c${client}-s${slot}`

const toMutation = (index: number, seq: number, intent: Intent, cache: Client["cache"]): Mutation => {
  const base = { mutationSeq: seq, mutationId: `c${index}-m${seq}` }
  switch (intent._tag) {
    case "add":
      return { ...base, entity: "tally", op: "add", args: { id: "total", input: { n: intent.n } } }
    case "slot":
      return { ...base, entity: "slots", op: "upsert", args: { id: slotId(index, intent.slot), value: { seq } } }
    case "theme":
      return { ...base, entity: "settings", op: "set", args: { id: "me", fields: { theme: intent.theme } } }
    case "note": {
      // Shared by all clients and based on whatever this client last pulled: stale bases make conflict copies.
      const id = `n${intent.note}`
      const value = { v: 1, kid: "k1", iv: "AAAAAAAAAAAAAAAA", ct: `c${index}m${seq}` }
      const baseVersion = cache.get(key("journal", id))?.version ?? null
      return { ...base, entity: "journal", op: "put", args: { id, baseVersion, value } }
    }
  }
}

const key = (entity: string, id: string) => `${entity}/${id}`

const pullAll = (state: Client, limit: number) =>
  Effect.gen(function* () {
    for (let hasMore = true; hasMore; ) {
      const page: PullResponse = yield* Server.pull(user, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: state.id,
        cursor: state.cursor,
        limit,
      })
      for (const change of page.changes) {
        assert.isAbove(change.version, state.newest, "monotonic reads")
        state.newest = change.version
        if (change._tag === "put")
          state.cache.set(key(change.entity, change.id), { version: change.version, value: change.value })
        else state.cache.delete(key(change.entity, change.id))
      }
      state.acknowledged = Math.max(state.acknowledged, page.lastMutationSeq)
      state.cursor = page.cursor
      hasMore = page.hasMore
    }
  })

const serverState = Effect.gen(function* () {
  const observer: Client = {
    id: "observer" as ClientId,
    log: [],
    acknowledged: 0,
    cursor: null,
    newest: 0,
    cache: new Map(),
  }
  yield* pullAll(observer, 1000)
  return observer.cache
})

/** The total the server must hold: each client's valid additions up to the seq the server consumed. */
const expectedTotal = (clients: ReadonlyArray<Client>) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    let total = 0
    for (const state of clients) {
      const consumed = yield* store.lastMutationSeq(user, state.id)
      for (const { mutation, intent } of state.log) {
        if (mutation.mutationSeq <= consumed && intent._tag === "add" && intent.n >= 1) total += intent.n
      }
    }
    return total
  })

const totalOf = (cache: ReadonlyMap<string, { readonly value: unknown }>) => {
  const row = cache.get(key("tally", "total"))
  return row === undefined ? 0 : Schema.decodeUnknownSync(Total)(row.value).total
}

/** The server's total read straight from the store (cheaper than a pull after every delivery). */
const storedTotal = Effect.gen(function* () {
  const store = yield* SyncStore
  const row = yield* store.transaction(user, (transaction) => transaction.row("tally", "total"))
  return Option.match(
    Option.flatMap(row, (found) => found.value),
    {
      onNone: () => 0,
      onSome: (value) => Schema.decodeUnknownSync(Total)(value).total,
    },
  )
})

const checkReadYourWrites = (index: number, state: Client) => {
  for (const slot of [0, 1]) {
    const acknowledged = state.log.filter(
      ({ mutation, intent }) =>
        mutation.mutationSeq <= state.acknowledged && intent._tag === "slot" && intent.slot === slot,
    )
    const latest = acknowledged.at(-1)
    if (latest === undefined) continue
    const seen = state.cache.get(key("slots", slotId(index, slot)))
    assert.isDefined(seen, "read your writes")
    const { seq } = Schema.decodeUnknownSync(Schema.Struct({ seq: Schema.Int }))(seen?.value)
    assert.isAtLeast(seq, latest.mutation.mutationSeq, "read your writes")
  }
}

const run = (commands: ReadonlyArray<Command>) =>
  Effect.gen(function* () {
    const clients: Array<Client> = Array.from({ length: CLIENTS }, (_, index) => ({
      id: `client-${index}` as ClientId,
      log: [],
      acknowledged: 0,
      cursor: null,
      newest: 0,
      cache: new Map(),
    }))
    const at = (index: number) => clients[index] ?? assert.fail("no such client")
    const deliver = (index: number, pending: ReadonlyArray<Mutation>) =>
      Server.push(registry, user, { protocolVersion: PROTOCOL_VERSION, clientId: at(index).id, mutations: pending })

    for (const step of commands) {
      const state = at(step.client)
      if (step._tag === "enqueue") {
        const seq = state.log.length + 1
        state.log.push({ mutation: toMutation(step.client, seq, step.intent, state.cache), intent: step.intent })
      } else if (step._tag === "pull") {
        yield* pullAll(state, step.limit)
        checkReadYourWrites(step.client, state)
      } else {
        let pending = state.log.map((queued) => queued.mutation).filter((m) => m.mutationSeq > state.acknowledged)
        if (step.hole !== null) pending = pending.filter((_, position) => position !== step.hole)
        if (step.reverse) pending = [...pending].reverse()
        if (step.loss === "request") continue
        const response = yield* deliver(step.client, pending)
        const retried = step.duplicate ? yield* deliver(step.client, pending) : response
        if (step.duplicate) {
          const firstTime = new Set(response.results.filter((r) => r._tag !== "skipped-gap").map((r) => r.mutationSeq))
          for (const result of retried.results) {
            if (firstTime.has(result.mutationSeq))
              assert.strictEqual(result._tag, "duplicate", "a redelivery is not applied again")
          }
        }
        if (step.loss !== "response") state.acknowledged = Math.max(state.acknowledged, retried.lastMutationSeq)
        assert.strictEqual(yield* storedTotal, yield* expectedTotal(clients), "exactly once")
      }
    }

    // The network heals: every client delivers what is left, then pulls.
    for (const [index, state] of clients.entries()) {
      const response = yield* deliver(
        index,
        state.log.map((queued) => queued.mutation).filter((m) => m.mutationSeq > state.acknowledged),
      )
      assert.strictEqual(response.lastMutationSeq, state.log.length, "every mutation consumed")
      state.acknowledged = response.lastMutationSeq
    }
    const server = yield* serverState
    assert.strictEqual(totalOf(server), yield* expectedTotal(clients), "exactly once")
    for (const [index, state] of clients.entries()) {
      yield* pullAll(state, 2)
      checkReadYourWrites(index, state)
      assert.deepStrictEqual(state.cache, server, "convergence")
    }
  }).pipe(Effect.provide(TestLayer))

describe("sync model", () => {
  it.effect.prop(
    "exactly once, monotonic, read-your-writes and convergent under loss, duplication and reordering",
    [fc.array(command, { minLength: 1, maxLength: 30 })],
    ([commands]) => run(commands),
    { fastCheck: { numRuns: 1000 } },
  )
})
