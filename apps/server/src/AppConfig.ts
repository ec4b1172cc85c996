/**
 * The server's configuration, read from environment variables through
 * Effect `Config` (documented in README.md). Invalid values stop the start
 * with a message naming the variable.
 */
import * as path from "node:path"
import {
  Config,
  ConfigError,
  ConfigProvider,
  Context,
  Duration,
  Effect,
  Either,
  Layer,
  LogLevel,
  Option,
  Redacted,
} from "effect"

export interface Service {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  /** Absent → embedded PGlite under `dataDir/data`. */
  readonly databaseUrl: Option.Option<Redacted.Redacted<string>>
  readonly databasePoolMax: number
  /** The blob store's directory when no S3 store is configured. */
  readonly blobDir: string
  /** An S3-compatible blob store (when `S3_BUCKET` is set), replacing `blobDir`. */
  readonly s3: Option.Option<S3Settings>
  readonly uploads: UploadSettings
  readonly logLevel: LogLevel.LogLevel
  /** The origin users reach this instance at (behind a proxy, the proxy's). */
  readonly publicOrigin: Option.Option<string>
  /** Origins allowed to embed the components and call the API with credentials. */
  readonly allowedEmbedOrigins: ReadonlyArray<string>
  readonly maxJsonBodyBytes: number
  /** How long shutdown waits for in-flight requests before closing their connections. */
  readonly shutdownGrace: Duration.Duration
  /** New accounts wait for an administrator's approval. */
  readonly requireApproval: boolean
  /** A session unused this long expires (sliding). */
  readonly sessionIdleTimeout: Duration.Duration
  /** No session lives longer than this, however active. */
  readonly sessionMaxAge: Duration.Duration
  /** Take the client address from X-Forwarded-For (behind a reverse proxy). */
  readonly trustProxy: boolean
  /** A preset one-time setup token (otherwise one is generated at first start). */
  readonly setupToken: Option.Option<Redacted.Redacted<string>>
  /** The most ciphertext one knowledge-base record may hold (its envelopes' `ct` bytes together). */
  readonly recordMaxBytes: number
  /** How long tombstones and superseded versions of Standard records are kept. */
  readonly tombstoneRetention: Duration.Duration
  /** How long tombstones and superseded versions of Private records are kept (at most `tombstoneRetention`). */
  readonly privateRetention: Duration.Duration
  /** How often an open realtime stream sends a heartbeat. */
  readonly realtimeHeartbeat: Duration.Duration
  /** Sign-in attempts allowed from one address in 15 minutes. */
  readonly signInAttempts: number
}

export interface S3Settings {
  /** Absent → AWS's endpoint for the region. */
  readonly endpoint: Option.Option<string>
  readonly region: string
  readonly bucket: string
  /** Absent → the SDK's default credential chain (environment, instance role, …). */
  readonly credentials: Option.Option<{
    readonly accessKeyId: string
    readonly secretAccessKey: Redacted.Redacted<string>
  }>
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (Ceph, MinIO, most self-hosted stores). */
  readonly forcePathStyle: boolean
}

export interface UploadSettings {
  /** The largest ciphertext one file of each purpose may have. */
  readonly perFile: {
    readonly file: number
    readonly audio: number
    readonly image: number
    readonly "daw-project": number
  }
  /** Stored blobs plus open upload sessions, per user, unless the user has a quota of their own. */
  readonly perUser: number
  /** An upload session not completed this long is dropped with its chunks. */
  readonly sessionTtl: Duration.Duration
}

/** `scheme://host[:port]` with nothing after it, as browsers send in `Origin`. */
const parseOrigin = (name: string, value: string): Either.Either<string, ConfigError.ConfigError> => {
  try {
    const url = new URL(value)
    if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === value.replace(/\/$/, "")) {
      return Either.right(url.origin)
    }
  } catch {
    // reported below
  }
  return Either.left(ConfigError.InvalidData([name], `Expected an origin such as https://example.com, got "${value}"`))
}

