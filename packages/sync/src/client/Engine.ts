/**
 * The client sync engine of one tab. Mutations go to the device's shared
 * outbox (`Outbox`) and are pushed under a device-wide flush lock, so one tab
 * pushes at a time and a tab killed mid-flush only makes the next flusher
 * resend what the server then reports as duplicates. Pulls page through the
 * change log into the tab's cache; the view is the cache with the pending
 * mutations rebased over it (`Replica.rebase`). A pending mutation leaves
 * the view only when a pull of this tab reports it consumed, so its effect
 * is in the cache by then (read your writes).
 *
 * Encrypted (compare-and-swap) writes are never queued offline: `mutate`
 * refuses them while offline or while the vault is locked, and lists them
 * as unsaved; one accepted online but not yet acknowledged stays in the
 * outbox (it may already be applied, and exactly-once push makes resending
 * it harmless) and is listed as unsaved until it is.
 *
 * `start` runs the background work: a flusher woken by writes, retrying
 * with capped exponential back-off and jitter (Effect's `Random`, so tests
 * seed it) while the server is unreachable; the messages of the other tabs;
 * and, in the one tab of the device that holds the realtime lock, the
 * realtime channel (each poke prompting a pull) with polling while it is
 * down, relaying to the other tabs when to pull. When that tab closes, the
 * lock passes to another, which opens the channel: one connection per
 * device, whatever the number of tabs.
 */
import {
  Context,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  Predicate,
  Queue,
  Schedule,
  Schema,
  type Scope,
  Stream,
  SubscriptionRef,
} from "effect"
import * as Digest from "../Digest.js"
import type { Registry } from "../Entity.js"
import {
  MAX_PUSH_MUTATIONS,
  type Mutation,
  type MutationResult,
  type PollResponse,
  PROTOCOL_VERSION,
  type VaultState,
} from "../Protocol.js"
import type { InvalidCursor, ResyncRequired } from "../SyncError.js"
import { Broadcast, type TabMessage } from "./Broadcast.js"
import { type OutboxUnavailable, SyncRefused, SyncUnavailable, type VaultLocked } from "./ClientError.js"
import { Locks } from "./Locks.js"
import * as Outbox from "./Outbox.js"
import { OutboxStore } from "./OutboxStore.js"
import * as Replica from "./Replica.js"
import { SyncTransport } from "./SyncTransport.js"

/** Entities whose changes matter within half a minute: polled every 30 s instead of 60 s. */
export const FAST_POLL_ENTITIES: ReadonlyArray<string> = ["focus", "planner"]

export const pollIntervalFor = (registry: Registry): Duration.Duration =>
  FAST_POLL_ENTITIES.some((name) => registry.has(name)) ? Duration.seconds(30) : Duration.seconds(60)

export interface Options {
  readonly registry: Registry
  /** Rows per pull page (500 by default). */
  readonly pageSize?: number
  /** The first retry delay (1 s by default); each next one doubles up to `maxDelay` (60 s), each jittered. */
  readonly baseDelay?: Duration.DurationInput
  readonly maxDelay?: Duration.DurationInput
  /** How often to poll while the realtime channel is down (see `pollIntervalFor`). */
  readonly pollInterval?: Duration.DurationInput
}

/** Why an encrypted write is not saved. */
export type UnsavedReason = "offline" | "vault-locked" | "sending"

export interface Unsaved {
  readonly entity: string
  readonly id: string
  readonly reason: UnsavedReason
}

/** A mutation the server refused for good; it was consumed and will not be retried. */
export interface RejectedMutation {
  readonly mutationSeq: number
  readonly mutationId: string
  readonly entity: string
  readonly op: string
  readonly reason: string
}

export interface Status {
  /** Whether the last request reached the server. */
  readonly online: boolean
  /** Whether the realtime channel is up (polling runs while it is not). */
  readonly realtime: boolean
  /** Mutations in the device's outbox, pushed or not, until a pull reports them consumed. */
  readonly outbox: number
  /** Encrypted writes not saved on the server: a `beforeunload` guard is due while this is not empty. */
  readonly unsaved: ReadonlyArray<Unsaved>
  readonly rejections: ReadonlyArray<RejectedMutation>
  readonly conflicts: ReadonlyArray<Replica.ConflictCopy>
  /** The vault's lock state as of the latest pull or poll (`null` before the first). */
  readonly vault: VaultState | null
  /** A refusal that stopped pushing until the next write or `sync` (a 4xx the engine cannot fix). */
  readonly failure: string | null
  /** Moves whenever the view may have changed (a pull, a write, another tab's write). */
  readonly revision: number
}

