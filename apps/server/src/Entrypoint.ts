/**
 * How the executables (`main.ts`, `migrate.ts`) run a program: configuration
 * from the environment, JSON logs from the first line on (at LOG_LEVEL once
 * it is read), a clean exit on SIGTERM/SIGINT, and a fatal log line — not a
 * stack dump — when the program fails.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer, Logger, LogLevel } from "effect"
import { AppConfig } from "./AppConfig.js"
import * as JsonLogger from "./Logging/JsonLogger.js"

const LogLevelLive = Layer.unwrapEffect(Effect.map(AppConfig, (config) => Logger.minimumLogLevel(config.logLevel)))

export const run = <E>(
  program: Effect.Effect<unknown, E, AppConfig>,
  messages: { readonly done: string; readonly failed: string },
): void =>
  program.pipe(
    Effect.provide(LogLevelLive),
    Effect.provide(AppConfig.layer),
    Effect.onExit((exit) =>
      Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)
        ? Effect.logInfo(messages.done)
        : Effect.logFatal(messages.failed, exit.cause),
    ),
    // Until the configuration is read, log at the default level through the same red-line filter.
    Effect.provide(JsonLogger.layer(JsonLogger.stdout, LogLevel.Info)),
    NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true }),
  )
