/**
 * Realtime pokes: "something of this user's changed, pull". A poke is a hint
 * and carries no data; the payload on the wire between instances is the
 * user id, never content.
 *
 * `publish` runs `pg_notify` through the Database service, so it joins the
 * caller's transaction: PostgreSQL (and PGlite, which is PostgreSQL) delivers
 * the notification only when that transaction commits, a rolled-back write
 * pokes nobody, and identical notifications in one transaction arrive once.
 *
 * Every instance listens on the channel and fans notifications out to its
 * local subscribers: on PostgreSQL through one dedicated connection (not from
 * the pool) that reconnects with capped exponential back-off and jitter and,
 * once listening again, pokes every local subscriber (a notification sent
 * while it was away is lost); in PGlite mode through PGlite's own listener.
 *
 * The channel is per database schema (NOTIFY is per database), so
 * deployments or test runs that share a database in separate schemas do not
 * hear each other.
 */
import { createHash } from "node:crypto"
import { Protocol } from "@ignition/sync"
import { Data, Deferred, Duration, Effect, Exit, Option, Random, type Scope } from "effect"
import { sql } from "kysely"
import pg from "pg"
import { currentSchema, Database, type DatabaseError } from "../Database/Database.js"

/**
 * The NOTIFY channel for a schema: opaque and always well under PostgreSQL's
 * 63-byte identifier limit, whatever the schema is called.
 */
export const channelFor = (schema: string): string =>
  `ignition_poke_${createHash("sha256").update(schema).digest("hex").slice(0, 32)}`

/** What every subscriber receives: the protocol's data-free poke. */
export const poke: Protocol.Poke = { protocolVersion: Protocol.PROTOCOL_VERSION }

/** The listener's back-off: 100 ms doubling per failed attempt, capped at 30 s, then "full jitter" (0–100 %). */
const backoffBase = Duration.millis(100)
const backoffCap = Duration.seconds(30)

/** One subscriber's pokes, as one flag: any number of pokes before it is taken are one. */
export interface Subscription {
  /**
   * Wait for a poke and take it. Every poke delivered before this returns is
   * covered by it; interrupting the wait loses none.
   */
  readonly next: Effect.Effect<Protocol.Poke>
  /** Take the pending poke if there is one, without waiting. */
  readonly poll: Effect.Effect<Option.Option<Protocol.Poke>>
}

/** A subscription's flag, set by `poke`, and a latch to wait on that is open while the flag is set. */
const makePending = (latch: Effect.Latch) => {
  let pending = false
  const clear = (): Option.Option<Protocol.Poke> => {
    if (!pending) return Option.none()
    pending = false
    latch.unsafeClose()
    return Option.some(poke)
  }
  // Cleared only after the wait: an interruption in between leaves the poke pending for the next wait.
  const next: Effect.Effect<Protocol.Poke> = Effect.zipRight(
    latch.await,
    Effect.suspend(() => Option.match(clear(), { onNone: () => next, onSome: Effect.succeed })),
  )
  return {
    poke: () => {
      pending = true
      latch.unsafeOpen()
    },
    subscription: { next, poll: Effect.sync(clear) } satisfies Subscription,
  }
}

type Pending = ReturnType<typeof makePending>

class ListenerLost extends Data.TaggedError("ListenerLost")<{ readonly code: string | undefined }> {}

const codeOf = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined

