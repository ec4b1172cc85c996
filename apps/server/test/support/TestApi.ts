/**
 * The Ignition contract plus a `test` group whose endpoints exercise what
 * the system group cannot: a JSON body, a slow request, a defect carrying a
 * secret, an explicit log of secrets.
 */
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { IgnitionApi } from "@ignition/api"
import { Data, Effect, Layer, Schema } from "effect"
import { GroupsLive } from "../../src/Server.js"

export class TestGroup extends HttpApiGroup.make("test")
  .add(
    HttpApiEndpoint.post("echo", "/test/echo")
      .setPayload(Schema.Struct({ note: Schema.String, password: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Struct({ noteLength: Schema.Int })),
  )
  .add(
    HttpApiEndpoint.get("slow", "/test/slow")
      .setUrlParams(Schema.Struct({ ms: Schema.NumberFromString }))
      .addSuccess(Schema.Struct({ waitedMs: Schema.Number })),
  )
  .add(
    HttpApiEndpoint.post("defect", "/test/defect")
      .setPayload(Schema.Struct({ token: Schema.String }))
      .addSuccess(Schema.Void),
  )
  .add(
    HttpApiEndpoint.post("log", "/test/log")
      .setPayload(Schema.Struct({ passphrase: Schema.String, ciphertext: Schema.String, note: Schema.String }))
      .addSuccess(Schema.Void),
  ) {}

export class TestApi extends IgnitionApi.IgnitionApi.add(TestGroup) {}

class TokenRejected extends Data.TaggedError("TokenRejected")<{ readonly token: string; readonly reason: string }> {}

export const TestGroupLive = HttpApiBuilder.group(TestApi, "test", (handlers) =>
  handlers
    .handle("echo", ({ payload }) => Effect.succeed({ noteLength: payload.note.length }))
    .handle("slow", ({ urlParams }) => Effect.as(Effect.sleep(urlParams.ms), { waitedMs: urlParams.ms }))
    .handle("defect", ({ payload }) => Effect.die(new TokenRejected({ token: payload.token, reason: "test" })))
    .handle("log", ({ payload }) =>
      Effect.all([
        Effect.logInfo("explicit log with secret annotations").pipe(
          Effect.annotateLogs({ passphrase: payload.passphrase, ciphertext: payload.ciphertext }),
        ),
        Effect.logInfo("explicit log with a secret object", { user: { password: payload.passphrase } }),
        Effect.logWarning("explicit log of a long value", { note: `${"x".repeat(2000)}${payload.note}` }),
      ]).pipe(Effect.asVoid),
    ),
)

export const TestApiLive = HttpApiBuilder.api(TestApi).pipe(Layer.provide([GroupsLive, TestGroupLive]))
