import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, LogLevel, Option, Redacted } from "effect"
import { config } from "../src/AppConfig.js"

const read = (env: Record<string, string>) =>
  Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("AppConfig", () => {
  it.effect("defaults to embedded everything on localhost:8787", () =>
    Effect.gen(function* () {
      const result = yield* read({})
      assert.isTrue(Either.isRight(result))
      if (Either.isLeft(result)) return
      const c = result.right
      assert.strictEqual(c.port, 8787)
      assert.strictEqual(c.host, "127.0.0.1")
      assert.strictEqual(c.dataDir, path.resolve(".ignition"))
      assert.strictEqual(c.blobDir, path.resolve(".ignition", "blobs"))
      assert.isTrue(Option.isNone(c.databaseUrl))
      assert.deepStrictEqual(c.logLevel, LogLevel.Info)
      assert.isTrue(Option.isNone(c.publicOrigin))
      assert.deepStrictEqual(c.allowedEmbedOrigins, [])
      assert.strictEqual(c.maxJsonBodyBytes, 1024 * 1024)
      assert.isTrue(Duration.equals(c.shutdownGrace, Duration.seconds(10)))
    }),
  )

  it.effect("reads every variable", () =>
    Effect.gen(function* () {
      const result = yield* read({
        PORT: "0",
        HOST: "0.0.0.0",
        IGNITION_DATA_DIR: "/srv/ignition",
        DATABASE_URL: "postgres://u:p@db:5432/ignition",
        DATABASE_POOL_MAX: "20",
        LOG_LEVEL: "debug",
        PUBLIC_ORIGIN: "https://ignition.example/",
        ALLOWED_EMBED_ORIGINS: "https://a.example, http://localhost:5173 ,",
        MAX_JSON_BODY_BYTES: "2048",
        SHUTDOWN_GRACE: "3 seconds",
      })
      if (Either.isLeft(result)) return assert.fail(String(result.left))
      const c = result.right
      assert.strictEqual(c.port, 0)
      assert.strictEqual(c.host, "0.0.0.0")
      assert.strictEqual(c.blobDir, "/srv/ignition/blobs")
      assert.strictEqual(
        Option.map(c.databaseUrl, Redacted.value).pipe(Option.getOrNull),
        "postgres://u:p@db:5432/ignition",
      )
      assert.strictEqual(c.databasePoolMax, 20)
      assert.deepStrictEqual(c.logLevel, LogLevel.Debug)
      assert.deepStrictEqual(c.publicOrigin, Option.some("https://ignition.example"))
      assert.deepStrictEqual(c.allowedEmbedOrigins, ["https://a.example", "http://localhost:5173"])
      assert.strictEqual(c.maxJsonBodyBytes, 2048)
      assert.isTrue(Duration.equals(c.shutdownGrace, Duration.seconds(3)))
    }),
  )

  it.effect("accepts log levels by name or label, in any case", () =>
    Effect.gen(function* () {
      for (const [value, level] of [
        ["Warning", LogLevel.Warning],
        ["warn", LogLevel.Warning],
        ["ERROR", LogLevel.Error],
        ["none", LogLevel.None],
      ] as const) {
        assert.deepStrictEqual(Either.getOrThrow(yield* read({ LOG_LEVEL: value })).logLevel, level)
      }
    }),
  )

  it.effect("BLOB_DIR overrides the default under the data directory", () =>
    Effect.gen(function* () {
      const result = yield* read({ IGNITION_DATA_DIR: "/srv/ignition", BLOB_DIR: "/mnt/blobs" })
      assert.strictEqual(Either.getOrThrow(result).blobDir, "/mnt/blobs")
    }),
  )

  it.effect("treats a set but empty optional variable as absent", () =>
    Effect.gen(function* () {
      const c = Either.getOrThrow(
        yield* read({ DATABASE_URL: "", PUBLIC_ORIGIN: " ", BLOB_DIR: "", IGNITION_DATA_DIR: "/d" }),
      )
      assert.isTrue(Option.isNone(c.databaseUrl))
      assert.isTrue(Option.isNone(c.publicOrigin))
      assert.strictEqual(c.blobDir, "/d/blobs")
    }),
  )

  it.effect("never shows the database URL when printed", () =>
    Effect.gen(function* () {
      const c = Either.getOrThrow(yield* read({ DATABASE_URL: "postgres://u:hunter2@db/ignition" }))
      assert.notInclude(JSON.stringify(c), "hunter2")
      assert.notInclude(String(c.databaseUrl), "hunter2")
    }),
  )

  for (const [name, value] of [
    ["PORT", "80000"],
    ["PORT", "http"],
    ["DATABASE_POOL_MAX", "0"],
    ["LOG_LEVEL", "loud"],
    ["PUBLIC_ORIGIN", "https://ignition.example/app"],
    ["PUBLIC_ORIGIN", "ftp://ignition.example"],
    ["ALLOWED_EMBED_ORIGINS", "https://ok.example,not-an-origin"],
    ["MAX_JSON_BODY_BYTES", "-1"],
    ["SHUTDOWN_GRACE", "soon"],
  ] as const) {
    it.effect(`refuses ${name}=${value} with a message naming the variable`, () =>
      Effect.gen(function* () {
        const result = yield* read({ [name]: value })
        assert.isTrue(Either.isLeft(result))
        if (Either.isRight(result)) return
        assert.include(String(result.left), name)
      }),
    )
  }
})
