/**
 * The `VaultUnlocked` middleware and the lock checks behind it. The
 * middleware answers 423 `VaultLocked` before a handler runs; a handler that
 * writes end-to-end-encrypted data also calls `requireUnlocked` inside its
 * transaction, which locks the vault row, so a lock that lands between the
 * middleware's check and the write still wins (the lock waits for the write
 * to commit, or the write sees the lock).
 */
import { Authentication, VaultApi } from "@ignition/api"
import { DateTime, Effect, Layer, Option, type Redacted } from "effect"
import { authenticate } from "../Auth/AuthenticationLive.js"
import { Sessions } from "../Auth/Sessions.js"
import { type VaultRecord, VaultRepo } from "./Repo.js"

/** The wire form of a vault's lock state. */
export const lockStatus = (vault: VaultRecord): VaultApi.LockStatus =>
  new VaultApi.LockStatus({
    locked: vault.lockedAt !== null,
    epoch: vault.lockEpoch,
    reason: vault.lockReason,
    lockedAt: vault.lockedAt === null ? null : DateTime.unsafeFromDate(vault.lockedAt),
  })

const noVault = new VaultApi.VaultLocked({
  epoch: 0,
  message: "There is no vault yet: create one before storing encrypted data",
})

/** The 423 for a vault, or none when it is unlocked. */
export const refusal = (vault: Option.Option<VaultRecord>): Option.Option<VaultApi.VaultLocked> =>
  Option.match(vault, {
    onNone: () => Option.some(noVault),
    onSome: (found) =>
      found.lockedAt === null
        ? Option.none()
        : Option.some(
            new VaultApi.VaultLocked({
              epoch: found.lockEpoch,
              message: "The vault is locked: unlock it, then try again",
            }),
          ),
  })

/**
 * Inside a transaction: the user's vault, its row locked until the
 * transaction ends, or 423 when it is locked or absent. Every E2EE write
 * goes through this, in the same transaction as the write.
 */
export const requireUnlocked = (userId: string) =>
  Effect.flatMap(VaultRepo, (repo) =>
    Effect.flatMap(repo.find(userId, { forUpdate: true }), (vault) =>
      Option.match(refusal(vault), {
        onNone: () => Effect.succeed(Option.getOrThrow(vault)),
        onSome: Effect.fail,
      }),
    ),
  )

/**
 * Authenticates like `Authentication` (reusing its `CurrentUser` when it ran
 * first), then refuses a locked or absent vault with 423.
 */
export const VaultUnlockedLive = Layer.effect(
  VaultApi.VaultUnlocked,
  Effect.gen(function* () {
    const sessions = yield* Sessions
    const repo = yield* VaultRepo
    const authenticateToken = authenticate(sessions, undefined)
    return {
      session: (token: Redacted.Redacted<string>) =>
        Effect.gen(function* () {
          const existing = yield* Effect.serviceOption(Authentication.CurrentUser)
          const current = Option.isSome(existing) ? existing.value : yield* authenticateToken(token)
          const refused = refusal(yield* repo.find(current.user.id))
          if (Option.isSome(refused)) return yield* refused.value
          return current
        }),
    }
  }),
)
