/**
 * The `system` group: liveness, readiness and version. These endpoints carry
 * no user data and need no session.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"

/**
 * Liveness: the process is up and serving HTTP.
 *
 * @since 0.1.0
 */
export class Health extends Schema.Class<Health>("Health")({
  status: Schema.Literal("ok"),
}) {}

/**
 * Which database engine an instance runs on.
 *
 * @since 0.1.0
 */
export const DatabaseEngine = Schema.Literal("postgres", "pglite")

/**
 * @since 0.1.0
 */
export type DatabaseEngine = typeof DatabaseEngine.Type

/**
 * Readiness: the database answers and every migration this server knows is
 * applied.
 *
 * @since 0.1.0
 */
export class Readiness extends Schema.Class<Readiness>("Readiness")({
  status: Schema.Literal("ready"),
  database: Schema.Struct({
    engine: DatabaseEngine,
    latencyMs: Schema.Number.pipe(Schema.finite(), Schema.nonNegative()),
  }),
  migrations: Schema.Struct({
    applied: Schema.NonNegativeInt,
    head: Schema.String,
  }),
}) {}

/**
 * The instance cannot serve requests that need the database yet (or any
 * more). `pendingMigrations` lists what this server expects but the database
 * lacks.
 *
 * @since 0.1.0
 */
export class NotReady extends Schema.TaggedError<NotReady>()(
  "NotReady",
  {
    message: Schema.String,
    database: Schema.Literal("reachable", "unreachable"),
    pendingMigrations: Schema.Array(Schema.String),
  },
  HttpApiSchema.annotations({ status: 503, description: "Database unreachable or not migrated" }),
) {}

/**
 * What is answering: the server's release, the contract version it
 * implements, and the id of this instance's data (stable across restarts,
 * new when the database is reset — clients use it to notice a reset).
 *
 * @since 0.1.0
 */
export class VersionInfo extends Schema.Class<VersionInfo>("VersionInfo")({
  name: Schema.Literal("ignition"),
  version: Schema.String,
  contractVersion: Schema.Int.pipe(Schema.positive()),
  instanceId: Schema.UUID,
}) {}

/**
 * @since 0.1.0
 */
export class SystemApi extends HttpApiGroup.make("system")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Health).annotate(OpenApi.Summary, "Liveness"))
  .add(
    HttpApiEndpoint.get("ready", "/ready")
      .addSuccess(Readiness)
      .addError(NotReady)
      .annotate(OpenApi.Summary, "Readiness: database reachable and migrations at head"),
  )
  .add(
    HttpApiEndpoint.get("version", "/api/version")
      .addSuccess(VersionInfo)
      .annotate(OpenApi.Summary, "Server and contract version"),
  )
  .annotate(OpenApi.Title, "System")
  .annotate(OpenApi.Description, "Liveness, readiness and version") {}
