/**
 * Runs an effect on each element of a stream up to `lookahead` elements
 * ahead of the consumer, each in its own fiber, and emits the results in
 * order; the first failure in order is the stream's, and work still running
 * when the stream ends is interrupted with it. This is what lets WebCrypto
 * encrypt the next segment (off the main thread) while the consumer hashes
 * this one, and keeps at most `lookahead + 2` elements in flight (queued,
 * one waiting to be queued, one being consumed).
 */
import { Effect, Fiber, Stream } from "effect"

export const ahead = <A, B, E, R, E2, R2>(
  stream: Stream.Stream<A, E, R>,
  f: (a: A) => Effect.Effect<B, E2, R2>,
  lookahead: number,
): Stream.Stream<B, E | E2, R | R2> =>
  Stream.unwrapScoped(
    Effect.map(Effect.scope, (scope) =>
      stream.pipe(
        Stream.mapEffect((a) => Effect.forkIn(f(a), scope)),
        Stream.buffer({ capacity: lookahead }),
        Stream.mapEffect(Fiber.join),
      ),
    ),
  )
