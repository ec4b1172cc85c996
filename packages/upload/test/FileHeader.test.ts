/**
 * The header, byte by byte: every field at its documented offset, any
 * header round-trips, and anything else is MalformedHeader naming why.
 */
import { assert, describe, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import * as FileHeader from "../src/FileHeader.js"
import * as FileId from "../src/FileId.js"
import { fileId, hex } from "./support.js"

const header: FileHeader.FileHeader = {
  segmentBytes: 8 * 1024 * 1024,
  fileId,
  salt: Uint8Array.from({ length: 32 }, (_, index) => index),
  noncePrefix: Uint8Array.of(0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6),
  wrappedKey: Uint8Array.of(0xee, 0xff, 0x11),
}

const headers = fc.record({
  segmentBytes: fc.integer({ min: 1, max: 2 ** 30 }),
  fileId: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(FileId.fromBytes),
  salt: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  noncePrefix: fc.uint8Array({ minLength: 7, maxLength: 7 }),
  wrappedKey: fc.uint8Array({ minLength: 1, maxLength: 1024 }),
})

const malformed = (bytes: Uint8Array) =>
  Either.match(FileHeader.decode(bytes), { onLeft: (error) => error._tag, onRight: () => "decoded" })

describe("FileHeader", () => {
  it("puts every field at its documented offset", () => {
    const bytes = FileHeader.encode(header)
    assert.strictEqual(bytes.length, 67 + 3)
    assert.strictEqual(hex(bytes.subarray(0, 4)), "49474e46")
    assert.strictEqual(bytes[4], 1)
    assert.strictEqual(bytes[5], 1)
    assert.strictEqual(hex(bytes.subarray(6, 10)), "00800000")
    assert.strictEqual(hex(bytes.subarray(10, 26)), fileId.replaceAll("-", ""))
    assert.deepStrictEqual(bytes.subarray(26, 58), header.salt)
    assert.deepStrictEqual(bytes.subarray(58, 65), header.noncePrefix)
    assert.strictEqual(hex(bytes.subarray(65, 67)), "0003")
    assert.strictEqual(hex(bytes.subarray(67)), "eeff11")
    assert.deepStrictEqual(FileHeader.binding(bytes), bytes.subarray(0, 65))
    assert.deepStrictEqual(FileHeader.sizeFromPrefix(bytes.subarray(0, 67)), Either.right(70))
  })

  it.prop("any header round-trips", [headers], ([value]) => {
    const bytes = FileHeader.encode(value)
    assert.strictEqual(bytes.length, FileHeader.byteLength(value))
    assert.deepStrictEqual(FileHeader.decode(bytes), Either.right(value))
  })

  it("refuses what is not a version-1 header", () => {
    const bytes = FileHeader.encode(header)
    const patched = (offset: number, values: ReadonlyArray<number>) => {
      const copy = new Uint8Array(bytes)
      copy.set(values, offset)
      return copy
    }
    assert.strictEqual(malformed(patched(0, [0x50])), "MalformedHeader")
    assert.strictEqual(malformed(patched(4, [2])), "MalformedHeader")
    assert.strictEqual(malformed(patched(5, [2])), "MalformedHeader")
    assert.strictEqual(malformed(patched(6, [0, 0, 0, 0])), "MalformedHeader")
    assert.strictEqual(malformed(patched(6, [0x40, 0, 0, 1])), "MalformedHeader")
    assert.strictEqual(malformed(patched(65, [0, 0])), "MalformedHeader")
    assert.strictEqual(malformed(patched(65, [0x04, 0x01])), "MalformedHeader")
    assert.strictEqual(malformed(bytes.subarray(0, 69)), "MalformedHeader")
    assert.strictEqual(malformed(bytes.subarray(0, 66)), "MalformedHeader")
    assert.strictEqual(malformed(Uint8Array.of(...bytes, 0)), "MalformedHeader")
    assert.strictEqual(malformed(patched(6, [0x40, 0, 0, 0])), "decoded")
  })
})
