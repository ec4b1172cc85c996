/**
 * Known-answer tests: the vault's primitives against published vectors,
 * typed in below as hex with their source, and the KDF floor.
 *
 * - HKDF-SHA256: RFC 5869 Appendix A.1–A.3, through `hkdfSha256`.
 * - PBKDF2-HMAC-SHA256: RFC 7914 §11, through `pbkdf2Sha256`.
 * - AES-256-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation
 *   (GCM)", Appendix B test cases 13–16 (the 256-bit keys), and one NIST
 *   CAVP vector (gcmEncryptExtIV256.rsp), through `aesGcmEncrypt` /
 *   `aesGcmDecrypt`; a flipped tag bit must be `DecryptionFailed`.
 * - Argon2id. hash-wasm (our KDF) takes a secret but no associated data, so
 *   RFC 9106 §5.3 (secret 0x03×8 *and* AD 0x04×12) cannot be run through
 *   it. Instead: (a) RFC 9106 §5.3 is checked against @noble/hashes'
 *   independent Argon2id (`key` = secret K, `personalization` = associated
 *   data X), which anchors that reference to the RFC; (b) hash-wasm is
 *   checked against the reference implementation's own Argon2id v1.3 KAT
 *   (phc-winner-argon2 src/test.c); (c) a property shows hash-wasm and
 *   noble agree on random password/salt/secret and small costs with no AD,
 *   so hash-wasm's secret input is covered by (a)'s anchor too; (d)
 *   `Kdf.derive` at the client floor equals hash-wasm called directly.
 * - `Kdf.checkParams`: each floor refused with `PolicyRefused`; anything at
 *   or above the floor and within the ceilings passes.
 */
import { assert, describe, it } from "@effect/vitest"
import { argon2id as nobleArgon2id } from "@noble/hashes/argon2.js"
import { Effect, FastCheck as fc } from "effect"
import { argon2id } from "hash-wasm"
import { aesGcmDecrypt, aesGcmEncrypt, hkdfSha256, importAesKey, pbkdf2Sha256 } from "../src/internal/subtle.js"
import * as Kdf from "../src/Kdf.js"
import { DecryptionFailed, PolicyRefused } from "../src/VaultError.js"

const hex = (text: string): Uint8Array => {
  const clean = text.replace(/\s+/g, "")
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`not hex: ${text}`)
  const out = new Uint8Array(clean.length / 2)
  for (let index = 0; index < out.length; index++)
    out[index] = Number.parseInt(clean.slice(index * 2, index * 2 + 2), 16)
  return out
}
const toHex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
const ascii = (text: string) => new TextEncoder().encode(text)
/** `length` bytes counting up from `start` (RFC 5869 A.2's inputs). */
const counting = (start: number, length: number) => Uint8Array.from({ length }, (_, index) => start + index)
const filled = (byte: number, length: number) => new Uint8Array(length).fill(byte)

describe("HKDF-SHA256: RFC 5869 Appendix A", () => {
  // RFC 5869 (https://www.rfc-editor.org/rfc/rfc5869), Appendix A.1–A.3, the SHA-256 cases.
  const cases = [
    {
      name: "A.1 basic",
      ikm: filled(0x0b, 22),
      salt: hex("000102030405060708090a0b0c"),
      info: hex("f0f1f2f3f4f5f6f7f8f9"),
      okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    },
    {
      name: "A.2 longer inputs and outputs",
      ikm: counting(0x00, 80),
      salt: counting(0x60, 80),
      info: counting(0xb0, 80),
      okm:
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c" +
        "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71" +
        "cc30c58179ec3e87c14c01d5c1f3434f1d87",
    },
    {
      name: "A.3 zero-length salt and info",
      ikm: filled(0x0b, 22),
      salt: new Uint8Array(0),
      info: new Uint8Array(0),
      okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    },
  ]
  for (const vector of cases) {
    it.effect(vector.name, () =>
      Effect.gen(function* () {
        const okm = yield* hkdfSha256(vector.ikm, vector.salt, vector.info, vector.okm.length / 2)
        assert.strictEqual(toHex(okm), vector.okm)
      }),
    )
  }
})

