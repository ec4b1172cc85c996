/**
 * The upload cleanup job: at start and then every `interval`, drops expired
 * sessions with their parts and deletes stored objects nothing refers to
 * once they are older than `grace` (long enough for any completion in
 * progress to record its blob). A failed round is logged and the next one
 * runs anyway.
 */
import { Duration, Effect, Layer, Schedule } from "effect"
import { Uploads } from "./Uploads.js"

export interface Options {
  readonly interval: Duration.Duration
  readonly grace: Duration.Duration
}

export const defaults: Options = { interval: Duration.minutes(10), grace: Duration.hours(1) }

export const layer = (options: Options = defaults) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const uploads = yield* Uploads
      const round = Effect.all({ sessions: uploads.sweep, orphans: uploads.collectOrphans(options.grace) }).pipe(
        Effect.tap(({ sessions, orphans }) =>
          sessions + orphans > 0 ? Effect.logInfo("uploads cleaned up", { sessions, orphans }) : Effect.void,
        ),
        Effect.catchAll((error) =>
          Effect.logWarning("upload cleanup failed; retrying next round", { error: error._tag }),
        ),
      )
      yield* Effect.forkScoped(Effect.repeat(round, Schedule.spaced(options.interval)))
    }),
  )
