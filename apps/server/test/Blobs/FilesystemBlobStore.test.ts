/**
 * The filesystem blob store under the contract, and what only it has: the
 * directory layout, keys that would leave the directory, and a crash
 * between writing and renaming, which must leave nothing visible and be
 * cleaned up at the next start.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import * as FilesystemBlobStore from "../../src/Blobs/FilesystemBlobStore.js"
import { contract } from "./BlobStoreContract.js"
import { temporaryDirectory } from "./TemporaryDirectory.js"

/** A fresh directory, removed with the scope. */
const temporaryRoot = temporaryDirectory("ignition-blobs-")

contract("filesystem", Layer.unwrapScoped(Effect.map(temporaryRoot, (root) => FilesystemBlobStore.layer({ root }))))

const filesUnder = (dir: string): Array<string> =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((entry) => (entry.isFile() ? [path.relative(dir, path.join(entry.parentPath, entry.name))] : []))

describe("FilesystemBlobStore", () => {
  it.scoped("a key's segments are directories marked with ~, its last segment the file", () =>
    Effect.gen(function* () {
      const root = yield* temporaryRoot
      const store = yield* FilesystemBlobStore.make({ root })
      yield* store.put("users/u1/b7", new Uint8Array([1, 2, 3]))
      yield* store.put("users", new Uint8Array([4]))
      assert.deepStrictEqual(filesUnder(path.join(root, "objects")).sort(), ["users", path.join("users~", "u1~", "b7")])
      assert.deepStrictEqual(fs.readFileSync(path.join(root, "objects", "users~", "u1~", "b7")), Buffer.from([1, 2, 3]))
    }),
  )

  it.scoped("keys that would leave the directory are refused before anything is written", () =>
    Effect.gen(function* () {
      const parent = yield* temporaryRoot
      const root = path.join(parent, "store")
      const store = yield* FilesystemBlobStore.make({ root })
      for (const key of ["../outside", "a/../../outside", "/tmp/outside", "..", "a/.."]) {
        const refused = yield* Effect.flip(store.put(key, new Uint8Array([1])))
        assert.strictEqual(refused._tag, "BlobKeyInvalid", key)
      }
      assert.deepStrictEqual(fs.readdirSync(parent), ["store"])
      assert.deepStrictEqual(filesUnder(root), [])
    }),
  )

  it.scoped("a write cut off before its rename is invisible, and the next start removes it", () =>
    Effect.gen(function* () {
      const root = yield* temporaryRoot
      const first = yield* FilesystemBlobStore.make({ root })
      yield* first.put("kept", new Uint8Array([1]))
      const uploadId = yield* first.createUpload("pending")
      // What a process killed between write and rename leaves: a full temp file, never renamed.
      const leftover = path.join(root, "tmp", "0b6e3e0c-crash.tmp")
      fs.writeFileSync(leftover, Buffer.alloc(4096, 7))

      const listed = yield* Stream.runCollect(first.list(""))
      assert.deepStrictEqual(
        Chunk.toArray(listed).map((o) => o.key),
        ["kept"],
      )
      assert.strictEqual((yield* Effect.flip(first.head("0b6e3e0c-crash.tmp")))._tag, "BlobNotFound")

      const second = yield* FilesystemBlobStore.make({ root })
      assert.isFalse(fs.existsSync(leftover))
      assert.strictEqual((yield* second.head("kept")).size, 1)
      assert.deepStrictEqual(yield* second.listParts("pending", uploadId), [], "uploads survive a restart")
    }),
  )

  it.scoped("the store fails with BlobStoreUnavailable, not a defect, when its directory cannot be written", () =>
    Effect.gen(function* () {
      const parent = yield* temporaryRoot
      const root = path.join(parent, "store")
      const store = yield* FilesystemBlobStore.make({ root })
      fs.rmSync(root, { recursive: true })
      fs.writeFileSync(root, "not a directory")
      const refused = yield* Effect.flip(store.put("x", new Uint8Array([1])))
      assert.strictEqual(refused._tag, "BlobStoreUnavailable")
      assert.notInclude(refused.message, root)
    }),
  )
})