export type Outcome =
  /** Stored in the outbox; it will be pushed (now if online). */
  | { readonly _tag: "Queued"; readonly mutation: Mutation }
  /** An encrypted write the server acknowledged. */
  | { readonly _tag: "Saved"; readonly mutation: Mutation; readonly conflictCopyId: string | null }
  /** An encrypted write refused while offline or locked: nothing was stored or sent. */
  | { readonly _tag: "Unsaved"; readonly reason: "offline" | "vault-locked" }
  /** An encrypted write sent but not acknowledged yet: it stays in the outbox, listed as unsaved, until it is. */
  | { readonly _tag: "Sending"; readonly mutation: Mutation }
  /** Refused: by the server (an encrypted write), or locally for an unregistered entity. */
  | { readonly _tag: "Rejected"; readonly reason: string }

export type SyncFailure = SyncUnavailable | SyncRefused | VaultLocked | OutboxUnavailable

const RecordArgs = Schema.Struct({ id: Schema.String })

const unlockedOrNewer = (current: VaultState | null, incoming: VaultState) =>
  current === null || incoming.epoch >= current.epoch

export const make = (options: Options) =>
  Effect.gen(function* () {
    const store = yield* OutboxStore
    const locks = yield* Locks
    const broadcast = yield* Broadcast
    const transport = yield* SyncTransport
    const clientId = yield* Outbox.clientId
    const { registry } = options
    const pageSize = options.pageSize ?? 500
    const pollInterval = options.pollInterval ?? pollIntervalFor(registry)

    // Written only by pulls, which take `exclusive`.
    let cursor: string | null = null
    let cache: Replica.Cache = new Map()
    let newest = 0
    /** The highest seq a pull of this tab reported consumed: mutations up to it are in `cache`. */
    let confirmed = 0
    /** Mutations this tab has seen in the outbox and not yet seen consumed. */
    const known = new Map<number, Mutation>()
    /** Where the next push starts: the server consumed everything up to here. */
    let pushedThrough = 0
    /**
     * The version each mutation this tab pushed was applied at. A pull may
     * report a mutation consumed that committed after its page was read; such
     * a mutation stays in the view for one more pull, which has its effect.
     */
    const appliedAt = new Map<number, number>()
    const refused = new Map<string, Unsaved>()
    const exclusive = yield* Effect.makeSemaphore(1)
    const status = yield* SubscriptionRef.make<Status>({
      online: true,
      realtime: false,
      outbox: 0,
      unsaved: [],
      rejections: [],
      conflicts: [],
      vault: null,
      failure: null,
      revision: 0,
    })
    const wake = yield* Queue.sliding<void>(1)

    const update = (f: (current: Status) => Status) => SubscriptionRef.update(status, f)
    /** Sets whether the realtime channel is up; tells whether that changed. */
    const setRealtime = (up: boolean) =>
      SubscriptionRef.modify(status, (current) =>
        current.realtime === up ? [false, current] : [true, { ...current, realtime: up }],
      )
    const setReachable = (online: boolean) =>
      SubscriptionRef.updateSome(status, (current) =>
        current.online === online ? Option.none() : Option.some({ ...current, online }),
      )

    const isSwap = (entity: string) => registry.get(entity)?.policy === "compare-and-swap"
    /** The record a write targets, by its key in the cache. */
    const recordOf = (draft: Outbox.Draft) =>
      Option.map(Schema.decodeUnknownOption(RecordArgs)(draft.args), ({ id }) => ({
        key: Replica.key(draft.entity, id),
        id,
      }))

    const pendingMutations = () => Array.from(known.values()).sort((a, b) => a.mutationSeq - b.mutationSeq)

    /** Takes in the outbox's mutations this tab has not seen (another tab's, or its own) and publishes the state. */
    const refresh = Effect.gen(function* () {
      const outbox = yield* store.list
      for (const mutation of outbox) {
        if (mutation.mutationSeq > confirmed) known.set(mutation.mutationSeq, mutation)
      }
      const sending = pendingMutations().flatMap((mutation): Array<Unsaved> => {
        const record = recordOf(mutation)
        return isSwap(mutation.entity) && Option.isSome(record)
          ? [{ entity: mutation.entity, id: record.value.id, reason: "sending" }]
          : []
      })
      yield* update((current) => ({
        ...current,
        outbox: outbox.length,
        unsaved: [...refused.values(), ...sending],
        conflicts: Replica.conflicts(cache),
        revision: current.revision + 1,
      }))
    })

    const applyVault = (vault: VaultState) =>
      Effect.gen(function* () {
        const before = (yield* SubscriptionRef.get(status)).vault
        if (!unlockedOrNewer(before, vault)) return
        yield* update((current) => ({ ...current, vault }))
        // Pushes stopped by a 423 may go now.
        if (before?.locked === true && !vault.locked) yield* Queue.offer(wake, undefined)
      })

    const reachable = <A, E>(effect: Effect.Effect<A, E>) =>
      effect.pipe(
        Effect.tap(() => setReachable(true)),
        Effect.tapError((error) => (Predicate.isTagged(error, "SyncUnavailable") ? setReachable(false) : Effect.void)),
      )

    /** Pages from `start` to the head into `target`; returns the final cursor and the newest version. */
    const pages = (start: string | null, target: Replica.Cache, from: number) =>
      Effect.gen(function* () {
        let position = start
        let latest = from
        for (;;) {
          const page = yield* reachable(
            transport.pull({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: position, limit: pageSize }),
          )
          latest = Replica.applyChanges(target, page.changes, latest)
          position = page.cursor
          yield* applyVault(page.vault)
          if (!page.hasMore) return { cursor: position, newest: latest, lastMutationSeq: page.lastMutationSeq }
        }
      })

    const settle = (lastMutationSeq: number) =>
      Effect.gen(function* () {
        // Acknowledged first: if the outbox cannot be written, the next pull tries again.
        if (lastMutationSeq > confirmed) yield* store.acknowledge(lastMutationSeq)
        confirmed = Math.max(confirmed, lastMutationSeq)
        pushedThrough = Math.max(pushedThrough, confirmed)
        for (const seq of known.keys()) {
          if (seq > confirmed) continue
          const version = appliedAt.get(seq)
          if (version === undefined || version <= newest) known.delete(seq)
        }
        for (const seq of appliedAt.keys()) if (seq <= confirmed) appliedAt.delete(seq)
        yield* refresh
      })

    /** A pull from scratch into a fresh cache, swapped in whole once at the head; the outbox stays. */
    const resyncUnlocked = Effect.gen(function* () {
      const fresh: Replica.Cache = new Map()
      const done = yield* pages(null, fresh, 0)
      cache = fresh
      cursor = done.cursor
      newest = Math.max(newest, done.newest)
      yield* settle(done.lastMutationSeq)
    }).pipe(
      // Tombstones expired again while this resync paged: it is tried again like any unreachable moment.
      Effect.catchTags({
        ResyncRequired: (error: ResyncRequired) => new SyncUnavailable({ message: error.message }),
        InvalidCursor: (error: InvalidCursor) => new SyncUnavailable({ message: error.message }),
      }),
    )

    const pullUnlocked = Effect.gen(function* () {
      const done = yield* pages(cursor, cache, newest)
      cursor = done.cursor
      newest = done.newest
      yield* settle(done.lastMutationSeq)
    }).pipe(
      // 410: deletions this cache has not seen may be gone. A cursor the server no longer accepts: start over too.
      Effect.catchTags({
        ResyncRequired: (_: ResyncRequired) => resyncUnlocked,
        InvalidCursor: (_: InvalidCursor) => resyncUnlocked,
      }),
    )

    const pull: Effect.Effect<void, SyncFailure> = exclusive.withPermits(1)(pullUnlocked)
    const resync: Effect.Effect<void, SyncFailure> = exclusive.withPermits(1)(resyncUnlocked)

    const reject = (rejection: RejectedMutation) =>
      update((current) =>
        current.rejections.some((known) => known.mutationSeq === rejection.mutationSeq)
          ? current
          : { ...current, rejections: [...current.rejections, rejection] },
      )

    /** Pushes what the outbox holds past `pushedThrough`, batch by batch; returns every result. */
    const pushAll = Effect.gen(function* () {
      const results: Array<MutationResult> = []
      for (;;) {
        const outbox = (yield* store.list).filter((mutation) => mutation.mutationSeq > pushedThrough)
        if (outbox.length === 0) return results
        const batch = outbox.slice(0, MAX_PUSH_MUTATIONS)
        const response = yield* reachable(
          transport.push({ protocolVersion: PROTOCOL_VERSION, clientId, mutations: batch }),
        )
        results.push(...response.results)
        for (const result of response.results) {
          if (result._tag === "applied" && result.version !== null) appliedAt.set(result.mutationSeq, result.version)
          const mutation = batch.find((sent) => sent.mutationSeq === result.mutationSeq)
          if (result._tag !== "rejected" || mutation === undefined) continue
          const rejection = {
            mutationSeq: mutation.mutationSeq,
            mutationId: mutation.mutationId,
            entity: mutation.entity,
            op: mutation.op,
            reason: result.reason,
          }
          yield* reject(rejection)
          yield* broadcast.publish({ _tag: "rejected", ...rejection })
        }
        const progressed = response.lastMutationSeq > pushedThrough
        pushedThrough = response.lastMutationSeq
        // A gap the outbox cannot fill: resending would loop forever.
        if (!progressed && response.results.some((result) => result._tag === "skipped-gap")) {
          return yield* new SyncRefused({
            status: 409,
            message: `the server expects mutation ${response.lastMutationSeq + 1}, which this device no longer holds`,
          })
        }
      }
    })

    /** One push of the whole outbox under the device's flush lock, then a pull if it pushed anything; no retry. */
    const flush: Effect.Effect<ReadonlyArray<MutationResult>, SyncFailure> = Effect.gen(function* () {
      const results = yield* locks
        .withLock(`ignition-sync/flush/${clientId}`)(pushAll)
        .pipe(
          // The server says the vault is locked: so it is, at least as of the epoch this tab knows, and the
          // next pull or poll that shows it unlocked wakes the flusher.
          Effect.tapErrorTag("VaultLocked", () =>
            update((current) => ({
              ...current,
              vault: { locked: true, epoch: current.vault?.epoch ?? 0, reason: current.vault?.reason ?? null },
            })),
          ),
        )
      if (results.length > 0) {
        yield* broadcast.publish({ _tag: "flushed" })
        yield* pull
      }
      yield* update((current) => (current.failure === null ? current : { ...current, failure: null }))
      return results
    })

    /** Capped exponential back-off with jitter: `baseDelay`, doubling up to `maxDelay`. */
    const backoff = Schedule.exponential(options.baseDelay ?? "1 second", 2).pipe(
      Schedule.union(Schedule.spaced(options.maxDelay ?? "60 seconds")),
      Schedule.jittered,
    )
    const retrySchedule = backoff.pipe(Schedule.whileInput((error: SyncFailure) => error._tag === "SyncUnavailable"))

    /** `flush`, retried with back-off while the server is unreachable; other failures are surfaced and end it. */
    const flushWithRetry = flush.pipe(
      Effect.retry(retrySchedule),
      Effect.catchAll((error) =>
        error._tag === "SyncRefused" || error._tag === "OutboxUnavailable"
          ? update((current) => ({ ...current, failure: error.message }))
          : // 423: waits for a pull or poll that shows the vault unlocked; offline: the next write or poke.
            Effect.void,
      ),
      Effect.asVoid,
    )

    const mutate = (draft: Outbox.Draft): Effect.Effect<Outcome, OutboxUnavailable> =>
      Effect.gen(function* () {
        if (!registry.has(draft.entity)) return { _tag: "Rejected", reason: `unknown entity ${draft.entity}` } as const
        const record = recordOf(draft)
        if (isSwap(draft.entity)) {
          const current = yield* SubscriptionRef.get(status)
          const reason = current.vault?.locked === true ? "vault-locked" : !current.online ? "offline" : null
          if (reason !== null) {
            if (Option.isSome(record))
              refused.set(record.value.key, { entity: draft.entity, id: record.value.id, reason })
            yield* refresh
            return { _tag: "Unsaved", reason } as const
          }
        }
        const mutation = yield* Outbox.append(clientId, draft).pipe(
          Effect.provideService(OutboxStore, store),
          Effect.provideService(Locks, locks),
        )
        if (Option.isSome(record)) refused.delete(record.value.key)
        known.set(mutation.mutationSeq, mutation)
        yield* broadcast.publish({ _tag: "outbox-changed" })
        yield* refresh
        if (!isSwap(draft.entity)) {
          yield* Queue.offer(wake, undefined)
          return { _tag: "Queued", mutation } as const
        }
        const flushed = yield* Effect.either(flush)
        const result = Either.getRight(flushed).pipe(
          Option.flatMap((results) =>
            Option.fromNullable(results.find((found) => found.mutationSeq === mutation.mutationSeq)),
          ),
        )
        if (Option.isNone(result) || result.value._tag === "skipped-gap") {
          yield* Queue.offer(wake, undefined)
          return { _tag: "Sending", mutation } as const
        }
        if (result.value._tag === "rejected") return { _tag: "Rejected", reason: result.value.reason } as const
        const conflictCopyId = result.value._tag === "applied" ? (result.value.conflictCopyId ?? null) : null
        return { _tag: "Saved", mutation, conflictCopyId } as const
      })

    const digestsMatch = (response: PollResponse) =>
      Effect.gen(function* () {
        const rows = Array.from(cache.values())
        for (const expected of response.digests) {
          const ours = yield* Digest.ofRows(
            expected.entity,
            rows.filter((row) => row.entity === expected.entity),
          )
          if (ours.count !== expected.count || ours.hash !== expected.hash) return false
        }
        return true
      })

    /**
     * A poll: the vault state, then a pull if the log moved, or a resync if
     * the cache drifted from the digests. Tells whether it pulled.
     */
    const pollAndPull: Effect.Effect<boolean, SyncFailure> = Effect.gen(function* () {
      const response = yield* reachable(
        transport.poll({ protocolVersion: PROTOCOL_VERSION, clientId, cursor }).pipe(
          // A cursor the server no longer accepts: poll from scratch; the pull it prompts resyncs.
          Effect.catchTag("InvalidCursor", () =>
            transport
              .poll({ protocolVersion: PROTOCOL_VERSION, clientId, cursor: null })
              .pipe(
                Effect.catchTag("InvalidCursor", (error) => new SyncRefused({ status: 400, message: error.message })),
              ),
          ),
        ),
      )
      yield* applyVault(response.vault)
      if (response.changed || cursor === null) return yield* Effect.as(pull, true)
      // Digests describe the head, which is our cursor when nothing changed.
      if (yield* digestsMatch(response)) return false
      return yield* Effect.as(resync, true)
    })

    // Suspended: the view is of the state when it runs, not when it was asked for.
    const view = (entity: string): Effect.Effect<ReadonlyArray<Replica.ViewRow>> =>
      Effect.suspend(() =>
        Effect.map(Replica.rebase(registry, cache, pendingMutations(), newest), (rows) =>
          Array.from(rows.values()).filter((row) => row.entity === entity),
        ),
      )

    const onMessage = (message: TabMessage) => {
      switch (message._tag) {
        case "outbox-changed":
          return refresh
        case "flushed":
        case "poke":
          return pull
        case "realtime":
          return setRealtime(message.up)
        case "hello":
          return holding
            ? Effect.flatMap(SubscriptionRef.get(status), (current) =>
                broadcast.publish({ _tag: "realtime", up: current.realtime }),
              )
            : Effect.void
        case "rejected": {
          const { _tag, ...rejection } = message
          return reject(rejection)
        }
      }
    }

    const relay = broadcast.publish({ _tag: "poke" })
    /** Whether this tab holds the device's realtime channel. */
    let holding = false

    /** The holder's realtime state, told to the other tabs when it changes. */
    const announceRealtime = (up: boolean) =>
      Effect.flatMap(setRealtime(up), (changed) =>
        changed ? broadcast.publish({ _tag: "realtime", up }) : Effect.void,
      )

    const realtime = transport.pokes.pipe(
      Stream.runForEach((poke) =>
        Effect.gen(function* () {
          yield* announceRealtime(true)
          if (poke.version !== undefined && poke.version <= newest) return
          yield* Effect.ignore(pull)
          yield* relay
        }),
      ),
      // A channel that ends is as down as one that fails.
      Effect.zipRight(Effect.fail(new SyncUnavailable({ message: "the realtime channel closed" }))),
      Effect.tapError(() => announceRealtime(false)),
      Effect.retry(backoff),
    )

    const polling = Effect.gen(function* () {
      if ((yield* SubscriptionRef.get(status)).realtime) return
      if (yield* Effect.orElseSucceed(pollAndPull, () => false)) yield* relay
    }).pipe(Effect.repeat(Schedule.spaced(pollInterval)), Effect.delay(pollInterval))

    /** Realtime and polling for the whole device, in the tab holding the lock until it closes. */
    const lead = locks.withLock(`ignition-sync/realtime/${clientId}`)(
      Effect.zipRight(
        Effect.sync(() => {
          holding = true
        }),
        Effect.all([realtime, polling], { concurrency: "unbounded", discard: true }),
      ),
    )

    /** Starts the background work in the caller's scope: a first sync, the flusher, realtime, polling, the other tabs. */
    const start: Effect.Effect<void, never, Scope.Scope> = Effect.gen(function* () {
      yield* Effect.forkScoped(
        Effect.ignore(refresh).pipe(
          Effect.zipRight(Effect.ignore(pull)),
          Effect.zipRight(Queue.offer(wake, undefined)),
          Effect.zipRight(Effect.forever(Effect.zipRight(Queue.take(wake), flushWithRetry))),
        ),
      )
      const inbox = yield* broadcast.subscribe
      yield* Effect.forkScoped(Stream.runForEach(inbox, (message) => Effect.ignore(onMessage(message))))
      yield* broadcast.publish({ _tag: "hello" })
      yield* Effect.forkScoped(lead)
    })

    return {
      clientId,
      mutate,
      view,
      /** Every change of the view of `entity` (a pull, a write, another tab's write). */
      views: (entity: string) =>
        status.changes.pipe(
          Stream.map((current) => current.revision),
          Stream.changes,
          Stream.mapEffect(() => view(entity)),
        ),
      status,
      /** The outbox count for `<ig-offline-banner>`. */
      outboxCount: status.changes.pipe(
        Stream.map((current) => current.outbox),
        Stream.changes,
      ),
      pull,
      flush,
      poll: Effect.asVoid(pollAndPull),
      resync,
      refresh,
      /** A hint from the platform (`online`/`offline` events): when online, push and pull now. */
      setOnline: (online: boolean) =>
        Effect.zipRight(
          update((current) => ({ ...current, online })),
          online ? Queue.offer(wake, undefined) : Effect.void,
        ),
      /** Forgets a rejection the user has seen. */
      dismissRejection: (mutationSeq: number) =>
        update((current) => ({
          ...current,
          rejections: current.rejections.filter((rejection) => rejection.mutationSeq !== mutationSeq),
        })),
      /** Forgets an unsaved encrypted write the user discarded. */
      discardUnsaved: (entity: string, id: string) =>
        Effect.suspend(() => {
          refused.delete(Replica.key(entity, id))
          return refresh
        }),
      /** The cache as of the cursor and the newest version in it (tests check monotonic reads with it). */
      snapshot: Effect.sync(() => ({ rows: new Map(cache), newest, cursor })),
      start,
    }
  })

export type Engine = Effect.Effect.Success<ReturnType<typeof make>>

/** The tab's engine as a service, for the components. */
export class SyncEngine extends Context.Tag("@ignition/sync/client/SyncEngine")<SyncEngine, Engine>() {}

/** An engine with its background work running for the life of the layer. */
export const layer = (
  options: Options,
): Layer.Layer<SyncEngine, OutboxUnavailable, OutboxStore | Locks | Broadcast | SyncTransport> =>
  Layer.scoped(
    SyncEngine,
    Effect.tap(make(options), (engine) => engine.start),
  )
