/**
 * Vault reset through the real HTTP server: refused without a fresh
 * re-authentication and the exact confirmation (nothing destroyed); when
 * allowed, the vault, its wraps, keys and codes and every encrypted record
 * registered with the reset hooks go in one transaction, a new vault takes
 * their place, and the session is rotated.
 */
import { randomUUID } from "node:crypto"
import { HttpApiBuilder } from "@effect/platform"
import { assert, layer } from "@effect/vitest"
import { VaultApi } from "@ignition/api"
import { Effect, Layer, Redacted, Ref } from "effect"
import { sql } from "kysely"
import { Database } from "../src/Database/Database.js"
import { makeGroupsLive } from "../src/Server.js"
import { encryptedTable, VaultResetHooks } from "../src/Vault/ResetHooks.js"
import { TestApi, TestGroupLive } from "./support/TestApi.js"
import * as TestServerLayer from "./support/TestServer.js"
import { browser } from "./support/TestServer.js"
import { createVault, failure, fakeWrap, type Member, member, password, random, vaultRequest } from "./support/Vault.js"

/** A stand-in for a later domain's encrypted table, registered like one would be. */
const notesTable = "test_encrypted_notes"

const api = HttpApiBuilder.api(TestApi).pipe(
  Layer.provide([makeGroupsLive(VaultResetHooks.layer([encryptedTable(notesTable)])), TestGroupLive]),
  Layer.orDie,
)

const ensureNotes = Effect.flatMap(Database, (db) =>
  db.execute((q) =>
    sql`create table if not exists ${sql.table(notesTable)} (
          id uuid primary key default gen_random_uuid(),
          user_id uuid not null references users (id) on delete cascade,
          envelope jsonb not null
        )`.execute(q),
  ),
)

const addNotes = (userId: string, count: number) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql`insert into ${sql.table(notesTable)} (user_id, envelope)
          select ${userId}, '{"v":1}'::jsonb from generate_series(1, ${count})`.execute(q),
    ),
  )

