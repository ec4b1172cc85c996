/**
 * Structured logs: one JSON object per line, every field through the
 * red-line filter. Annotations (e.g. `requestId`) become top-level fields; a
 * cause becomes `error` with its failures and defects scrubbed.
 */
import { Cause, Chunk, HashMap, Layer, List, Logger, type LogLevel } from "effect"
import { scrub, truncate } from "./RedLine.js"

/** Where finished lines go. */
export type Sink = (line: string) => void

const reserved = new Set(["time", "level", "message", "data", "error", "spans"])

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype

const addFields = (entry: Record<string, unknown>, fields: Iterable<readonly [string, unknown]>) => {
  const scrubbed = scrub(Object.fromEntries(fields)) as Record<string, unknown>
  for (const [key, value] of Object.entries(scrubbed)) {
    if (!reserved.has(key)) entry[key] = value
  }
}

const renderCause = (cause: Cause.Cause<unknown>): Record<string, unknown> => {
  const failures = Chunk.toArray(Cause.failures(cause))
  const defects = Chunk.toArray(Cause.defects(cause))
  return {
    ...(failures.length > 0 ? { failures: failures.map((failure) => scrub(failure)) } : {}),
    ...(defects.length > 0 ? { defects: defects.map((defect) => scrub(defect, { stack: true })) } : {}),
    ...(Cause.isInterrupted(cause) ? { interrupted: true } : {}),
  }
}

export const make = (sink: Sink): Logger.Logger<unknown, void> =>
  Logger.make(({ annotations, cause, date, logLevel, message, spans }) => {
    const parts = Array.isArray(message) ? message : [message]
    const [first, ...rest] = parts
    const entry: Record<string, unknown> = {
      time: date.toISOString(),
      level: logLevel.label,
      message: typeof first === "string" ? truncate(first) : scrub(first),
    }
    // `Effect.logInfo("message", { fields })`: the fields become top-level, like annotations.
    const [only] = rest
    if (rest.length === 1 && isPlainObject(only)) {
      addFields(entry, Object.entries(only))
    } else if (rest.length > 0) {
      entry.data = scrub(rest.length === 1 ? only : rest)
    }
    addFields(entry, HashMap.toEntries(annotations))
    if (!List.isNil(spans)) {
      const now = date.getTime()
      entry.spans = Object.fromEntries(List.toArray(spans).map((span) => [span.label, now - span.startTime]))
    }
    if (!Cause.isEmpty(cause)) entry.error = renderCause(cause)
    sink(JSON.stringify(entry))
  })

/** Replace Effect's default logger with the JSON logger, from `minimumLevel` up. */
export const layer = (sink: Sink, minimumLevel: LogLevel.LogLevel): Layer.Layer<never> =>
  Layer.merge(Logger.replace(Logger.defaultLogger, make(sink)), Logger.minimumLogLevel(minimumLevel))

/** Lines to standard output. */
export const stdout: Sink = (line) => {
  process.stdout.write(`${line}\n`)
}
