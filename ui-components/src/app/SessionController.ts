/**
 * The session `<ig-app>` provides: fetched with `@lit/task` from
 * `GET /api/auth/session`, kept "stale while fresh" — `loading` only before
 * the first answer, afterwards the last known state stays until the next one
 * arrives. Sign-in events set it at once; a 401 anywhere signs out.
 */
import { ContextProvider } from "@lit/context"
import { Task } from "@lit/task"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient } from "../client/IgnitionClient.js"
import { type SessionState, sessionContext } from "../context/contexts.js"

export class SessionController implements ReactiveController {
  readonly #provider: ContextProvider<typeof sessionContext, ReactiveElement>
  readonly #task: Task<[IgnitionClient | undefined, number], SessionState>
  #generation = 0

  readonly #onChange: (state: SessionState) => void

  constructor(
    host: ReactiveElement,
    client: () => IgnitionClient | undefined,
    onChange: (state: SessionState) => void = () => {},
  ) {
    this.#onChange = onChange
    this.#provider = new ContextProvider(host, { context: sessionContext, initialValue: { status: "loading" } })
    this.#task = new Task(host, {
      args: () => [client(), this.#generation] as const,
      task: async ([connection]) => {
        if (connection === undefined) return { status: "loading" }
        const outcome = await connection.call((api) => api.auth.session())
        switch (outcome._tag) {
          case "Ok":
            return { status: "signed-in", info: outcome.value }
          case "Refused":
            return { status: "signed-out", reason: String(outcome.error.reason ?? outcome.error._tag) }
          case "Unreachable":
            // Keep a known session while offline: reading works from caches.
            return this.state.status === "signed-in" ? this.state : { status: "unreachable", message: outcome.message }
        }
      },
      onComplete: (state) => this.set(state),
    })
    host.addController(this)
  }

  get state(): SessionState {
    return this.#provider.value
  }

  /** Ask the server again (after coming back online, or on demand). */
  refresh(): void {
    this.#generation++
    void this.#task.run()
  }

  set(state: SessionState): void {
    this.#provider.setValue(state)
    this.#onChange(state)
  }

  hostConnected(): void {}
}
