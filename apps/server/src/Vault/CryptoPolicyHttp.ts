/**
 * Handlers of the `cryptoPolicy` group. Publishing a policy (admin) checks
 * it against the same floor every client applies (`CryptoPolicy.check`)
 * and refuses anything not stronger than the current policy; it deprecates
 * the earlier policies and marks every vault due for a re-wrap, which
 * clients do silently at their next unlock.
 */
import { HttpApiBuilder } from "@effect/platform"
import { ApiError, Authentication, CryptoPolicyApi, IgnitionApi } from "@ignition/api"
import { CryptoPolicy } from "@ignition/vault"
import { Clock, Effect, Schema } from "effect"
import * as Audit from "../Auth/Audit.js"
import { Database } from "../Database/Database.js"
import { type PolicyRecord, VaultRepo } from "./Repo.js"

const decodePolicy = (record: PolicyRecord) =>
  Effect.orDie(
    Schema.decodeUnknown(CryptoPolicy.CryptoPolicy)({
      version: record.version,
      aead: record.aead,
      kdf: record.kdf,
      deprecated: record.deprecated,
    }),
  )

const refused = (message: string) => new CryptoPolicyApi.CryptoPolicyRefused({ message })

export const CryptoPolicyLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "cryptoPolicy", (handlers) =>
  Effect.gen(function* () {
    const db = yield* Database
    const repo = yield* VaultRepo

    const all = Effect.flatMap(repo.policies, (records) => Effect.forEach(records, decodePolicy))

    const list = Effect.flatMap(all, (policies) => {
      const current = policies.at(-1)
      return current === undefined
        ? Effect.dieMessage("the crypto policy registry is empty")
        : Effect.succeed(new CryptoPolicyApi.CryptoPolicies({ current, policies }))
    })

    const get = (version: number) =>
      Effect.flatMap(all, (policies) => {
        const found = policies.find((policy) => policy.version === version)
        return found === undefined
          ? Effect.fail(new ApiError.NotFound({ message: `No crypto policy v${version}` }))
          : Effect.succeed(found)
      })

    const rotate = (request: CryptoPolicyApi.RotatePolicyRequest) =>
      Effect.gen(function* () {
        const { user: admin } = yield* Authentication.CurrentUser
        const at = new Date(yield* Clock.currentTimeMillis)
        return yield* db
          .transaction(
            Effect.gen(function* () {
              const newest = yield* decodePolicy(yield* repo.newestPolicyForUpdate)
              const candidate = new CryptoPolicy.CryptoPolicy({
                version: newest.version + 1,
                aead: "AES-256-GCM",
                kdf: request.kdf,
                deprecated: false,
              })
              yield* Effect.mapError(CryptoPolicy.check(candidate, "write"), (refusal) => refused(refusal.message))
              const { m, t, p } = request.kdf
              if (newest.kdf.alg === "argon2id") {
                if (m < newest.kdf.m || t < newest.kdf.t) {
                  return yield* refused(
                    `Argon2id m=${m} KiB, t=${t} is weaker than the current policy v${newest.version} (m=${newest.kdf.m} KiB, t=${newest.kdf.t})`,
                  )
                }
                if (m === newest.kdf.m && t === newest.kdf.t) {
                  return yield* refused(
                    `A new policy must raise the memory or the passes of v${newest.version} (m=${newest.kdf.m} KiB, t=${newest.kdf.t})`,
                  )
                }
              }
              yield* repo.insertPolicy(candidate, at)
              const vaultsDue = yield* repo.deprecateBefore(candidate.version, at)
              yield* Audit.record({
                action: "crypto_policy.rotated",
                actor: admin.id,
                details: { version: candidate.version, m, t, p, vaultsDue },
              })
              return candidate
            }),
          )
          .pipe(
            Effect.catchTags({
              DatabaseError: Effect.die,
              Duplicate: () =>
                Effect.fail(new ApiError.Conflict({ message: "Another policy was published at the same time" })),
            }),
          )
      })

    return handlers
      .handle("list", () => list)
      .handle("get", ({ path }) => get(path.version))
      .handle("rotate", ({ payload }) => rotate(payload))
  }),
)
