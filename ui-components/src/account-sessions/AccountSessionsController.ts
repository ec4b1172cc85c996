/**
 * The signed-in user's devices, from `GET /api/auth/sessions`, loaded with
 * `@lit/task` "skeleton → stale → fresh": nothing to show before the first
 * answer, afterwards the last list stays until a fresh one arrives (a failed
 * refresh keeps it and offers a retry). Revoking one device
 * (`DELETE /api/auth/sessions/:id`) or all of them
 * (`POST /api/auth/logout-all`) goes through a confirmation; ending the
 * current session signs out (`ig-signed-out`, "sign-out"), and a 401 on any
 * call means the session already ended (`ig-signed-out`, "expired").
 *
 * With `<ig-app>` (or a page providing the session) the list follows the
 * session: it waits while the session loads, shows nothing to a signed-out
 * user, and reloads for a new sign-in.
 */
import type { Account } from "@ignition/api"
import { ContextConsumer } from "@lit/context"
import { initialState, Task, TaskStatus } from "@lit/task"
import { DateTime } from "effect"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient, Outcome } from "../client/IgnitionClient.js"
import { sessionContext } from "../context/contexts.js"
import { IgSignedOutEvent } from "../events/events.js"
import { messageOf, sessionKey } from "../internal/session.js"

export interface Device {
  readonly session: Account.DeviceSession
  /** The user agent, summarised: "Firefox on Linux". */
  readonly name: string
}

/** What the element shows. */
export type SessionsView =
  | { readonly _tag: "Loading" }
  | { readonly _tag: "SignedOut" }
  | { readonly _tag: "Failed"; readonly message: string }
  | {
      readonly _tag: "Ready"
      readonly devices: ReadonlyArray<Device>
      /** A refresh is under way: the list shown is the previous one. */
      readonly refreshing: boolean
      /** The last refresh failed: the list shown is the previous one. */
      readonly refreshError: string | undefined
    }

/** Which confirmation is open: one device's revocation, or signing out everywhere. */
export type Confirming = { readonly _tag: "Revoke"; readonly id: string } | { readonly _tag: "Everywhere" } | undefined

const browsers: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChrome\/|\bCriOS\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\/|\bSafari\/.*\bMobile\b/, "Safari"],
]

const systems: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPad\b/, "iPadOS"],
  [/\biPhone\b|\biPod\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
]

/**
 * A readable summary of a user agent string: "Firefox on Linux",
 * "Safari on iOS"; the first product name for anything else ("curl"), and
 * "Unknown device" when there is none.
 */
export const describeDevice = (userAgent: string | null): string => {
  const agent = userAgent?.trim() ?? ""
  if (agent === "") return "Unknown device"
  const browser = browsers.find(([pattern]) => pattern.test(agent))?.[1]
  const system = systems.find(([pattern]) => pattern.test(agent))?.[1]
  if (browser !== undefined) return system === undefined ? browser : `${browser} on ${system}`
  if (system !== undefined) return `A browser on ${system}`
  const product = /^([A-Za-z][\w.-]{0,39})\//.exec(agent)?.[1]
  return product ?? "Unknown device"
}

/** The message to show for a refusal: the server's own, or a plain one for its tag. */
const byRecency = (a: Account.DeviceSession, b: Account.DeviceSession): number =>
  Number(b.current) - Number(a.current) || DateTime.toEpochMillis(b.lastSeenAt) - DateTime.toEpochMillis(a.lastSeenAt)

type Load =
  | { readonly _tag: "Loaded"; readonly sessions: ReadonlyArray<Account.DeviceSession> }
  | { readonly _tag: "SignedOut" }
  | { readonly _tag: "Failed"; readonly message: string }

