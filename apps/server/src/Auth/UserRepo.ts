/**
 * Accounts in the database. Emails match case-insensitively; roles come
 * with every user read. Infrastructure failures are defects here; the one
 * failure callers handle (the email already has an account) is typed.
 */
import { Account } from "@ignition/api"
import { Data, DateTime, Effect, Option } from "effect"
import { type Kysely, sql } from "kysely"
import { Database } from "../Database/Database.js"
import type { DatabaseSchema } from "../Database/Schema.js"

export class EmailTaken extends Data.TaggedError("EmailTaken") {}

export interface UserRecord {
  readonly id: Account.UserId
  readonly email: string
  readonly displayName: string
  readonly status: Account.UserStatus
  readonly timeZone: string
  readonly birthYear: number | null
  readonly termsAcceptedAt: Date | null
  readonly createdAt: Date
  readonly roles: ReadonlyArray<string>
}

export interface NewUser {
  readonly email: string
  readonly displayName: string
  readonly status: Account.UserStatus
  readonly timeZone: string
  readonly birthYear: number | null
  readonly termsAcceptedAt: Date | null
  readonly roles: ReadonlyArray<string>
  readonly grantedBy?: string | undefined
}

/** The wire form of a user. */
export const toApi = (user: UserRecord): Account.User =>
  new Account.User({
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    status: user.status,
    roles: [...user.roles],
    timeZone: user.timeZone,
    termsAcceptedAt: user.termsAcceptedAt === null ? null : DateTime.unsafeFromDate(user.termsAcceptedAt),
    createdAt: DateTime.unsafeFromDate(user.createdAt),
  })

/** Users with their roles, as `u`: join other tables to it (see Sessions.authenticate). */
export const selectUsers = (q: Kysely<DatabaseSchema>) =>
  q
    .selectFrom("users as u")
    .select([
      "u.id",
      "u.email",
      "u.display_name",
      "u.status",
      "u.time_zone",
      "u.birth_year",
      "u.terms_accepted_at",
      "u.created_at",
      sql<
        Array<string>
      >`coalesce((select array_agg(ur.role order by ur.role) from user_roles ur where ur.user_id = u.id), '{}')`.as(
        "roles",
      ),
    ])

type UserRow = Awaited<ReturnType<ReturnType<typeof selectUsers>["executeTakeFirstOrThrow"]>>

export const fromRow = (row: UserRow): UserRecord => ({
  id: Account.UserId.make(row.id),
  email: row.email,
  displayName: row.display_name,
  status: row.status,
  timeZone: row.time_zone,
  birthYear: row.birth_year,
  termsAcceptedAt: row.terms_accepted_at,
  createdAt: row.created_at,
  roles: row.roles,
})

