/**
 * The components' connection to an Ignition server: the typed client derived
 * from the contract (`HttpApiClient` over `@ignition/api`), sending cookies
 * with every request (`credentials: "include"`, so embedding pages on other
 * origins work), and a Promise facade that turns every outcome into a value:
 * success, the server's typed error, or a network failure. Components never
 * see a thrown error.
 */
import { FetchHttpClient, HttpApiClient } from "@effect/platform"
import { IgnitionApi } from "@ignition/api"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"

const makeApi = (baseUrl: string) => HttpApiClient.make(IgnitionApi.IgnitionApi, { baseUrl })

/** The derived client: `api.auth.login(...)`, `api.settings.get()`, … */
export type Api = Effect.Effect.Success<ReturnType<typeof makeApi>>

/** An error the server answered with, as the contract declares it (`_tag`, `message`, fields). */
export interface ServerError {
  readonly _tag: string
  readonly message?: string
  readonly [field: string]: unknown
}

export type Outcome<A> =
  | { readonly _tag: "Ok"; readonly value: A }
  | { readonly _tag: "Refused"; readonly error: ServerError }
  | { readonly _tag: "Unreachable"; readonly message: string }

const isServerError = (error: unknown): error is ServerError =>
  typeof error === "object" &&
  error !== null &&
  "_tag" in error &&
  typeof error._tag === "string" &&
  !["RequestError", "ResponseError"].includes(error._tag)

export class IgnitionClient {
  readonly baseUrl: string
  readonly #runtime: ManagedRuntime.ManagedRuntime<never, never>
  readonly #api: Promise<Api>

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, "")
    const fetchWithCookies = FetchHttpClient.layer.pipe(
      Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, { credentials: "include" })),
    )
    this.#runtime = ManagedRuntime.make(Layer.empty)
    this.#api = this.#runtime.runPromise(makeApi(this.baseUrl).pipe(Effect.provide(fetchWithCookies)))
  }

  /** Call the server; whatever happens, the answer is an `Outcome`. */
  async call<A, E>(request: (api: Api) => Effect.Effect<A, E>): Promise<Outcome<A>> {
    const api = await this.#api
    const exit = await this.#runtime.runPromiseExit(request(api))
    if (Exit.isSuccess(exit)) return { _tag: "Ok", value: exit.value }
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure) && isServerError(failure.value)) return { _tag: "Refused", error: failure.value }
    return { _tag: "Unreachable", message: "The server could not be reached. Check your connection and try again." }
  }

  dispose(): Promise<void> {
    return this.#runtime.dispose()
  }
}