export class Pokes extends Effect.Service<Pokes>()("@ignition/server/Pokes", {
  scoped: Effect.gen(function* () {
    const db = yield* Database
    const channel = channelFor(yield* db.execute(currentSchema))

    const subscribers = new Map<string, Set<Pending>>()

    const deliver = (userId: string) => {
      for (const pending of subscribers.get(userId) ?? []) pending.poke()
    }

    const pokeEveryone = () => {
      for (const set of subscribers.values()) for (const pending of set) pending.poke()
    }

    if (db.pglite !== undefined) {
      const pglite = db.pglite
      const unlisten = yield* Effect.tryPromise({
        try: () => pglite.listen(channel, deliver),
        catch: (cause) => new ListenerLost({ code: codeOf(cause) }),
      }).pipe(Effect.orDie)
      yield* Effect.addFinalizer(() => Effect.promise(() => unlisten()))
    } else if (db.postgresPool !== undefined) {
      const clientConfig: pg.ClientConfig = {
        ...db.postgresPool.options,
        application_name: "ignition-pokes",
        // A half-open connection (no RST) is noticed instead of listening to nothing forever.
        keepAlive: true,
      }

      /** One connection's life: connect, LISTEN, run `onListening`, then wait until the connection is lost. */
      const listenOnce = (onListening: Effect.Effect<void>) =>
        Effect.scoped(
          Effect.gen(function* () {
            const client = yield* Effect.acquireRelease(
              Effect.sync(() => new pg.Client(clientConfig)),
              (client) => Effect.promise(() => client.end().catch(() => undefined)),
            )
            const lost = yield* Deferred.make<never, ListenerLost>()
            client.on("error", (error) =>
              Deferred.unsafeDone(lost, Exit.fail(new ListenerLost({ code: codeOf(error) }))),
            )
            client.on("end", () => Deferred.unsafeDone(lost, Exit.fail(new ListenerLost({ code: undefined }))))
            client.on("notification", (message) => {
              if (message.channel === channel && message.payload !== undefined) deliver(message.payload)
            })
            yield* Effect.tryPromise({
              try: async () => {
                await client.connect()
                await client.query(`listen "${channel}"`)
              },
              catch: (cause) => new ListenerLost({ code: codeOf(cause) }),
            })
            yield* onListening
            return yield* Deferred.await(lost)
          }),
        )

      const firstAttempt = yield* Deferred.make<void>()
      const listenForever = Effect.gen(function* () {
        let failures = 0
        let listenedBefore = false
        for (;;) {
          const lost = yield* Effect.flip(
            listenOnce(
              Effect.gen(function* () {
                failures = 0
                if (listenedBefore) {
                  yield* Effect.logInfo("sync pokes: listening again; poking every local subscriber")
                  pokeEveryone()
                }
                listenedBefore = true
                yield* Deferred.succeed(firstAttempt, undefined)
              }),
            ),
          )
          yield* Deferred.succeed(firstAttempt, undefined)
          failures += 1
          const ceiling = Math.min(
            Duration.toMillis(backoffCap),
            Duration.toMillis(backoffBase) * 2 ** Math.min(failures - 1, 20),
          )
          const delay = Math.round((yield* Random.next) * ceiling)
          yield* Effect.logWarning("sync pokes: listener connection lost; reconnecting", {
            code: lost.code,
            retryInMs: delay,
          })
          yield* Effect.sleep(Duration.millis(delay))
        }
      })
      yield* Effect.forkScoped(listenForever)
      // Start-up waits for the first attempt, so a write right after start is heard; a database
      // that is down is reported by the Database layer, and the loop keeps retrying meanwhile.
      yield* Deferred.await(firstAttempt)
    }

    /** Poke `userId`'s clients on every instance once the caller's transaction (if any) commits. */
    const publish = (userId: string): Effect.Effect<void, DatabaseError> =>
      db.execute((q) => sql`select pg_notify(${channel}, ${userId})`.execute(q)).pipe(Effect.asVoid)

    /** This instance's pokes for `userId`, coalesced to at most one pending; unsubscribed when the scope closes. */
    const subscribe = (userId: string): Effect.Effect<Subscription, never, Scope.Scope> =>
      Effect.acquireRelease(
        Effect.map(Effect.makeLatch(false), (latch) => {
          const pending = makePending(latch)
          const set = subscribers.get(userId) ?? new Set()
          set.add(pending)
          subscribers.set(userId, set)
          return pending
        }),
        (pending) =>
          Effect.sync(() => {
            const set = subscribers.get(userId)
            set?.delete(pending)
            if (set?.size === 0) subscribers.delete(userId)
          }),
      ).pipe(Effect.map((pending) => pending.subscription))

    return { channel, publish, subscribe } as const
  }),
}) {}
