/**
 * A model-based test of the client engine over the real server rules in
 * memory. Two devices with two tabs each write (server-executed additions,
 * some invalid; upserts and deletions of per-tab slots; a shared LWW
 * settings field; shared encrypted journal records written from whatever
 * base the tab holds), flush through a network that loses requests or
 * responses, duplicates pushes, holds pushes back to deliver them late and
 * out of order, and crashes the server midway through a push (what committed
 * stays); devices go offline, tabs are killed mid-flush and reloaded,
 * tombstones expire under the tabs' cursors (410) and the vault locks and
 * unlocks. Pokes are never delivered: a tab learns of changes only when it
 * pulls or polls, so any poke may be lost. Invariants:
 *
 * - exactly once: after every step, the server's total is the sum of the
 *   valid additions it consumed, no more, no less;
 * - monotonic reads: a tab's cache never moves back, row by row;
 * - read your writes: once a tab has pulled, it shows its own last write to
 *   each of its slots, acknowledged or not;
 * - encrypted writes are never queued offline, and the vault state is the
 *   server's after every pull;
 * - convergence: once the network heals and every device flushes, every tab
 *   that pulls shows exactly the server's rows, nothing is pending, and every
 *   mutation has been consumed.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Option, Random, Ref, Schema, SubscriptionRef } from "effect"
import { SyncUnavailable } from "../../src/client/ClientError.js"
import type * as Engine from "../../src/client/Engine.js"
import * as Replica from "../../src/client/Replica.js"
import { SyncTransport } from "../../src/client/SyncTransport.js"
import type { PushRequest } from "../../src/Protocol.js"
import { type Device, makeDevice, makeServer, makeTab, type TestServer, Total, user } from "./harness.js"

const DEVICES = 2
const TABS = 2

type Intent =
  | { readonly _tag: "add"; readonly n: number }
  | { readonly _tag: "slot"; readonly slot: number; readonly value: number }
  | { readonly _tag: "unslot"; readonly slot: number }
  | { readonly _tag: "theme"; readonly theme: "system" | "light" | "dark" }
  | { readonly _tag: "note"; readonly note: number }

type Fault = "none" | "request-lost" | "response-lost" | "duplicate" | "held-back" | "server-crash"

type Command =
  | { readonly _tag: "write"; readonly device: number; readonly tab: number; readonly intent: Intent }
  | { readonly _tag: "flush"; readonly device: number; readonly tab: number; readonly fault: Fault }
  | { readonly _tag: "pull"; readonly device: number; readonly tab: number }
  | { readonly _tag: "poll"; readonly device: number; readonly tab: number }
  | { readonly _tag: "network"; readonly device: number; readonly up: boolean; readonly hint: boolean }
  | { readonly _tag: "kill"; readonly device: number; readonly tab: number }
  | { readonly _tag: "deliver-late" }
  | { readonly _tag: "expire" }
  | { readonly _tag: "vault"; readonly locked: boolean }

const device = fc.nat(DEVICES - 1)
const tab = fc.nat(TABS - 1)
const intent: fc.Arbitrary<Intent> = fc.oneof(
  // 0 is outside the intent's input schema: a mutation the server rejects.
  fc.record({ _tag: fc.constant("add" as const), n: fc.nat(5) }),
  fc.record({ _tag: fc.constant("slot" as const), slot: fc.nat(1), value: fc.nat(9) }),
  fc.record({ _tag: fc.constant("unslot" as const), slot: fc.nat(1) }),
  fc.record({
    _tag: fc.constant("theme" as const),
    theme: fc.constantFrom("system" as const, "light" as const, "dark" as const),
  }),
  fc.record({ _tag: fc.constant("note" as const), note: fc.nat(1) }),
)
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ _tag: fc.constant("write" as const), device, tab, intent }), weight: 5 },
  {
    arbitrary: fc.record({
      _tag: fc.constant("flush" as const),
      device,
      tab,
      fault: fc.constantFrom<Fault>(
        "none",
        "none",
        "request-lost",
        "response-lost",
        "duplicate",
        "held-back",
        "server-crash",
      ),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ _tag: fc.constant("pull" as const), device, tab }), weight: 2 },
  { arbitrary: fc.record({ _tag: fc.constant("poll" as const), device, tab }), weight: 1 },
  {
    arbitrary: fc.record({ _tag: fc.constant("network" as const), device, up: fc.boolean(), hint: fc.boolean() }),
    weight: 1,
  },
  { arbitrary: fc.record({ _tag: fc.constant("kill" as const), device, tab }), weight: 1 },
  { arbitrary: fc.constant({ _tag: "deliver-late" as const }), weight: 1 },
  { arbitrary: fc.constant({ _tag: "expire" as const }), weight: 1 },
  { arbitrary: fc.record({ _tag: fc.constant("vault" as const), locked: fc.boolean() }), weight: 1 },
)

interface Tab {
  engine: Engine.Engine
  /** Whether this incarnation has completed a pull (a reloaded tab shows nothing before). */
  pulled: boolean
  /** The cache as last observed, for monotonic reads. */
  seen: { readonly rows: ReadonlyMap<string, Replica.Row>; readonly newest: number }
}

