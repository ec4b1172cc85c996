/**
 * `npm start`: the server with configuration from the environment.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { AppConfig } from "./AppConfig.js"
import * as JsonLogger from "./Logging/JsonLogger.js"
import { ServerLive } from "./Server.js"

const LogLevelLive = Layer.unwrapEffect(Effect.map(AppConfig, (config) => Logger.minimumLogLevel(config.logLevel)))

Layer.launch(ServerLive).pipe(
  Effect.provide(LogLevelLive),
  Effect.provide(AppConfig.layer),
  Effect.tapErrorCause((cause) => Effect.logFatal("Ignition stopped", cause)),
  // Until the configuration is read, log at the default level through the same red-line filter.
  Effect.provide(JsonLogger.layer(JsonLogger.stdout, LogLevel.Info)),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
)