const countWhere = (table: string, column: string, value: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{
        n: number
      }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${value}`.execute(q),
    ),
  ).pipe(Effect.map((result) => result.rows[0]?.n ?? -1))

const auditActions = (userId: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{ action: string; details: Record<string, unknown> }>`
        select action, details from security_audit where subject_user_id = ${userId} order by id`.execute(q),
    ),
  ).pipe(Effect.map((result) => result.rows))

/** A member with a vault that holds something in every vault table, and two encrypted notes. */
const populated = (name: string) =>
  Effect.gen(function* () {
    yield* ensureNotes
    const me = yield* member(name)
    const vault = yield* createVault(me)
    yield* me.client.vault.addWrap({
      payload: { wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "passkey" }) },
    })
    const codes = Array.from({ length: 10 }, () => {
      const id = randomUUID()
      return {
        id,
        verifier: Redacted.make(random(32)),
        wrap: fakeWrap({
          userId: me.userId,
          vaultId: vault.vaultId,
          credentialType: "recovery-code",
          credentialId: id,
        }),
      }
    })
    yield* me.client.vault.generateRecoveryCodes({ payload: { codes } })
    yield* addNotes(me.userId, 2)
    return { me, vault }
  })

const resetRequest = (m: Member, extra: Partial<{ confirmation: string; password: string }> = {}) => {
  const next = vaultRequest(m.userId)
  return {
    next,
    payload: new VaultApi.ResetVaultRequest({
      confirmation: extra.confirmation ?? VaultApi.resetConfirmation,
      ...(extra.password === undefined ? {} : { password: Redacted.make(extra.password) }),
      vault: next.request,
    }),
  }
}

layer(TestServerLayer.layer({ config: { trustProxy: true }, api }), { excludeTestServices: true })(
  "vault reset",
  (it) => {
    it.effect("refused without the exact confirmation or the right password; nothing is destroyed", () =>
      Effect.gen(function* () {
        const { me, vault } = yield* populated("careful")
        const attempts = [
          ["confirmation", resetRequest(me, { confirmation: "reset my vault", password })],
          ["password", resetRequest(me)],
          ["password", resetRequest(me, { password: "not-the-password-at-all" })],
        ] as const
        for (const [reason, request] of attempts) {
          const refused = yield* failure(me.client.vault.reset({ payload: request.payload }))
          assert.deepInclude(refused, { _tag: "ResetRefused", reason })
        }
        const intact = yield* me.client.vault.get()
        assert.strictEqual(intact.vaultId, vault.vaultId)
        assert.lengthOf(intact.wraps, 12)
        assert.lengthOf(yield* me.client.vault.recoveryCodes(), 10)
        assert.strictEqual(yield* countWhere(notesTable, "user_id", me.userId), 2)
        const refusals = (yield* auditActions(me.userId)).filter((entry) => entry.action === "vault.reset_refused")
        assert.deepStrictEqual(
          refusals.map((entry) => entry.details.reason),
          ["confirmation", "password", "password"],
        )
      }),
    )

    it.effect("a new vault that does not validate is a 400, and the old vault stays", () =>
      Effect.gen(function* () {
        const { me, vault } = yield* populated("sloppy")
        const next = vaultRequest(me.userId)
        const refused = yield* failure(
          me.client.vault.reset({
            payload: new VaultApi.ResetVaultRequest({
              confirmation: VaultApi.resetConfirmation,
              password: Redacted.make(password),
              vault: new VaultApi.CreateVaultRequest({
                ...next.request,
                wrap: fakeWrap({ userId: me.userId, vaultId: randomUUID() }),
              }),
            }),
          }),
        )
        assert.deepInclude(refused, { _tag: "WrapBindingMismatch", field: "wrap.aad.vault_id" })
        assert.strictEqual((yield* me.client.vault.get()).vaultId, vault.vaultId)
        assert.strictEqual(yield* countWhere(notesTable, "user_id", me.userId), 2)
      }),
    )

    it.effect(
      "reset destroys the vault and the user's encrypted records, makes the new vault, rotates the session",
      () =>
        Effect.gen(function* () {
          const { me, vault } = yield* populated("fresh-start")
          const { me: neighbour } = yield* populated("neighbour")
          yield* me.client.vault.lock({ payload: { reason: "manual" } })
          const before = yield* me.client.auth.session()
          const oldJar = yield* Ref.get(me.cookies)

          const { next, payload } = resetRequest(me, { password })
          const info = yield* me.client.vault.reset({ payload })
          assert.strictEqual(info.vaultId, next.vaultId)
          assert.deepInclude(info.lock, { locked: false, epoch: 0 })
          assert.deepStrictEqual(
            info.wraps.map((wrap) => [wrap.credentialType, wrap.wrap.aad.vault_id]),
            [["passphrase", next.vaultId]],
          )
          assert.strictEqual(info.currentKid, next.kid)
          assert.lengthOf(yield* me.client.vault.recoveryCodes(), 0)
          // The old vault's rows are gone, not merely revoked.
          for (const table of ["vault_key_wraps", "vault_content_keys", "recovery_codes"]) {
            assert.strictEqual(yield* countWhere(table, "vault_id", vault.vaultId), 0, table)
          }
          assert.strictEqual(yield* countWhere("vaults", "id", vault.vaultId), 0)
          assert.strictEqual(yield* countWhere(notesTable, "user_id", me.userId), 0)
          // Someone else's vault and records are untouched.
          assert.strictEqual(yield* countWhere(notesTable, "user_id", neighbour.userId), 2)
          assert.lengthOf((yield* neighbour.client.vault.get()).wraps, 12)
          // The new vault unlocks with the new proof.
          yield* me.client.vault.lock({ payload: { reason: "manual" } })
          yield* me.client.vault.unlock({ payload: { unlockProof: Redacted.make(next.proof) } })

          // The session was rotated: the new token works, the old one is dead.
          const after = yield* me.client.auth.session()
          assert.notStrictEqual(after.session.id, before.session.id)
          const stale = yield* browser
          yield* Ref.set(stale.cookies, oldJar)
          assert.strictEqual((yield* failure(stale.client.auth.session()))._tag, "Unauthorized")

          const entries = yield* auditActions(me.userId)
          const resetEntry = entries.find((entry) => entry.action === "vault.reset")
          assert.deepInclude(resetEntry?.details ?? {}, {
            previousVault: vault.vaultId,
            vault: next.vaultId,
            recordsPurged: 2,
          })
          assert.isTrue(entries.some((entry) => entry.action === "session_rotated"))
        }),
    )

    it.effect("without a password, a session younger than five minutes may reset; an older one may not", () =>
      Effect.gen(function* () {
        const db = yield* Database
        const { me, vault } = yield* populated("oidc-only")
        // As an account made through an OpenID provider or with a passkey: no password.
        yield* db.execute((q) => q.deleteFrom("password_credentials").where("user_id", "=", me.userId).execute())
        const ok = yield* me.client.vault.reset({ payload: resetRequest(me).payload })
        assert.notStrictEqual(ok.vaultId, vault.vaultId)

        yield* db.execute((q) =>
          sql`update sessions set created_at = now() - interval '10 minutes'
              where user_id = ${me.userId} and revoked_at is null`.execute(q),
        )
        const stale = yield* failure(me.client.vault.reset({ payload: resetRequest(me).payload }))
        assert.deepInclude(stale, { _tag: "ResetRefused", reason: "stale_session" })
        assert.strictEqual((yield* me.client.vault.get()).vaultId, ok.vaultId)
      }),
    )
  },
)
