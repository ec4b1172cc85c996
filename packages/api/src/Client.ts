/**
 * The typed client, derived from the contract.
 *
 * @since 0.1.0
 */
import { HttpApiClient } from "@effect/platform"
import { IgnitionApi } from "./IgnitionApi.js"

/**
 * Build a client for an Ignition server at `baseUrl`. Needs an
 * `HttpClient` (e.g. `FetchHttpClient.layer`).
 *
 * @since 0.1.0
 */
export const make = (options: { readonly baseUrl: string }) =>
  HttpApiClient.make(IgnitionApi, { baseUrl: options.baseUrl })
