/**
 * The request body limit (MAX_JSON_BODY_BYTES, 1 MiB by default): a declared
 * Content-Length over it is answered 413 before the body is read; a body
 * that grows past it while being read fails the read (→ 413 as well).
 */
import { type HttpApp, HttpIncomingMessage, HttpServerRequest } from "@effect/platform"
import { Effect, Option } from "effect"
import { payloadTooLarge } from "./ErrorResponses.js"

export const make =
  (limitBytes: number) =>
  <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const declared = Number(request.headers["content-length"] ?? "0")
      if (declared > limitBytes) return Effect.succeed(payloadTooLarge(limitBytes))
      return HttpIncomingMessage.withMaxBodySize(app, Option.some(limitBytes))
    })
