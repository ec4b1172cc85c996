/**
 * Opaque cursors. A cursor is base64url of `[format 1][version u64 BE]
 * [horizon u64 BE][HMAC-SHA-256(secret, "ignition/sync/cursor" ‖ format ‖
 * userId length u32 ‖ userId ‖ version ‖ horizon) truncated to 16 bytes]`.
 * `horizon` is the user's tombstone horizon when the cursor was issued: a
 * pull from scratch may sit below the horizon without having missed anything,
 * and only a horizon that moved past the cursor after that means it did. The user id is bound by the MAC rather than carried,
 * so a cursor reveals nothing but a counter, garbage fails to decode, and
 * another user's cursor (or a forged version) fails to verify — both as a
 * typed `InvalidCursor`. Clients only store and return cursors; they compare
 * them for equality at most.
 */
import { Context, Effect, Either, Encoding, Layer } from "effect"
import { InvalidCursor } from "./SyncError.js"

const FORMAT = 1
const MAC_BYTES = 16
const CURSOR_BYTES = 1 + 8 + 8 + MAC_BYTES
const DOMAIN = new TextEncoder().encode("ignition/sync/cursor")

/** Where a cursor points: after `version`, issued while the horizon was `horizon`. */
export interface Position {
  readonly version: number
  readonly horizon: number
}

export class CursorSigner extends Context.Tag("@ignition/sync/CursorSigner")<
  CursorSigner,
  {
    readonly encode: (userId: string, position: Position) => Effect.Effect<string>
    readonly decode: (userId: string, cursor: string) => Effect.Effect<Position, InvalidCursor>
  }
>() {}

const signedBytes = (userId: string, position: Position) => {
  const user = new TextEncoder().encode(userId)
  const out = new Uint8Array(DOMAIN.length + 1 + 4 + user.length + 16)
  const view = new DataView(out.buffer)
  out.set(DOMAIN, 0)
  let offset = DOMAIN.length
  view.setUint8(offset, FORMAT)
  // Length-prefixed so that no (userId, version) pair can be re-split into another.
  view.setUint32(offset + 1, user.length)
  offset += 5
  out.set(user, offset)
  view.setBigUint64(offset + user.length, BigInt(position.version))
  view.setBigUint64(offset + user.length + 8, BigInt(position.horizon))
  return out
}

const invalid = (message: string) => new InvalidCursor({ message })

/** Cursors signed with `secret` (at least 32 bytes, the server's; never sent to clients). */
export const make = (secret: Uint8Array): Effect.Effect<CursorSigner["Type"]> =>
  Effect.map(
    // A short secret is a deployment mistake, not a request's: refuse to start rather than sign weakly.
    (secret.length < 32 ? Effect.dieMessage("the cursor secret must be at least 32 bytes") : Effect.void).pipe(
      Effect.zipRight(
        Effect.promise(() =>
          globalThis.crypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, [
            "sign",
          ]),
        ),
      ),
    ),
    (key) => {
      const mac = (userId: string, position: Position) =>
        Effect.promise(() =>
          globalThis.crypto.subtle
            .sign("HMAC", key, signedBytes(userId, position))
            .then((full) => new Uint8Array(full, 0, MAC_BYTES)),
        )
      return {
        encode: (userId, position) =>
          Effect.map(mac(userId, position), (tag) => {
            const bytes = new Uint8Array(CURSOR_BYTES)
            const view = new DataView(bytes.buffer)
            view.setUint8(0, FORMAT)
            view.setBigUint64(1, BigInt(position.version))
            view.setBigUint64(9, BigInt(position.horizon))
            bytes.set(tag, 17)
            return Encoding.encodeBase64Url(bytes)
          }),
        decode: (userId, cursor) =>
          Effect.gen(function* () {
            const bytes = yield* Either.mapLeft(Encoding.decodeBase64Url(cursor), () => invalid("not base64url"))
            if (bytes.length !== CURSOR_BYTES) return yield* invalid("wrong length")
            const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
            if (view.getUint8(0) !== FORMAT) return yield* invalid("unknown cursor format")
            const [version, horizon] = [view.getBigUint64(1), view.getBigUint64(9)]
            const limit = BigInt(Number.MAX_SAFE_INTEGER)
            if (version > limit || horizon > limit) return yield* invalid("out of range")
            const position = { version: Number(version), horizon: Number(horizon) }
            const expected = yield* mac(userId, position)
            let difference = 0
            for (let index = 0; index < MAC_BYTES; index++) {
              difference |= (expected[index] ?? 0) ^ (bytes[17 + index] ?? 0)
            }
            if (difference !== 0) return yield* invalid("cursor was not issued to this user")
            return position
          }),
      }
    },
  )

export const layer = (secret: Uint8Array): Layer.Layer<CursorSigner> => Layer.effect(CursorSigner, make(secret))