export class UserRepo extends Effect.Service<UserRepo>()("@ignition/server/UserRepo", {
  effect: Effect.gen(function* () {
    const db = yield* Database

    const findById = (id: string) =>
      db
        .execute((q) => selectUsers(q).where("u.id", "=", id).executeTakeFirst())
        .pipe(
          Effect.map((row) => Option.map(Option.fromNullable(row), fromRow)),
          Effect.orDie,
        )

    const mustFind = (id: string) =>
      Effect.flatMap(findById(id), (found) =>
        Option.match(found, { onNone: () => Effect.dieMessage(`user ${id} vanished`), onSome: Effect.succeed }),
      )

    /** The account for an email, with its password hash when it has one. */
    const findByEmail = (email: string) =>
      db
        .execute((q) =>
          selectUsers(q)
            .leftJoin("password_credentials as p", "p.user_id", "u.id")
            .select("p.hash as password_hash")
            .where(sql<string>`lower(u.email)`, "=", email.toLowerCase())
            .executeTakeFirst(),
        )
        .pipe(
          Effect.map((row) =>
            Option.map(Option.fromNullable(row), (r) => ({ user: fromRow(r), passwordHash: r.password_hash })),
          ),
          Effect.orDie,
        )

    /** Create an account (and its roles, and its password when given) in the current transaction. */
    const create = (user: NewUser, passwordHash: string | undefined) =>
      db.transaction(
        Effect.gen(function* () {
          const row = yield* db
            .execute((q) =>
              q
                .insertInto("users")
                .values({
                  email: user.email,
                  display_name: user.displayName,
                  status: user.status,
                  time_zone: user.timeZone,
                  birth_year: user.birthYear,
                  age_verified_at: null,
                  terms_accepted_at: user.termsAcceptedAt,
                })
                .returning("id")
                .executeTakeFirstOrThrow(),
            )
            .pipe(
              Effect.catchTag("DatabaseError", (error) =>
                error.isUniqueViolation ? Effect.fail(new EmailTaken()) : Effect.die(error),
              ),
            )
          if (passwordHash !== undefined) {
            yield* db
              .execute((q) =>
                q.insertInto("password_credentials").values({ user_id: row.id, hash: passwordHash }).execute(),
              )
              .pipe(Effect.orDie)
          }
          yield* setRoles(row.id, user.roles, user.grantedBy)
          return yield* mustFind(row.id)
        }),
      )

    const setRoles = (userId: string, roles: ReadonlyArray<string>, grantedBy: string | undefined) =>
      db
        .transaction(
          Effect.gen(function* () {
            yield* db.execute((q) => q.deleteFrom("user_roles").where("user_id", "=", userId).execute())
            if (roles.length > 0) {
              yield* db.execute((q) =>
                q
                  .insertInto("user_roles")
                  .values(roles.map((role) => ({ user_id: userId, role, granted_by: grantedBy ?? null })))
                  .execute(),
              )
            }
          }),
        )
        .pipe(Effect.orDie)

    const update = (
      id: string,
      changes: {
        readonly status?: Account.UserStatus
        readonly displayName?: string
        readonly timeZone?: string
        readonly birthYear?: number
        readonly termsAcceptedAt?: Date
      },
    ) =>
      db
        .execute((q) =>
          q
            .updateTable("users")
            .set({
              ...(changes.status === undefined ? {} : { status: changes.status }),
              ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
              ...(changes.timeZone === undefined ? {} : { time_zone: changes.timeZone }),
              ...(changes.birthYear === undefined ? {} : { birth_year: changes.birthYear }),
              ...(changes.termsAcceptedAt === undefined ? {} : { terms_accepted_at: changes.termsAcceptedAt }),
              updated_at: new Date(),
            })
            .where("id", "=", id)
            .returning("id")
            .executeTakeFirst(),
        )
        .pipe(
          Effect.orDie,
          Effect.flatMap((row) => (row === undefined ? Effect.succeed(Option.none()) : findById(id))),
        )

    const setPassword = (userId: string, hash: string) =>
      db
        .execute((q) =>
          q
            .insertInto("password_credentials")
            .values({ user_id: userId, hash })
            .onConflict((oc) => oc.column("user_id").doUpdateSet({ hash, updated_at: new Date() }))
            .execute(),
        )
        .pipe(Effect.orDie, Effect.asVoid)

    const passwordHash = (userId: string) =>
      db
        .execute((q) =>
          q.selectFrom("password_credentials").select("hash").where("user_id", "=", userId).executeTakeFirst(),
        )
        .pipe(
          Effect.map((row) => row?.hash),
          Effect.orDie,
        )

    const countWithRole = (role: string) =>
      db
        .execute((q) =>
          q
            .selectFrom("user_roles as ur")
            .innerJoin("users as u", "u.id", "ur.user_id")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("ur.role", "=", role)
            .where("u.status", "=", "approved")
            .executeTakeFirstOrThrow(),
        )
        .pipe(
          Effect.map((row) => row.n),
          Effect.orDie,
        )

    const existingRoles = db
      .execute((q) => q.selectFrom("roles").select("name").execute())
      .pipe(
        Effect.map((rows) => new Set(rows.map((row) => row.name))),
        Effect.orDie,
      )

    /**
     * A page of users, newest first, optionally of one status. The cursor is
     * the position of the last user of the previous page.
     */
    const list = (options: {
      readonly status: Account.UserStatus | undefined
      readonly limit: number
      readonly after: { readonly createdAt: Date; readonly id: string } | undefined
    }) =>
      db
        .execute((q) => {
          let query = selectUsers(q).orderBy("u.created_at", "desc").orderBy("u.id", "desc").limit(options.limit)
          if (options.status !== undefined) query = query.where("u.status", "=", options.status)
          const after = options.after
          if (after !== undefined) {
            query = query.where((eb) =>
              eb.or([
                eb("u.created_at", "<", after.createdAt),
                eb.and([eb("u.created_at", "=", after.createdAt), eb("u.id", "<", after.id)]),
              ]),
            )
          }
          return query.execute()
        })
        .pipe(
          Effect.map((rows) => rows.map(fromRow)),
          Effect.orDie,
        )

    return {
      findById,
      findByEmail,
      create,
      setRoles,
      update,
      setPassword,
      passwordHash,
      countWithRole,
      existingRoles,
      list,
    }
  }),
}) {}
