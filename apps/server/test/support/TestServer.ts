/**
 * A real Ignition HTTP server on a free port, over the test database, with
 * its log lines captured, and a client derived from the contract.
 */
import { FetchHttpClient, HttpApiClient, HttpServer } from "@effect/platform"
import { Context, Effect, Layer, LogLevel } from "effect"
import type { Service as AppConfigService } from "../../src/AppConfig.js"
import { AppConfig } from "../../src/AppConfig.js"
import type { Database } from "../../src/Database/Database.js"
import * as JsonLogger from "../../src/Logging/JsonLogger.js"
import { http } from "../../src/Server.js"
import { TestApi, TestApiLive } from "./TestApi.js"
import * as TestDatabase from "./TestDatabase.js"

const makeClient = (baseUrl: string) => HttpApiClient.make(TestApi, { baseUrl })

export class TestServer extends Context.Tag("test/TestServer")<
  TestServer,
  {
    readonly baseUrl: string
    readonly client: Effect.Effect.Success<ReturnType<typeof makeClient>>
    /** Every log line the server has written so far. */
    readonly logs: ReadonlyArray<string>
  }
>() {}

export interface Options {
  readonly config?: Partial<AppConfigService>
  /** The database to serve from; a migrated one by default. */
  readonly database?: Layer.Layer<Database>
}

export const layer = (options: Options = {}) => {
  const lines: Array<string> = []
  const server = http(TestApiLive).pipe(
    Layer.provide(options.database ?? TestDatabase.layer),
    Layer.provide(AppConfig.layerTest({ port: 0, ...options.config })),
    Layer.provide(JsonLogger.layer((line) => lines.push(line), LogLevel.All)),
  )
  return Layer.effect(
    TestServer,
    Effect.gen(function* () {
      const { address } = yield* HttpServer.HttpServer
      if (address._tag !== "TcpAddress") return yield* Effect.die("expected a TCP address")
      const baseUrl = `http://127.0.0.1:${address.port}`
      const client = yield* makeClient(baseUrl)
      return { baseUrl, client, logs: lines }
    }),
  ).pipe(Layer.provide(server), Layer.provide(FetchHttpClient.layer))
}
