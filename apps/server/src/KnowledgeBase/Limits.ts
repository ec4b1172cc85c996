/**
 * How large a knowledge-base request may be. A record may hold up to
 * `RECORD_MAX_BYTES` of ciphertext (its envelopes' `ct` together); on the
 * wire that is base64url (4/3 as long) inside JSON with plaintext metadata,
 * so these routes accept a body that large plus room for the rest, even
 * when MAX_JSON_BODY_BYTES is smaller. Every other route keeps
 * MAX_JSON_BODY_BYTES.
 */
import type { Service as AppConfigService } from "../AppConfig.js"

/** The path prefixes of the knowledge-base groups, and sync's push, which carries their records too. */
export const routePrefixes = ["/api/ideas", "/api/infobase", "/api/learn/journal", "/api/sync/push"] as const

/** Room for the envelopes' other fields, the plaintext metadata (bounded by the schemas) and JSON. */
export const overheadBytes = 64 * 1024

/** The body a record of `recordMaxBytes` ciphertext needs at most. */
export const recordBodyBytes = (recordMaxBytes: number): number => Math.ceil((recordMaxBytes * 4) / 3) + overheadBytes

const isRecordPath = (path: string) => routePrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))

/** The body limit per path: the larger of the two for knowledge-base routes. */
export const bodyLimit =
  (config: Pick<AppConfigService, "maxJsonBodyBytes" | "recordMaxBytes">) =>
  (path: string): number =>
    isRecordPath(path)
      ? Math.max(config.maxJsonBodyBytes, recordBodyBytes(config.recordMaxBytes))
      : config.maxJsonBodyBytes
