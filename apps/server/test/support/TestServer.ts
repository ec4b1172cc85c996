/**
 * A real Ignition HTTP server on a free port, over the test database, with
 * its log lines captured, and a client derived from the contract.
 */

import { randomInt } from "node:crypto"
import {
  Cookies,
  FetchHttpClient,
  type HttpApi,
  HttpApiClient,
  HttpClient,
  HttpClientRequest,
  HttpServer,
} from "@effect/platform"
import { Context, Effect, Layer, LogLevel, Ref } from "effect"
import type { Service as AppConfigService } from "../../src/AppConfig.js"
import { AppConfig } from "../../src/AppConfig.js"
import type { Database } from "../../src/Database/Database.js"
import * as JsonLogger from "../../src/Logging/JsonLogger.js"
import { http, type ServicesLive } from "../../src/Server.js"
import { temporaryDirectory } from "../Blobs/TemporaryDirectory.js"
import { TestApi, TestApiLive } from "./TestApi.js"
import * as TestDatabase from "./TestDatabase.js"

const makeClient = (baseUrl: string) => HttpApiClient.make(TestApi, { baseUrl })

/** The derived client, as the tests use it. */
export type Client = Effect.Effect.Success<ReturnType<typeof makeClient>>

/**
 * A client that behaves like a browser on the instance's own page: it keeps
 * the cookies the server sets and sends `Origin` on every request. Each
 * call makes a separate browser (its own cookie jar).
 */
export const browser = Effect.gen(function* () {
  const { baseUrl } = yield* TestServer
  const cookies = yield* Ref.make(Cookies.empty)
  // Each browser comes from an address of its own (honoured where TRUST_PROXY is on), as on the internet.
  const address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`
  const client = yield* HttpApiClient.make(TestApi, {
    baseUrl,
    transformClient: (http) =>
      http.pipe(
        HttpClient.mapRequest(HttpClientRequest.setHeaders({ origin: baseUrl, "x-forwarded-for": address })),
        HttpClient.withCookiesRef(cookies),
      ),
  }).pipe(Effect.provide(FetchHttpClient.layer))
  return { client, cookies, address }
})

export class TestServer extends Context.Tag("test/TestServer")<
  TestServer,
  {
    readonly baseUrl: string
    readonly client: Client
    /** Every log line the server has written so far. */
    readonly logs: ReadonlyArray<string>
  }
>() {}

export interface Options {
  readonly config?: Partial<AppConfigService>
  /** The API to serve; the contract plus the `test` group by default. */
  readonly api?: Layer.Layer<HttpApi.Api, never, Layer.Layer.Success<typeof ServicesLive> | Database | AppConfig>
  /** The database to serve from; a migrated one by default. */
  readonly database?: Layer.Layer<Database>
}

export const layer = (options: Options = {}) => {
  const lines: Array<string> = []
  // The database and the configuration stay in the output, so tests can look behind the API.
  // A blob directory of its own, never the working tree's .ignition (whose objects the cleanup job would collect).
  const server = Layer.unwrapScoped(
    Effect.map(temporaryDirectory("ignition-test-blobs-"), (blobDir) =>
      http(options.api ?? TestApiLive).pipe(
        Layer.provideMerge(options.database ?? TestDatabase.layer),
        Layer.provideMerge(AppConfig.layerTest({ port: 0, blobDir, ...options.config })),
        Layer.provide(JsonLogger.layer((line) => lines.push(line), LogLevel.All)),
      ),
    ),
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
  ).pipe(Layer.provideMerge(server), Layer.provide(FetchHttpClient.layer))
}
