/**
 * Allocating mutations in the shared outbox. Every tab of a device pushes
 * as the same client, so `mutationSeq` must be gapless across tabs: the
 * next seq is read and the mutation stored while holding the device's
 * outbox lock, and a tab that dies in between leaves nothing half-written
 * (the store's `add` is one write). Ids come from Effect's `Random` service,
 * so tests seed them.
 */
import { Effect, Random } from "effect"
import type { ClientId, Mutation } from "../Protocol.js"
import type { OutboxUnavailable } from "./ClientError.js"
import { Locks } from "./Locks.js"
import { OutboxStore } from "./OutboxStore.js"

/** What a caller asks for; the outbox adds `mutationSeq` and `mutationId`. */
export interface Draft {
  readonly entity: string
  readonly op: string
  readonly args: unknown
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/** 20 base64url characters (120 bits) from `Random`: four draws of 30 bits, five characters each. */
export const randomId: Effect.Effect<string> = Effect.map(
  Effect.forEach(Array.from({ length: 4 }), () => Random.nextIntBetween(0, 2 ** 30)),
  (draws) =>
    draws.flatMap((draw) => Array.from({ length: 5 }, (_, index) => ALPHABET[(draw >>> (6 * index)) & 63])).join(""),
)

/** The lock under which a device allocates seqs for `clientId`. */
export const lockName = (clientId: ClientId) => `ignition-sync/outbox/${clientId}`

/** This device's client id: the stored one, or a new random one stored now. */
export const clientId: Effect.Effect<ClientId, OutboxUnavailable, OutboxStore> = Effect.flatMap(OutboxStore, (store) =>
  Effect.flatMap(randomId, (candidate) => store.clientId(candidate as ClientId)),
)

/** Stores `draft` as the device's next mutation and returns it. */
export const append = (
  clientId: ClientId,
  draft: Draft,
): Effect.Effect<Mutation, OutboxUnavailable, OutboxStore | Locks> =>
  Effect.gen(function* () {
    const store = yield* OutboxStore
    const locks = yield* Locks
    const mutationId = yield* randomId
    return yield* locks.withLock(lockName(clientId))(
      Effect.gen(function* () {
        const mutation: Mutation = { ...draft, mutationSeq: (yield* store.lastSeq) + 1, mutationId }
        yield* store.add(mutation)
        return mutation
      }),
    )
  })