interface DeviceModel {
  readonly index: number
  readonly shared: Device
  readonly up: Ref.Ref<boolean>
  readonly fault: Ref.Ref<Fault>
  readonly tabs: Array<Tab>
  /** Every mutation allocated on this device, by seq, and which tab wrote it. */
  readonly log: Map<number, { readonly intent: Intent; readonly tab: number }>
}

const slotId = (device: number, tab: number, slot: number) => `d${device}t${tab}s${slot}`

const down = new SyncUnavailable({ message: "network down" })

/** The device's network in front of the server: it may be down, and it applies the next push's fault. */
const network = (server: TestServer, up: Ref.Ref<boolean>, fault: Ref.Ref<Fault>, late: Array<PushRequest>) =>
  SyncTransport.of({
    pull: (request) => Effect.flatMap(Ref.get(up), (on) => (on ? server.transport.pull(request) : Effect.fail(down))),
    poll: (request) => Effect.flatMap(Ref.get(up), (on) => (on ? server.transport.poll(request) : Effect.fail(down))),
    pokes: server.transport.pokes,
    push: (request) =>
      Effect.gen(function* () {
        if (!(yield* Ref.get(up))) return yield* down
        switch (yield* Ref.getAndSet(fault, "none")) {
          case "request-lost":
            return yield* down
          case "response-lost":
            yield* server.transport.push(request)
            return yield* down
          case "duplicate":
            yield* server.transport.push(request)
            return yield* server.transport.push(request)
          case "held-back":
            late.push(request)
            return yield* down
          case "server-crash":
            // The first mutation commits, then the server goes away: the rest never ran.
            yield* server.transport.push({ ...request, mutations: request.mutations.slice(0, 1) })
            return yield* down
          case "none":
            return yield* server.transport.push(request)
        }
      }),
  })

const toDraft = (model: DeviceModel, tabIndex: number, intent: Intent, engine: Engine.Engine) =>
  Effect.gen(function* () {
    switch (intent._tag) {
      case "add":
        return { entity: "tally", op: "add", args: { id: "total", input: { n: intent.n } } }
      case "slot":
        return {
          entity: "slots",
          op: "upsert",
          args: { id: slotId(model.index, tabIndex, intent.slot), value: { seq: intent.value } },
        }
      case "unslot":
        return { entity: "slots", op: "delete", args: { id: slotId(model.index, tabIndex, intent.slot) } }
      case "theme":
        return { entity: "settings", op: "set", args: { id: "me", fields: { theme: intent.theme } } }
      case "note": {
        const id = `n${intent.note}`
        // Whatever this tab last pulled: stale bases make conflict copies.
        const base = (yield* engine.snapshot).rows.get(Replica.key("journal", id))
        return {
          entity: "journal",
          op: "put",
          args: { id, baseVersion: base?.version ?? null, value: { ct: `d${model.index}t${tabIndex}` } },
        }
      }
    }
  })

const storedTotal = (server: TestServer) =>
  Effect.map(
    server.store.transaction(user, (transaction) => transaction.row("tally", "total")),
    (row) =>
      Option.match(
        Option.flatMap(row, (found) => found.value),
        { onNone: () => 0, onSome: (value) => Schema.decodeUnknownSync(Total)(value).total },
      ),
  )

