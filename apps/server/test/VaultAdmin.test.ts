/**
 * The crypto policy registry and what administrators may do to vaults:
 * publish a stronger policy (never a weaker one, never below the clients'
 * floor) and force-lock a user's vault — nothing that reads it.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Account, CryptoPolicyApi } from "@ignition/api"
import { CryptoPolicy } from "@ignition/vault"
import { Effect, Option, Redacted } from "effect"
import { sql } from "kysely"
import { Database } from "../src/Database/Database.js"
import * as TestServerLayer from "./support/TestServer.js"
import { createVault, failure, fakeWrap, member, send, vaultRequest } from "./support/Vault.js"

const setupToken = "vault-admin-tests-setup-token-0123"

const rotate = (kdf: { m: number; t: number; p: number }) =>
  new CryptoPolicyApi.RotatePolicyRequest({ kdf: { alg: "argon2id", ...kdf } })

layer(TestServerLayer.layer({ config: { setupToken: Option.some(Redacted.make(setupToken)), trustProxy: true } }), {
  excludeTestServices: true,
})("vault administration", (it) => {
  // The first test makes the administrator; the others reuse it.
  const admin = Effect.cached(member("root", setupToken)).pipe(Effect.runSync)

  it.effect("an administrator force-locks a user's vault; the user's writes then answer 423", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const user = yield* member("suspect")
      const vault = yield* createVault(user)
      const status = yield* root.client.vaultAdmin.forceLock({ path: { userId: Account.UserId.make(user.userId) } })
      assert.deepInclude(status, { locked: true, epoch: 1, reason: "admin" })
      assert.deepInclude(yield* user.client.vault.lockStatus(), { locked: true, epoch: 1, reason: "admin" })
      const refused = yield* failure(
        user.client.vault.addWrap({
          payload: { wrap: fakeWrap({ userId: user.userId, vaultId: vault.vaultId, credentialType: "passkey" }) },
        }),
      )
      assert.deepInclude(refused, { _tag: "VaultLocked", epoch: 1 })
      // Again: already locked, the epoch stays; still audited.
      assert.deepInclude(
        yield* root.client.vaultAdmin.forceLock({ path: { userId: Account.UserId.make(user.userId) } }),
        {
          epoch: 1,
        },
      )
      const db = yield* Database
      const audit = yield* db.execute((q) =>
        sql<{ actor_user_id: string; details: Record<string, unknown> }>`
          select actor_user_id, details from security_audit
          where subject_user_id = ${user.userId} and action = 'vault.force_lock' order by id`.execute(q),
      )
      assert.deepStrictEqual(
        audit.rows.map((row) => [row.actor_user_id, row.details.alreadyLocked]),
        [
          [root.userId, false],
          [root.userId, true],
        ],
      )
      // The user unlocks with their own proof.
      yield* user.client.vault.unlock({ payload: { unlockProof: Redacted.make(vault.proof) } })

      const member2 = yield* member("plain")
      const notAdmin = yield* failure(
        member2.client.vaultAdmin.forceLock({ path: { userId: Account.UserId.make(user.userId) } }),
      )
      assert.deepInclude(notAdmin, { _tag: "Forbidden", reason: "admin_required" })
      assert.strictEqual(
        (yield* failure(root.client.vaultAdmin.forceLock({ path: { userId: Account.UserId.make(member2.userId) } })))
          ._tag,
        "VaultNotFound",
      )
      assert.strictEqual(
        (yield* failure(root.client.vaultAdmin.forceLock({ path: { userId: Account.UserId.make(randomUUID()) } })))
          ._tag,
        "VaultNotFound",
      )
    }),
  )

  it.effect("the registry: v1 (read-only, deprecated) and v2 (current); each passes the client's own check", () =>
    Effect.gen(function* () {
      const user = yield* member("reader")
      const { current, policies } = yield* user.client.cryptoPolicy.list()
      assert.deepStrictEqual(
        policies.map((policy) => policy.version),
        [1, 2],
      )
      assert.deepStrictEqual(current, CryptoPolicy.v2)
      assert.deepStrictEqual(policies[0], CryptoPolicy.v1)
      for (const policy of policies) yield* CryptoPolicy.check(policy, "read")
      assert.deepStrictEqual(yield* user.client.cryptoPolicy.get({ path: { version: 1 } }), CryptoPolicy.v1)
      assert.strictEqual((yield* failure(user.client.cryptoPolicy.get({ path: { version: 7 } })))._tag, "NotFound")
      const notANumber = yield* send(user, "GET", "/api/crypto-policy/abc")
      assert.strictEqual(notANumber.status, 400)
    }),
  )

  it.effect("publishing a policy: admins only, never below the floor nor weaker; every vault is then due", () =>
    Effect.gen(function* () {
      const root = yield* admin
      const user = yield* member("upgrader")
      const vault = yield* createVault(user)
      assert.isNull(vault.info.nextRotationDue)

      const notAdmin = yield* failure(user.client.cryptoPolicy.rotate({ payload: rotate({ m: 131072, t: 3, p: 1 }) }))
      assert.deepInclude(notAdmin, { _tag: "Forbidden", reason: "admin_required" })
      const refusals: ReadonlyArray<readonly [string, { m: number; t: number; p: number }, RegExp]> = [
        ["below the floor", { m: 1024, t: 2, p: 1 }, /below the floor/],
        ["one pass", { m: 131072, t: 1, p: 1 }, /below the floor/],
        ["beyond what a client computes", { m: 4 * 1024 * 1024, t: 3, p: 1 }, /exceeds/],
        ["weaker than v2", { m: 32768, t: 4, p: 1 }, /weaker than the current policy v2/],
        ["the same as v2", { m: 65536, t: 3, p: 1 }, /must raise/],
      ]
      for (const [name, kdf, pattern] of refusals) {
        const refused = yield* failure(root.client.cryptoPolicy.rotate({ payload: rotate(kdf) }))
        assert.strictEqual(refused._tag, "CryptoPolicyRefused", name)
        assert.match(refused.message, pattern, name)
      }
      assert.strictEqual((yield* root.client.cryptoPolicy.list()).current.version, 2)

      const published = yield* root.client.cryptoPolicy.rotate({ payload: rotate({ m: 131072, t: 3, p: 1 }) })
      assert.deepInclude(published, { version: 3, deprecated: false })
      const { current, policies } = yield* user.client.cryptoPolicy.list()
      assert.strictEqual(current.version, 3)
      assert.deepStrictEqual(
        policies.map((policy) => [policy.version, policy.deprecated]),
        [
          [1, true],
          [2, true],
          [3, false],
        ],
      )
      yield* CryptoPolicy.check(current, "write")

      // Every vault is due for a re-wrap; the client re-wraps its passphrase at the next unlock.
      const due = yield* user.client.vault.get()
      assert.isNotNull(due.nextRotationDue)
      assert.strictEqual(due.policyVersion, 2)
      const passphrase = due.wraps.find((wrap) => wrap.credentialType === "passphrase")
      yield* user.client.vault.addWrap({
        payload: {
          wrap: fakeWrap({
            userId: user.userId,
            vaultId: vault.vaultId,
            policyVersion: 3,
            kdf: { alg: "argon2id", m: 131072, t: 3, p: 1, salt: new Uint8Array(16).fill(1) },
          }),
          replaces: passphrase?.id,
        },
      })
      const upgraded = yield* user.client.vault.get()
      assert.strictEqual(upgraded.policyVersion, 3)
      assert.isNull(upgraded.nextRotationDue)
      // A deprecated policy still takes new wraps (a client without the upgrade yet), and stays due.
      const late = yield* member("late")
      const lateVault = yield* late.client.vault.create({ payload: vaultRequest(late.userId).request })
      assert.strictEqual(lateVault.policyVersion, 2)
      assert.isNotNull(lateVault.nextRotationDue)

      const db = yield* Database
      const audit = yield* db.execute((q) =>
        sql<{ actor_user_id: string; details: Record<string, unknown> }>`
          select actor_user_id, details from security_audit where action = 'crypto_policy.rotated'`.execute(q),
      )
      assert.deepStrictEqual(
        audit.rows.map((row) => [row.actor_user_id, row.details.version, row.details.m]),
        [[root.userId, 3, 131072]],
      )
      // Two administrators publishing at once: one wins, the other is told.
      const [a, b] = yield* Effect.all(
        [
          Effect.either(root.client.cryptoPolicy.rotate({ payload: rotate({ m: 262144, t: 3, p: 1 }) })),
          Effect.either(root.client.cryptoPolicy.rotate({ payload: rotate({ m: 262144, t: 4, p: 1 }) })),
        ],
        { concurrency: "unbounded" },
      )
      const outcomes = [a, b].map((outcome) => (outcome._tag === "Right" ? "published" : outcome.left._tag)).sort()
      assert.isTrue(
        JSON.stringify(outcomes) === JSON.stringify(["Conflict", "published"]) ||
          JSON.stringify(outcomes) === JSON.stringify(["CryptoPolicyRefused", "published"]) ||
          JSON.stringify(outcomes) === JSON.stringify(["published", "published"]),
        String(outcomes),
      )
      const versions = (yield* root.client.cryptoPolicy.list()).policies.map((policy) => policy.version)
      assert.deepStrictEqual(
        versions,
        [...versions].sort((x, y) => x - y),
      )
      assert.strictEqual(new Set(versions).size, versions.length)
    }),
  )
})
