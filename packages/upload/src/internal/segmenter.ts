/**
 * Cuts a byte stream into segments of a fixed size. A full segment is held
 * until it is known whether anything follows, so the last one can be
 * flagged. Each segment's bytes are its own until released — a buffer
 * filled by one copy, or a view of a piece that holds a whole segment with
 * bytes after it — so a receiver may keep them while the next segment
 * fills (to encrypt one while the next is read). Released buffers are
 * filled again: a stream reuses as many buffers as it has segments in
 * flight, instead of allocating (and faulting in) one per segment.
 */
import { Chunk } from "effect"

export interface Segment {
  readonly index: number
  readonly bytes: Uint8Array
  readonly last: boolean
}

export interface Segmenter {
  /** Takes the next piece of the stream; answers the segments it completed. */
  readonly push: (piece: Uint8Array) => Chunk.Chunk<Segment>
  /** The stream has ended: what is buffered is the last segment (full, partial, or empty when the stream was). */
  readonly finish: () => Segment
  /** The receiver is done with a segment's bytes: its buffer may be filled again. */
  readonly release: (bytes: Uint8Array) => void
}

export const make = (size: number): Segmenter => {
  let buffer: Uint8Array | undefined
  let filled = 0
  let index = 0
  const spare: Array<Uint8Array> = []
  return {
    push: (piece) => {
      const out: Array<Segment> = []
      let offset = 0
      while (offset < piece.length) {
        // The buffered segment is full and more bytes have come: it is not the last.
        if (buffer !== undefined && filled === size) {
          out.push({ index: index++, bytes: buffer, last: false })
          buffer = undefined
          filled = 0
        }
        // Whole segments straight from the piece, as long as bytes follow them in it.
        while (buffer === undefined && piece.length - offset > size) {
          out.push({ index: index++, bytes: piece.subarray(offset, offset + size), last: false })
          offset += size
        }
        buffer ??= spare.pop() ?? new Uint8Array(size)
        const take = Math.min(size - filled, piece.length - offset)
        buffer.set(piece.subarray(offset, offset + take), filled)
        filled += take
        offset += take
      }
      return Chunk.unsafeFromArray(out)
    },
    finish: () => ({ index, bytes: buffer?.subarray(0, filled) ?? new Uint8Array(0), last: true }),
    // Only whole buffers of ours: views of the caller's pieces are not ours to fill.
    release: (bytes) => {
      if (bytes.byteOffset === 0 && bytes.length === size && bytes.buffer.byteLength === size) spare.push(bytes)
    },
  }
}
