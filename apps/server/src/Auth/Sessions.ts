/**
 * Sessions: an opaque 256-bit token per session, of which only the SHA-256
 * is stored. A session expires after SESSION_IDLE_TIMEOUT without use
 * (sliding, renewed at most once a minute to spare writes) and never
 * outlives SESSION_MAX_AGE. Rotation replaces a session with a new one
 * (new token, `rotated_from` the old) and the old token stops working at
 * once; revocation is immediate too.
 */
import { Account } from "@ignition/api"
import { Clock, DateTime, Duration, Effect, Option, type Redacted } from "effect"
import { sql } from "kysely"
import { AppConfig } from "../AppConfig.js"
import { Database } from "../Database/Database.js"
import * as Tokens from "./Tokens.js"
import { selectUsers, type UserRecord, fromRow as userFromRow } from "./UserRepo.js"

export interface SessionRecord {
  readonly id: Account.SessionId
  readonly userId: Account.UserId
  readonly createdAt: Date
  readonly lastSeenAt: Date
  readonly expiresAt: Date
  readonly absoluteExpiresAt: Date
  readonly userAgent: string | null
}

export interface Issued {
  readonly token: Redacted.Redacted<string>
  readonly session: SessionRecord
}

export type RevokeReason =
  | "sign_out"
  | "sign_out_everywhere"
  | "rotated"
  | "revoked"
  | "suspended"
  | "admin"
  | "roles_changed"
  | "password_changed"

/** Renew the sliding expiry at most this often (one write a minute per active session, not one per request). */
const touchInterval = Duration.minutes(1)

/** The wire form of a session. */
export const toApi = (session: SessionRecord): Account.Session =>
  new Account.Session({
    id: session.id,
    createdAt: DateTime.unsafeFromDate(session.createdAt),
    expiresAt: DateTime.unsafeFromDate(session.expiresAt),
    absoluteExpiresAt: DateTime.unsafeFromDate(session.absoluteExpiresAt),
  })

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

