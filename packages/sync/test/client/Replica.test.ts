import { assert, describe, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import * as Replica from "../../src/client/Replica.js"
import { type ClientId, type Mutation, PROTOCOL_VERSION } from "../../src/Protocol.js"
import { makeDevice, makeServer, makeTab, registry } from "./harness.js"

type Step =
  | { readonly _tag: "theme"; readonly theme: "system" | "light" | "dark" }
  | { readonly _tag: "locale"; readonly locale: "en" | "de" }
  | { readonly _tag: "slot"; readonly slot: number; readonly seq: number }
  | { readonly _tag: "unslot"; readonly slot: number }
  | { readonly _tag: "add"; readonly n: number }
  | { readonly _tag: "note"; readonly note: number; readonly fresh: boolean }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    _tag: fc.constant("theme" as const),
    theme: fc.constantFrom("system" as const, "light" as const, "dark" as const),
  }),
  fc.record({ _tag: fc.constant("locale" as const), locale: fc.constantFrom("en" as const, "de" as const) }),
  fc.record({ _tag: fc.constant("slot" as const), slot: fc.nat(2), seq: fc.nat(3) }),
  fc.record({ _tag: fc.constant("unslot" as const), slot: fc.nat(2) }),
  // 0 is refused by the intent's schema: the view must leave it out, as the server does.
  fc.record({ _tag: fc.constant("add" as const), n: fc.nat(5) }),
  fc.record({ _tag: fc.constant("note" as const), note: fc.nat(1), fresh: fc.boolean() }),
)

const toMutation = (
  client: string,
  seq: number,
  step: Step,
  rows: ReadonlyMap<string, Replica.Row>,
): Omit<Mutation, "mutationSeq"> & { readonly mutationSeq: number } => {
  const base = { mutationSeq: seq, mutationId: `${client}-${seq}` }
  switch (step._tag) {
    case "theme":
      return { ...base, entity: "settings", op: "set", args: { id: "me", fields: { theme: step.theme } } }
    case "locale":
      return { ...base, entity: "settings", op: "set", args: { id: "me", fields: { locale: step.locale } } }
    case "slot":
      return { ...base, entity: "slots", op: "upsert", args: { id: `s${step.slot}`, value: { seq: step.seq } } }
    case "unslot":
      return { ...base, entity: "slots", op: "delete", args: { id: `s${step.slot}` } }
    case "add":
      return { ...base, entity: "tally", op: "add", args: { id: "total", input: { n: step.n } } }
    case "note": {
      const id = `n${step.note}`
      // Based on what the client pulled, or (stale on purpose) on nothing.
      const baseVersion = step.fresh ? (rows.get(Replica.key("journal", id))?.version ?? null) : null
      return { ...base, entity: "journal", op: "put", args: { id, baseVersion, value: { ct: `${client}${seq}` } } }
    }
  }
}

/** What a user sees of a row: LWW documents by their fields (stamps are versions the server picks). */
const shown = (entity: string, value: unknown) =>
  entity === "settings" && typeof value === "object" && value !== null && "fields" in value ? value.fields : value

const visible = (rows: Iterable<Replica.Row>) =>
  Object.fromEntries(Array.from(rows, (row) => [Replica.key(row.entity, row.id), shown(row.entity, row.value)]))

describe("Replica", () => {
  it.effect.prop(
    "the optimistic view is what the server holds once it applies the pending mutations",
    [fc.array(step, { maxLength: 8 }), fc.array(step, { minLength: 1, maxLength: 8 })],
    ([earlier, pending]) =>
      Effect.gen(function* () {
        const server = yield* makeServer
        const push = (client: string, mutations: ReadonlyArray<Mutation>) =>
          server.transport.push({ protocolVersion: PROTOCOL_VERSION, clientId: client as ClientId, mutations })
        yield* push(
          "other",
          earlier.map((made, index) => toMutation("other", index + 1, made, new Map())),
        )
        const tab = yield* makeTab(yield* makeDevice, server.transport)
        yield* tab.pull
        const { rows, newest } = yield* tab.snapshot
        const mutations = pending.map((made, index) => toMutation("mine", index + 1, made, rows))
        const view = yield* Replica.rebase(registry, rows, mutations, newest)

        yield* push("mine", mutations)
        const observer = yield* makeTab(yield* makeDevice, server.transport)
        yield* observer.pull
        assert.deepStrictEqual(visible(view.values()), visible((yield* observer.snapshot).rows.values()))
      }),
    { fastCheck: { numRuns: 100 } },
  )

  it("lists conflict copies with the record they came from", () => {
    const cache: Replica.Cache = new Map()
    Replica.applyChanges(
      cache,
      [
        { _tag: "put", entity: "journal", id: "n1", version: 1, value: {} },
        { _tag: "put", entity: "journal", id: "n1~conflict~m7", version: 2, value: {} },
      ],
      0,
    )
    assert.deepStrictEqual(Replica.conflicts(cache), [
      { entity: "journal", id: "n1~conflict~m7", origin: "n1", version: 2 },
    ])
  })
})
