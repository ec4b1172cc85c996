/**
 * Who is calling, as far as the transport tells: the client address (the
 * first X-Forwarded-For hop when TRUST_PROXY is set, the socket peer
 * otherwise) and the User-Agent, both bounded in length.
 */
import { HttpServerRequest } from "@effect/platform"
import { Effect, Option } from "effect"
import { AppConfig } from "../AppConfig.js"

export interface ClientInfo {
  readonly ip: string | null
  readonly userAgent: string | null
}

const clip = (value: string | undefined, max: number): string | null =>
  value === undefined || value.trim() === "" ? null : value.trim().slice(0, max)

/** The calling client, or nulls outside a request. */
export const clientInfo: Effect.Effect<ClientInfo, never, AppConfig> = Effect.gen(function* () {
  const request = yield* Effect.serviceOption(HttpServerRequest.HttpServerRequest)
  if (Option.isNone(request)) return { ip: null, userAgent: null }
  const { trustProxy } = yield* AppConfig
  const forwarded = trustProxy ? request.value.headers["x-forwarded-for"]?.split(",")[0] : undefined
  return {
    ip: clip(forwarded ?? Option.getOrUndefined(request.value.remoteAddress), 64),
    userAgent: clip(request.value.headers["user-agent"], 512),
  }
})
