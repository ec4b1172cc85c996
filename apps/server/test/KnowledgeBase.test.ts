/**
 * The knowledge base (ideas, infobase, journal) through the real HTTP server
 * and the derived client: CRUD in both privacy modes, compare-and-swap on
 * `baseVersion` (409 with the server's record; two racing saves, one
 * winner), 423 while locked, 413 over the per-record limit (and a 1 MiB
 * record through the body limit), 404 for unknown and foreign ids, 400
 * naming the field, version history and restore, vault reset, and the purge
 * of expired tombstones and versions on a controlled clock.
 */
import { randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import type { KnowledgeBase as KB } from "@ignition/api"
import { Effect, Either, Layer, Redacted, TestClock, TestContext } from "effect"
import { KnowledgeBase } from "../src/KnowledgeBase/Http.js"
import { Pokes } from "../src/Sync/Pokes.js"
import { VaultRepo } from "../src/Vault/Repo.js"
import { envelope, envelopeJson, rowsOf, sameBytes } from "./support/KnowledgeBase.js"
import * as TestServerLayer from "./support/TestServer.js"
import { createVault, failure, field, type Member, member, password, send, vaultRequest } from "./support/Vault.js"

const day = 24 * 60 * 60 * 1000

const lock = (m: Member) => m.client.vault.lock({ payload: { reason: "manual" } })

const newIdea = (m: Member, overrides: Partial<typeof KB.idea.Create.Type> = {}) =>
  m.client.ideas.create({
    payload: {
      id: randomUUID(),
      mode: "standard",
      content: envelope(),
      key: "F#m",
      bpm: 128,
      moodTags: ["dark"],
      ...overrides,
    },
  })

const newNote = (m: Member, overrides: Partial<typeof KB.infobase.Create.Type> = {}) =>
  m.client.infobase.create({
    payload: {
      id: randomUUID(),
      mode: "standard",
      content: envelope(),
      title: "Sidechain",
      category: "mixing",
      ...overrides,
    },
  })

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })(
  "the knowledge base",
  (it) => {
    it.effect(
      "ideas: create, list, update and delete in Standard and Private mode; a retried create is idempotent",
      () =>
        Effect.gen(function* () {
          const me = yield* member("ideas")
          yield* createVault(me)
          const content = envelope()
          const id = randomUUID()
          const standard = yield* me.client.ideas.create({
            payload: { id, mode: "standard", content, key: "F#m", bpm: 128, moodTags: ["dark", "rolling"] },
          })
          assert.deepInclude(standard, {
            type: "idea",
            id,
            mode: "standard",
            version: 1,
            meta: null,
            key: "F#m",
            bpm: 128,
          })
          assert.deepStrictEqual(standard.moodTags, ["dark", "rolling"])
          assert.isTrue(sameBytes(standard.content.ct, content.ct) && sameBytes(standard.content.iv, content.iv))

          // The same create again (a retry after a lost answer) returns the record; different content is a conflict.
          const retried = yield* me.client.ideas.create({
            payload: { id, mode: "standard", content, key: "F#m", bpm: 128, moodTags: ["dark", "rolling"] },
          })
          assert.strictEqual(retried.version, 1)
          const taken = yield* failure(
            me.client.ideas.create({ payload: { id, mode: "standard", content: envelope() } }),
          )
          assert.strictEqual(taken._tag, "RecordConflict")
          if (taken._tag === "RecordConflict") {
            assert.strictEqual(taken.currentVersion, 1)
            assert.isTrue(sameBytes(taken.current?.content.ct ?? new Uint8Array(), content.ct))
          }

          // Defaults: no key or BPM, no mood tags.
          const bare = yield* me.client.ideas.create({
            payload: { id: randomUUID(), mode: "standard", content: envelope() },
          })
          assert.deepInclude(bare, { key: null, bpm: null })
          assert.deepStrictEqual(bare.moodTags, [])

          const meta = envelope()
          const hidden = yield* me.client.ideas.create({
            payload: { id: randomUUID(), mode: "private", content: envelope(), meta },
          })
          assert.deepInclude(hidden, { mode: "private", key: null, bpm: null, moodTags: null })
          assert.isTrue(sameBytes(hidden.meta?.ct ?? new Uint8Array(), meta.ct))

          const updated = yield* me.client.ideas.update({
            path: { id },
            payload: { baseVersion: 1, mode: "standard", content: envelope(), key: "Dm", bpm: 90 },
          })
          assert.deepInclude(updated, { version: 2, key: "Dm", bpm: 90 })
          assert.deepStrictEqual(updated.moodTags, [])

          // Standard → Private: the plaintext metadata goes, the meta envelope comes.
          const privatised = yield* me.client.ideas.update({
            path: { id },
            payload: { baseVersion: 2, mode: "private", content: envelope(), meta: envelope() },
          })
          assert.deepInclude(privatised, { version: 3, mode: "private", key: null, bpm: null, moodTags: null })

          const listed = yield* me.client.ideas.list({ urlParams: {} })
          assert.deepStrictEqual(
            listed.items.map((item) => item.id),
            [id, hidden.id, bare.id],
            "newest updated first",
          )
          assert.isNull(listed.nextCursor)
          const first = yield* me.client.ideas.list({ urlParams: { limit: 2 } })
          assert.lengthOf(first.items, 2)
          assert.isString(first.nextCursor)
          const second = yield* me.client.ideas.list({ urlParams: { limit: 2, cursor: first.nextCursor ?? "" } })
          assert.deepStrictEqual(
            second.items.map((item) => item.id),
            [bare.id],
          )
          assert.strictEqual((yield* send(me, "GET", "/api/ideas?cursor=nonsense")).status, 400)

          const tombstone = yield* me.client.ideas.remove({ path: { id }, payload: { baseVersion: 3 } })
          assert.deepInclude(tombstone, { type: "idea", id, version: 4 })
          // A retried delete answers the same; the record is gone from the list.
          assert.strictEqual((yield* me.client.ideas.remove({ path: { id }, payload: { baseVersion: 3 } })).version, 4)
          assert.notInclude(
            (yield* me.client.ideas.list({ urlParams: {} })).items.map((item) => item.id),
            id,
          )
          // Editing a deleted record is a conflict that says so (the client keeps a copy).
          const edited = yield* failure(
            me.client.ideas.update({
              path: { id },
              payload: { baseVersion: 3, mode: "standard", content: envelope() },
            }),
          )
          assert.deepInclude(edited, { _tag: "RecordConflict", deleted: true, current: null, currentVersion: 4 })
        }),
    )

    it.effect("infobase and journal: both modes, version history, restore as a new version", () =>
      Effect.gen(function* () {
        const me = yield* member("notes")
        yield* createVault(me)
        const v1 = envelope()
        const note = yield* newNote(me, { content: v1, tags: ["eq"] })
        assert.deepInclude(note, { type: "infobase", version: 1, title: "Sidechain", category: "mixing" })
        const v2 = yield* me.client.infobase.update({
          path: { id: note.id },
          payload: { baseVersion: 1, mode: "standard", content: envelope(), title: "Sidechain compression" },
        })
        assert.deepInclude(v2, { version: 2, title: "Sidechain compression", category: null })
        const history = yield* me.client.infobase.versions({ path: { id: note.id }, urlParams: {} })
        assert.deepStrictEqual(
          history.items.map((v) => [v.version, v.title]),
          [
            [2, "Sidechain compression"],
            [1, "Sidechain"],
          ],
        )
        const restored = yield* me.client.infobase.restore({
          path: { id: note.id, version: 1 },
          payload: { baseVersion: 2 },
        })
        assert.deepInclude(restored, { version: 3, title: "Sidechain", category: "mixing" })
        assert.deepStrictEqual(restored.tags, ["eq"])
        assert.isTrue(sameBytes(restored.content.ct, v1.ct))
        assert.lengthOf((yield* me.client.infobase.versions({ path: { id: note.id }, urlParams: {} })).items, 3)
        const staleRestore = yield* failure(
          me.client.infobase.restore({ path: { id: note.id, version: 1 }, payload: { baseVersion: 2 } }),
        )
        assert.deepInclude(staleRestore, { _tag: "RecordConflict", currentVersion: 3 })
        const noVersion = yield* failure(
          me.client.infobase.restore({ path: { id: note.id, version: 9 }, payload: { baseVersion: 3 } }),
        )
        assert.strictEqual(noVersion._tag, "NotFound")

        const privateNote = yield* me.client.infobase.create({
          payload: { id: randomUUID(), mode: "private", content: envelope(), meta: envelope() },
        })
        assert.deepInclude(privateNote, { mode: "private", title: null, category: null, tags: null })

        const entry = yield* me.client.journal.create({
          payload: {
            id: randomUUID(),
            mode: "standard",
            content: envelope(),
            entryDate: "2025-03-14",
            tags: ["practice"],
          },
        })
        assert.deepInclude(entry, { type: "journal", entryDate: "2025-03-14", version: 1 })
        const hidden = yield* me.client.journal.create({
          payload: { id: randomUUID(), mode: "private", content: envelope(), meta: envelope() },
        })
        assert.deepInclude(hidden, { entryDate: null, tags: null })
        const entry2 = yield* me.client.journal.update({
          path: { id: entry.id },
          payload: { baseVersion: 1, mode: "private", content: envelope(), meta: envelope() },
        })
        assert.deepInclude(entry2, { version: 2, mode: "private", entryDate: null })
        const journalHistory = yield* me.client.journal.versions({ path: { id: entry.id }, urlParams: {} })
        assert.deepStrictEqual(
          journalHistory.items.map((v) => [v.version, v.mode, v.entryDate]),
          [
            [2, "private", null],
            [1, "standard", "2025-03-14"],
          ],
        )
        const back = yield* me.client.journal.restore({
          path: { id: entry.id, version: 1 },
          payload: { baseVersion: 2 },
        })
        assert.deepInclude(back, { version: 3, mode: "standard", entryDate: "2025-03-14", meta: null })
        assert.deepStrictEqual(
          (yield* me.client.journal.list({ urlParams: {} })).items.map((item) => item.id),
          [entry.id, hidden.id],
        )
        yield* me.client.journal.remove({ path: { id: entry.id }, payload: { baseVersion: 3 } })
        assert.strictEqual(
          (yield* failure(me.client.journal.versions({ path: { id: entry.id }, urlParams: {} })))._tag,
          "NotFound",
        )
        // Ideas keep no history.
        assert.strictEqual((yield* send(me, "GET", `/api/ideas/${randomUUID()}/versions`)).status, 404)
      }),
    )

    it.effect("a stale baseVersion is a 409 carrying the server's record; of two racing saves exactly one wins", () =>
      Effect.gen(function* () {
        const me = yield* member("race")
        yield* createVault(me)
        const note = yield* newNote(me)
        const winner = envelope()
        yield* me.client.infobase.update({
          path: { id: note.id },
          payload: { baseVersion: 1, mode: "standard", content: winner, title: "Theirs" },
        })
        const stale = yield* failure(
          me.client.infobase.update({
            path: { id: note.id },
            payload: { baseVersion: 1, mode: "standard", content: envelope(), title: "Mine" },
          }),
        )
        assert.strictEqual(stale._tag, "RecordConflict")
        if (stale._tag === "RecordConflict") {
          assert.deepInclude(stale, { currentVersion: 2, deleted: false })
          assert.deepInclude(stale.current, { id: note.id, version: 2, title: "Theirs" })
          assert.isTrue(sameBytes(stale.current?.content.ct ?? new Uint8Array(), winner.ct))
        }
        const staleDelete = yield* send(me, "DELETE", `/api/infobase/${note.id}`, { baseVersion: 1 })
        assert.strictEqual(staleDelete.status, 409)
        assert.strictEqual(field(staleDelete.body, "_tag"), "RecordConflict")
        assert.strictEqual(field(field(staleDelete.body, "current"), "title"), "Theirs")

        for (const round of [2, 3, 4]) {
          const save = (title: string) =>
            Effect.either(
              me.client.infobase.update({
                path: { id: note.id },
                payload: { baseVersion: round, mode: "standard", content: envelope(), title },
              }),
            )
          const results = yield* Effect.all([save("A"), save("B")], { concurrency: 2 })
          const won = results.filter(Either.isRight)
          const lost = results.filter(Either.isLeft)
          assert.lengthOf(won, 1, `round ${round}: one save wins`)
          assert.lengthOf(lost, 1)
          assert.strictEqual(lost[0]?.left._tag, "RecordConflict")
        }
        const history = yield* me.client.infobase.versions({ path: { id: note.id }, urlParams: {} })
        assert.deepStrictEqual(
          history.items.map((v) => v.version),
          [5, 4, 3, 2, 1],
        )
      }),
    )

    it.effect("every mutation answers 423 while the vault is locked (or absent); reads do not", () =>
      Effect.gen(function* () {
        const me = yield* member("locked")
        const noVault = yield* send(me, "POST", "/api/ideas", {
          id: randomUUID(),
          mode: "standard",
          content: envelopeJson(),
        })
        assert.strictEqual(noVault.status, 423)
        assert.deepInclude(noVault.body as object, { _tag: "VaultLocked", epoch: 0 })

        const vault = yield* createVault(me)
        const idea = yield* newIdea(me)
        const note = yield* newNote(me)
        yield* lock(me)
        const attempts = [
          send(me, "POST", "/api/ideas", { id: randomUUID(), mode: "standard", content: envelopeJson() }),
          send(me, "PUT", `/api/ideas/${idea.id}`, { baseVersion: 1, mode: "standard", content: envelopeJson() }),
          send(me, "DELETE", `/api/ideas/${idea.id}`, { baseVersion: 1 }),
          send(me, "POST", "/api/infobase", "not even json"),
          send(me, "PUT", `/api/infobase/${note.id}`, { baseVersion: 1 }),
          send(me, "DELETE", `/api/infobase/${note.id}`, { baseVersion: 1 }),
          send(me, "POST", `/api/infobase/${note.id}/versions/1/restore`, { baseVersion: 1 }),
          send(me, "POST", "/api/learn/journal", {}),
          send(me, "PUT", `/api/learn/journal/${randomUUID()}`, {}),
          send(me, "DELETE", `/api/learn/journal/${randomUUID()}`, {}),
          send(me, "POST", `/api/learn/journal/${randomUUID()}/versions/1/restore`, {}),
        ]
        for (const attempt of attempts) {
          const answer = yield* attempt
          assert.strictEqual(answer.status, 423)
          assert.deepInclude(answer.body as object, { _tag: "VaultLocked", epoch: 1 })
        }
        assert.lengthOf((yield* me.client.ideas.list({ urlParams: {} })).items, 1)
        assert.lengthOf((yield* me.client.infobase.versions({ path: { id: note.id }, urlParams: {} })).items, 1)
        assert.strictEqual((yield* me.client.ideas.list({ urlParams: {} })).items[0]?.version, 1, "nothing changed")

        yield* me.client.vault.unlock({ payload: { unlockProof: Redacted.make(vault.proof) } })
        assert.strictEqual(
          (yield* me.client.ideas.remove({ path: { id: idea.id }, payload: { baseVersion: 1 } })).version,
          2,
        )
      }),
    )

    it.effect("a record over RECORD_MAX_BYTES of ciphertext is a 413; a 1 MiB record passes the body limit", () =>
      Effect.gen(function* () {
        const me = yield* member("large")
        yield* createVault(me)
        const mib = 1024 * 1024
        const full = yield* send(me, "POST", "/api/infobase", {
          id: randomUUID(),
          mode: "private",
          content: envelopeJson(mib - 100),
          meta: envelopeJson(100),
        })
        assert.strictEqual(full.status, 201, JSON.stringify(field(full.body, "message")))
        const over = yield* send(me, "POST", "/api/infobase", {
          id: randomUUID(),
          mode: "private",
          content: envelopeJson(mib - 100),
          meta: envelopeJson(101),
        })
        assert.strictEqual(over.status, 413)
        assert.deepInclude(over.body as object, { _tag: "RecordTooLarge", limitBytes: mib, sizeBytes: mib + 1 })
        const note = yield* newNote(me)
        const bigUpdate = yield* send(me, "PUT", `/api/infobase/${note.id}`, {
          baseVersion: 1,
          mode: "standard",
          title: "x",
          content: envelopeJson(mib + 1),
        })
        assert.strictEqual(bigUpdate.status, 413)
        assert.strictEqual(field(bigUpdate.body, "_tag"), "RecordTooLarge")
        // Far beyond any record: refused before the body is read.
        const huge = yield* send(me, "POST", "/api/ideas", {
          id: randomUUID(),
          mode: "standard",
          content: envelopeJson(2 * mib),
        })
        assert.strictEqual(huge.status, 413)
        assert.strictEqual(field(huge.body, "_tag"), "PayloadTooLarge")
        // Other routes keep MAX_JSON_BODY_BYTES.
        const elsewhere = yield* send(me, "POST", "/test/echo", { note: "x".repeat(mib + 10) })
        assert.strictEqual(elsewhere.status, 413)
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 2)
        assert.strictEqual(
          (yield* me.client.infobase.versions({ path: { id: note.id }, urlParams: {} })).items.length,
          1,
          "nothing half-written",
        )
      }),
    )

    it.effect("an unknown id or another user's id is a 404 everywhere, and lists are the caller's own", () =>
      Effect.gen(function* () {
        const me = yield* member("owner")
        const other = yield* member("intruder")
        yield* createVault(me)
        yield* createVault(other)
        const idea = yield* newIdea(me)
        const note = yield* newNote(me)
        for (const id of [idea.id, randomUUID()]) {
          const put = yield* send(other, "PUT", `/api/ideas/${id}`, {
            baseVersion: 1,
            mode: "standard",
            content: envelopeJson(),
          })
          assert.strictEqual(put.status, 404)
          assert.strictEqual(field(put.body, "_tag"), "NotFound")
          assert.strictEqual((yield* send(other, "DELETE", `/api/ideas/${id}`, { baseVersion: 1 })).status, 404)
        }
        for (const id of [note.id, randomUUID()]) {
          assert.strictEqual(
            (yield* send(other, "PUT", `/api/infobase/${id}`, {
              baseVersion: 1,
              mode: "standard",
              title: "t",
              content: envelopeJson(),
            })).status,
            404,
          )
          assert.strictEqual((yield* send(other, "GET", `/api/infobase/${id}/versions`)).status, 404)
          assert.strictEqual(
            (yield* send(other, "POST", `/api/infobase/${id}/versions/1/restore`, { baseVersion: 1 })).status,
            404,
          )
          assert.strictEqual((yield* send(other, "DELETE", `/api/infobase/${id}`, { baseVersion: 1 })).status, 404)
        }
        // An id is per user: another user's record with the same id is a different record.
        const mine = yield* other.client.ideas.create({
          payload: { id: idea.id, mode: "standard", content: envelope() },
        })
        assert.strictEqual(mine.version, 1)
        assert.deepStrictEqual(
          (yield* other.client.ideas.list({ urlParams: {} })).items.map((i) => i.id),
          [idea.id],
        )
        assert.lengthOf((yield* other.client.infobase.list({ urlParams: {} })).items, 0)
        assert.deepInclude((yield* me.client.ideas.list({ urlParams: {} })).items[0], { id: idea.id, key: "F#m" })
        assert.strictEqual((yield* send(me, "PUT", "/api/ideas/not-a-uuid", {})).status, 400)
      }),
    )

    it.effect("malformed envelopes and mode/metadata mismatches are 400s naming the field", () =>
      Effect.gen(function* () {
        const me = yield* member("malformed")
        yield* createVault(me)
        const post = (path: string, body: Record<string, unknown>) =>
          send(me, "POST", path, { id: randomUUID(), mode: "standard", content: envelopeJson(), ...body })
        const expect400 = (answer: { status: number; body: unknown }, tag: string, pattern: RegExp) => {
          assert.strictEqual(answer.status, 400, JSON.stringify(answer.body))
          assert.strictEqual(field(answer.body, "_tag"), tag)
          assert.match(String(field(answer.body, "message")) + String(field(answer.body, "field") ?? ""), pattern)
        }
        expect400(yield* post("/api/ideas", { content: { ...envelopeJson(), iv: "AAAA" } }), "HttpApiDecodeError", /iv/)
        expect400(yield* post("/api/ideas", { content: { ...envelopeJson(), v: 2 } }), "HttpApiDecodeError", /\bv\b/)
        expect400(yield* post("/api/ideas", { content: { ...envelopeJson(), ct: "!!" } }), "HttpApiDecodeError", /ct/)
        expect400(yield* post("/api/ideas", { content: { ...envelopeJson(), kid: "" } }), "HttpApiDecodeError", /kid/)
        expect400(yield* post("/api/ideas", { content: undefined }), "HttpApiDecodeError", /content/)
        expect400(yield* post("/api/ideas", { bpm: 500 }), "HttpApiDecodeError", /bpm/)
        expect400(yield* post("/api/ideas", { key: "H#" }), "HttpApiDecodeError", /key/)
        expect400(yield* post("/api/ideas", { id: "nope" }), "HttpApiDecodeError", /id/)
        expect400(yield* post("/api/ideas", { secret: "x" }), "HttpApiDecodeError", /secret/)
        expect400(yield* post("/api/learn/journal", { entryDate: "2025-02-30" }), "HttpApiDecodeError", /entryDate/)

        const standardWithMeta = yield* post("/api/ideas", { meta: envelopeJson() })
        expect400(standardWithMeta, "InvalidRecord", /meta/)
        assert.strictEqual(field(standardWithMeta.body, "field"), "meta")
        const privateWithTitle = yield* post("/api/infobase", {
          mode: "private",
          meta: envelopeJson(),
          title: "Leaked",
        })
        assert.strictEqual(field(privateWithTitle.body, "field"), "title")
        assert.strictEqual(privateWithTitle.status, 400)
        const privateWithoutMeta = yield* post("/api/learn/journal", { mode: "private" })
        assert.strictEqual(field(privateWithoutMeta.body, "field"), "meta")
        const undated = yield* post("/api/learn/journal", {})
        assert.strictEqual(field(undated.body, "field"), "entryDate")
        const untitled = yield* post("/api/infobase", {})
        assert.strictEqual(field(untitled.body, "field"), "title")
        const privateTags = yield* post("/api/ideas", { mode: "private", meta: envelopeJson(), moodTags: ["x"] })
        assert.strictEqual(field(privateTags.body, "field"), "moodTags")

        const note = yield* newNote(me)
        const noBase = yield* send(me, "PUT", `/api/infobase/${note.id}`, {
          mode: "standard",
          title: "t",
          content: envelopeJson(),
        })
        expect400(noBase, "HttpApiDecodeError", /baseVersion/)
        const badMode = yield* send(me, "PUT", `/api/infobase/${note.id}`, {
          baseVersion: 1,
          mode: "private",
          title: "t",
          meta: envelopeJson(),
          content: envelopeJson(),
        })
        assert.strictEqual(field(badMode.body, "field"), "title")
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 1, "nothing stored")
        assert.strictEqual((yield* me.client.infobase.list({ urlParams: {} })).items[0]?.version, 1)
      }),
    )

    it.effect("settings: defaultPrivacyMode is Standard until changed, and only the two modes are accepted", () =>
      Effect.gen(function* () {
        const me = yield* member("privacy")
        const initial = yield* me.client.settings.get()
        assert.strictEqual(initial.settings.defaultPrivacyMode, "standard")
        assert.isDefined(initial.updatedAt.defaultPrivacyMode)
        const updated = yield* me.client.settings.update({ payload: { defaultPrivacyMode: "private" } })
        assert.strictEqual(updated.settings.defaultPrivacyMode, "private")
        assert.strictEqual(updated.version, initial.version + 1)
        assert.strictEqual((yield* me.client.settings.get()).settings.defaultPrivacyMode, "private")
        const refused = yield* send(me, "PUT", "/api/settings", { defaultPrivacyMode: "secret" })
        assert.strictEqual(refused.status, 400)
        assert.match(String(field(refused.body, "message")), /defaultPrivacyMode/)
      }),
    )

    it.effect("a vault reset destroys every record, tombstone and version", () =>
      Effect.gen(function* () {
        const me = yield* member("reset")
        yield* createVault(me)
        const idea = yield* newIdea(me)
        yield* me.client.ideas.remove({ path: { id: idea.id }, payload: { baseVersion: 1 } })
        const note = yield* newNote(me)
        yield* me.client.infobase.update({
          path: { id: note.id },
          payload: { baseVersion: 1, mode: "standard", content: envelope(), title: "again" },
        })
        yield* me.client.journal.create({
          payload: { id: randomUUID(), mode: "private", content: envelope(), meta: envelope() },
        })
        const bystander = yield* member("bystander")
        yield* createVault(bystander)
        yield* newIdea(bystander)
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 3)
        assert.strictEqual(yield* rowsOf("knowledge_item_versions", me.userId), 3)

        yield* me.client.vault.reset({
          payload: {
            confirmation: "RESET MY VAULT",
            password: Redacted.make(password),
            vault: vaultRequest(me.userId).request,
          },
        })
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 0)
        assert.strictEqual(yield* rowsOf("knowledge_item_versions", me.userId), 0)
        assert.lengthOf((yield* me.client.ideas.list({ urlParams: {} })).items, 0)
        assert.strictEqual(yield* rowsOf("knowledge_items", bystander.userId), 1, "only the caller's records")
      }),
    )

    it.effect("tombstones and superseded versions expire after their retention, Private ones sooner", () =>
      Effect.gen(function* () {
        const kb = yield* Effect.provide(
          KnowledgeBase,
          KnowledgeBase.Default.pipe(Layer.provide([VaultRepo.Default, Pokes.Default])),
        )
        const me = yield* member("purge")
        yield* createVault(me)
        const publicIdea = yield* newIdea(me)
        const privateIdea = yield* me.client.ideas.create({
          payload: { id: randomUUID(), mode: "private", content: envelope(), meta: envelope() },
        })
        yield* me.client.ideas.remove({ path: { id: publicIdea.id }, payload: { baseVersion: 1 } })
        yield* me.client.ideas.remove({ path: { id: privateIdea.id }, payload: { baseVersion: 1 } })
        const publicNote = yield* newNote(me)
        yield* me.client.infobase.update({
          path: { id: publicNote.id },
          payload: { baseVersion: 1, mode: "standard", content: envelope(), title: "v2" },
        })
        const privateNote = yield* me.client.infobase.create({
          payload: { id: randomUUID(), mode: "private", content: envelope(), meta: envelope() },
        })
        yield* me.client.infobase.update({
          path: { id: privateNote.id },
          payload: { baseVersion: 1, mode: "private", content: envelope(), meta: envelope() },
        })
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 4)
        assert.strictEqual(yield* rowsOf("knowledge_item_versions", me.userId), 4)

        const purgeAt = (millis: number) =>
          Effect.gen(function* () {
            yield* TestClock.setTime(millis)
            return yield* kb.purgeExpired
          }).pipe(Effect.provide(TestContext.TestContext))
        const start = Date.now()

        yield* purgeAt(start + day)
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 4, "nothing expires in a day")
        assert.strictEqual(yield* rowsOf("knowledge_item_versions", me.userId), 4)

        yield* purgeAt(start + 8 * day)
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 3, "the Private tombstone went after 7 days")
        assert.strictEqual(yield* rowsOf("knowledge_item_versions", me.userId), 3, "and the Private note's old version")
        const ideas = yield* me.client.ideas.list({ urlParams: {} })
        assert.lengthOf(ideas.items, 0)
        assert.deepStrictEqual(
          (yield* me.client.infobase.versions({ path: { id: privateNote.id }, urlParams: {} })).items.map(
            (v) => v.version,
          ),
          [2],
        )
        assert.deepStrictEqual(
          (yield* me.client.infobase.versions({ path: { id: publicNote.id }, urlParams: {} })).items.map(
            (v) => v.version,
          ),
          [2, 1],
        )

        yield* purgeAt(start + 91 * day)
        assert.strictEqual(yield* rowsOf("knowledge_items", me.userId), 2, "the Standard tombstone went after 90 days")
        assert.strictEqual(yield* rowsOf("knowledge_item_versions", me.userId), 2, "current versions stay")
        assert.lengthOf((yield* me.client.infobase.list({ urlParams: {} })).items, 2)
      }),
    )
  },
)
