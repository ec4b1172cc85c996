/**
 * Handlers of the `admin` group. Every action is audited with the acting
 * administrator. The instance keeps at least one approved administrator:
 * the last one can be neither suspended nor stripped of the role.
 * Changing someone's roles or suspending them ends their sessions, so new
 * privileges only ever come with a fresh sign-in.
 */
import { HttpApiBuilder } from "@effect/platform"
import { AdminApi, ApiError, Authentication, IgnitionApi } from "@ignition/api"
import { DateTime, Effect, Option, Schema } from "effect"
import * as Audit from "../Auth/Audit.js"
import { Sessions } from "../Auth/Sessions.js"
import { toApi, type UserRecord, UserRepo } from "../Auth/UserRepo.js"

const Cursor = Schema.compose(Schema.StringFromBase64Url, Schema.parseJson(Schema.Tuple(Schema.Date, Schema.UUID)))
const decodeCursor = Schema.decodeUnknownOption(Cursor)
const encodeCursor = Schema.encodeSync(Cursor)

const noSuchUser = new ApiError.NotFound({ message: "No such user" })
const lastAdmin = new ApiError.Conflict({ message: "The instance must keep at least one approved administrator" })

export const AdminLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "admin", (handlers) =>
  Effect.gen(function* () {
    const users = yield* UserRepo
    const sessions = yield* Sessions

    const withActivity = (list: ReadonlyArray<UserRecord>) =>
      Effect.map(sessions.activity(list.map((user) => user.id)), (activity) =>
        list.map((user) => {
          const seen = activity.get(user.id)
          return new AdminApi.AdminUser({
            ...toApi(user),
            lastSeenAt: seen?.lastSeenAt == null ? null : DateTime.unsafeFromDate(seen.lastSeenAt),
            activeSessions: seen?.active ?? 0,
          })
        }),
      )

    const one = (user: UserRecord) =>
      Effect.flatMap(withActivity([user]), (list) => {
        const [admin] = list
        return admin === undefined ? Effect.dieMessage("lost a user") : Effect.succeed(admin)
      })

    const target = (id: string) =>
      Effect.flatMap(users.findById(id), (found) => (Option.isSome(found) ? Effect.succeed(found.value) : noSuchUser))

    /** Refuse a change that would leave no approved administrator. */
    const keepAnAdmin = (user: UserRecord, keepsAdmin: boolean) =>
      Effect.gen(function* () {
        if (keepsAdmin || user.status !== "approved" || !user.roles.includes("admin")) return
        if ((yield* users.countWithRole("admin")) <= 1) return yield* lastAdmin
      })

    const changed = (id: string) =>
      Effect.flatMap(users.findById(id), (found) => (Option.isSome(found) ? one(found.value) : noSuchUser))

    return handlers
      .handle("users", ({ urlParams }) =>
        Effect.gen(function* () {
          const limit = urlParams.limit ?? 50
          const after = urlParams.cursor === undefined ? Option.none() : decodeCursor(urlParams.cursor)
          if (urlParams.cursor !== undefined && Option.isNone(after)) {
            return yield* new ApiError.BadRequest({ message: "The cursor is not one this server handed out" })
          }
          const page = yield* users.list({
            status: urlParams.status,
            limit: limit + 1,
            after: Option.getOrUndefined(Option.map(after, ([createdAt, id]) => ({ createdAt, id }))),
          })
          const shown = page.slice(0, limit)
          const last = shown.at(-1)
          return new AdminApi.UserPage({
            users: yield* withActivity(shown),
            nextCursor: page.length > limit && last !== undefined ? encodeCursor([last.createdAt, last.id]) : null,
          })
        }),
      )
      .handle("approve", ({ path }) =>
        Effect.gen(function* () {
          const { user: admin } = yield* Authentication.CurrentUser
          const user = yield* target(path.id)
          if (user.status !== "approved") {
            yield* users.update(user.id, { status: "approved" })
            yield* Audit.record({
              action: "user_approved",
              actor: admin.id,
              subject: user.id,
              details: { from: user.status },
            })
          }
          return yield* changed(user.id)
        }),
      )
      .handle("suspend", ({ path }) =>
        Effect.gen(function* () {
          const { user: admin } = yield* Authentication.CurrentUser
          const user = yield* target(path.id)
          if (user.id === admin.id) return yield* new ApiError.Conflict({ message: "You cannot suspend yourself" })
          yield* keepAnAdmin(user, false)
          if (user.status !== "suspended") {
            yield* users.update(user.id, { status: "suspended" })
            const ended = yield* sessions.revokeAll(user.id, "suspended")
            yield* Audit.record({
              action: "user_suspended",
              actor: admin.id,
              subject: user.id,
              details: { from: user.status, sessionsEnded: ended },
            })
          }
          return yield* changed(user.id)
        }),
      )
      .handle("setRoles", ({ path, payload }) =>
        Effect.gen(function* () {
          const { user: admin } = yield* Authentication.CurrentUser
          const user = yield* target(path.id)
          const known = yield* users.existingRoles
          const unknown = payload.roles.filter((role) => !known.has(role))
          if (unknown.length > 0) {
            return yield* new ApiError.BadRequest({ message: `Unknown role: ${unknown.join(", ")}` })
          }
          const roles = [...new Set(payload.roles)].sort()
          yield* keepAnAdmin(user, roles.includes("admin"))
          yield* users.setRoles(user.id, roles, admin.id)
          const ended = yield* sessions.revokeAll(user.id, "roles_changed")
          yield* Audit.record({
            action: "roles_changed",
            actor: admin.id,
            subject: user.id,
            details: { from: user.roles.join(","), to: roles.join(","), sessionsEnded: ended },
          })
          return yield* changed(user.id)
        }),
      )
      .handle("signOut", ({ path }) =>
        Effect.gen(function* () {
          const { user: admin } = yield* Authentication.CurrentUser
          const user = yield* target(path.id)
          const ended = yield* sessions.revokeAll(user.id, "admin")
          yield* Audit.record({
            action: "admin_signed_out_user",
            actor: admin.id,
            subject: user.id,
            details: { sessionsEnded: ended },
          })
        }),
      )
  }),
)
