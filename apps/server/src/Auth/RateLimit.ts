/**
 * Rate limits on sign-in, sign-up and recovery, with rate-limiter-flexible:
 * in memory by default, in PostgreSQL (table `rate_limits`) when the
 * server runs on PostgreSQL, so every instance shares the same counts.
 *
 * - attempts per client address: 30 sign-in attempts per 15 minutes,
 *   10 sign-ups per hour, 10 recovery attempts per hour;
 * - consecutive failures per account and per address: after 5 (account)
 *   or 20 (address) failures in a row, each further failure blocks for
 *   twice as long as the last — 1 s, 2 s, 4 s … up to an hour. A success
 *   clears the account's count.
 *
 * Vault attempts are counted per user, whatever the address (a vault's
 * secrets are per user): 60 unlocks per 15 minutes and 10 recovery-code
 * checks per hour, and after 5 consecutive failures the same doubling
 * blocks as above. A success clears the user's failures.
 *
 * A refusal is a 429 `TooManyRequests` with `Retry-After`.
 */
import { HttpApp, HttpServerResponse } from "@effect/platform"
import { ApiError } from "@ignition/api"
import { Effect } from "effect"
import {
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from "rate-limiter-flexible"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"

export type Attempt = "sign_in" | "sign_up" | "recovery"

/** Attempts limited per user rather than per address. */
export type UserAttempt = "vault_unlock" | "vault_recovery"

const maxBlockSeconds = 3600
const freeFailures = { account: 5, address: 20, user: 5 } as const

/** Seconds to wait before the next try, from a limiter's refusal. */
const retryAfter = (refusal: unknown): number =>
  refusal instanceof RateLimiterRes ? Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) : 1

const tooMany = (seconds: number) =>
  Effect.zipRight(
    HttpApp.appendPreResponseHandler((_request, response) =>
      Effect.succeed(HttpServerResponse.setHeader(response, "retry-after", String(seconds))),
    ),
    Effect.fail(
      new ApiError.TooManyRequests({
        message: `Too many attempts; try again in ${seconds} second${seconds === 1 ? "" : "s"}`,
        retryAfterSeconds: seconds,
      }),
    ),
  )

export class RateLimit extends Effect.Service<RateLimit>()("@ignition/server/RateLimit", {
  effect: Effect.gen(function* () {
    const { postgresPool } = yield* Database
    const { signInAttempts } = yield* AppConfig
    const limiter = (keyPrefix: string, options: IRateLimiterOptions): RateLimiterAbstract =>
      postgresPool === undefined
        ? new RateLimiterMemory({ keyPrefix, ...options })
        : new RateLimiterPostgres({
            storeClient: postgresPool,
            storeType: "pool",
            tableName: "rate_limits",
            tableCreated: true,
            keyPrefix,
            ...options,
          })

    const attempts: Record<Attempt, RateLimiterAbstract> = {
      sign_in: limiter("attempt_sign_in", { points: signInAttempts, duration: 15 * 60 }),
      sign_up: limiter("attempt_sign_up", { points: 10, duration: 60 * 60 }),
      recovery: limiter("attempt_recovery", { points: 10, duration: 60 * 60 }),
    }
    const userAttempts: Record<UserAttempt, RateLimiterAbstract> = {
      vault_unlock: limiter("attempt_vault_unlock", { points: 60, duration: 15 * 60 }),
      vault_recovery: limiter("attempt_vault_recovery", { points: 10, duration: 60 * 60 }),
    }
    // Consecutive failures (reset on success), and the blocks they earn.
    const failures = limiter("failures", { points: 1_000_000, duration: 24 * 60 * 60 })
    const blocks = limiter("blocked", { points: 1, duration: 1 })

    const keys = (address: string | null, account: string | undefined) => [
      ...(account === undefined ? [] : [{ key: `account:${account.toLowerCase()}`, free: freeFailures.account }]),
      { key: `address:${address ?? "unknown"}`, free: freeFailures.address },
    ]

    const promise = <A>(run: () => Promise<A>) => Effect.promise(run)

    /** Refuse when the address has used up its attempts or the account or address is blocked. */
    const guard = (attempt: Attempt, address: string | null, account?: string) =>
      Effect.gen(function* () {
        for (const { key } of keys(address, account)) {
          const blocked = yield* promise(() => blocks.get(key))
          if (blocked !== null && blocked.consumedPoints > 1) return yield* tooMany(retryAfter(blocked))
        }
        const consumed = yield* Effect.either(
          Effect.tryPromise({
            try: () => attempts[attempt].consume(`address:${address ?? "unknown"}`),
            catch: (e) => e,
          }),
        )
        if (consumed._tag === "Left") {
          if (consumed.left instanceof RateLimiterRes) return yield* tooMany(retryAfter(consumed.left))
          return yield* Effect.die(consumed.left)
        }
      })

    /** A failure counts toward `key`'s consecutive failures; past `free` of them, each blocks twice as long. */
    const penalise = (key: string, free: number) =>
      Effect.gen(function* () {
        const counted = yield* promise(() => failures.penalty(key, 1))
        const over = counted.consumedPoints - free
        if (over >= 0) yield* promise(() => blocks.block(key, Math.min(2 ** over, maxBlockSeconds)))
      })

    /** A failed attempt: count it, and block once the free failures are used up. */
    const failed = (address: string | null, account?: string) =>
      Effect.forEach(keys(address, account), ({ key, free }) => penalise(key, free), { discard: true })

    /** A successful sign-in: the account starts afresh. */
    const succeeded = (account: string) =>
      Effect.all(
        [
          promise(() => failures.delete(`account:${account.toLowerCase()}`)),
          promise(() => blocks.delete(`account:${account.toLowerCase()}`)),
        ],
        { discard: true },
      )

    const userKey = (attempt: UserAttempt, userId: string) => `${attempt}:${userId}`

    /** Refuse when the user has used up this kind of attempt or is blocked after failures. */
    const guardUser = (attempt: UserAttempt, userId: string) =>
      Effect.gen(function* () {
        const key = userKey(attempt, userId)
        const blocked = yield* promise(() => blocks.get(key))
        if (blocked !== null && blocked.consumedPoints > 1) return yield* tooMany(retryAfter(blocked))
        const consumed = yield* Effect.either(
          Effect.tryPromise({ try: () => userAttempts[attempt].consume(key), catch: (e) => e }),
        )
        if (consumed._tag === "Left") {
          if (consumed.left instanceof RateLimiterRes) return yield* tooMany(retryAfter(consumed.left))
          return yield* Effect.die(consumed.left)
        }
      })

    const failedUser = (attempt: UserAttempt, userId: string) => penalise(userKey(attempt, userId), freeFailures.user)

    const succeededUser = (attempt: UserAttempt, userId: string) =>
      Effect.all(
        [
          promise(() => failures.delete(userKey(attempt, userId))),
          promise(() => blocks.delete(userKey(attempt, userId))),
        ],
        { discard: true },
      )

    return { guard, failed, succeeded, guardUser, failedUser, succeededUser }
  }),
}) {}