/** An optional variable; set but empty counts as absent (`export DATABASE_URL=`). */
const optional = <A>(value: Config.Config<A>, isEmpty: (a: A) => boolean) =>
  Config.option(value).pipe(Config.map(Option.filter((a: A) => !isEmpty(a))))

const blank = (text: string) => text.trim() === ""

/** Every S3_* setting, when S3_BUCKET is set; any other of them without it is a mistake worth stopping for. */
const s3Settings: Config.Config<Option.Option<S3Settings>> = Config.all({
  bucket: optional(Config.string("S3_BUCKET"), blank),
  endpoint: optional(Config.string("S3_ENDPOINT"), blank),
  region: Config.string("S3_REGION").pipe(Config.withDefault("us-east-1")),
  accessKeyId: optional(Config.string("S3_ACCESS_KEY_ID"), blank),
  secretAccessKey: optional(Config.redacted("S3_SECRET_ACCESS_KEY"), (key) => blank(Redacted.value(key))),
  forcePathStyle: Config.boolean("S3_FORCE_PATH_STYLE").pipe(Config.withDefault(false)),
}).pipe(
  Config.validate({
    message: "S3_ENDPOINT must be an http or https URL such as http://127.0.0.1:7480",
    validation: (s) =>
      Option.match(s.endpoint, {
        onNone: () => true,
        onSome: (url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol),
      }),
  }),
  Config.validate({
    message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together",
    validation: (s) => Option.isSome(s.accessKeyId) === Option.isSome(s.secretAccessKey),
  }),
  Config.validate({
    message: "S3_BUCKET is required when another S3_* setting is given",
    validation: (s) => Option.isSome(s.bucket) || (Option.isNone(s.endpoint) && Option.isNone(s.accessKeyId)),
  }),
  Config.map(({ bucket, endpoint, accessKeyId, secretAccessKey, ...rest }) =>
    Option.map(bucket, (name) => ({
      ...rest,
      bucket: name,
      endpoint: Option.map(endpoint, (url) => url.trim()),
      credentials: Option.zipWith(accessKeyId, secretAccessKey, (id, secret) => ({
        accessKeyId: id,
        secretAccessKey: secret,
      })),
    })),
  ),
)

const positiveInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `${name} must be a positive integer`, validation: (n) => n > 0 }),
    Config.withDefault(fallback),
  )

const MB = 1000 * 1000
const GiB = 1024 * 1024 * 1024

/** The seed's limits (100 MB file, 50 MB audio, 10 MB image), 2 GiB DAW projects, 10 GiB per user. */
const uploadSettings: Config.Config<UploadSettings> = Config.all({
  perFile: Config.all({
    file: positiveInt("UPLOAD_MAX_FILE_BYTES", 100 * MB),
    audio: positiveInt("UPLOAD_MAX_AUDIO_BYTES", 50 * MB),
    image: positiveInt("UPLOAD_MAX_IMAGE_BYTES", 10 * MB),
    "daw-project": positiveInt("UPLOAD_MAX_DAW_PROJECT_BYTES", 2 * GiB),
  }),
  perUser: positiveInt("UPLOAD_USER_QUOTA_BYTES", 10 * GiB),
  sessionTtl: Config.duration("UPLOAD_SESSION_TTL").pipe(Config.withDefault(Duration.hours(24))),
})

