/**
 * The blob store in a local directory, the default when no S3 store is
 * configured. Layout under the root:
 *
 * - `objects/` — one file per object; a key's segments are directories
 *   named with a trailing `~` (never in a key, so `a` and `a/b` can both be
 *   objects), the last segment is the file: `users/u1/b7` →
 *   `objects/users~/u1~/b7`.
 * - `uploads/<upload id>/` — a multipart upload: `key` (the key it
 *   completes to) and one `<part number>-<sha256 hex>` file per part.
 * - `tmp/` — files being written; emptied when the store starts.
 *
 * Every write goes to a new file in `tmp/`, is fsynced and renamed into
 * place, and the directory is fsynced: a reader sees the old object or the
 * new one, never part of one, and a crash leaves at most a temp file.
 * Completing an upload copies the parts into one temp file through a fixed
 * buffer, so memory stays constant whatever the object's size.
 */
import { randomUUID } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { NodeStream } from "@effect/platform-node"
import { Effect, Layer, Option, Stream } from "effect"
import { BlobNotFound, BlobStore, BlobStoreUnavailable, type ObjectInfo, type Part } from "./BlobStore.js"
import {
  checkCompletion,
  checkKey,
  checkPartNumber,
  checkPrefix,
  resolveRange,
  verifyChecksum,
} from "./internal/Rules.js"

const copyBufferBytes = 1024 * 1024
const readChunkBytes = 64 * 1024
const directorySuffix = "~"
const uploadIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const partFilePattern = /^(\d+)-([0-9a-f]{64})$/

const errorCode = (cause: unknown): string | undefined =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
    ? cause.code
    : undefined

/** ENOENT (or ENOTDIR, a path through a file) means the thing is not there. */
const isMissing = (cause: unknown) => ["ENOENT", "ENOTDIR"].includes(errorCode(cause) ?? "")

const unavailable = (doing: string) => (cause: unknown) =>
  new BlobStoreUnavailable({ message: `The blob directory failed while ${doing} (${errorCode(cause) ?? "error"})` })

const attempt = <A>(doing: string, run: () => Promise<A>) => Effect.tryPromise({ try: run, catch: unavailable(doing) })

/** Run `run`; "not there" becomes `None`, any other failure `BlobStoreUnavailable`. */
const attemptFound = <A>(doing: string, run: () => Promise<A>): Effect.Effect<Option.Option<A>, BlobStoreUnavailable> =>
  Effect.tryPromise({ try: run, catch: (cause) => cause }).pipe(
    Effect.map(Option.some),
    Effect.catchAll((cause) =>
      isMissing(cause) ? Effect.succeed(Option.none<A>()) : Effect.fail(unavailable(doing)(cause)),
    ),
  )