describe("PBKDF2-HMAC-SHA256: RFC 7914 §11", () => {
  // RFC 7914 (https://www.rfc-editor.org/rfc/rfc7914), Section 11, "Test Vectors for PBKDF2 with HMAC-SHA-256".
  const cases = [
    {
      password: "passwd",
      salt: "salt",
      c: 1,
      dk:
        "55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc" +
        "49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83",
    },
    {
      password: "Password",
      salt: "NaCl",
      c: 80_000,
      dk:
        "4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9 64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56" +
        "a1 d4 25 a1 22 58 33 54 9a db 84 1b 51 c9 b3 17 6a 27 2b de bb a1 d0 78 47 8f 62 b3 97 f3 3c 8d",
    },
  ]
  for (const vector of cases) {
    it.effect(`P="${vector.password}", S="${vector.salt}", c=${vector.c}, dkLen=64`, () =>
      Effect.gen(function* () {
        const dk = yield* pbkdf2Sha256(ascii(vector.password), ascii(vector.salt), vector.c, 64)
        assert.strictEqual(toHex(dk), toHex(hex(vector.dk)))
      }),
    )
  }
})

describe("AES-256-GCM: published vectors with 96-bit IVs", () => {
  const gcmSpecKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
  const gcmSpecPlaintext =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" +
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
  const gcmSpecCiphertext =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" +
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"
  const cases = [
    // D. McGrew, J. Viega, "The Galois/Counter Mode of Operation (GCM)", rev. 2005
    // (csrc.nist.gov, proposed modes), Appendix B, test cases 13–16.
    {
      name: "GCM spec test case 13 (empty plaintext, no AAD)",
      key: "00".repeat(32),
      iv: "00".repeat(12),
      aad: "",
      plaintext: "",
      ciphertext: "",
      tag: "530f8afbc74536b9a963b4f1c4cb738b",
    },
    {
      name: "GCM spec test case 14 (one zero block)",
      key: "00".repeat(32),
      iv: "00".repeat(12),
      aad: "",
      plaintext: "00".repeat(16),
      ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
      tag: "d0d1c8a799996bf0265b98b5d48ab919",
    },
    {
      name: "GCM spec test case 15 (64 bytes, no AAD)",
      key: gcmSpecKey,
      iv: "cafebabefacedbaddecaf888",
      aad: "",
      plaintext: gcmSpecPlaintext,
      ciphertext: gcmSpecCiphertext,
      tag: "b094dac5d93471bdec1a502270e3cc6c",
    },
    {
      name: "GCM spec test case 16 (60 bytes, 20 bytes of AAD)",
      key: gcmSpecKey,
      iv: "cafebabefacedbaddecaf888",
      aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
      plaintext: gcmSpecPlaintext.slice(0, 120),
      ciphertext: gcmSpecCiphertext.slice(0, 120),
      tag: "76fc6ece0f4e1768cddf8853bb2d551b",
    },
    // NIST CAVP, GCMVS gcmtestvectors.zip, gcmEncryptExtIV256.rsp (CAVS 14.0):
    // [Keylen = 256] [IVlen = 96] [PTlen = 128] [AADlen = 160] [Taglen = 128], Count = 0.
    {
      name: "CAVP gcmEncryptExtIV256, PTlen=128 AADlen=160 Count=0",
      key: "83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a",
      iv: "0b459724904e010a46901cf3",
      aad: "794a14ccd178c8ebfd1379dc704c5e208f9d8424",
      plaintext: "33d893a2114ce06fc15d55e454cf90c3",
      ciphertext: "cc66bee423e3fcd4c0865715e9586696",
      tag: "0fb291bd3dba94a1dfd8b286cfb97ac5",
    },
  ]
  for (const vector of cases) {
    it.effect(vector.name, () =>
      Effect.gen(function* () {
        const key = yield* importAesKey(hex(vector.key))
        const iv = hex(vector.iv)
        const aad = hex(vector.aad)
        // WebCrypto's output is the ciphertext followed by the 128-bit tag.
        const sealed = yield* aesGcmEncrypt(key, iv, hex(vector.plaintext), aad)
        assert.strictEqual(toHex(sealed), vector.ciphertext + vector.tag)
        const opened = yield* aesGcmDecrypt(key, iv, hex(vector.ciphertext + vector.tag), aad, "the vector")
        assert.strictEqual(toHex(opened), vector.plaintext)
      }),
    )
  }

  it.effect("a flipped tag bit (test case 16) fails with DecryptionFailed", () =>
    Effect.gen(function* () {
      const vector = cases[3]
      if (vector === undefined) throw new Error("test case 16 is missing")
      const key = yield* importAesKey(hex(vector.key))
      const aad = hex(vector.aad)
      const good = hex(vector.ciphertext + vector.tag)
      for (const bit of [0, 7, 64, 127]) {
        const tampered = good.slice()
        const at = good.length - 16 + Math.floor(bit / 8)
        tampered[at] = (tampered[at] ?? 0) ^ (1 << (bit % 8))
        const error: DecryptionFailed = yield* Effect.flip(
          aesGcmDecrypt(key, hex(vector.iv), tampered, aad, "the vector"),
        )
        assert.instanceOf(error, DecryptionFailed)
      }
      // The AAD is authenticated too: one flipped AAD bit fails the same way.
      const otherAad = aad.slice()
      otherAad[0] = (otherAad[0] ?? 0) ^ 1
      const error: DecryptionFailed = yield* Effect.flip(
        aesGcmDecrypt(key, hex(vector.iv), good, otherAad, "the vector"),
      )
      assert.instanceOf(error, DecryptionFailed)
    }),
  )
})

