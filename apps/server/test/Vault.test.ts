/**
 * The vault's server side through the real HTTP server and the derived
 * client: lifecycle, lock state and the 423 contract, wrap validation,
 * content-key compare-and-swap, and one user's vault out of another's reach.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { VaultApi } from "@ignition/api"
import { Entropy, WrappedKey } from "@ignition/vault"
import { Duration, Effect, Redacted } from "effect"
import { sql } from "kysely"
import { Database } from "../src/Database/Database.js"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"
import {
  base64url,
  createVault,
  failure,
  fakeEnvelope,
  fakeWrap,
  field,
  floorPolicy,
  type Member,
  member,
  newKid,
  random,
  send,
  vaultRequest,
  wrapJson,
} from "./support/Vault.js"

const auditOf = (userId: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{ action: string; details: Record<string, unknown>; actor_user_id: string | null }>`
        select action, details, actor_user_id from security_audit where subject_user_id = ${userId} order by id`.execute(
        q,
      ),
    ),
  ).pipe(Effect.map((result) => result.rows))

const lockVault = (m: Member, reason: VaultApi.LockReason = "manual") => m.client.vault.lock({ payload: { reason } })

const unlockVault = (m: Member, proof: Uint8Array) =>
  m.client.vault.unlock({ payload: { unlockProof: Redacted.make(proof) } })

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })("the vault", (it) => {
  it.effect("lifecycle: create, read, lock, unlock, add and revoke a wrap, rotate the content key", () =>
    Effect.gen(function* () {
      const me = yield* member("ada")
      const vaultId = randomUUID()
      const kek = random(32)
      // A real passphrase wrap from @ignition/vault, at the floor so the test stays quick.
      const wrap = yield* WrappedKey.wrap(
        kek,
        { type: "passphrase", passphrase: Redacted.make("a long and private vault passphrase") },
        { userId: me.userId, vaultId, credentialId: "passphrase" },
        floorPolicy,
      ).pipe(Effect.provide(Entropy.layer))
      const fixture = vaultRequest(me.userId, { vaultId, wrap })

      const created = yield* me.client.vault.create({ payload: fixture.request })
      assert.strictEqual<string>(created.vaultId, vaultId)
      assert.deepInclude(created.lock, { locked: false, epoch: 0, reason: null, lockedAt: null })
      assert.strictEqual(created.policyVersion, 2)
      assert.strictEqual(created.currentKid, fixture.kid)
      assert.strictEqual(created.enforceTier, "standard")
      assert.lengthOf(created.wraps, 1)
      assert.strictEqual(created.wraps[0]?.credentialType, "passphrase")
      // The wrap comes back byte for byte, and still opens with the passphrase.
      assert.deepStrictEqual(wrapJson(created.wraps[0]?.wrap ?? wrap), wrapJson(wrap))
      const reopened = yield* WrappedKey.unwrap(
        created.wraps[0]?.wrap ?? wrap,
        { type: "passphrase", passphrase: Redacted.make("a long and private vault passphrase") },
        { userId: me.userId, vaultId },
      )
      assert.deepStrictEqual(reopened, kek)
      assert.deepStrictEqual(
        created.contentKeys.map((key) => [key.kid, key.retiredAt]),
        [[fixture.kid, null]],
      )

      const again = yield* failure(me.client.vault.create({ payload: vaultRequest(me.userId).request }))
      assert.deepInclude(again, { _tag: "Conflict", message: "You already have a vault" })

      const locked = yield* lockVault(me, "idle")
      assert.deepInclude(locked, { locked: true, epoch: 1, reason: "idle" })
      assert.isNotNull(locked.lockedAt)
      // Locking a locked vault changes nothing: the epoch counts transitions.
      assert.deepInclude(yield* lockVault(me, "hidden"), { locked: true, epoch: 1, reason: "idle" })
      // Ciphertext stays readable while locked.
      const whileLocked = yield* me.client.vault.get()
      assert.isTrue(whileLocked.lock.locked)
      assert.lengthOf(whileLocked.wraps, 1)

      assert.deepInclude(yield* unlockVault(me, fixture.proof), {
        locked: false,
        epoch: 1,
        reason: null,
        lockedAt: null,
      })
      assert.deepInclude(yield* me.client.vault.lockStatus(), { locked: false, epoch: 1 })

      const passkey = fakeWrap({ userId: me.userId, vaultId, credentialType: "passkey", credentialId: "cred-1" })
      const added = yield* me.client.vault.addWrap({ payload: { wrap: passkey } })
      assert.strictEqual(added.credentialType, "passkey")
      assert.strictEqual(added.credentialId, "cred-1")
      assert.strictEqual(added.policyVersion, 2)
      assert.lengthOf((yield* me.client.vault.get()).wraps, 2)
      yield* me.client.vault.revokeWrap({ path: { id: added.id } })
      assert.deepStrictEqual(
        (yield* me.client.vault.get()).wraps.map((w) => w.credentialType),
        ["passphrase"],
      )

      const kid = newKid()
      const rotated = yield* me.client.vault.rotateContentKey({
        payload: { kid, wrapped: fakeEnvelope(), expectedCurrentKid: fixture.kid },
      })
      assert.strictEqual(rotated.kid, kid)
      const after = yield* me.client.vault.get()
      assert.strictEqual(after.currentKid, kid)
      assert.isNotNull(after.lastRotatedAt)
      assert.deepStrictEqual(
        after.contentKeys.map((key) => [key.kid, key.retiredAt === null]),
        [
          [fixture.kid, false],
          [kid, true],
        ],
      )

      const entries = yield* auditOf(me.userId)
      const actions = entries.map((entry) => entry.action).filter((action) => action.startsWith("vault."))
      assert.deepStrictEqual(actions, [
        "vault.created",
        "vault.lock",
        "vault.unlock",
        "vault.wrap_added",
        "vault.wrap_revoked",
        "vault.content_key_rotated",
      ])
      assert.deepInclude(entries.find((entry) => entry.action === "vault.lock")?.details ?? {}, {
        reason: "idle",
        epoch: 1,
      })
      // Neither the audit log nor the server's log holds the proof or any part of a wrap.
      const secrets = [base64url(fixture.proof), base64url(wrap.cipher), base64url(wrap.nonce), base64url(kek)]
      const { logs } = yield* TestServer
      for (const secret of secrets) {
        assert.notInclude(JSON.stringify(entries), secret)
        assert.notInclude(logs.join("\n"), secret)
      }
    }),
  )

  it.effect("a user without a vault gets 404 on reads and 423 on E2EE writes", () =>
    Effect.gen(function* () {
      const me = yield* member("novault")
      assert.strictEqual((yield* failure(me.client.vault.get()))._tag, "VaultNotFound")
      assert.strictEqual((yield* failure(me.client.vault.lockStatus()))._tag, "VaultNotFound")
      assert.strictEqual((yield* failure(lockVault(me)))._tag, "VaultNotFound")
      assert.strictEqual((yield* failure(me.client.vault.recoveryCodes()))._tag, "VaultNotFound")
      const refused = yield* failure(
        me.client.vault.addWrap({ payload: { wrap: fakeWrap({ userId: me.userId, vaultId: randomUUID() }) } }),
      )
      assert.deepInclude(refused, { _tag: "VaultLocked", epoch: 0 })
      const raw = yield* send(me, "GET", "/api/vault")
      assert.strictEqual(raw.status, 404)
      assert.strictEqual(field(raw.body, "_tag"), "VaultNotFound")
    }),
  )

  it.effect("every guarded mutation answers 423 VaultLocked while locked, and works after unlock", () =>
    Effect.gen(function* () {
      const me = yield* member("locked")
      const vault = yield* createVault(me)
      const passkey = fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "passkey" })
      const kept = yield* me.client.vault.addWrap({ payload: { wrap: passkey } })
      yield* lockVault(me, "logout")

      const attempts = {
        addWrap: send(me, "POST", "/api/vault/wraps", {
          wrap: wrapJson(fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "passkey" })),
        }),
        revokeWrap: send(me, "DELETE", `/api/vault/wraps/${kept.id}`),
        rotateContentKey: send(me, "POST", "/api/vault/content-keys", {
          kid: newKid(),
          wrapped: { v: 1, kid: "kek", iv: base64url(random(12)), ct: base64url(random(48)) },
          expectedCurrentKid: vault.kid,
        }),
        generateRecoveryCodes: send(me, "POST", "/api/vault/recovery-codes/generate", { codes: [] }),
      }
      for (const [name, attempt] of Object.entries(attempts)) {
        const answer = yield* attempt
        assert.strictEqual(answer.status, 423, name)
        assert.deepStrictEqual(
          answer.body,
          { _tag: "VaultLocked", epoch: 1, message: "The vault is locked: unlock it, then try again" },
          name,
        )
      }
      // Nothing changed.
      const unchanged = yield* me.client.vault.get()
      assert.lengthOf(unchanged.wraps, 2)
      assert.lengthOf(unchanged.contentKeys, 1)

      yield* unlockVault(me, vault.proof)
      const second = fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "passkey" })
      yield* me.client.vault.addWrap({ payload: { wrap: second } })
      yield* me.client.vault.revokeWrap({ path: { id: kept.id } })
      yield* me.client.vault.rotateContentKey({
        payload: { kid: newKid(), wrapped: fakeEnvelope(), expectedCurrentKid: vault.kid },
      })
      const after = yield* me.client.vault.get()
      assert.lengthOf(after.wraps, 2)
      assert.lengthOf(after.contentKeys, 2)
    }),
  )

  it.effect("a wrong unlock proof is 403; repeated failures are refused with 429 and Retry-After", () =>
    Effect.gen(function* () {
      const me = yield* member("guesser")
      const vault = yield* createVault(me)
      yield* lockVault(me)
      for (let i = 0; i < 5; i++) {
        const wrong = yield* failure(unlockVault(me, random(32)))
        assert.strictEqual(wrong._tag, "WrongUnlockProof")
      }
      const blocked = yield* send(me, "POST", "/api/vault/unlock", { unlockProof: base64url(vault.proof) })
      assert.strictEqual(blocked.status, 429)
      assert.strictEqual(field(blocked.body, "_tag"), "TooManyRequests")
      const retryAfter = Number(blocked.headers.get("retry-after"))
      assert.isAtLeast(retryAfter, 1)
      assert.isTrue((yield* me.client.vault.lockStatus()).locked, "still locked")
      yield* Effect.sleep(Duration.seconds(retryAfter + 0.2))
      assert.isFalse((yield* unlockVault(me, vault.proof)).locked)
      const failures = (yield* auditOf(me.userId)).filter((entry) => entry.action === "vault.unlock_failed")
      assert.lengthOf(failures, 5)
      // Another user is not slowed down by this one's failures.
      const other = yield* member("bystander")
      const theirs = yield* createVault(other)
      yield* lockVault(other)
      assert.isFalse((yield* unlockVault(other, theirs.proof)).locked)
    }),
  )

  it.effect("an unlock proof that is not 32 bytes of base64url is a 400 naming the field", () =>
    Effect.gen(function* () {
      const me = yield* member("shortproof")
      yield* createVault(me)
      const short = yield* send(me, "POST", "/api/vault/unlock", { unlockProof: base64url(random(16)) })
      assert.strictEqual(short.status, 400)
      assert.strictEqual(field(short.body, "_tag"), "HttpApiDecodeError")
      assert.match(String(field(short.body, "message")), /unlockProof/)
      const badReason = yield* send(me, "POST", "/api/vault/lock", { reason: "bored" })
      assert.strictEqual(badReason.status, 400)
    }),
  )

  it.effect("malformed wraps and envelopes are 400s that name the field; nothing is stored", () =>
    Effect.gen(function* () {
      const me = yield* member("malformed")
      const vault = yield* createVault(me)
      const good = wrapJson(fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "passkey" }))
      const cases: ReadonlyArray<readonly [string, unknown, RegExp]> = [
        ["no kdf memory", { ...good, kdf: { alg: "argon2id", t: 2, p: 1, salt: good.kdf.salt } }, /\["m"\]/],
        ["short nonce", { ...good, nonce: base64url(random(8)) }, /nonce must be 12 bytes/],
        ["nonce not base64url", { ...good, nonce: "***" }, /\["nonce"\]/],
        ["unknown wrap version", { ...good, wrap_version: "v9" }, /\["wrap_version"\]/],
        ["aad without user", { ...good, aad: { ...good.aad, user_id: undefined } }, /\["user_id"\]/],
      ]
      for (const [name, wrap, pattern] of cases) {
        const answer = yield* send(me, "POST", "/api/vault/wraps", { wrap })
        assert.strictEqual(answer.status, 400, name)
        assert.strictEqual(field(answer.body, "_tag"), "HttpApiDecodeError", name)
        assert.match(String(field(answer.body, "message")), /\["wrap"\]/, name)
        assert.match(String(field(answer.body, "message")), pattern, name)
      }
      const envelope = { v: 1, kid: "kek", iv: base64url(random(12)), ct: base64url(random(48)) }
      const envelopes: ReadonlyArray<readonly [string, unknown, RegExp]> = [
        ["short iv", { ...envelope, iv: base64url(random(4)) }, /iv must be 12 bytes/],
        ["no tag", { ...envelope, ct: base64url(random(8)) }, /ct must hold at least the 16-byte tag/],
        ["unknown version", { ...envelope, v: 2 }, /\["v"\]/],
        ["bad kid", { ...envelope, kid: "not a kid!" }, /\["kid"\]/],
      ]
      for (const [name, wrapped, pattern] of envelopes) {
        const answer = yield* send(me, "POST", "/api/vault/content-keys", {
          kid: newKid(),
          wrapped,
          expectedCurrentKid: vault.kid,
        })
        assert.strictEqual(answer.status, 400, name)
        assert.match(String(field(answer.body, "message")), /\["wrapped"\]/, name)
        assert.match(String(field(answer.body, "message")), pattern, name)
      }
      const stored = yield* me.client.vault.get()
      assert.lengthOf(stored.wraps, 1)
      assert.lengthOf(stored.contentKeys, 1)
    }),
  )

  it.effect("weak or inconsistent wraps are refused with 400 WeakWrapRefused", () =>
    Effect.gen(function* () {
      const me = yield* member("weak")
      const vault = yield* createVault(me)
      const base = { userId: me.userId, vaultId: vault.vaultId, credentialId: "second-passphrase" }
      const weak: ReadonlyArray<readonly [string, ReturnType<typeof fakeWrap>, RegExp]> = [
        [
          "Argon2id below the floor",
          fakeWrap({ ...base, kdf: { alg: "argon2id", m: 1024, t: 2, p: 1, salt: random(16) } }),
          /below the floor/,
        ],
        [
          "one pass",
          fakeWrap({ ...base, kdf: { alg: "argon2id", m: 65536, t: 1, p: 1, salt: random(16) } }),
          /below the floor/,
        ],
        ["short salt", fakeWrap({ ...base, kdf: { alg: "argon2id", m: 65536, t: 3, p: 1, salt: random(8) } }), /salt/],
        ["a passphrase through HKDF", fakeWrap({ ...base, kdf: { alg: "hkdf-sha256", salt: random(16) } }), /Argon2id/],
        ["an unknown policy", fakeWrap({ ...base, policyVersion: 9 }), /Unknown crypto policy v9/],
        [
          "the read-only v1 policy",
          {
            ...fakeWrap({ ...base, policyVersion: 1 }),
            wrap_version: "v1",
            kdf: { alg: "pbkdf2-sha256", iterations: 100_000, salt: random(16) },
          },
          /read-only/,
        ],
      ]
      for (const [name, wrap, pattern] of weak) {
        const refused = yield* failure(me.client.vault.addWrap({ payload: { wrap } }))
        assert.strictEqual(refused._tag, "WeakWrapRefused", name)
        assert.match(refused.message, pattern, name)
      }
      // The same checks apply when the vault is created.
      const other = yield* member("weakcreate")
      const fixture = vaultRequest(other.userId)
      const weakCreate = yield* failure(
        other.client.vault.create({
          payload: new VaultApi.CreateVaultRequest({
            ...fixture.request,
            wrap: fakeWrap({
              userId: other.userId,
              vaultId: fixture.vaultId,
              kdf: { alg: "argon2id", m: 1024, t: 2, p: 1, salt: random(16) },
            }),
          }),
        }),
      )
      assert.strictEqual(weakCreate._tag, "WeakWrapRefused")
      assert.strictEqual((yield* failure(other.client.vault.get()))._tag, "VaultNotFound")
      assert.lengthOf((yield* me.client.vault.get()).wraps, 1)
    }),
  )

  it.effect("a wrap bound to another user, vault or credential type is refused with 400", () =>
    Effect.gen(function* () {
      const me = yield* member("binder")
      const vault = yield* createVault(me)
      const cases: ReadonlyArray<readonly [string, ReturnType<typeof fakeWrap>]> = [
        ["wrap.aad.user_id", fakeWrap({ userId: randomUUID(), vaultId: vault.vaultId, credentialType: "passkey" })],
        ["wrap.aad.vault_id", fakeWrap({ userId: me.userId, vaultId: randomUUID(), credentialType: "passkey" })],
        [
          "wrap.aad.credential_type",
          fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "recovery-code" }),
        ],
      ]
      for (const [path, wrap] of cases) {
        const refused = yield* failure(me.client.vault.addWrap({ payload: { wrap } }))
        assert.deepInclude(refused, { _tag: "WrapBindingMismatch", field: path })
      }
      // At creation, the wrap must name the vault and the policy the request names.
      const other = yield* member("bindcreate")
      const fixture = vaultRequest(other.userId)
      const elsewhere = yield* failure(
        other.client.vault.create({
          payload: new VaultApi.CreateVaultRequest({
            ...fixture.request,
            wrap: fakeWrap({ userId: other.userId, vaultId: randomUUID() }),
          }),
        }),
      )
      assert.deepInclude(elsewhere, { _tag: "WrapBindingMismatch", field: "wrap.aad.vault_id" })
      const otherPolicy = yield* failure(
        other.client.vault.create({
          payload: new VaultApi.CreateVaultRequest({
            ...fixture.request,
            wrap: fakeWrap({ userId: other.userId, vaultId: fixture.vaultId, policyVersion: 3 }),
          }),
        }),
      )
      assert.deepInclude(otherPolicy, { _tag: "WrapBindingMismatch", field: "wrap.aad.policy_version" })
    }),
  )

  it.effect("replacing a wrap revokes the old one in the same request; the last passphrase wrap stays", () =>
    Effect.gen(function* () {
      const me = yield* member("replacer")
      const vault = yield* createVault(me)
      const original = vault.info.wraps[0]
      assert.isDefined(original)
      const lastOne = yield* failure(me.client.vault.revokeWrap({ path: { id: original?.id ?? "" } }))
      assert.strictEqual(lastOne._tag, "Conflict")
      // A passphrase change: the new wrap replaces the old one.
      const changed = yield* me.client.vault.addWrap({
        payload: { wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId }), replaces: original?.id },
      })
      const wraps = (yield* me.client.vault.get()).wraps
      assert.deepStrictEqual(
        wraps.map((w) => w.id),
        [changed.id],
      )
      const gone = yield* failure(
        me.client.vault.addWrap({
          payload: { wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId }), replaces: original?.id },
        }),
      )
      assert.strictEqual(gone._tag, "NotFound")
      // One live wrap per credential.
      const twice = yield* failure(
        me.client.vault.addWrap({ payload: { wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId }) } }),
      )
      assert.strictEqual(twice._tag, "Conflict")
      // A passkey cannot stand in for the passphrase.
      const passkeyInstead = yield* failure(
        me.client.vault.addWrap({
          payload: {
            wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialType: "passkey" }),
            replaces: changed.id,
          },
        }),
      )
      assert.strictEqual(passkeyInstead._tag, "Conflict")
      // With a second passphrase wrap, one may go.
      const second = yield* me.client.vault.addWrap({
        payload: { wrap: fakeWrap({ userId: me.userId, vaultId: vault.vaultId, credentialId: "second" }) },
      })
      yield* me.client.vault.revokeWrap({ path: { id: changed.id } })
      assert.deepStrictEqual(
        (yield* me.client.vault.get()).wraps.map((w) => w.id),
        [second.id],
      )
      assert.strictEqual((yield* failure(me.client.vault.revokeWrap({ path: { id: randomUUID() } })))._tag, "NotFound")
    }),
  )

  it.effect("two devices rotating the content key at once: one 201, one 409, nothing lost", () =>
    Effect.gen(function* () {
      const me = yield* member("racer")
      const vault = yield* createVault(me)
      const kids = [newKid(), newKid()] as const
      const results = yield* Effect.all(
        kids.map((kid) =>
          send(me, "POST", "/api/vault/content-keys", {
            kid,
            wrapped: { v: 1, kid: "kek", iv: base64url(random(12)), ct: base64url(random(48)) },
            expectedCurrentKid: vault.kid,
          }),
        ),
        { concurrency: "unbounded" },
      )
      const statuses = results.map((answer) => answer.status).sort()
      assert.deepStrictEqual(statuses, [201, 409])
      const winner = results.findIndex((answer) => answer.status === 201)
      const loser = results.find((answer) => answer.status === 409)
      const winningKid = kids[winner] ?? ""
      assert.deepStrictEqual(loser?.body && { ...(loser.body as object), message: "" }, {
        _tag: "ContentKeyConflict",
        currentKid: winningKid,
        message: "",
      })
      const after = yield* me.client.vault.get()
      assert.strictEqual(after.currentKid, winningKid)
      assert.deepStrictEqual(
        after.contentKeys.map((key) => [key.kid, key.retiredAt === null]),
        [
          [vault.kid, false],
          [winningKid, true],
        ],
      )
      // The loser rotates again from the key it now knows.
      const retry = yield* me.client.vault.rotateContentKey({
        payload: { kid: newKid(), wrapped: fakeEnvelope(), expectedCurrentKid: after.currentKid },
      })
      assert.strictEqual((yield* me.client.vault.get()).currentKid, retry.kid)
      assert.lengthOf((yield* me.client.vault.get()).contentKeys, 3)
      const reused = yield* failure(
        me.client.vault.rotateContentKey({
          payload: { kid: vault.kid, wrapped: fakeEnvelope(), expectedCurrentKid: retry.kid },
        }),
      )
      assert.strictEqual(reused._tag, "Conflict")
    }),
  )

  it.effect("another user can neither see nor touch my vault, wraps or codes", () =>
    Effect.gen(function* () {
      const alice = yield* member("alice")
      const bob = yield* member("bob")
      const hers = yield* createVault(alice)
      const passkey = yield* alice.client.vault.addWrap({
        payload: { wrap: fakeWrap({ userId: alice.userId, vaultId: hers.vaultId, credentialType: "passkey" }) },
      })
      assert.strictEqual((yield* failure(bob.client.vault.get()))._tag, "VaultNotFound")
      assert.strictEqual((yield* failure(bob.client.vault.lockStatus()))._tag, "VaultNotFound")
      // Bob cannot unlock hers with her proof, nor lock it.
      assert.strictEqual(
        (yield* failure(bob.client.vault.unlock({ payload: { unlockProof: Redacted.make(hers.proof) } })))._tag,
        "VaultNotFound",
      )
      assert.strictEqual((yield* failure(lockVault(bob)))._tag, "VaultNotFound")

      const his = yield* createVault(bob)
      assert.strictEqual((yield* failure(bob.client.vault.revokeWrap({ path: { id: passkey.id } })))._tag, "NotFound")
      assert.strictEqual(
        (yield* failure(
          bob.client.vault.addWrap({
            payload: {
              wrap: fakeWrap({ userId: bob.userId, vaultId: his.vaultId }),
              replaces: hers.info.wraps[0]?.id,
            },
          }),
        ))._tag,
        "NotFound",
      )
      // A wrap aimed at her vault is refused, whoever sends it.
      assert.deepInclude(
        yield* failure(
          bob.client.vault.addWrap({
            payload: { wrap: fakeWrap({ userId: alice.userId, vaultId: hers.vaultId, credentialType: "passkey" }) },
          }),
        ),
        { _tag: "WrapBindingMismatch" },
      )
      // Her current kid means nothing to his vault.
      assert.deepInclude(
        yield* failure(
          bob.client.vault.rotateContentKey({
            payload: { kid: newKid(), wrapped: fakeEnvelope(), expectedCurrentKid: hers.kid },
          }),
        ),
        { _tag: "ContentKeyConflict", currentKid: his.kid },
      )
      // His unlock proof does not open hers and vice versa; her lock is hers alone.
      yield* lockVault(alice)
      assert.isFalse((yield* bob.client.vault.lockStatus()).locked)
      assert.strictEqual(
        (yield* failure(bob.client.vault.unlock({ payload: { unlockProof: Redacted.make(hers.proof) } })))._tag,
        "WrongUnlockProof",
      )
      const theirs = yield* alice.client.vault.get()
      assert.isTrue(theirs.lock.locked)
      assert.lengthOf(theirs.wraps, 2)
      assert.deepStrictEqual(
        theirs.contentKeys.map((key) => key.kid),
        [hers.kid],
      )
    }),
  )
})
