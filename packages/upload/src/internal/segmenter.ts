/**
 * Cuts a byte stream into segments of a fixed size without holding more than
 * one: bytes are copied once into a preallocated buffer (or, when a piece
 * holds a whole segment that is known not to be the last, used in place),
 * and a full segment waits until it is known whether anything follows, so
 * the last one can be flagged. `onSegment` receives a view that is only
 * valid during the call: it must be done with the bytes (WebCrypto copies
 * its input when called) before its Effect completes.
 */
import { Chunk, Effect, Stream } from "effect"

export type OnSegment<A, E, R> = (index: number, bytes: Uint8Array, last: boolean) => Effect.Effect<A, E, R>

export interface Segmenter<A, E, R> {
  /** Takes the next piece of the stream; answers what the segments it completed gave. */
  readonly push: (piece: Uint8Array) => Effect.Effect<Chunk.Chunk<A>, E, R>
  /** The stream has ended: what is buffered is the last segment (full, partial, or empty when the stream was). */
  readonly finish: Effect.Effect<A, E, R>
}

export const make = <A, E, R>(size: number, onSegment: OnSegment<A, E, R>): Segmenter<A, E, R> => {
  const buffer = new Uint8Array(size)
  let filled = 0
  let index = 0
  const emit = (bytes: Uint8Array, last: boolean) => onSegment(index++, bytes, last)
  return {
    push: (piece) =>
      Effect.gen(function* () {
        const out: Array<A> = []
        let offset = 0
        while (offset < piece.length) {
          // The buffered segment is full and more bytes have come: it is not the last.
          if (filled === size) {
            out.push(yield* emit(buffer, false))
            filled = 0
          }
          // Whole segments straight from the piece, as long as bytes follow them in it.
          while (filled === 0 && piece.length - offset > size) {
            out.push(yield* emit(piece.subarray(offset, offset + size), false))
            offset += size
          }
          const take = Math.min(size - filled, piece.length - offset)
          buffer.set(piece.subarray(offset, offset + take), filled)
          filled += take
          offset += take
        }
        return Chunk.unsafeFromArray(out)
      }),
    finish: Effect.suspend(() => emit(buffer.subarray(0, filled), true)),
  }
}

/** Runs `input` through a fresh segmenter per run of the stream. */
export const segments = <A, E, R, E2, R2>(
  input: Stream.Stream<Uint8Array, E2, R2>,
  size: number,
  onSegment: OnSegment<A, E, R>,
): Stream.Stream<A, E | E2, R | R2> =>
  Stream.suspend(() => {
    const segmenter = make(size, onSegment)
    return input.pipe(
      Stream.mapEffect(segmenter.push),
      Stream.flattenChunks,
      Stream.concat(Stream.fromEffect(segmenter.finish)),
    )
  })
