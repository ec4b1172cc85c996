/**
 * The S3_* settings: absent, the server keeps its blob directory; with a
 * bucket, an S3 store with what was given; half a configuration stops the
 * start with a message naming what is missing. And the server's store is
 * the directory when no S3 store is configured.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Option, Redacted } from "effect"
import { AppConfig, config } from "../../src/AppConfig.js"
import { BlobStore } from "../../src/Blobs/BlobStore.js"
import * as BlobStoreLive from "../../src/Blobs/BlobStoreLive.js"
import { temporaryDirectory } from "./TemporaryDirectory.js"

const read = (env: Record<string, string>) =>
  Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("S3 settings", () => {
  it.effect("none by default, and set-but-empty variables count as absent", () =>
    Effect.gen(function* () {
      assert.isTrue(Option.isNone(Either.getOrThrow(yield* read({})).s3))
      assert.isTrue(Option.isNone(Either.getOrThrow(yield* read({ S3_BUCKET: " ", S3_ENDPOINT: "" })).s3))
    }),
  )

  it.effect("every variable is read; the secret stays redacted", () =>
    Effect.gen(function* () {
      const c = Either.getOrThrow(
        yield* read({
          S3_BUCKET: "ignition-blobs",
          S3_ENDPOINT: "http://127.0.0.1:7480",
          S3_REGION: "eu-west-3",
          S3_ACCESS_KEY_ID: "AKIA",
          S3_SECRET_ACCESS_KEY: "s3cr3t",
          S3_FORCE_PATH_STYLE: "true",
        }),
      )
      if (Option.isNone(c.s3)) return assert.fail("no S3 settings")
      const s3 = c.s3.value
      assert.deepStrictEqual(
        [s3.bucket, s3.endpoint, s3.region, s3.forcePathStyle],
        ["ignition-blobs", Option.some("http://127.0.0.1:7480"), "eu-west-3", true],
      )
      if (Option.isNone(s3.credentials)) return assert.fail("no credentials")
      assert.strictEqual(s3.credentials.value.accessKeyId, "AKIA")
      assert.strictEqual(Redacted.value(s3.credentials.value.secretAccessKey), "s3cr3t")
      assert.notInclude(String(s3.credentials.value.secretAccessKey), "s3cr3t")
    }),
  )

  it.effect("a bucket alone means AWS in us-east-1 with the default credential chain, virtual-hosted", () =>
    Effect.gen(function* () {
      const s3 = Option.getOrThrow(Either.getOrThrow(yield* read({ S3_BUCKET: "b" })).s3)
      assert.deepStrictEqual(
        [s3.endpoint, s3.region, s3.credentials, s3.forcePathStyle],
        [Option.none(), "us-east-1", Option.none(), false],
      )
    }),
  )

  it.effect("half a configuration stops the start, naming what is wrong", () =>
    Effect.gen(function* () {
      for (const [env, says] of [
        [{ S3_ENDPOINT: "http://127.0.0.1:7480" }, "S3_BUCKET is required"],
        [{ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "AKIA" }, "go together"],
        [{ S3_BUCKET: "b", S3_SECRET_ACCESS_KEY: "s" }, "go together"],
        [{ S3_BUCKET: "b", S3_ENDPOINT: "127.0.0.1:7480" }, "S3_ENDPOINT must be an http or https URL"],
        [{ S3_BUCKET: "b", S3_FORCE_PATH_STYLE: "maybe" }, "S3_FORCE_PATH_STYLE"],
      ] as const) {
        const result = yield* read(env)
        if (Either.isRight(result)) return assert.fail(`accepted ${JSON.stringify(env)}`)
        assert.include(String(result.left), says)
      }
    }),
  )

  it.scoped("without S3 settings the server's blob store is the blob directory", () =>
    Effect.gen(function* () {
      const blobDir = yield* temporaryDirectory("ignition-blobs-")
      yield* Effect.flatMap(BlobStore, (store) => store.put("a/b", new Uint8Array([1]))).pipe(
        Effect.provide(BlobStoreLive.layer.pipe(Layer.provide(AppConfig.layerTest({ blobDir })))),
      )
      assert.isTrue(fs.existsSync(path.join(blobDir, "objects", "a~", "b")))
    }),
  )
})
