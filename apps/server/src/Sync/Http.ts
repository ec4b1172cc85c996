/**
 * Handlers of the `sync` group: the signed-in user's pull, push and poll,
 * over the database's `SyncStore` and the server's entity registry. The
 * rules are `@ignition/sync`'s `Server`; this file only binds them to the
 * caller. A garbage or foreign cursor answers 400, a cursor below the
 * tombstone horizon 410, an unreachable store 503 (what committed stays
 * committed; the retry is acknowledged as duplicates). Bodies over the JSON
 * limit are refused with 413 before they are read.
 */
import { HttpApiBuilder } from "@effect/platform"
import { Authentication, IgnitionApi, SyncApi } from "@ignition/api"
import { Protocol, Server, SyncStore } from "@ignition/sync"
import { Effect, Layer } from "effect"
import * as CursorSecret from "./CursorSecret.js"
import * as Entities from "./Entities.js"
import * as Expiry from "./Expiry.js"
import * as Repo from "./Repo.js"

const SyncGroupLive = HttpApiBuilder.group(IgnitionApi.IgnitionApi, "sync", (handlers) =>
  Effect.gen(function* () {
    const context = yield* Effect.context<Layer.Layer.Success<typeof Repo.layer | typeof CursorSecret.layer>>()
    const entities = yield* Entities.SyncEntities
    return handlers
      .handle("pull", ({ urlParams }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          return yield* Server.pull(user.id, {
            protocolVersion: Protocol.PROTOCOL_VERSION,
            clientId: urlParams.clientId,
            cursor: urlParams.cursor ?? null,
            limit: urlParams.limit ?? SyncApi.defaultPullLimit,
          })
        }).pipe(Effect.provide(context)),
      )
      .handle("push", ({ payload }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          return yield* Server.push(entities.registryFor(user.id), user.id, payload)
        }).pipe(Effect.provide(context)),
      )
      .handle("rejections", () =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          const store = yield* SyncStore.SyncStore
          const rejections = yield* store.rejections(user.id)
          return {
            items: rejections.map((rejection) => ({
              ...rejection,
              clientId: Protocol.ClientId.make(rejection.clientId),
            })),
          }
        }).pipe(Effect.provide(context)),
      )
      .handle("poll", ({ urlParams }) =>
        Effect.gen(function* () {
          const { user } = yield* Authentication.CurrentUser
          return yield* Server.poll(Entities.registry, user.id, {
            protocolVersion: Protocol.PROTOCOL_VERSION,
            clientId: urlParams.clientId,
            cursor: urlParams.cursor ?? null,
          })
        }).pipe(Effect.provide(context)),
      )
  }),
).pipe(Layer.provide(Layer.mergeAll(Repo.layer, CursorSecret.layer, Entities.SyncEntities.Default)))

/** The group, and the change log's tombstone expiry, which runs with the endpoints that read the log. */
export const SyncLive = Layer.merge(SyncGroupLive, Expiry.ExpiryLive)
