/**
 * The vault's auto-lock in the browser: feeds the keyring's lock machine
 * with user activity (throttled) and page visibility, and polls the server's
 * lock state so a lock on another device, an administrator's force-lock or
 * a sign-out elsewhere reaches this page within one poll interval. The
 * rules themselves (idle timeout, hidden, focus sessions) live in
 * `@ignition/vault`'s LockMachine.
 */
import { LockMachine } from "@ignition/vault"
import type { ReactiveController, ReactiveControllerHost } from "lit"
import type { VaultSession } from "./VaultSession.js"

const activityEvents = ["pointerdown", "keydown", "wheel", "touchstart"] as const
const ACTIVITY_THROTTLE_MS = 5_000

export class AutoLockController implements ReactiveController {
  readonly #session: () => VaultSession | undefined
  readonly #pollMs: () => number
  #timer: ReturnType<typeof setInterval> | undefined
  #lastActivity = 0

  constructor(host: ReactiveControllerHost, session: () => VaultSession | undefined, pollMs: () => number) {
    this.#session = session
    this.#pollMs = pollMs
    host.addController(this)
  }

  readonly #activity = () => {
    const now = Date.now()
    if (now - this.#lastActivity < ACTIVITY_THROTTLE_MS) return
    this.#lastActivity = now
    void this.#session()?.notify(LockMachine.LockEvent.Activity())
  }

  readonly #visibility = () => {
    const session = this.#session()
    if (session === undefined) return
    if (document.visibilityState === "hidden") void session.notify(LockMachine.LockEvent.Hidden())
    else {
      void session.notify(LockMachine.LockEvent.Visible())
      void session.checkLock()
    }
  }

  /** Restarts polling, e.g. after the interval changed. */
  restart(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = setInterval(() => void this.#session()?.checkLock(), Math.max(250, this.#pollMs()))
  }

  readonly #online = () => void this.#session()?.checkLock()

  hostConnected(): void {
    window.addEventListener("online", this.#online)
    for (const type of activityEvents) window.addEventListener(type, this.#activity, { passive: true, capture: true })
    document.addEventListener("visibilitychange", this.#visibility)
    this.restart()
  }

  hostDisconnected(): void {
    window.removeEventListener("online", this.#online)
    for (const type of activityEvents) window.removeEventListener(type, this.#activity, { capture: true })
    document.removeEventListener("visibilitychange", this.#visibility)
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
