/**
 * The typed client, derived from the contract.
 *
 * @since 0.1.0
 */
import { type HttpApi, HttpApiClient, type HttpClient } from "@effect/platform"
import type { Effect } from "effect"
import { IgnitionApi } from "./IgnitionApi.js"

/**
 * The client's type: one method per endpoint, grouped by API group.
 *
 * @since 0.1.0
 */
export type IgnitionClient =
  typeof IgnitionApi extends HttpApi.HttpApi<infer _Id, infer Groups, infer E, infer _R>
    ? HttpApiClient.Client<Groups, E, never>
    : never

/**
 * Build a client for an Ignition server at `baseUrl`. Needs an
 * `HttpClient` (e.g. `FetchHttpClient.layer`).
 *
 * @since 0.1.0
 */
export const make = (options: {
  readonly baseUrl: string
}): Effect.Effect<IgnitionClient, never, HttpClient.HttpClient> =>
  HttpApiClient.make(IgnitionApi, { baseUrl: options.baseUrl })
