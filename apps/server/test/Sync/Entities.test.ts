/**
 * The server's entity declarations take their schemas from the contracts:
 * settings fields as `PUT /api/settings` knows them, knowledge-base values as
 * the knowledge base's record schema, under UUID ids.
 */
import { randomUUID } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { Cursor, Protocol, Server, SyncStore } from "@ignition/sync"
import { Effect, Layer } from "effect"
import * as Entities from "../../src/Sync/Entities.js"
import { envelopeJson } from "../support/KnowledgeBase.js"

const TestLayer = Layer.merge(SyncStore.layerTest, Cursor.layer(new Uint8Array(32).fill(5)))

const pushOne = (mutationSeq: number, entity: string, op: string, args: unknown) =>
  Effect.map(
    Server.push(Entities.registry, "user-1", {
      protocolVersion: Protocol.PROTOCOL_VERSION,
      clientId: "phone" as Protocol.ClientId,
      mutations: [{ mutationSeq, mutationId: `m${mutationSeq}`, entity, op, args }],
    }),
    (response) => response.results[0],
  )

describe("Sync entities", () => {
  it.effect("settings take the settings contract's fields and refuse others", () =>
    Effect.gen(function* () {
      const applied = yield* pushOne(1, "settings", "set", {
        id: "settings",
        fields: { theme: "dark", defaultPrivacyMode: "private", timeZone: "Europe/Zurich" },
      })
      assert.strictEqual(applied?._tag, "applied")
      const unknown = yield* pushOne(2, "settings", "set", { id: "settings", fields: { idleLockMinutes: 5 } })
      assert.deepStrictEqual(unknown, {
        _tag: "rejected",
        mutationSeq: 2,
        reason: "settings has no field idleLockMinutes",
      })
      const invalid = yield* pushOne(3, "settings", "set", { id: "settings", fields: { theme: "sepia" } })
      assert.strictEqual(invalid?._tag, "rejected")
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("knowledge-base values follow the record schema, under UUID ids", () =>
    Effect.gen(function* () {
      const journal = { mode: "standard", content: envelopeJson(), meta: null, entryDate: "2026-11-22", tags: ["mix"] }
      const applied = yield* pushOne(1, "journal", "put", { id: randomUUID(), baseVersion: null, value: journal })
      assert.strictEqual(applied?._tag, "applied")
      const notUuid = yield* pushOne(2, "journal", "put", { id: "note-1", baseVersion: null, value: journal })
      assert.include(notUuid?._tag === "rejected" ? notUuid.reason : "", "not an id of journal")
      const wrongKind = yield* pushOne(3, "ideas", "put", { id: randomUUID(), baseVersion: null, value: journal })
      assert.strictEqual(wrongKind?._tag, "rejected")
      const plaintext = yield* pushOne(4, "infobase", "put", {
        id: randomUUID(),
        baseVersion: null,
        value: { mode: "standard", content: { text: "plain" }, meta: null, title: "t", category: null, tags: [] },
      })
      assert.strictEqual(plaintext?._tag, "rejected")
    }).pipe(Effect.provide(TestLayer)),
  )
})
