/**
 * Sync and the REST endpoints are one write path over the same tables: a
 * change through `PUT /api/settings` or the knowledge-base endpoints is in
 * the next pull, a pushed change is what the REST reads return, the
 * knowledge base's compare-and-swap holds across both (a push from a stale
 * base makes a conflict copy and leaves the record alone), and a locked
 * vault refuses encrypted writes on both paths with 423, consuming nothing.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { Protocol } from "@ignition/sync"
import { Effect, Redacted } from "effect"
import { envelope, envelopeJson } from "../support/KnowledgeBase.js"
import * as TestServerLayer from "../support/TestServer.js"
import { createVault, failure, type Member, member, password, vaultRequest } from "../support/Vault.js"

const phone = Protocol.ClientId.make("phone")

const mutation = (mutationSeq: number, entity: string, op: string, args: unknown): Protocol.Mutation => ({
  mutationSeq,
  mutationId: `m${mutationSeq}-${randomUUID().slice(0, 8)}`,
  entity,
  op,
  args,
})

const push = (m: Member, mutations: ReadonlyArray<Protocol.Mutation>) =>
  m.client.sync.push({ payload: { protocolVersion: Protocol.PROTOCOL_VERSION, clientId: phone, mutations } })

const pullAll = (m: Member, cursor?: string) =>
  m.client.sync.pull({ urlParams: { clientId: phone, ...(cursor === undefined ? {} : { cursor }) } })

const ideaValue = (bpm: number) => ({
  mode: "standard",
  content: envelopeJson(),
  meta: null,
  key: "Am",
  bpm,
  moodTags: ["warm"],
})

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })(
  "sync and REST: one source of truth",
  (it) => {
    it.effect("settings: a REST change is pulled, a pushed change is what GET /api/settings returns", () =>
      Effect.gen(function* () {
        const me = yield* member("truth-settings")
        yield* me.client.settings.update({ payload: { theme: "dark" } })
        const first = yield* pullAll(me)
        assert.deepStrictEqual(first.changes, [
          {
            _tag: "put",
            entity: "settings",
            id: "settings",
            version: 1,
            value: { fields: { theme: "dark" }, stamps: { theme: 1 } },
          },
        ])
        // Saving what is already there changes nothing the log would carry.
        yield* me.client.settings.update({ payload: { theme: "dark" } })
        assert.isFalse((yield* me.client.sync.poll({ urlParams: { clientId: phone, cursor: first.cursor } })).changed)

        const pushed = yield* push(me, [
          mutation(1, "settings", "set", {
            id: "settings",
            fields: { locale: "de-CH", defaultPrivacyMode: "private" },
          }),
        ])
        assert.strictEqual(pushed.results[0]?._tag, "applied")
        const document = yield* me.client.settings.get()
        assert.strictEqual(document.settings.locale, "de-CH")
        assert.strictEqual(document.settings.defaultPrivacyMode, "private")
        assert.strictEqual(document.settings.theme, "dark")
        const next = yield* pullAll(me, first.cursor)
        assert.deepStrictEqual(
          next.changes.map((change) => (change._tag === "put" ? change.value : null)),
          [
            {
              fields: { theme: "dark", locale: "de-CH", defaultPrivacyMode: "private" },
              stamps: { theme: 1, locale: 2, defaultPrivacyMode: 2 },
            },
          ],
        )
        const otherDocument = yield* push(me, [
          mutation(2, "settings", "set", { id: "mine", fields: { theme: "light" } }),
        ])
        assert.strictEqual(otherDocument.results[0]?._tag, "rejected")
      }),
    )

    it.effect("knowledge base: REST writes are pulled; pushed writes are what the REST list returns", () =>
      Effect.gen(function* () {
        const me = yield* member("truth-kb")
        yield* createVault(me)
        const id = randomUUID()
        const created = yield* me.client.ideas.create({
          payload: { id, mode: "standard", content: envelope(), key: "F#m", bpm: 128, moodTags: ["dark"] },
        })
        yield* me.client.ideas.update({
          path: { id },
          payload: { baseVersion: created.version, mode: "standard", content: envelope(), key: "Gm", bpm: 126 },
        })
        const page = yield* pullAll(me)
        assert.strictEqual(page.changes.length, 1)
        const change = page.changes[0]
        assert.strictEqual(change?._tag, "put")
        const value = change?._tag === "put" ? (change.value as Record<string, unknown>) : {}
        assert.deepInclude(value, { mode: "standard", meta: null, key: "Gm", bpm: 126, moodTags: [] })

        // A push from the version the phone saw wins; the REST list shows it.
        const pushed = yield* push(me, [
          mutation(1, "ideas", "put", { id, baseVersion: change?.version, value: ideaValue(90) }),
        ])
        assert.strictEqual(pushed.results[0]?._tag, "applied")
        const listed = yield* me.client.ideas.list({ urlParams: {} })
        assert.deepStrictEqual(
          listed.items.map((item) => [item.id, item.version, item.bpm]),
          [[id, 3, 90]],
        )

        // The REST compare-and-swap sees the push: version 2 is stale now.
        const stale = yield* failure(
          me.client.ideas.update({
            path: { id },
            payload: { baseVersion: 2, mode: "standard", content: envelope(), bpm: 100 },
          }),
        )
        assert.strictEqual(stale._tag, "RecordConflict")

        // A push from a stale base becomes a conflict copy beside the record, which stays as it was.
        const copied = yield* push(me, [
          mutation(2, "ideas", "put", { id, baseVersion: change?.version, value: ideaValue(70) }),
        ])
        const copy = copied.results[0]
        assert.strictEqual(copy?._tag === "applied" ? copy.conflictCopyId?.startsWith(`${id}~conflict~`) : false, true)
        assert.strictEqual((yield* me.client.ideas.list({ urlParams: {} })).items[0]?.bpm, 90)

        // A REST delete is a tombstone in the log; a pushed create is a REST record.
        yield* me.client.ideas.remove({ path: { id }, payload: { baseVersion: 3 } })
        const other = randomUUID()
        yield* push(me, [mutation(3, "ideas", "put", { id: other, baseVersion: null, value: ideaValue(110) })])
        const after = yield* pullAll(me, page.cursor)
        assert.deepStrictEqual(
          after.changes.map((entry) => [entry._tag, entry.id]),
          // The log keeps each row's latest state: the pushed edit of `id` is superseded by its deletion.
          [
            ["put", copy?._tag === "applied" ? copy.conflictCopyId : ""],
            ["deleted", id],
            ["put", other],
          ],
        )
        assert.deepStrictEqual(
          (yield* me.client.ideas.list({ urlParams: {} })).items.map((item) => [item.id, item.version, item.bpm]),
          [[other, 1, 110]],
        )
        // Values the REST endpoint refuses are refused as pushes too, and the queue moves on.
        const refused = yield* push(me, [
          mutation(4, "infobase", "put", {
            id: randomUUID(),
            baseVersion: null,
            value: { mode: "standard", content: envelopeJson(), meta: null, title: null, category: null, tags: [] },
          }),
        ])
        assert.deepStrictEqual(refused.results[0]?._tag, "rejected")
        assert.strictEqual(refused.lastMutationSeq, 4)
      }),
    )

    it.effect("a vault reset turns the log's encrypted rows into tombstones, as the REST endpoints lose them", () =>
      Effect.gen(function* () {
        const me = yield* member("truth-reset")
        yield* createVault(me)
        const id = randomUUID()
        yield* me.client.ideas.create({ payload: { id, mode: "standard", content: envelope(), moodTags: [] } })
        yield* me.client.settings.update({ payload: { theme: "light" } })
        const before = yield* pullAll(me)
        yield* me.client.vault.reset({
          payload: {
            confirmation: "RESET MY VAULT",
            password: Redacted.make(password),
            vault: vaultRequest(me.userId).request,
          },
        })
        const after = yield* pullAll(me, before.cursor)
        assert.deepStrictEqual(
          after.changes.map((change) => [change._tag, change.entity, change.id]),
          [["deleted", "ideas", id]],
        )
        assert.lengthOf((yield* me.client.ideas.list({ urlParams: {} })).items, 0)
      }),
    )

    it.effect("a locked vault refuses encrypted pushes with 423 and consumes nothing; after unlock they apply", () =>
      Effect.gen(function* () {
        const me = yield* member("truth-lock")
        const id = randomUUID()
        const put = mutation(1, "journal", "put", {
          id,
          baseVersion: null,
          value: { mode: "standard", content: envelopeJson(), meta: null, entryDate: "2026-11-22", tags: [] },
        })
        const noVault = yield* failure(push(me, [put]))
        assert.strictEqual(noVault._tag, "VaultLocked")
        const vault = yield* createVault(me)
        yield* me.client.vault.lock({ payload: { reason: "manual" } })
        const settingsFirst = yield* failure(
          push(me, [
            mutation(1, "settings", "set", { id: "settings", fields: { theme: "light" } }),
            { ...put, mutationSeq: 2 },
          ]),
        )
        assert.strictEqual(settingsFirst._tag, "VaultLocked")
        // The settings change before it committed; the journal entry was not consumed.
        const page = yield* pullAll(me)
        assert.strictEqual(page.lastMutationSeq, 1)
        assert.deepStrictEqual(
          page.changes.map((change) => change.entity),
          ["settings"],
        )
        yield* me.client.vault.unlock({ payload: { unlockProof: Redacted.make(vault.proof) } })
        const retried = yield* push(me, [
          mutation(1, "settings", "set", { id: "settings", fields: { theme: "light" } }),
          { ...put, mutationSeq: 2 },
        ])
        assert.deepStrictEqual(
          retried.results.map((result) => result._tag),
          ["duplicate", "applied"],
        )
        const entries = yield* me.client.journal.list({ urlParams: {} })
        assert.deepStrictEqual(
          entries.items.map((entry) => [entry.id, entry.entryDate]),
          [[id, "2026-11-22"]],
        )
      }),
    )
  },
)
