/**
 * Recovery codes: 128 random bits each, written in Crockford base32 (no I,
 * L, O or U to misread; those typed anyway are read as 1, 1, 0) as five
 * groups, each ending in a Luhn mod 32 check character, e.g.
 * `7QX2MC-9D4KAF-…`. The check character catches every single mistyped
 * character and every swap of two different neighbours within a group (but
 * "0"↔"Z", the one pair Luhn mod N cannot see), and says which
 * group is wrong. From a code the client derives two unrelated values with
 * HKDF: the key that wraps the KEK, and a verifier the server stores only as
 * a hash — so the server can mark a code used without being able to open its
 * wrap.
 */
import { Effect, Schema } from "effect"
import * as Entropy from "./Entropy.js"
import { hkdfSha256, utf8 } from "./internal/subtle.js"
import { InvalidRecoveryCode } from "./VaultError.js"

export const CODE_BYTES = 16
export const CODES_PER_SET = 10
export const VERIFIER_BYTES = 32

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const N = ALPHABET.length
/** 128 bits = 26 base32 characters (the last carries 3 bits and 2 zero bits), split 5+5+5+5+6. */
const GROUPS = [5, 5, 5, 5, 6] as const
const DATA_CHARS = 26

const charValue = (char: string): number | undefined => {
  const normalised = char === "I" || char === "L" ? "1" : char === "O" ? "0" : char
  const index = ALPHABET.indexOf(normalised)
  return index === -1 ? undefined : index
}

/** Luhn mod N over base32 values: the check value that makes the group's sum ≡ 0. */
const checkValue = (values: ReadonlyArray<number>) => {
  let factor = 2
  let sum = 0
  for (let index = values.length - 1; index >= 0; index--) {
    const addend = factor * (values[index] ?? 0)
    sum += Math.floor(addend / N) + (addend % N)
    factor = factor === 2 ? 1 : 2
  }
  return (N - (sum % N)) % N
}

const toBase32 = (bytes: Uint8Array): Array<number> => {
  const values: Array<number> = []
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      values.push((buffer >> (bits - 5)) & 31)
      bits -= 5
    }
  }
  if (bits > 0) values.push((buffer << (5 - bits)) & 31)
  return values
}

const fromBase32 = (values: ReadonlyArray<number>): Uint8Array | undefined => {
  const out = new Uint8Array(CODE_BYTES)
  let buffer = 0
  let bits = 0
  let index = 0
  for (const value of values) {
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      out[index++] = (buffer >> (bits - 8)) & 0xff
      bits -= 8
    }
  }
  // The 2 bits left over must be zero, or this is not a code we wrote.
  return (buffer & ((1 << bits) - 1)) === 0 ? out : undefined
}

/** Writes 16 bytes as the grouped, checked code. */
export const format = (code: Uint8Array): string => {
  const values = toBase32(code)
  const groups: Array<string> = []
  let offset = 0
  for (const size of GROUPS) {
    const group = values.slice(offset, offset + size)
    offset += size
    groups.push([...group, checkValue(group)].map((value) => ALPHABET[value]).join(""))
  }
  return groups.join("-")
}

/**
 * Reads a code as a person typed it: any case, with or without hyphens or
 * spaces. A wrong check character names its group.
 */
export const parse = (typed: string): Effect.Effect<Uint8Array, InvalidRecoveryCode> => {
  const chars = typed.toUpperCase().replace(/[\s-]+/g, "")
  const expected = DATA_CHARS + GROUPS.length
  if (chars.length !== expected)
    return Effect.fail(
      new InvalidRecoveryCode({ message: `a recovery code has ${expected} characters, not ${chars.length}` }),
    )
  const values: Array<number> = []
  for (const char of chars) {
    const value = charValue(char)
    if (value === undefined)
      return Effect.fail(new InvalidRecoveryCode({ message: `"${char}" is not a recovery code character` }))
    values.push(value)
  }
  const data: Array<number> = []
  let offset = 0
  for (const [index, size] of GROUPS.entries()) {
    const group = values.slice(offset, offset + size + 1)
    offset += size + 1
    const digits = group.slice(0, size)
    if (checkValue(digits) !== group[size])
      return Effect.fail(
        new InvalidRecoveryCode({
          group: index + 1,
          message: `group ${index + 1} has a typo (its check does not match)`,
        }),
      )
    data.push(...digits)
  }
  const bytes = fromBase32(data)
  return bytes === undefined
    ? Effect.fail(new InvalidRecoveryCode({ message: "this is not a recovery code (trailing bits set)" }))
    : Effect.succeed(bytes)
}

const verifierInfo = utf8.encode("ignition/recovery-code/verifier")
const noSalt = new Uint8Array(0)

/** What the server sees of a code: HKDF(code, info = verifier). It stores only its hash. */
export const verifier = (code: Uint8Array) => hkdfSha256(code, noSalt, verifierInfo, VERIFIER_BYTES)

export const encodeVerifier = (bytes: Uint8Array) => Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)(bytes)

/** A fresh set of codes. */
export const generateSet = Effect.forEach(Array.from({ length: CODES_PER_SET }), () => Entropy.bytes(CODE_BYTES))
