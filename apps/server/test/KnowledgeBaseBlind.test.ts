/**
 * The proof that the server is blind: a real client (`Keyring` from
 * `@ignition/vault`: real Argon2id at the floor, real AES-GCM) creates a
 * vault over HTTP, encrypts known plaintext — a distinctive canary in the
 * content of every kind and in the metadata of Private records — and
 * writes it through the API (create, update, restore, delete). Then every
 * table of the database, every row cast to text, and every line the server
 * logged are scanned for the canary, as text and in the encodings a leak
 * could hide behind (hex, base64url at each alignment): zero hits. The scan
 * is shown to work by a second canary written on purpose into a Standard
 * record's plaintext title, which it must find.
 */
import { randomBytes, randomUUID } from "node:crypto"
import { assert, layer } from "@effect/vitest"
import { VaultApi } from "@ignition/api"
import { Keyring } from "@ignition/vault"
import { Effect, Redacted } from "effect"
import { sql } from "kysely"
import { Database } from "../src/Database/Database.js"
import * as TestServerLayer from "./support/TestServer.js"
import { TestServer } from "./support/TestServer.js"
import { floorPolicy, member } from "./support/Vault.js"

/** The forms a canary could take in storage: as is, hex, and base64url at each byte alignment. */
const forms = (canary: string): ReadonlyArray<string> => {
  const bytes = Buffer.from(canary, "utf8")
  const base64 = [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64url")
    // Keep only the characters that depend on the canary's bytes alone.
    return encoded.slice(offset === 0 ? 0 : 4, encoded.length - 4)
  })
  return [canary, bytes.toString("hex"), ...base64]
}

