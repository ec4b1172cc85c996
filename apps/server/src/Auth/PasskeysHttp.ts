/**
 * Handlers of the `passkeys` group: WebAuthn registration and sign-in,
 * listing and removal. The ceremonies live in `Passkeys`; this module maps
 * its errors onto the contract's (malformed WebAuthn JSON → 400, a
 * response that does not verify → 401, another user's passkey → 404).
 */
import { HttpApiBuilder } from "@effect/platform"
import { Account, ApiError, Authentication, IgnitionApi } from "@ignition/api"
import { Effect, Layer } from "effect"
import { Passkeys } from "./Passkeys.js"
import { toApi as sessionToApi } from "./Sessions.js"
import { toApi as userToApi } from "./UserRepo.js"

const badRequest = (error: { readonly message: string }) => new ApiError.BadRequest({ message: error.message })

const unauthorized = (error: { readonly message: string }) => new ApiError.Unauthorized({ message: error.message })

const alreadyRegistered = () => new ApiError.BadRequest({ message: "This passkey is already registered" })

const notFound = () => new ApiError.NotFound({ message: "No such passkey" })

export const PasskeysLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "passkeys", (handlers) =>
  Effect.gen(function* () {
    const passkeys = yield* Passkeys

    return handlers
      .handle("registerOptions", () =>
        Effect.flatMap(Authentication.CurrentUser, ({ user }) => passkeys.registrationOptions(user)).pipe(
          Effect.map((options) => ({ options })),
          Effect.catchTag("UnknownOrigin", (error) => Effect.fail(badRequest(error))),
        ),
      )
      .handle("registerVerify", ({ payload }) =>
        Effect.flatMap(Authentication.CurrentUser, ({ user }) => passkeys.register(user, payload)).pipe(
          Effect.catchTags({
            UnknownOrigin: (error) => Effect.fail(badRequest(error)),
            MalformedResponse: (error) => Effect.fail(badRequest(error)),
            CeremonyFailed: (error) => Effect.fail(unauthorized(error)),
            AlreadyRegistered: () => Effect.fail(alreadyRegistered()),
          }),
        ),
      )
      .handle("loginOptions", () =>
        passkeys.loginOptions.pipe(Effect.catchTag("UnknownOrigin", (error) => Effect.fail(badRequest(error)))),
      )
      .handle("loginVerify", ({ payload }) =>
        passkeys.login(payload).pipe(
          Effect.map(
            ({ issued, user }) =>
              new Account.SessionInfo({ user: userToApi(user), session: sessionToApi(issued.session) }),
          ),
          Effect.catchTags({
            UnknownOrigin: (error) => Effect.fail(badRequest(error)),
            MalformedResponse: (error) => Effect.fail(badRequest(error)),
            CeremonyFailed: (error) => Effect.fail(unauthorized(error)),
          }),
        ),
      )
      .handle("list", () => Effect.flatMap(Authentication.CurrentUser, ({ user }) => passkeys.list(user.id)))
      .handle("remove", ({ path }) =>
        Effect.flatMap(Authentication.CurrentUser, ({ user }) => passkeys.remove(user.id, path.id)).pipe(
          Effect.catchTag("PasskeyNotFound", () => Effect.fail(notFound())),
        ),
      )
  }),
).pipe(Layer.provide(Passkeys.Default))