const expectedTotal = (server: TestServer, devices: ReadonlyArray<DeviceModel>) =>
  Effect.gen(function* () {
    let total = 0
    for (const model of devices) {
      const engine = model.tabs[0]?.engine ?? assert.fail("no tab")
      const consumed = yield* server.store.lastMutationSeq(user, engine.clientId)
      for (const [seq, { intent }] of model.log)
        if (seq <= consumed && intent._tag === "add" && intent.n >= 1) total += intent.n
    }
    return total
  })

const checkMonotonic = (state: Tab) =>
  Effect.gen(function* () {
    const { rows, newest } = yield* state.engine.snapshot
    assert.isAtLeast(newest, state.seen.newest, "monotonic reads: the checkpoint")
    for (const [at, row] of rows) {
      const before = state.seen.rows.get(at)
      if (before !== undefined) assert.isAtLeast(row.version, before.version, "monotonic reads: a row")
    }
    state.seen = { rows, newest }
  })

/** A pulled tab shows the last write of its own index to each of its slots. */
const checkReadYourWrites = (model: DeviceModel, tabIndex: number, state: Tab) =>
  Effect.gen(function* () {
    if (!state.pulled) return
    const view = new Map((yield* state.engine.view("slots")).map((row) => [row.id, row.value]))
    for (const slot of [0, 1]) {
      let expected: unknown
      for (const { intent, tab } of model.log.values()) {
        if (tab !== tabIndex) continue
        if (intent._tag === "slot" && intent.slot === slot) expected = { seq: intent.value }
        if (intent._tag === "unslot" && intent.slot === slot) expected = undefined
      }
      assert.deepStrictEqual(view.get(slotId(model.index, tabIndex, slot)), expected, "read your writes")
    }
  })

const viewOf = (engine: Engine.Engine) =>
  Effect.gen(function* () {
    const rows: Array<Replica.ViewRow> = []
    for (const entity of ["settings", "journal", "tally", "slots"]) rows.push(...(yield* engine.view(entity)))
    return new Map(rows.map((row) => [Replica.key(row.entity, row.id), row]))
  })

