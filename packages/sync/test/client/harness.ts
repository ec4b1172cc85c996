/**
 * What the client tests share: a small registry with one entity per policy,
 * a server over the in-memory store reached through `LocalTransport`, a
 * switchable network in front of it, and devices whose tabs share an
 * outbox, locks and a broadcast hub — as a browser's tabs share IndexedDB,
 * Web Locks and BroadcastChannel.
 */
import { Effect, Either, Option, Ref, Schema, Stream } from "effect"
import * as Cursor from "../../src/Cursor.js"
import * as Broadcast from "../../src/client/Broadcast.js"
import { type OutboxUnavailable, SyncUnavailable } from "../../src/client/ClientError.js"
import * as Engine from "../../src/client/Engine.js"
import * as LocalTransport from "../../src/client/LocalTransport.js"
import * as Locks from "../../src/client/Locks.js"
import * as OutboxStore from "../../src/client/OutboxStore.js"
import { SyncTransport } from "../../src/client/SyncTransport.js"
import * as Entity from "../../src/Entity.js"
import * as SyncStore from "../../src/SyncStore.js"

export const user = "user-1"

export const settings = Entity.lwwFields(
  "settings",
  Schema.Struct({ theme: Schema.Literal("system", "light", "dark"), locale: Schema.String }),
)
/** Stands in for an encrypted record: the server only stores and compares it. */
export const journal = Entity.compareAndSwap("journal", Schema.Struct({ ct: Schema.String }))
export const Total = Schema.Struct({ total: Schema.Int })
export const tally = Entity.serverIntent("tally", Total, {
  add: Entity.intent(Schema.Struct({ n: Schema.Int.pipe(Schema.between(1, 100)) }), (current, { n }) =>
    Either.right({ total: Option.match(current, { onNone: () => 0, onSome: (value) => value.total }) + n }),
  ),
})
export const slots = Entity.idempotentUpsert("slots", Schema.Struct({ seq: Schema.Int }))
export const registry = Entity.registry(settings, journal, tally, slots)

/** The answer remembered under `key` in `answers`, or `compute`'s, remembered now. */
const remembered = <A, E>(answers: Map<string, A>, key: string, compute: () => Effect.Effect<A, E>) => {
  const known = answers.get(key)
  return known !== undefined
    ? Effect.succeed(known)
    : Effect.tap(compute(), (answer) => Effect.sync(() => answers.set(key, answer)))
}

/**
 * The real HMAC signer, with its answers remembered: a cursor is a pure
 * function of (user, position) for one secret, and thousands of model runs
 * ask for the same few, each a round trip through WebCrypto otherwise.
 */
const signer = Effect.runPromise(
  Effect.map(Cursor.make(new Uint8Array(32).fill(7)), (real): Cursor.CursorSigner["Type"] => {
    const encoded = new Map<string, string>()
    const decoded = new Map<string, Cursor.Position>()
    return {
      encode: (userId, position) =>
        remembered(encoded, `${userId}/${position.version}/${position.horizon}`, () => real.encode(userId, position)),
      decode: (userId, cursor) => remembered(decoded, `${userId}/${cursor}`, () => real.decode(userId, cursor)),
    }
  }),
)

/** A server with its store, and its transport behind a network that can be cut. */
export const makeServer = Effect.gen(function* () {
  const store = yield* SyncStore.makeInMemory
  const cursors = yield* Effect.promise(() => signer)
  const local = yield* LocalTransport.make(registry, user).pipe(
    Effect.provideService(SyncStore.SyncStore, store),
    Effect.provideService(Cursor.CursorSigner, cursors),
  )
  const online = yield* Ref.make(true)
  const calls = yield* Ref.make({ pull: 0, push: 0, poll: 0 })
  const down = new SyncUnavailable({ message: "network down" })
  const through = <A, E>(kind: "pull" | "push" | "poll", effect: Effect.Effect<A, E>) =>
    Effect.zipRight(
      Ref.update(calls, (counted) => ({ ...counted, [kind]: counted[kind] + 1 })),
      Effect.flatMap(Ref.get(online), (up): Effect.Effect<A, E | SyncUnavailable> => (up ? effect : Effect.fail(down))),
    )
  const transport = SyncTransport.of({
    pull: (request) => through("pull", local.transport.pull(request)),
    push: (request) => through("push", local.transport.push(request)),
    poll: (request) => through("poll", local.transport.poll(request)),
    pokes: Stream.unwrap(Effect.map(Ref.get(online), (up) => (up ? local.transport.pokes : Stream.fail(down)))),
  })
  return { store, local, online, calls, transport, cursors }
})
export type TestServer = Effect.Effect.Success<typeof makeServer>

/** One device: an outbox, locks and a broadcast hub its tabs share. */
export const makeDevice = Effect.gen(function* () {
  return {
    outbox: yield* OutboxStore.makeMemory,
    locks: yield* Locks.makeMemory,
    hub: yield* Broadcast.makeHub,
  }
})
export type Device = Effect.Effect.Success<typeof makeDevice>

/** A tab of `device` talking through `transport`. */
export const makeTab = (
  device: Device,
  transport: SyncTransport["Type"],
  options: Partial<Engine.Options> = {},
): Effect.Effect<Engine.Engine, OutboxUnavailable> =>
  Engine.make({ registry, ...options }).pipe(
    Effect.provideService(OutboxStore.OutboxStore, device.outbox),
    Effect.provideService(Locks.Locks, device.locks),
    Effect.provideService(Broadcast.Broadcast, Broadcast.connect(device.hub)),
    Effect.provideService(SyncTransport, transport),
  )

/** The values of `entity` in `tab`'s view, by id. */
export const valuesOf = (tab: Engine.Engine, entity: string) =>
  Effect.map(tab.view(entity), (rows) => Object.fromEntries(rows.map((row) => [row.id, row.value])))
