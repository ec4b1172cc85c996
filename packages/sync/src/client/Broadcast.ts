/**
 * Messages between the tabs of one user on one device: BroadcastChannel in
 * browsers (`layer`), a hub in memory for tests (`makeHub`, `layerTest`).
 * As with BroadcastChannel, a tab does not receive its own messages.
 * Messages are hints ("look at the outbox again", "pull"), never data a tab
 * must not lose, so a tab that misses one catches up at its next pull.
 */
import { Context, Effect, Layer, PubSub, Queue, Schema, type Scope, Stream } from "effect"

export const TabMessage = Schema.Union(
  /** Mutations were added to or acknowledged in the shared outbox. */
  Schema.TaggedStruct("outbox-changed", {}),
  /** A tab pushed mutations: the others pull to see their effects. */
  Schema.TaggedStruct("flushed", {}),
  /** The tab holding the realtime channel learnt of a change (a poke, a poll): the others pull. */
  Schema.TaggedStruct("poke", {}),
  /** A tab opened: the holder of the realtime channel answers with its state. */
  Schema.TaggedStruct("hello", {}),
  /** The realtime channel, held by one tab for all, went up or down. */
  Schema.TaggedStruct("realtime", { up: Schema.Boolean }),
  /** The server refused a mutation for good; every tab lists it. */
  Schema.TaggedStruct("rejected", {
    mutationSeq: Schema.Int,
    mutationId: Schema.String,
    entity: Schema.String,
    op: Schema.String,
    reason: Schema.String,
  }),
).annotations({ identifier: "TabMessage" })
export type TabMessage = typeof TabMessage.Type

export class Broadcast extends Context.Tag("@ignition/sync/client/Broadcast")<
  Broadcast,
  {
    readonly publish: (message: TabMessage) => Effect.Effect<void>
    /** Subscribes (in the caller's scope); the stream carries the other tabs' messages from then on. */
    readonly subscribe: Effect.Effect<Stream.Stream<TabMessage>, never, Scope.Scope>
  }
>() {}

/** The channel the tabs of `userId` share. */
export const channelName = (userId: string) => `ignition-sync/${userId}`

const decode = Schema.decodeUnknownOption(TabMessage)

/** A BroadcastChannel named `name`, closed with the layer. Messages that do not decode (another version's) are ignored. */
export const layer = (name: string): Layer.Layer<Broadcast> =>
  Layer.scoped(
    Broadcast,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => new BroadcastChannel(name)),
        (channel) => Effect.sync(() => channel.close()),
      ),
      (channel) =>
        Broadcast.of({
          publish: (message) => Effect.sync(() => channel.postMessage(Schema.encodeSync(TabMessage)(message))),
          subscribe: Effect.gen(function* () {
            const inbox = yield* Effect.acquireRelease(Queue.unbounded<TabMessage>(), Queue.shutdown)
            const listener = (event: MessageEvent) => {
              const decoded = decode(event.data)
              if (decoded._tag === "Some") Queue.unsafeOffer(inbox, decoded.value)
            }
            yield* Effect.acquireRelease(
              Effect.sync(() => channel.addEventListener("message", listener)),
              () => Effect.sync(() => channel.removeEventListener("message", listener)),
            )
            return Stream.fromQueue(inbox)
          }),
        }),
    ),
  )

/** Messages in memory, each tagged with the tab that sent it. */
export interface Hub {
  readonly pubsub: PubSub.PubSub<{ readonly from: number; readonly message: TabMessage }>
  readonly nextTab: () => number
}

export const makeHub: Effect.Effect<Hub> = Effect.map(
  PubSub.unbounded<{ from: number; message: TabMessage }>(),
  (pubsub) => {
    let tabs = 0
    return { pubsub, nextTab: () => ++tabs }
  },
)

/** One tab's end of the hub. */
export const connect = (hub: Hub): Broadcast["Type"] => {
  const tab = hub.nextTab()
  return Broadcast.of({
    publish: (message) => Effect.asVoid(PubSub.publish(hub.pubsub, { from: tab, message })),
    subscribe: Effect.map(PubSub.subscribe(hub.pubsub), (inbox) =>
      Stream.fromQueue(inbox).pipe(
        Stream.filter((sent) => sent.from !== tab),
        Stream.map((sent) => sent.message),
      ),
    ),
  })
}

export const layerTest = (hub: Hub): Layer.Layer<Broadcast> => Layer.sync(Broadcast, () => connect(hub))