const run = (commands: ReadonlyArray<Command>) =>
  Effect.gen(function* () {
    const server = yield* makeServer
    const late: Array<PushRequest> = []
    let vault = { locked: false, epoch: 0, reason: null as "remote" | null }
    const devices: Array<DeviceModel> = []
    for (let index = 0; index < DEVICES; index++) {
      const shared = yield* makeDevice
      const up = yield* Ref.make(true)
      const fault = yield* Ref.make<Fault>("none")
      const tabs: Array<Tab> = []
      for (let t = 0; t < TABS; t++) {
        const engine = yield* makeTab(shared, network(server, up, fault, late))
        tabs.push({ engine, pulled: false, seen: { rows: new Map(), newest: 0 } })
      }
      devices.push({ index, shared, up, fault, tabs, log: new Map() })
    }
    const at = <A>(items: ReadonlyArray<A>, index: number) => items[index] ?? assert.fail(`no item ${index}`)
    const pulled = (state: Tab, outcome: Effect.Effect<void, unknown>) =>
      Effect.gen(function* () {
        if ((yield* Effect.either(outcome))._tag === "Right") {
          state.pulled = true
          assert.deepStrictEqual((yield* SubscriptionRef.get(state.engine.status)).vault, vault, "vault state applied")
        }
      })

    for (const step of commands) {
      if (step._tag === "deliver-late") {
        for (const request of late.splice(0)) yield* Effect.either(server.transport.push(request))
      } else if (step._tag === "expire") {
        yield* server.store.expireTombstones(user, Number.MAX_SAFE_INTEGER)
      } else if (step._tag === "vault") {
        vault = step.locked
          ? { locked: true, epoch: vault.epoch + 1, reason: "remote" }
          : { locked: false, epoch: vault.epoch, reason: null }
        yield* server.store.setVault(user, vault)
      } else {
        const model = at(devices, step.device)
        if (step._tag === "network") {
          yield* Ref.set(model.up, step.up)
          // The platform's online/offline event, which may not come.
          if (step.hint) for (const state of model.tabs) yield* state.engine.setOnline(step.up)
        } else {
          const state = at(model.tabs, step.tab)
          const { engine } = state
          switch (step._tag) {
            case "write": {
              const before = (yield* model.shared.outbox.list).length
              const status = yield* SubscriptionRef.get(engine.status)
              const outcome = yield* engine.mutate(yield* toDraft(model, step.tab, step.intent, engine))
              if (outcome._tag === "Queued" || outcome._tag === "Saved" || outcome._tag === "Sending") {
                model.log.set(outcome.mutation.mutationSeq, { intent: step.intent, tab: step.tab })
              }
              if (step.intent._tag === "note" && (!status.online || status.vault?.locked === true)) {
                assert.strictEqual(outcome._tag, "Unsaved", "an encrypted write is never queued offline or locked")
                assert.strictEqual((yield* model.shared.outbox.list).length, before, "nothing stored")
              }
              break
            }
            case "flush":
              yield* Ref.set(model.fault, step.fault)
              // A flush pulls when it pushed something.
              yield* pulled(
                state,
                Effect.filterOrFail(engine.flush, (results) => results.length > 0),
              )
              yield* Ref.set(model.fault, "none")
              break
            case "pull":
              yield* pulled(state, engine.pull)
              break
            case "poll":
              yield* Effect.either(engine.poll)
              break
            case "kill": {
              // The push reaches the server; the tab dies before the answer does. A reload opens the tab again.
              yield* Ref.set(model.fault, "response-lost")
              yield* Effect.either(engine.flush)
              yield* Ref.set(model.fault, "none")
              const reloaded: Tab = {
                engine: yield* makeTab(model.shared, network(server, model.up, model.fault, late)),
                pulled: false,
                seen: { rows: new Map(), newest: 0 },
              }
              model.tabs[step.tab] = reloaded
              yield* reloaded.engine.refresh
              yield* pulled(reloaded, reloaded.engine.pull)
              break
            }
          }
          yield* checkMonotonic(at(model.tabs, step.tab))
          yield* checkReadYourWrites(model, step.tab, at(model.tabs, step.tab))
        }
      }
      // Only deliveries change what the server consumed.
      if (step._tag === "flush" || step._tag === "kill" || step._tag === "deliver-late") {
        assert.strictEqual(yield* storedTotal(server), yield* expectedTotal(server, devices), "exactly once")
      }
    }

    // The network heals and held-back pushes arrive; every device flushes, then every tab pulls.
    for (const request of late.splice(0)) yield* Effect.either(server.transport.push(request))
    for (const model of devices) {
      yield* Ref.set(model.up, true)
      for (const state of model.tabs) yield* state.engine.setOnline(true)
      yield* at(model.tabs, 0).engine.flush
    }
    const observer = yield* makeTab(yield* makeDevice, server.transport)
    yield* observer.pull
    const expected = yield* viewOf(observer)
    assert.strictEqual(yield* storedTotal(server), yield* expectedTotal(server, devices), "exactly once")
    for (const model of devices) {
      const clientId = at(model.tabs, 0).engine.clientId
      assert.strictEqual(yield* server.store.lastMutationSeq(user, clientId), model.log.size, "every mutation consumed")
      for (const [index, state] of model.tabs.entries()) {
        yield* state.engine.pull
        state.pulled = true
        yield* checkMonotonic(state)
        yield* checkReadYourWrites(model, index, state)
        assert.deepStrictEqual(yield* viewOf(state.engine), expected, "convergence")
        const status = yield* SubscriptionRef.get(state.engine.status)
        assert.strictEqual(status.outbox, 0)
        assert.isFalse(
          status.unsaved.some((unsaved) => unsaved.reason === "sending"),
          "nothing left unsent",
        )
      }
    }
  })

describe("client engine model", () => {
  // fast-check drives plain promises: `it.effect.prop` would build a test environment per run, which costs more
  // than many runs. Nothing here sleeps, and ids come from a Random seeded per run, so a counterexample replays.
  it(
    "exactly once, monotonic, read-your-writes and convergent across devices and tabs under faults",
    () =>
      fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 20 }), fc.integer(), (commands, seed) =>
          Effect.runPromise(Effect.withRandom(run(commands), Random.make(seed))),
        ),
        { numRuns: 1000 },
      ),
    120_000,
  )
})
