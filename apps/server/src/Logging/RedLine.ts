/**
 * The red-line filter every log entry passes through: it drops the values of
 * fields whose names say they hold secrets or private content (ciphertext,
 * plaintext, passphrases, passwords, tokens, key material, `*_text`), never
 * prints binary data, and truncates any value over 1 KiB. It works on names
 * and sizes; code must still never put a secret into a free-text message.
 */
import { Redacted } from "effect"

/** Stands in for a dropped value. */
export const redactedMarker = "[redacted]"

/** Longest value kept whole, in UTF-8 bytes. */
export const maxValueBytes = 1024

const maxDepth = 6
const maxArrayItems = 50

const secretWord =
  /cipher|plaintext|passphrase|password|passwd|secret|token|authorization|cookie|credential|mnemonic|recovery|jwt|bearer|apikey/i
const secretSuffix = /(^|[_-])(ct|iv|otp|prf|key|keys|kek|dek|salt|nonce|seed|text)$/
const secretCamelSuffix = /[a-z0-9](Key|Keys|Kek|Dek|Salt|Nonce|Seed|Text|Iv|Ct|Otp|Prf)$/

/** Whether a field of this name must never reach a log (`context` is fine, `contentText` is not). */
export const isSecretName = (name: string): boolean =>
  secretWord.test(name) || secretSuffix.test(name.toLowerCase()) || secretCamelSuffix.test(name)

const encoder = new TextEncoder()

/** Keep at most `maxValueBytes` of a string, marking the cut. */
export const truncate = (value: string): string => {
  if (value.length * 3 <= maxValueBytes) return value
  const bytes = encoder.encode(value)
  if (bytes.length <= maxValueBytes) return value
  const kept = new TextDecoder().decode(bytes.subarray(0, maxValueBytes)).replace(/\uFFFD$/, "")
  return `${kept}…[truncated ${bytes.length - maxValueBytes} bytes]`
}

const isBinary = (value: object): boolean => ArrayBuffer.isView(value) || value instanceof ArrayBuffer

/**
 * A JSON-safe copy of `value` with secret-named fields dropped and long
 * values truncated. Errors keep their name, message and (for defects) stack.
 */
export const scrub = (value: unknown, options: { readonly stack?: boolean } = {}): unknown =>
  scrubValue(value, 0, new WeakSet(), options.stack === true)

const scrubValue = (value: unknown, depth: number, seen: WeakSet<object>, stack: boolean): unknown => {
  switch (typeof value) {
    case "string":
      return truncate(value)
    case "number":
    case "boolean":
      return value
    case "bigint":
      return value.toString()
    case "undefined":
      return undefined
    case "symbol":
    case "function":
      return `[${typeof value}]`
  }
  if (value === null || value === undefined) return value
  if (Redacted.isRedacted(value)) return redactedMarker
  if (isBinary(value)) return `[binary ${(value as ArrayBufferLike).byteLength} bytes]`
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()
  if (seen.has(value)) return "[circular]"
  if (depth >= maxDepth) return "[nested too deep]"
  seen.add(value)
  if (Array.isArray(value)) {
    const items = value.slice(0, maxArrayItems).map((item) => scrubValue(item, depth + 1, seen, stack))
    if (value.length > maxArrayItems) items.push(`[${value.length - maxArrayItems} more]`)
    return items
  }
  const out: Record<string, unknown> = {}
  if (value instanceof Error) {
    out.name = value.name
    out.message = truncate(value.message)
    if (stack && value.stack !== undefined) out.stack = truncate(value.stack)
  }
  for (const [key, field] of Object.entries(value)) {
    if (key === "stack" || (value instanceof Error && key === "message")) continue
    out[key] = isSecretName(key) ? redactedMarker : scrubValue(field, depth + 1, seen, stack)
  }
  if (value instanceof Error && value.cause !== undefined && !("cause" in out)) {
    out.cause = scrubValue(value.cause, depth + 1, seen, stack)
  }
  return out
}
