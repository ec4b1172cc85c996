/**
 * Entity declarations through the server rules (the test declarations in
 * support/Entities.ts): settings merge per field across devices and refuse
 * unknown fields or invalid values; encrypted records accept only
 * envelope-shaped values; the wire schemas accept what the server produces
 * and refuse another protocol version.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import * as Cursor from "../src/Cursor.js"
import { type ClientId, PROTOCOL_VERSION, PullRequest, PullResponse, PushResponse } from "../src/Protocol.js"
import * as Server from "../src/Server.js"
import { layerTest } from "../src/SyncStore.js"
import * as Entities from "./support/Entities.js"

const envelope = { v: 1, kid: "k1", iv: "AAAAAAAAAAAAAAAA", ct: "AAAA" }
const TestLayer = Layer.merge(layerTest, Cursor.layer(new Uint8Array(32).fill(3)))
const user = "user-1"
const push = (clientId: string, mutationSeq: number, entity: string, op: string, args: unknown) =>
  Server.push(Entities.registry, user, {
    protocolVersion: PROTOCOL_VERSION,
    clientId: clientId as ClientId,
    mutations: [{ mutationSeq, mutationId: `${clientId}-${mutationSeq}`, entity, op, args }],
  })

describe("Entities", () => {
  it.effect("settings changed on two devices keep both changes, field by field", () =>
    Effect.gen(function* () {
      yield* push("phone", 1, "settings", "set", { id: "me", fields: { theme: "dark", locale: "en" } })
      yield* push("laptop", 1, "settings", "set", { id: "me", fields: { locale: "de-CH", idleLockMinutes: 15 } })
      const page = yield* Server.pull(user, {
        protocolVersion: PROTOCOL_VERSION,
        clientId: "phone" as ClientId,
        cursor: null,
        limit: 10,
      })
      assert.deepStrictEqual(page.changes, [
        {
          _tag: "put",
          entity: "settings",
          id: "me",
          version: 2,
          value: {
            fields: { theme: "dark", locale: "de-CH", idleLockMinutes: 15 },
            stamps: { theme: 1, locale: 2, idleLockMinutes: 2 },
          },
        },
      ])
      assert.deepStrictEqual(Schema.decodeUnknownSync(PullResponse)(Schema.encodeSync(PullResponse)(page)), page)
    }).pipe(Effect.provide(TestLayer)),
  )

  it.effect("refuses unknown fields, invalid values, and non-envelope journal values", () =>
    Effect.gen(function* () {
      const reasons = [
        yield* push("phone", 1, "settings", "set", { id: "me", fields: { colour: "red" } }),
        yield* push("phone", 2, "settings", "set", { id: "me", fields: { idleLockMinutes: 0 } }),
        yield* push("phone", 3, "journal", "put", { id: "d", baseVersion: null, value: { text: "plain" } }),
        yield* push("phone", 4, "journal", "erase", { id: "d" }),
        // Too long for its conflict copy's id to be a record id.
        yield* push("phone", 5, "journal", "put", { id: "d".repeat(183), baseVersion: null, value: envelope }),
      ].map((response) => {
        const [result] = response.results
        assert.strictEqual(result?._tag, "rejected")
        assert.isTrue(Schema.is(PushResponse)(response))
        return result?._tag === "rejected" ? result.reason : ""
      })
      assert.include(reasons[0], "no field colour")
      assert.include(reasons[1], "invalid arguments")
      assert.include(reasons[2], "invalid arguments")
      assert.include(reasons[3], "no operation erase")
      assert.include(reasons[4], "invalid arguments")
      const longest = yield* push("phone", 6, "journal", "put", {
        id: "d".repeat(182),
        baseVersion: null,
        value: envelope,
      })
      assert.strictEqual(longest.results[0]?._tag, "applied")
      const copied = yield* push("laptop", 1, "journal", "put", {
        id: "d".repeat(182),
        baseVersion: null,
        value: envelope,
      })
      const copy = copied.results[0]
      assert.strictEqual(copy?._tag === "applied" ? copy.conflictCopyId?.length : 0, 182 + 10 + "laptop-1".length)
    }).pipe(Effect.provide(TestLayer)),
  )

  it("the wire schemas refuse another protocol version and out-of-range limits", () => {
    const request = { protocolVersion: PROTOCOL_VERSION, clientId: "phone", cursor: null, limit: 100 }
    assert.isTrue(Schema.is(PullRequest)(request))
    assert.isFalse(Schema.is(PullRequest)({ ...request, protocolVersion: 2 }))
    assert.isFalse(Schema.is(PullRequest)({ ...request, limit: 0 }))
    assert.isFalse(Schema.is(PullRequest)({ ...request, clientId: "not a client id" }))
  })
})