/** Every base table of the database's current schema. */
const tables = Effect.flatMap(Database, (db) =>
  db.execute((q) =>
    sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'
      order by table_name`.execute(q),
  ),
).pipe(Effect.map((result) => result.rows.map((row) => row.table_name)))

/** Where the canary (in any of its forms) appears: `table` per matching row, `log` per matching line. */
const scan = (canary: string) =>
  Effect.gen(function* () {
    const db = yield* Database
    const needles = forms(canary).map((form) => form.toLowerCase())
    const found = (text: string) => {
      const lower = text.toLowerCase()
      return needles.some((needle) => lower.includes(needle))
    }
    const hits: Array<string> = []
    for (const table of yield* tables) {
      const rows = yield* db.execute((q) =>
        sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(q),
      )
      for (const { row } of rows.rows) if (found(row)) hits.push(table)
    }
    const { logs } = yield* TestServer
    for (const line of logs) if (found(line)) hits.push("log")
    return hits
  })

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })(
  "a blind server",
  (it) => {
    it.effect(
      "stores and logs nothing of what a real client encrypted, and the scan finds plaintext when there is some",
      () =>
        Effect.gen(function* () {
          const canary = `QUASAR-${randomBytes(8).toString("hex")}-MARMALADE`
          const me = yield* member("blind")
          const keyring = yield* Keyring.Keyring
          const vaultId = randomUUID()
          const created = yield* keyring.create(
            { userId: me.userId, vaultId },
            Redacted.make("a long and private vault passphrase"),
            floorPolicy,
          )
          yield* me.client.vault.create({
            payload: new VaultApi.CreateVaultRequest({
              vaultId: VaultApi.VaultId.make(vaultId),
              policyVersion: 2,
              unlockProof: Redacted.make(created.unlockProof),
              wrap: created.passphraseWrap,
              contentKey: created.contentKey,
            }),
          })
          const seal = (recordType: string, recordId: string, text: string) =>
            keyring.sealString({ recordType, recordId }, text)

          // Ideas: a Standard one (content secret, harmless plaintext metadata) and a Private one.
          const idea = randomUUID()
          yield* me.client.ideas.create({
            payload: {
              id: idea,
              mode: "standard",
              content: yield* seal("idea", idea, `hook in F#m ${canary}`),
              key: "F#m",
              bpm: 128,
              moodTags: ["dark"],
            },
          })
          const privateIdea = randomUUID()
          yield* me.client.ideas.create({
            payload: {
              id: privateIdea,
              mode: "private",
              content: yield* seal("idea", privateIdea, `a private idea ${canary}`),
              meta: yield* seal("idea.meta", privateIdea, JSON.stringify({ key: "Dm", bpm: 90, moodTags: [canary] })),
            },
          })

          // Infobase: a Private note, edited and restored (three versions), and a Standard one.
          const note = randomUUID()
          const noteMeta = (title: string) =>
            seal("infobase.meta", note, JSON.stringify({ title, category: canary, tags: [canary] }))
          yield* me.client.infobase.create({
            payload: {
              id: note,
              mode: "private",
              content: yield* seal("infobase", note, `# Notes\n${canary}`),
              meta: yield* noteMeta(`Title ${canary}`),
            },
          })
          yield* me.client.infobase.update({
            path: { id: note },
            payload: {
              baseVersion: 1,
              mode: "private",
              content: yield* seal("infobase", note, `# Notes, edited\n${canary}`),
              meta: yield* noteMeta(`Edited ${canary}`),
            },
          })
          yield* me.client.infobase.restore({ path: { id: note, version: 1 }, payload: { baseVersion: 2 } })
          const standardNote = randomUUID()
          yield* me.client.infobase.create({
            payload: {
              id: standardNote,
              mode: "standard",
              content: yield* seal("infobase", standardNote, `body ${canary}`),
              title: "Compression",
            },
          })

          // Journal: a Private entry, and one deleted (a tombstone).
          for (const id of [randomUUID(), randomUUID()]) {
            yield* me.client.journal.create({
              payload: {
                id,
                mode: "private",
                content: yield* seal("journal", id, `dear diary ${canary}`),
                meta: yield* seal("journal.meta", id, JSON.stringify({ entryDate: "2025-03-14", tags: [canary] })),
              },
            })
          }
          const gone = (yield* me.client.journal.list({ urlParams: {} })).items[0]
          yield* me.client.journal.remove({ path: { id: gone?.id ?? "" }, payload: { baseVersion: 1 } })

          // What comes back opens with the client's keys: the canary really went through the server.
          const ideas = yield* me.client.ideas.list({ urlParams: {} })
          const opened = yield* Effect.forEach(ideas.items, (item) =>
            keyring.openString({ recordType: "idea", recordId: item.id }, item.content),
          )
          assert.lengthOf(opened, 2)
          for (const text of opened) assert.include(text, canary)
          const restored = (yield* me.client.infobase.list({ urlParams: {} })).items.find((item) => item.id === note)
          assert.strictEqual(restored?.version, 3)
          assert.include(
            yield* keyring.openString(
              { recordType: "infobase.meta", recordId: note },
              restored?.meta ?? created.contentKey.wrapped,
            ),
            `Title ${canary}`,
          )

          assert.isAbove((yield* TestServer).logs.length, 10, "the server logged the requests")
          const scanned = yield* tables
          assert.includeMembers(
            [...scanned],
            ["knowledge_items", "knowledge_item_versions", "security_audit", "sync_rows", "vaults"],
          )
          assert.deepStrictEqual(yield* scan(canary), [], "the canary is nowhere in the database or the log")

          // The scan can fail: plaintext metadata of a Standard record is found, in the record, its version and the sync log.
          const sanity = `PLAINTEXT-${randomBytes(8).toString("hex")}-TITLE`
          yield* me.client.infobase.create({
            payload: {
              id: randomUUID(),
              mode: "standard",
              content: yield* seal("infobase", randomUUID(), "x"),
              title: sanity,
            },
          })
          assert.deepStrictEqual(yield* scan(sanity), ["knowledge_item_versions", "knowledge_items", "sync_rows"])
          assert.deepStrictEqual(yield* scan(canary), [])
        }).pipe(Effect.provide(Keyring.layerLive())),
    )
  },
)
