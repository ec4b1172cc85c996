/**
 * The signed-in user's passkeys: loaded with @lit/task (the last list stays
 * shown while a fresh one loads), registered through the browser's WebAuthn
 * ceremony (asking for the PRF extension, as the server's options do), and
 * removed. A 401 anywhere signs the user out.
 */
import type { AuthApi } from "@ignition/api"
import { Task } from "@lit/task"
import { type PublicKeyCredentialCreationOptionsJSON, startRegistration } from "@simplewebauthn/browser"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient, Outcome } from "../client/IgnitionClient.js"
import { IgSignedOutEvent } from "../events/events.js"

export class PasskeysController implements ReactiveController {
  error: string | undefined = undefined
  busy = false
  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  #generation = 0
  readonly list: Task<[IgnitionClient, number], ReadonlyArray<AuthApi.Passkey>>

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    this.list = new Task(host, {
      args: () => [this.#client(), this.#generation] as const,
      task: async ([connection]) => {
        const outcome = await connection.call((api) => api.passkeys.list())
        if (outcome._tag === "Ok") return outcome.value
        this.#expired(outcome)
        throw new Error(outcome._tag === "Refused" ? (outcome.error.message ?? outcome.error._tag) : outcome.message)
      },
    })
    host.addController(this)
  }

  hostConnected(): void {}

  reload(): void {
    this.#generation++
    this.#host.requestUpdate()
  }

  #expired(outcome: Outcome<unknown>): void {
    if (outcome._tag === "Refused" && outcome.error._tag === "Unauthorized") {
      this.#host.dispatchEvent(new IgSignedOutEvent("expired"))
    }
  }

  async #step<A>(run: () => Promise<Outcome<A> | "cancelled">): Promise<void> {
    this.busy = true
    this.error = undefined
    this.#host.requestUpdate()
    const outcome = await run()
    this.busy = false
    if (outcome === "cancelled") this.error = "The passkey was not created."
    else if (outcome._tag === "Ok") this.reload()
    else {
      this.#expired(outcome)
      this.error = outcome._tag === "Refused" ? (outcome.error.message ?? outcome.error._tag) : outcome.message
    }
    this.#host.requestUpdate()
  }

  register(name: string): Promise<void> {
    return this.#step(async () => {
      const client = this.#client()
      const options = await client.call((api) => api.passkeys.registerOptions())
      if (options._tag !== "Ok") return options
      let response: Awaited<ReturnType<typeof startRegistration>>
      try {
        response = await startRegistration({
          optionsJSON: options.value.options as unknown as PublicKeyCredentialCreationOptionsJSON,
        })
      } catch {
        return "cancelled"
      }
      return client.call((api) =>
        api.passkeys.registerVerify({
          payload: { response: response as unknown as Record<string, unknown>, ...(name === "" ? {} : { name }) },
        }),
      )
    })
  }

  remove(id: string): Promise<void> {
    return this.#step(() => this.#client().call((api) => api.passkeys.remove({ path: { id } })))
  }
}