export class AccountSessionsController implements ReactiveController {
  confirming: Confirming = undefined
  /** Revocations under way, by session id ("everywhere" for all). */
  busy: ReadonlySet<string> = new Set()
  /** Errors of revocations, by session id ("everywhere" for all). */
  errors: ReadonlyMap<string, string> = new Map()
  /** A short note for assistive technology after a change ("Signed out Firefox on Linux."). */
  announcement = ""

  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  readonly #session: ContextConsumer<typeof sessionContext, ReactiveElement>
  readonly #task: Task<readonly [IgnitionClient, string, number], Load>
  #generation = 0
  #devices: ReadonlyArray<Device> | undefined
  #loadError: string | undefined
  #signedOut = false
  #dataKey: string | undefined

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true })
    this.#task = new Task(host, {
      args: () => [this.#client(), this.#sessionKey(), this.#generation] as const,
      task: async ([connection, key]) => {
        if (key !== this.#dataKey) {
          // Another user, or none: the previous list is not theirs to see.
          this.#dataKey = key
          this.#devices = undefined
          this.#loadError = undefined
          this.#signedOut = false
          this.#reset()
        }
        if (key === "loading") return initialState
        if (key === "signed-out") return { _tag: "SignedOut" }
        const outcome = await connection.call((api) => api.auth.sessions())
        if (outcome._tag === "Ok") return { _tag: "Loaded", sessions: outcome.value }
        if (this.#expired(outcome)) return { _tag: "SignedOut" }
        return { _tag: "Failed", message: outcome._tag === "Refused" ? messageOf(outcome.error) : outcome.message }
      },
      onComplete: (load) => {
        switch (load._tag) {
          case "Loaded":
            this.#devices = [...load.sessions]
              .sort(byRecency)
              .map((session) => ({ session, name: describeDevice(session.userAgent) }))
            this.#loadError = undefined
            this.#signedOut = false
            break
          case "SignedOut":
            this.#devices = undefined
            this.#signedOut = true
            break
          case "Failed":
            this.#loadError = load.message
            break
        }
      },
    })
    host.addController(this)
  }

  hostConnected(): void {}

  #sessionKey(): string {
    return sessionKey(this.#session.value)
  }

  get view(): SessionsView {
    if (this.#signedOut) return { _tag: "SignedOut" }
    const refreshing = this.#task.status === TaskStatus.PENDING
    if (this.#devices !== undefined) {
      return {
        _tag: "Ready",
        devices: this.#devices,
        refreshing,
        refreshError: refreshing ? undefined : this.#loadError,
      }
    }
    if (this.#loadError !== undefined && !refreshing) return { _tag: "Failed", message: this.#loadError }
    return { _tag: "Loading" }
  }

  /** Load the list again; the current one stays until the answer. */
  refresh(): void {
    this.#generation++
    this.#host.requestUpdate()
  }

  confirm(confirming: Confirming): void {
    this.confirming = confirming
    this.#host.requestUpdate()
  }

  async revoke(id: Account.SessionId): Promise<void> {
    const device = this.#devices?.find((candidate) => candidate.session.id === id)
    if (device === undefined || this.busy.has(id)) return
    this.confirming = undefined
    const outcome = await this.#run(id, (client) => client.call((api) => api.auth.revokeSession({ path: { id } })))
    if (outcome === undefined) return
    if (outcome._tag === "Refused" && outcome.error._tag !== "NotFound") {
      this.#fail(id, messageOf(outcome.error))
      return
    }
    if (outcome._tag === "Unreachable") {
      this.#fail(id, outcome.message)
      return
    }
    // Done (or it had ended already: NotFound).
    if (device.session.current) {
      this.#signOut()
      return
    }
    this.#devices = this.#devices?.filter((candidate) => candidate.session.id !== id)
    this.announcement = `Signed out ${device.name}.`
    this.refresh()
  }

  async signOutEverywhere(): Promise<void> {
    if (this.busy.has("everywhere")) return
    this.confirming = undefined
    const outcome = await this.#run("everywhere", (client) => client.call((api) => api.auth.logoutAll()))
    if (outcome === undefined) return
    if (outcome._tag === "Ok") this.#signOut()
    else this.#fail("everywhere", outcome._tag === "Refused" ? messageOf(outcome.error) : outcome.message)
  }

  /** Run a revocation for `key`: marks it busy, clears its error; undefined when the session had expired. */
  async #run(
    key: string,
    call: (client: IgnitionClient) => Promise<Outcome<void>>,
  ): Promise<Outcome<void> | undefined> {
    this.busy = new Set([...this.busy, key])
    this.errors = new Map([...this.errors].filter(([id]) => id !== key))
    this.announcement = ""
    this.#host.requestUpdate()
    try {
      const outcome = await call(this.#client())
      return this.#expired(outcome) ? undefined : outcome
    } finally {
      this.busy = new Set([...this.busy].filter((id) => id !== key))
      this.#host.requestUpdate()
    }
  }

  #fail(key: string, message: string): void {
    this.errors = new Map([...this.errors, [key, message]])
    this.#host.requestUpdate()
  }

  /** A 401: the session ended elsewhere; the app goes back to sign-in. */
  #expired(outcome: Outcome<unknown>): boolean {
    if (outcome._tag !== "Refused" || outcome.error._tag !== "Unauthorized") return false
    this.#signedOut = true
    this.#reset()
    this.#host.dispatchEvent(new IgSignedOutEvent("expired"))
    this.#host.requestUpdate()
    return true
  }

  #signOut(): void {
    this.#signedOut = true
    this.#devices = undefined
    this.#reset()
    this.#host.dispatchEvent(new IgSignedOutEvent("sign-out"))
    this.#host.requestUpdate()
  }

  #reset(): void {
    this.confirming = undefined
    this.errors = new Map()
    this.announcement = ""
  }
}
