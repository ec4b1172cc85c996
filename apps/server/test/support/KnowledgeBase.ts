/**
 * Knowledge-base test helpers: envelopes of the shape a client makes (random
 * IV and ciphertext — the server never opens them), their JSON, and counts
 * behind the API.
 */
import { Envelope } from "@ignition/vault"
import { Effect } from "effect"
import { sql } from "kysely"
import { Database } from "../../src/Database/Database.js"
import { base64url, random } from "./Vault.js"

export const kid = Envelope.KeyId.make("k1")

/** An envelope with `ctBytes` of ciphertext. */
export const envelope = (ctBytes = 48): Envelope.Envelope => ({ v: 1, kid, iv: random(12), ct: random(ctBytes) })

/** The JSON a client sends for an envelope. */
export const envelopeJson = (ctBytes = 48) => ({
  v: 1,
  kid: "k1",
  iv: base64url(random(12)),
  ct: base64url(random(ctBytes)),
})

/** Rows of a knowledge-base table that belong to the user (tombstones and versions included). */
export const rowsOf = (table: "knowledge_items" | "knowledge_item_versions", userId: string) =>
  Effect.flatMap(Database, (db) =>
    db.execute((q) =>
      sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where user_id = ${userId}`.execute(q),
    ),
  ).pipe(Effect.map((result) => result.rows[0]?.n ?? -1))

/** Both byte arrays equal (envelopes come back byte for byte). */
export const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])
