/**
 * Where the encrypted search-index snapshot rests between sessions: a port
 * with one slot per user and vault (the adapter is constructed for one of
 * them). It only ever sees an envelope sealed by `Keyring.sealIndex`. The
 * browser adapter is IndexedDB (`ui-components/src/vault/IndexedDbIndexStore.ts`);
 * `layerTest` keeps the envelope in memory.
 */
import { Context, Effect, Layer, Option, Ref, Schema } from "effect"
import type * as Envelope from "./Envelope.js"

/** The store could not read, write or clear its slot (quota, a blocked or closed database). */
export class IndexStoreFailed extends Schema.TaggedError<IndexStoreFailed>()("IndexStoreFailed", {
  message: Schema.String,
}) {}

export class IndexStore extends Context.Tag("@ignition/vault/IndexStore")<
  IndexStore,
  {
    readonly load: () => Effect.Effect<Option.Option<Envelope.Envelope>, IndexStoreFailed>
    readonly save: (envelope: Envelope.Envelope) => Effect.Effect<void, IndexStoreFailed>
    readonly clear: () => Effect.Effect<void, IndexStoreFailed>
  }
>() {}

/** An in-memory store and a way to look inside it (tests). */
export const makeMemory = Effect.map(Ref.make(Option.none<Envelope.Envelope>()), (slot) => ({
  slot,
  store: IndexStore.of({
    load: () => Ref.get(slot),
    save: (envelope) => Ref.set(slot, Option.some(envelope)),
    clear: () => Ref.set(slot, Option.none()),
  }),
}))

/** In memory: lives as long as the layer. */
export const layerTest: Layer.Layer<IndexStore> = Layer.effect(
  IndexStore,
  Effect.map(makeMemory, (memory) => memory.store),
)
