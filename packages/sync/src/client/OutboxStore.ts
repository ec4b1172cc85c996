/**
 * Where a device's unacknowledged mutations rest: a port with one outbox per
 * user on the device, shared by all of that user's tabs. It keeps the
 * device's client id, the highest `mutationSeq` ever allocated (kept after
 * the mutations are acknowledged, so seqs never repeat) and the mutations
 * themselves until a pull reports them consumed. The browser adapter is
 * IndexedDB (`IndexedDbOutboxStore`); `layerTest` keeps everything in
 * memory. Allocation is `Outbox.append`'s job, under a lock; the store only
 * persists.
 */
import { Context, Effect, Layer, Option, Ref } from "effect"
import type { ClientId, Mutation } from "../Protocol.js"
import type { OutboxUnavailable } from "./ClientError.js"

export class OutboxStore extends Context.Tag("@ignition/sync/client/OutboxStore")<
  OutboxStore,
  {
    /** The stored client id; `candidate` is stored and returned when there is none yet. */
    readonly clientId: (candidate: ClientId) => Effect.Effect<ClientId, OutboxUnavailable>
    /** The highest seq ever allocated on this device (0 for none). */
    readonly lastSeq: Effect.Effect<number, OutboxUnavailable>
    /** Stores a mutation and raises the allocated seq to its seq, in one write. */
    readonly add: (mutation: Mutation) => Effect.Effect<void, OutboxUnavailable>
    /** The stored mutations in seq order. */
    readonly list: Effect.Effect<ReadonlyArray<Mutation>, OutboxUnavailable>
    /** Forgets the mutations at or below `through` (the server consumed them). */
    readonly acknowledge: (through: number) => Effect.Effect<void, OutboxUnavailable>
  }
>() {}

interface Stored {
  readonly clientId: Option.Option<ClientId>
  readonly lastSeq: number
  readonly mutations: ReadonlyArray<Mutation>
}

/** An in-memory store; its state lives as long as the value, so simulated tabs share it by sharing the value. */
export const makeMemory: Effect.Effect<OutboxStore["Type"]> = Effect.map(
  Ref.make<Stored>({ clientId: Option.none(), lastSeq: 0, mutations: [] }),
  (state) =>
    OutboxStore.of({
      clientId: (candidate) =>
        Ref.modify(state, (stored) =>
          Option.match(stored.clientId, {
            onNone: () => [candidate, { ...stored, clientId: Option.some(candidate) }],
            onSome: (existing) => [existing, stored],
          }),
        ),
      lastSeq: Effect.map(Ref.get(state), (stored) => stored.lastSeq),
      add: (mutation) =>
        Ref.update(state, (stored) => ({
          ...stored,
          lastSeq: Math.max(stored.lastSeq, mutation.mutationSeq),
          mutations: [...stored.mutations.filter((m) => m.mutationSeq !== mutation.mutationSeq), mutation].sort(
            (a, b) => a.mutationSeq - b.mutationSeq,
          ),
        })),
      list: Effect.map(Ref.get(state), (stored) => stored.mutations),
      acknowledge: (through) =>
        Ref.update(state, (stored) => ({
          ...stored,
          mutations: stored.mutations.filter((m) => m.mutationSeq > through),
        })),
    }),
)

/** In memory: lives as long as the layer. */
export const layerTest: Layer.Layer<OutboxStore> = Layer.effect(OutboxStore, makeMemory)
