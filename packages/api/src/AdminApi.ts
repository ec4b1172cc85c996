/**
 * The `admin` group: user administration. Every endpoint needs the `admin`
 * role, and every action is written to the security audit log.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { RoleName, User, UserId, UserStatus } from "./Account.js"
import { Conflict, NotFound } from "./ApiError.js"
import { AdminAuthentication } from "./Authentication.js"

/**
 * A user as administrators see them.
 *
 * @since 0.1.0
 */
export class AdminUser extends Schema.Class<AdminUser>("AdminUser")({
  ...User.fields,
  lastSeenAt: Schema.NullOr(Schema.DateTimeUtc),
  activeSessions: Schema.NonNegativeInt,
}) {}

/**
 * A page of users, newest first; pass `nextCursor` as `cursor` for the next page.
 *
 * @since 0.1.0
 */
export class UserPage extends Schema.Class<UserPage>("UserPage")({
  users: Schema.Array(AdminUser),
  nextCursor: Schema.NullOr(Schema.String),
}) {}

const UserPath = Schema.Struct({ id: UserId })

/**
 * @since 0.1.0
 */
export class AdminApi extends HttpApiGroup.make("admin")
  .add(
    HttpApiEndpoint.get("users", "/api/admin/users")
      .setUrlParams(
        Schema.Struct({
          status: Schema.optional(UserStatus),
          limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 200))),
          cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(200))),
        }),
      )
      .addSuccess(UserPage),
  )
  .add(
    HttpApiEndpoint.post("approve", "/api/admin/users/:id/approve")
      .setPath(UserPath)
      .addSuccess(AdminUser)
      .addError(NotFound),
  )
  .add(
    HttpApiEndpoint.post("suspend", "/api/admin/users/:id/suspend")
      .setPath(UserPath)
      .addSuccess(AdminUser)
      .addError(NotFound)
      .addError(Conflict),
  )
  .add(
    HttpApiEndpoint.put("setRoles", "/api/admin/users/:id/role")
      .setPath(UserPath)
      .setPayload(Schema.Struct({ roles: Schema.Array(RoleName).pipe(Schema.maxItems(20)) }))
      .addSuccess(AdminUser)
      .addError(NotFound)
      .addError(Conflict),
  )
  .add(
    HttpApiEndpoint.post("signOut", "/api/admin/users/:id/logout")
      .setPath(UserPath)
      .addSuccess(Schema.Void, { status: 204 })
      .addError(NotFound),
  )
  .middleware(AdminAuthentication)
  .annotate(OpenApi.Title, "Admin")
  .annotate(OpenApi.Description, "User administration (admin role)") {}