describe("Argon2id", () => {
  it("(a) RFC 9106 §5.3 through @noble/hashes (secret and associated data)", () => {
    // RFC 9106 (https://www.rfc-editor.org/rfc/rfc9106), Section 5.3 "Argon2id":
    // version 0x13, m=32 KiB, t=3, p=4, tag 32 bytes; also phc-winner-argon2 kats/argon2id.
    const tag = nobleArgon2id(filled(0x01, 32), filled(0x02, 16), {
      t: 3,
      m: 32,
      p: 4,
      dkLen: 32,
      version: 0x13,
      key: filled(0x03, 8),
      personalization: filled(0x04, 12),
    })
    assert.strictEqual(toHex(tag), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
  })

  it.effect("(b) hash-wasm matches phc-winner-argon2's Argon2id v1.3 KAT", () =>
    Effect.gen(function* () {
      // P-H-C/phc-winner-argon2 src/test.c (commit f57e61e), "Test Argon2id version number: 13":
      // hashtest(version, 2, 16, 1, "password", "somesalt", "09316115…", "$argon2id$v=19$m=65536,t=2,p=1$…").
      // That is t=2, m=2^16 KiB, p=1, an 8-byte salt and a 32-byte tag.
      const tag = yield* Effect.promise(() =>
        argon2id({
          password: "password",
          salt: "somesalt",
          iterations: 2,
          memorySize: 1 << 16,
          parallelism: 1,
          hashLength: 32,
          outputType: "hex",
        }),
      )
      assert.strictEqual(tag, "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7")
    }),
  )

  it.effect("(b) hash-wasm matches phc-winner-argon2's Argon2id v1.3 KAT with two lanes", () =>
    Effect.gen(function* () {
      // Same file: hashtest(version, 2, 8, 2, "password", "somesalt", "6d093c50…", "$argon2id$v=19$m=256,t=2,p=2$…").
      const tag = yield* Effect.promise(() =>
        argon2id({
          password: "password",
          salt: "somesalt",
          iterations: 2,
          memorySize: 1 << 8,
          parallelism: 2,
          hashLength: 32,
          outputType: "hex",
        }),
      )
      assert.strictEqual(tag, "6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037")
    }),
  )

  it.effect.prop(
    "(c) hash-wasm and @noble/hashes agree on password, salt and secret (no associated data)",
    {
      // hash-wasm refuses an empty password ("Password must be specified"), so at least one byte.
      password: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      salt: fc.uint8Array({ minLength: 8, maxLength: 32 }),
      secret: fc.option(fc.uint8Array({ minLength: 1, maxLength: 32 }), { nil: undefined }),
      t: fc.integer({ min: 1, max: 3 }),
      p: fc.integer({ min: 1, max: 2 }),
      extraKiB: fc.integer({ min: 0, max: 48 }),
      dkLen: fc.integer({ min: 4, max: 64 }),
    },
    ({ password, salt, secret, t, p, extraKiB, dkLen }) =>
      Effect.gen(function* () {
        const m = 8 * p + extraKiB
        const ours = yield* Effect.promise(() =>
          argon2id({
            password,
            salt,
            ...(secret === undefined ? {} : { secret }),
            iterations: t,
            memorySize: m,
            parallelism: p,
            hashLength: dkLen,
            outputType: "binary",
          }),
        )
        const reference = nobleArgon2id(password, salt, {
          t,
          m,
          p,
          dkLen,
          ...(secret === undefined ? {} : { key: secret }),
        })
        assert.strictEqual(toHex(ours), toHex(reference))
      }),
    { fastCheck: { numRuns: 25 } },
  )

  it.effect("(d) Kdf.derive at the floor (m=19456, t=2, p=1, 16-byte salt) equals hash-wasm called directly", () =>
    Effect.gen(function* () {
      const secret = ascii("correct horse battery staple")
      const salt = counting(0x10, Kdf.SALT_BYTES)
      const params: Kdf.Argon2idParams = { alg: "argon2id", m: 19_456, t: 2, p: 1, salt }
      const derived = yield* Kdf.derive(secret, params, new Uint8Array(0))
      const direct = yield* Effect.promise(() =>
        argon2id({
          password: secret,
          salt,
          iterations: 2,
          memorySize: 19_456,
          parallelism: 1,
          hashLength: 32,
          outputType: "binary",
        }),
      )
      assert.strictEqual(derived.length, Kdf.KEY_BYTES)
      assert.strictEqual(toHex(derived), toHex(direct))
    }),
  )
})

describe("Kdf.checkParams: the client's floor", () => {
  const salt = filled(0x5a, Kdf.SALT_BYTES)
  const refused = (params: Kdf.KdfParams) =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Kdf.checkParams(params))
      assert.instanceOf(error, PolicyRefused)
      assert.strictEqual(error._tag, "PolicyRefused")
    })

  it.effect("the floor itself passes", () =>
    Effect.gen(function* () {
      yield* Kdf.checkParams({ alg: "argon2id", m: 19_456, t: 2, p: 1, salt })
      yield* Kdf.checkParams({ alg: "pbkdf2-sha256", iterations: 100_000, salt })
    }),
  )
  it.effect("refuses Argon2id below 19456 KiB", () => refused({ alg: "argon2id", m: 19_455, t: 3, p: 1, salt }))
  it.effect("refuses Argon2id with fewer than 2 passes", () =>
    refused({ alg: "argon2id", m: 64 * 1024, t: 1, p: 1, salt }),
  )
  it.effect("refuses salts shorter than 16 bytes, whatever the KDF", () =>
    Effect.gen(function* () {
      const short = filled(0x5a, Kdf.SALT_BYTES - 1)
      yield* refused({ alg: "argon2id", m: 64 * 1024, t: 3, p: 1, salt: short })
      yield* refused({ alg: "pbkdf2-sha256", iterations: 600_000, salt: short })
      yield* refused({ alg: "hkdf-sha256", salt: short })
    }),
  )
  it.effect("refuses PBKDF2 under 100,000 iterations", () =>
    refused({ alg: "pbkdf2-sha256", iterations: 99_999, salt }),
  )
  it.effect("derive refuses before doing any work", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Kdf.derive(ascii("pw"), { alg: "argon2id", m: 1024, t: 1, p: 1, salt }, new Uint8Array(0)),
      )
      assert.instanceOf(error, PolicyRefused)
    }),
  )

  it.effect.prop(
    "any Argon2id parameters at or above the floor and within the ceilings pass",
    {
      m: fc.integer({ min: Kdf.limits.argon2id.minMemoryKiB, max: Kdf.limits.argon2id.maxMemoryKiB }),
      t: fc.integer({ min: Kdf.limits.argon2id.minPasses, max: Kdf.limits.argon2id.maxPasses }),
      p: fc.integer({ min: 1, max: Kdf.limits.argon2id.maxLanes }),
      salt: fc.uint8Array({ minLength: Kdf.SALT_BYTES, maxLength: 64 }),
    },
    ({ m, t, p, salt }) => Kdf.checkParams({ alg: "argon2id", m, t, p, salt }),
  )
})