export class Sessions extends Effect.Service<Sessions>()("@ignition/server/Sessions", {
  effect: Effect.gen(function* () {
    const db = yield* Database
    const config = yield* AppConfig

    const columns = [
      "id",
      "user_id",
      "created_at",
      "last_seen_at",
      "expires_at",
      "absolute_expires_at",
      "user_agent",
    ] as const
    type Row = {
      readonly id: string
      readonly user_id: string
      readonly created_at: Date
      readonly last_seen_at: Date
      readonly expires_at: Date
      readonly absolute_expires_at: Date
      readonly user_agent: string | null
    }
    const fromRow = (row: Row): SessionRecord => ({
      id: Account.SessionId.make(row.id),
      userId: Account.UserId.make(row.user_id),
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      absoluteExpiresAt: row.absolute_expires_at,
      userAgent: row.user_agent,
    })

    const idleExpiry = (at: Date, absolute: Date) =>
      new Date(Math.min(at.getTime() + Duration.toMillis(config.sessionIdleTimeout), absolute.getTime()))

    const insert = (userId: string, userAgent: string | null, rotatedFrom: string | null, absolute?: Date) =>
      Effect.gen(function* () {
        const at = yield* now
        const absoluteExpiresAt = absolute ?? new Date(at.getTime() + Duration.toMillis(config.sessionMaxAge))
        const token = Tokens.generate()
        const row = yield* db
          .execute((q) =>
            q
              .insertInto("sessions")
              .values({
                user_id: userId,
                token_hash: Tokens.digest(token),
                created_at: at,
                last_seen_at: at,
                expires_at: idleExpiry(at, absoluteExpiresAt),
                absolute_expires_at: absoluteExpiresAt,
                rotated_from: rotatedFrom,
                user_agent: userAgent,
              })
              .returning(columns)
              .executeTakeFirstOrThrow(),
          )
          .pipe(Effect.orDie)
        return { token, session: fromRow(row) } satisfies Issued
      })

    /** Start a session for a user. */
    const create = (userId: string, userAgent: string | null) => insert(userId, userAgent, null)

    /**
     * The live session a token belongs to, and its user, in one query (it runs
     * on every authenticated request); renews the sliding expiry.
     */
    const authenticate = (token: Redacted.Redacted<string>) =>
      Effect.gen(function* () {
        const at = yield* now
        const row = yield* db
          .execute((q) =>
            selectUsers(q)
              .innerJoin("sessions as s", "s.user_id", "u.id")
              .select([
                "s.id as session_id",
                "s.created_at as session_created_at",
                "s.last_seen_at as session_last_seen_at",
                "s.expires_at as session_expires_at",
                "s.absolute_expires_at as session_absolute_expires_at",
                "s.user_agent as session_user_agent",
              ])
              .where("s.token_hash", "=", Tokens.digest(token))
              .where("s.revoked_at", "is", null)
              .where("s.expires_at", ">", at)
              .where("s.absolute_expires_at", ">", at)
              .executeTakeFirst(),
          )
          .pipe(Effect.orDie)
        if (row === undefined) return Option.none<{ session: SessionRecord; user: UserRecord }>()
        let session = fromRow({
          id: row.session_id,
          user_id: row.id,
          created_at: row.session_created_at,
          last_seen_at: row.session_last_seen_at,
          expires_at: row.session_expires_at,
          absolute_expires_at: row.session_absolute_expires_at,
          user_agent: row.session_user_agent,
        })
        if (at.getTime() - session.lastSeenAt.getTime() >= Duration.toMillis(touchInterval)) {
          const expiresAt = idleExpiry(at, session.absoluteExpiresAt)
          yield* db
            .execute((q) =>
              q
                .updateTable("sessions")
                .set({ last_seen_at: at, expires_at: expiresAt })
                .where("id", "=", session.id)
                .execute(),
            )
            .pipe(Effect.orDie)
          session = { ...session, lastSeenAt: at, expiresAt }
        }
        return Option.some({ session, user: userFromRow(row) })
      })

    const revokeWhere = (
      reason: RevokeReason,
      filter: (q: ReturnType<typeof revokeQuery>) => ReturnType<typeof revokeQuery>,
    ) =>
      Effect.flatMap(now, (at) =>
        db
          .execute((q) =>
            filter(revokeQuery(q, at, reason))
              .returning("id")
              .execute(),
          )
          .pipe(
            Effect.map((rows) => rows.length),
            Effect.orDie,
          ),
      )
    const revokeQuery = (q: Parameters<Parameters<typeof db.execute>[0]>[0], at: Date, reason: RevokeReason) =>
      q.updateTable("sessions").set({ revoked_at: at, revoked_reason: reason }).where("revoked_at", "is", null)

    /** End one session. */
    const revoke = (sessionId: string, reason: RevokeReason) =>
      revokeWhere(reason, (q) => q.where("id", "=", sessionId)).pipe(Effect.asVoid)

    /** End one of a user's sessions; false when the user has no such live session. */
    const revokeOwn = (userId: string, sessionId: string, reason: RevokeReason) =>
      revokeWhere(reason, (q) => q.where("id", "=", sessionId).where("user_id", "=", userId)).pipe(
        Effect.map((count) => count > 0),
      )

    /** End every session of a user (but `except`, when given). */
    const revokeAll = (userId: string, reason: RevokeReason, except?: string) =>
      revokeWhere(reason, (q) => {
        const own = q.where("user_id", "=", userId)
        return except === undefined ? own : own.where("id", "<>", except)
      })

    /**
     * Replace a session with a new one for the same user (new token, same
     * absolute expiry); the old token stops working at once.
     */
    const rotate = (session: SessionRecord) =>
      db
        .transaction(
          Effect.gen(function* () {
            const revoked = yield* revokeOwn(session.userId, session.id, "rotated")
            if (!revoked) return Option.none<Issued>()
            return Option.some(yield* insert(session.userId, session.userAgent, session.id, session.absoluteExpiresAt))
          }),
        )
        .pipe(Effect.orDie)

    /** A user's live sessions, most recently used first. */
    const listLive = (userId: string) =>
      Effect.flatMap(now, (at) =>
        db
          .execute((q) =>
            q
              .selectFrom("sessions")
              .select(columns)
              .where("user_id", "=", userId)
              .where("revoked_at", "is", null)
              .where("expires_at", ">", at)
              .where("absolute_expires_at", ">", at)
              .orderBy("last_seen_at", "desc")
              .orderBy("id")
              .execute(),
          )
          .pipe(
            Effect.map((rows) => rows.map(fromRow)),
            Effect.orDie,
          ),
      )

    /** Live-session count and last use per user, for the admin list. */
    const activity = (userIds: ReadonlyArray<string>) =>
      Effect.flatMap(now, (at) =>
        userIds.length === 0
          ? Effect.succeed(new Map<string, { active: number; lastSeenAt: Date | null }>())
          : db
              .execute((q) =>
                q
                  .selectFrom("sessions")
                  .select([
                    "user_id",
                    sql<Date | null>`max(last_seen_at)`.as("last_seen_at"),
                    sql<number>`count(*) filter (where revoked_at is null and expires_at > ${at} and absolute_expires_at > ${at})`.as(
                      "active",
                    ),
                  ])
                  .where("user_id", "in", [...userIds])
                  .groupBy("user_id")
                  .execute(),
              )
              .pipe(
                Effect.map(
                  (rows) =>
                    new Map(rows.map((row) => [row.user_id, { active: row.active, lastSeenAt: row.last_seen_at }])),
                ),
                Effect.orDie,
              ),
      )

    return { create, authenticate, revoke, revokeOwn, revokeAll, rotate, listLive, activity }
  }),
}) {}
