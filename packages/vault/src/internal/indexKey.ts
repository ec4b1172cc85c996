/**
 * The search-index key: HKDF-SHA256(KEK, salt = vault id, info =
 * "ignition/search-index/v1"), 32 bytes, imported as a non-extractable
 * AES-256-GCM key under the reserved id `search-index-v1`. Derived once at
 * unlock and dropped with the KEK at lock. It seals one record per vault, the
 * index snapshot, whose AAD binds user, vault and the record type
 * `search-index`: a snapshot made for one user or vault never opens for
 * another. Content-key rotations do not touch it (it hangs off the KEK).
 */
import { Effect } from "effect"
import { type ContentKey, KeyId, type RecordContext } from "../Envelope.js"
import { hkdfSha256, importAesKey, utf8, wipe } from "./subtle.js"

export const KID = KeyId.make("search-index-v1")
export const RECORD_TYPE = "search-index"
const info = utf8.encode("ignition/search-index/v1")

export const derive = (kek: Uint8Array, vaultId: string) =>
  Effect.flatMap(hkdfSha256(kek, utf8.encode(vaultId), info, 32), (raw) =>
    Effect.map(importAesKey(raw), (key): ContentKey => {
      wipe(raw)
      return { kid: KID, key }
    }),
  )

export const context = (binding: { readonly userId: string; readonly vaultId: string }): RecordContext => ({
  userId: binding.userId,
  vaultId: binding.vaultId,
  recordType: RECORD_TYPE,
  recordId: "snapshot",
})