export const config: Config.Config<Service> = Config.all({
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1")),
  // Config.port refuses 0, which asks the OS for a free port.
  port: Config.integer("PORT").pipe(
    Config.validate({ message: "PORT must be an integer from 0 to 65535", validation: (n) => n >= 0 && n <= 65535 }),
    Config.withDefault(8787),
  ),
  dataDir: Config.string("IGNITION_DATA_DIR").pipe(Config.withDefault("./.ignition")),
  databaseUrl: optional(Config.redacted("DATABASE_URL"), (url) => blank(Redacted.value(url))),
  databasePoolMax: positiveInt("DATABASE_POOL_MAX", 10),
  blobDir: optional(Config.string("BLOB_DIR"), blank),
  s3: s3Settings,
  uploads: uploadSettings,
  logLevel: Config.string("LOG_LEVEL").pipe(
    Config.withDefault("info"),
    Config.mapOrFail((value) => {
      const wanted = value.trim().toLowerCase()
      const level = LogLevel.allLevels.find((l) => l._tag.toLowerCase() === wanted || l.label.toLowerCase() === wanted)
      return level === undefined
        ? Either.left(
            ConfigError.InvalidData(
              ["LOG_LEVEL"],
              `Expected one of ${LogLevel.allLevels.map((l) => l._tag).join(", ")}`,
            ),
          )
        : Either.right(level)
    }),
  ),
  publicOrigin: Config.string("PUBLIC_ORIGIN").pipe(
    Config.withDefault(""),
    Config.mapOrFail((value) =>
      blank(value) ? Either.right(Option.none()) : Either.map(parseOrigin("PUBLIC_ORIGIN", value.trim()), Option.some),
    ),
  ),
  allowedEmbedOrigins: Config.string("ALLOWED_EMBED_ORIGINS").pipe(
    Config.withDefault(""),
    Config.mapOrFail((list) =>
      Either.all(
        list
          .split(",")
          .map((entry) => entry.trim())
          .filter((entry) => entry !== "")
          .map((entry) => parseOrigin("ALLOWED_EMBED_ORIGINS", entry)),
      ),
    ),
  ),
  maxJsonBodyBytes: positiveInt("MAX_JSON_BODY_BYTES", 1024 * 1024),
  shutdownGrace: Config.duration("SHUTDOWN_GRACE").pipe(Config.withDefault(Duration.seconds(10))),
  requireApproval: Config.boolean("REQUIRE_APPROVAL").pipe(Config.withDefault(false)),
  sessionIdleTimeout: Config.duration("SESSION_IDLE_TIMEOUT").pipe(Config.withDefault(Duration.days(14))),
  sessionMaxAge: Config.duration("SESSION_MAX_AGE").pipe(Config.withDefault(Duration.days(60))),
  trustProxy: Config.boolean("TRUST_PROXY").pipe(Config.withDefault(false)),
  setupToken: optional(Config.redacted("IGNITION_SETUP_TOKEN"), (token) => blank(Redacted.value(token))),
  recordMaxBytes: positiveInt("RECORD_MAX_BYTES", 1024 * 1024),
  tombstoneRetention: Config.duration("TOMBSTONE_RETENTION").pipe(Config.withDefault(Duration.days(90))),
  privateRetention: Config.duration("PRIVATE_RETENTION").pipe(Config.withDefault(Duration.days(7))),
  realtimeHeartbeat: Config.duration("REALTIME_HEARTBEAT").pipe(Config.withDefault(Duration.seconds(30))),
  signInAttempts: positiveInt("SIGN_IN_ATTEMPTS", 30),
}).pipe(
  Config.validate({
    message: "SESSION_IDLE_TIMEOUT must not exceed SESSION_MAX_AGE",
    validation: (c) => Duration.lessThanOrEqualTo(c.sessionIdleTimeout, c.sessionMaxAge),
  }),
  Config.validate({
    message: "PRIVATE_RETENTION must not exceed TOMBSTONE_RETENTION",
    validation: (c) => Duration.lessThanOrEqualTo(c.privateRetention, c.tombstoneRetention),
  }),
  Config.map(({ blobDir, dataDir, ...rest }) => ({
    ...rest,
    dataDir: path.resolve(dataDir),
    blobDir: path.resolve(Option.getOrElse(blobDir, () => path.join(dataDir, "blobs"))),
  })),
)

export class AppConfig extends Context.Tag("@ignition/server/AppConfig")<AppConfig, Service>() {
  /** Read from the environment (the current `ConfigProvider`). */
  static readonly layer: Layer.Layer<AppConfig, ConfigError.ConfigError> = Layer.effect(AppConfig, config)

  /** The defaults with some values replaced, whatever the environment says: for tests. */
  static readonly layerTest = (overrides: Partial<Service> = {}): Layer.Layer<AppConfig> =>
    Layer.effect(
      AppConfig,
      config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
        Effect.orDie,
        Effect.map((defaults) => ({ ...defaults, ...overrides })),
      ),
    )
}
