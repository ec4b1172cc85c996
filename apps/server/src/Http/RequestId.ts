/**
 * Every request gets an id: the caller's `X-Request-Id` when it is a sane
 * token (so a proxy's id carries through), a fresh UUID otherwise. It
 * annotates every log line of the request and is echoed in the response.
 */
import { randomUUID } from "node:crypto"
import { HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Context, Effect } from "effect"

export class RequestId extends Context.Tag("@ignition/server/RequestId")<RequestId, string>() {}

export const header = "x-request-id"

const acceptable = /^[A-Za-z0-9._:-]{8,128}$/

export const middleware = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest>,
) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const incoming = request.headers[header]
    const id = incoming !== undefined && acceptable.test(incoming) ? incoming : randomUUID()
    yield* HttpApp.appendPreResponseHandler((_request, response) =>
      Effect.succeed(HttpServerResponse.setHeader(response, header, id)),
    )
    return yield* app.pipe(Effect.provideService(RequestId, id), Effect.annotateLogs("requestId", id))
  })
