/**
 * The composition root: configuration → database (migrated before anything
 * uses it) → the HTTP stack with every API group.
 */
import * as path from "node:path"
import { type HttpApi, HttpApiBuilder, HttpServer } from "@effect/platform"
import { IgnitionApi } from "@ignition/api"
import { Effect, Layer, Option, Redacted } from "effect"
import { AdminLive } from "./Admin/Http.js"
import { AppConfig } from "./AppConfig.js"
import { AdminAuthenticationLive, AuthenticationLive } from "./Auth/AuthenticationLive.js"
import { AuthLive } from "./Auth/Http.js"
import { OidcConfig } from "./Auth/OidcConfig.js"
import { OidcLive } from "./Auth/OidcHttp.js"
import { PasskeysLive } from "./Auth/PasskeysHttp.js"
import { Passwords } from "./Auth/Passwords.js"
import { RateLimit } from "./Auth/RateLimit.js"
import { Sessions } from "./Auth/Sessions.js"
import { UserRepo } from "./Auth/UserRepo.js"
import * as BlobStoreLive from "./Blobs/BlobStoreLive.js"
import * as Database from "./Database/Database.js"
import * as Migrations from "./Database/Migrations.js"
import * as HttpServerLive from "./Http/HttpServerLive.js"
import * as KnowledgeBaseHttp from "./KnowledgeBase/Http.js"
import { SettingsLive } from "./Settings/Http.js"
import * as SrsHttp from "./Srs/Http.js"
import { SyncLive } from "./Sync/Http.js"
import { Pokes } from "./Sync/Pokes.js"
import { RealtimeLive } from "./Sync/RealtimeHttp.js"
import { SystemLive } from "./System/Http.js"
import * as UploadsCleanup from "./Uploads/Cleanup.js"
import { UploadsLive } from "./Uploads/Http.js"
import { Uploads } from "./Uploads/Uploads.js"
import { CryptoPolicyLive } from "./Vault/CryptoPolicyHttp.js"
import * as VaultHttp from "./Vault/Http.js"
import { VaultRepo } from "./Vault/Repo.js"
import { VaultResetHooks } from "./Vault/ResetHooks.js"
import { VaultUnlockedLive } from "./Vault/VaultUnlocked.js"

/** Where a `DATABASE_URL` points, without its credentials. */
const describeUrl = (url: string): string => {
  try {
    const { host, pathname } = new URL(url)
    return `postgres://${host}${pathname}`
  } catch {
    return "postgres (unparseable DATABASE_URL)"
  }
}

/** PostgreSQL when `DATABASE_URL` is set, embedded PGlite under the data directory otherwise. */
export const DatabaseLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const config = yield* AppConfig
    return Option.match(config.databaseUrl, {
      onNone: () => {
        const dataDir = path.join(config.dataDir, "data")
        return Layer.provideMerge(
          Database.layerPGlite({ dataDir }),
          Layer.effectDiscard(Effect.logInfo("database: embedded PGlite", { dataDir })),
        )
      },
      onSome: (url) =>
        Layer.provideMerge(
          Database.layerPostgres({ url, poolMax: config.databasePoolMax }),
          Layer.effectDiscard(Effect.logInfo("database: PostgreSQL", { at: describeUrl(Redacted.value(url)) })),
        ),
    })
  }),
)

/** The given database, with every pending migration applied before it is handed out. */
export const migrated = <E, R>(database: Layer.Layer<Database.Database, E, R>) =>
  Layer.effect(
    Database.Database,
    Effect.tap(Database.Database, (db) => Effect.provideService(Migrations.migrateToLatest, Database.Database, db)),
  ).pipe(Layer.provide(database))

/** The services the API handlers use (they need the Database and the AppConfig). */
export const ServicesLive = Layer.mergeAll(
  Sessions.Default,
  UserRepo.Default,
  RateLimit.Default,
  Passwords.layer,
  VaultRepo.Default,
  Pokes.Default,
  Layer.provideMerge(UploadsCleanup.layer(), Uploads.Default).pipe(Layer.provide(BlobStoreLive.layer)),
)

/**
 * Every group of the contract, implemented, with the middlewares they use;
 * `resetHooks` are what a vault reset purges besides the vault (tests add
 * their own).
 */
export const makeGroupsLive = (resetHooks: Layer.Layer<VaultResetHooks>) =>
  Layer.mergeAll(
    SystemLive,
    AuthLive,
    OidcLive,
    PasskeysLive,
    AdminLive,
    SettingsLive,
    VaultHttp.layer(resetHooks),
    CryptoPolicyLive,
    KnowledgeBaseHttp.layer,
    SrsHttp.layer,
    SyncLive,
    RealtimeLive,
    UploadsLive,
  ).pipe(Layer.provide([AuthenticationLive, AdminAuthenticationLive, VaultUnlockedLive, OidcConfig.layer]))

export const GroupsLive = makeGroupsLive(VaultResetHooks.Default)

/** The contract, implemented. */
export const ApiLive = HttpApiBuilder.api(IgnitionApi.IgnitionApi).pipe(Layer.provide(GroupsLive))

const announce = Layer.effectDiscard(
  Effect.gen(function* () {
    const { address } = yield* HttpServer.HttpServer
    const config = yield* AppConfig
    const local =
      address._tag === "TcpAddress"
        ? `http://${["0.0.0.0", "::", "127.0.0.1", "::1"].includes(address.hostname) ? "localhost" : address.hostname}:${address.port}`
        : `unix:${address.path}`
    const url = Option.getOrElse(config.publicOrigin, () => local)
    yield* Effect.logInfo(`Ignition is listening on ${url}`, { url, docs: `${url}/docs` })
  }),
)

/**
 * The HTTP server for an API implementation, with the services its handlers
 * use; its `HttpServer` stays in the output (tests read the port).
 */
export const http = <E, R>(api: Layer.Layer<HttpApi.Api, E, R>) =>
  Layer.merge(HttpServerLive.layer, announce).pipe(
    Layer.provide(api),
    Layer.provide(ServicesLive),
    Layer.provideMerge(HttpServerLive.nodeServer),
  )

/** The whole server, as `npm start` runs it. */
export const ServerLive = http(ApiLive).pipe(Layer.provide(migrated(DatabaseLive)))