const fsyncDirectory = async (directory: string) => {
  const handle = await fs.open(directory, "r")
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export interface Options {
  readonly root: string
}

export const make = ({ root }: Options) =>
  Effect.gen(function* () {
    const objectsDir = path.join(root, "objects")
    const uploadsDir = path.join(root, "uploads")
    const tmpDir = path.join(root, "tmp")

    // Temp files are only ever written by a running store: any found now were left by a crash.
    yield* attempt("preparing the blob directory", async () => {
      await fs.rm(tmpDir, { recursive: true, force: true })
      for (const dir of [objectsDir, uploadsDir, tmpDir]) await fs.mkdir(dir, { recursive: true })
    })

    const objectPath = (key: string) => {
      const segments = key.split("/")
      const file = segments.pop() ?? key
      return path.join(objectsDir, ...segments.map((s) => s + directorySuffix), file)
    }

    const keyOf = (relative: ReadonlyArray<string>) =>
      relative.map((s, i) => (i < relative.length - 1 ? s.slice(0, -directorySuffix.length) : s)).join("/")

    /** Write through `fill` into a new temp file, fsync it, and rename it to `target`, durably. */
    const writeAtomically = (doing: string, target: string, fill: (handle: fs.FileHandle) => Promise<void>) =>
      attempt(doing, async () => {
        const temp = path.join(tmpDir, `${randomUUID()}.tmp`)
        try {
          const handle = await fs.open(temp, "wx")
          try {
            await fill(handle)
            await handle.sync()
          } finally {
            await handle.close()
          }
          await fs.mkdir(path.dirname(target), { recursive: true })
          await fs.rename(temp, target)
        } catch (cause) {
          await fs.rm(temp, { force: true })
          throw cause
        }
        await fsyncDirectory(path.dirname(target))
      })

    const stat = (key: string) =>
      Effect.flatMap(checkKey(key), () =>
        Effect.flatMap(
          attemptFound("reading an object's size", () => fs.stat(objectPath(key))),
          (found) =>
            Option.match(
              Option.filter(found, (stats) => stats.isFile()),
              {
                onNone: () => Effect.fail(new BlobNotFound({ message: `No blob under ${key}` })),
                onSome: Effect.succeed,
              },
            ),
        ),
      )

    const info = (key: string, stats: { readonly size: number; readonly mtime: Date }): ObjectInfo => ({
      key,
      size: stats.size,
      modifiedAt: stats.mtime,
    })

    const uploadDir = (key: string, uploadId: string) =>
      Effect.gen(function* () {
        yield* checkKey(key)
        const missing = new BlobNotFound({ message: `No upload ${uploadId} to ${key}` })
        if (!uploadIdPattern.test(uploadId)) return yield* missing
        const dir = path.join(uploadsDir, uploadId)
        const owner = yield* attemptFound("reading an upload", () => fs.readFile(path.join(dir, "key"), "utf8"))
        return Option.contains(owner, key) ? dir : yield* missing
      })

    const heldParts = (dir: string) =>
      Effect.map(
        attempt("listing an upload's parts", () => fs.readdir(dir)),
        (names) => {
          const held = new Map<number, Part & { readonly file: string }>()
          for (const name of names) {
            const match = partFilePattern.exec(name)
            if (match?.[1] !== undefined && match[2] !== undefined) {
              held.set(Number(match[1]), { partNumber: Number(match[1]), etag: match[2], size: 0, file: name })
            }
          }
          return held
        },
      ).pipe(
        Effect.flatMap((held) =>
          Effect.forEach(
            held.values(),
            (part) =>
              Effect.map(
                attemptFound("reading a part's size", () => fs.stat(path.join(dir, part.file))),
                (stats) => Option.map(stats, (s) => ({ ...part, size: s.size })),
              ),
            { concurrency: 16 },
          ),
        ),
        Effect.map((parts) => new Map(parts.flatMap((p) => (Option.isSome(p) ? [[p.value.partNumber, p.value]] : [])))),
      )

    const walk = async function* (dir: string, relative: ReadonlyArray<string>): AsyncGenerator<ObjectInfo> {
      let entries: Array<import("node:fs").Dirent>
      try {
        entries = await fs.readdir(dir, { withFileTypes: true })
      } catch (cause) {
        if (isMissing(cause)) return
        throw cause
      }
      for (const entry of entries) {
        const child = path.join(dir, entry.name)
        if (entry.isDirectory() && entry.name.endsWith(directorySuffix)) {
          yield* walk(child, [...relative, entry.name])
        } else if (entry.isFile()) {
          try {
            yield info(keyOf([...relative, entry.name]), await fs.stat(child))
          } catch (cause) {
            if (!isMissing(cause)) throw cause
          }
        }
      }
    }

    return BlobStore.of({
      put: (key, bytes) =>
        Effect.gen(function* () {
          yield* checkKey(key)
          const target = objectPath(key)
          yield* writeAtomically("writing an object", target, async (handle) => {
            await handle.writeFile(bytes)
          })
          return info(key, yield* attempt("reading an object's size", () => fs.stat(target)))
        }),

      get: (key, range) =>
        Effect.gen(function* () {
          const stats = yield* stat(key)
          const { start, end } = yield* resolveRange(stats.size, range)
          const file = objectPath(key)
          const body =
            end < start
              ? Stream.empty
              : Stream.unwrap(
                  attempt("opening an object", async () => {
                    const handle = await fs.open(file, "r")
                    // A rename since the stat put another object here: its bytes are not the range asked for.
                    if ((await handle.stat()).ino !== stats.ino) {
                      await handle.close()
                      throw Object.assign(new Error("replaced"), { code: "ECHANGED" })
                    }
                    return NodeStream.fromReadable<BlobStoreUnavailable>(
                      () => handle.createReadStream({ start, end, highWaterMark: readChunkBytes }),
                      unavailable("reading an object"),
                    )
                  }),
                )
          return { size: stats.size, start, end, body }
        }),

      head: (key) => Effect.map(stat(key), (stats) => info(key, stats)),

      delete: (key) =>
        Effect.flatMap(checkKey(key), () =>
          Effect.asVoid(attemptFound("deleting an object", () => fs.unlink(objectPath(key)))),
        ),

      list: (prefix) =>
        Stream.unwrap(
          Effect.map(checkPrefix(prefix), () => {
            // Walk from the deepest directory the prefix names completely.
            const complete = prefix.split("/").slice(0, -1)
            return Stream.fromAsyncIterable(
              walk(
                path.join(objectsDir, ...complete.map((s) => s + directorySuffix)),
                complete.map((s) => s + directorySuffix),
              ),
              unavailable("listing objects"),
            ).pipe(Stream.filter((object) => object.key.startsWith(prefix)))
          }),
        ),

      createUpload: (key) =>
        Effect.gen(function* () {
          yield* checkKey(key)
          const uploadId = randomUUID()
          const dir = path.join(uploadsDir, uploadId)
          yield* attempt("creating an upload", () => fs.mkdir(dir))
          yield* writeAtomically("creating an upload", path.join(dir, "key"), async (handle) => {
            await handle.writeFile(key, "utf8")
          })
          return uploadId
        }),

      putPart: (key, uploadId, partNumber, bytes, checksum) =>
        Effect.gen(function* () {
          yield* checkPartNumber(partNumber)
          const dir = yield* uploadDir(key, uploadId)
          const etag = yield* verifyChecksum(bytes, checksum)
          const file = `${partNumber}-${etag}`
          yield* writeAtomically("writing a part", path.join(dir, file), async (handle) => {
            await handle.writeFile(bytes)
          })
          // The part's earlier bytes, if it was put before with others.
          const names = yield* attempt("listing an upload's parts", () => fs.readdir(dir))
          yield* attempt("replacing a part", () =>
            Promise.all(
              names
                .filter((name) => name !== file && name.startsWith(`${partNumber}-`))
                .map((name) => fs.rm(path.join(dir, name), { force: true })),
            ),
          )
          return { partNumber, etag, size: bytes.length }
        }),

      listParts: (key, uploadId) =>
        Effect.gen(function* () {
          const held = yield* heldParts(yield* uploadDir(key, uploadId))
          return Array.from(held.values(), ({ partNumber, etag, size }) => ({ partNumber, etag, size })).sort(
            (a, b) => a.partNumber - b.partNumber,
          )
        }),

      completeUpload: (key, uploadId, named) =>
        Effect.gen(function* () {
          const dir = yield* uploadDir(key, uploadId)
          const held = yield* heldParts(dir)
          const parts = yield* checkCompletion(named, held)
          const target = objectPath(key)
          yield* writeAtomically("joining an upload's parts", target, async (handle) => {
            const buffer = Buffer.allocUnsafe(copyBufferBytes)
            for (const part of parts) {
              const source = await fs.open(path.join(dir, `${part.partNumber}-${part.etag}`), "r")
              try {
                for (;;) {
                  const { bytesRead } = await source.read(buffer, 0, buffer.length, null)
                  if (bytesRead === 0) break
                  await handle.write(buffer, 0, bytesRead)
                }
              } finally {
                await source.close()
              }
            }
          })
          yield* attempt("removing a completed upload", () => fs.rm(dir, { recursive: true, force: true }))
          return info(key, yield* attempt("reading an object's size", () => fs.stat(target)))
        }),

      abortUpload: (key, uploadId) =>
        uploadDir(key, uploadId).pipe(
          Effect.flatMap((dir) => attempt("removing an upload", () => fs.rm(dir, { recursive: true, force: true }))),
          Effect.catchTag("BlobNotFound", () => Effect.void),
        ),
    })
  })

export const layer = (options: Options) => Layer.effect(BlobStore, make(options))
