/**
 * The vault's lock policy as a pure state machine. Given the state, an event
 * and the time, `transition` returns the next state and whether the vault
 * just locked (and why). Nothing here reads a clock or a timer: the keyring
 * feeds it `Clock` time, the browser controller feeds it activity and
 * visibility, the poll feeds it remote locks — so every rule is testable
 * with a TestClock and generated event sequences.
 *
 * Rules: idle ≥ timeout (default 10 min) locks; the page being hidden locks
 * (configurable); logout, session expiry, a remote lock from another device,
 * an administrator's force-lock and the user's own lock always lock. A
 * running focus session suspends only the idle and hidden triggers.
 */
import { Data, Duration } from "effect"

export type LockReason = "manual" | "idle" | "hidden" | "logout" | "session-expired" | "remote" | "admin"

export type LockState = Data.TaggedEnum<{
  Locked: { readonly reason: LockReason | "initial"; readonly at: number }
  Unlocked: {
    readonly since: number
    readonly lastActivity: number
    readonly focusRunning: boolean
    readonly hidden: boolean
  }
}>
export const LockState = Data.taggedEnum<LockState>()

export type LockEvent = Data.TaggedEnum<{
  Unlock: Record<never, never>
  Activity: Record<never, never>
  Tick: Record<never, never>
  Hidden: Record<never, never>
  Visible: Record<never, never>
  FocusStarted: Record<never, never>
  FocusEnded: Record<never, never>
  Lock: { readonly reason: LockReason }
}>
export const LockEvent = Data.taggedEnum<LockEvent>()

export interface LockPolicy {
  /** Idle time after which the vault locks. */
  readonly idleTimeout: Duration.Duration
  /** Whether hiding the page (backgrounding the app) locks. */
  readonly lockWhenHidden: boolean
}

export const defaultPolicy: LockPolicy = { idleTimeout: Duration.minutes(10), lockWhenHidden: true }

export interface Transition {
  readonly state: LockState
  /** Set when this event locked an unlocked vault: the keyring must drop every key. */
  readonly locked?: LockReason
}

export const initial = (now: number): LockState => LockState.Locked({ reason: "initial", at: now })

/** Triggers a running focus session holds back. */
const suspendedByFocus = (reason: LockReason) => reason === "idle" || reason === "hidden"

const lock = (reason: LockReason, now: number): Transition => ({
  state: LockState.Locked({ reason, at: now }),
  locked: reason,
})

export const transition = (
  state: LockState,
  event: LockEvent,
  now: number,
  policy: LockPolicy = defaultPolicy,
): Transition => {
  if (state._tag === "Locked") {
    return event._tag === "Unlock"
      ? { state: LockState.Unlocked({ since: now, lastActivity: now, focusRunning: false, hidden: false }) }
      : { state }
  }
  switch (event._tag) {
    case "Unlock":
    case "Activity":
      return { state: { ...state, lastActivity: Math.max(state.lastActivity, now) } }
    case "Tick":
      return !state.focusRunning && now - state.lastActivity >= Duration.toMillis(policy.idleTimeout)
        ? lock("idle", now)
        : { state }
    case "Hidden":
      return policy.lockWhenHidden && !state.focusRunning ? lock("hidden", now) : { state: { ...state, hidden: true } }
    case "Visible":
      return { state: { ...state, hidden: false, lastActivity: Math.max(state.lastActivity, now) } }
    case "FocusStarted":
      return { state: { ...state, focusRunning: true } }
    case "FocusEnded": {
      // Idle counts from the end of the session; a page hidden during it locks now that nothing holds it.
      const after = LockState.Unlocked({
        ...state,
        focusRunning: false,
        lastActivity: Math.max(state.lastActivity, now),
      })
      return policy.lockWhenHidden && state.hidden ? lock("hidden", now) : { state: after }
    }
    case "Lock":
      return state.focusRunning && suspendedByFocus(event.reason) ? { state } : lock(event.reason, now)
  }
}

/** When the idle trigger fires next, or undefined when nothing can fire (locked, or a focus session runs). */
export const idleDeadline = (state: LockState, policy: LockPolicy = defaultPolicy): number | undefined =>
  state._tag === "Unlocked" && !state.focusRunning
    ? state.lastActivity + Duration.toMillis(policy.idleTimeout)
    : undefined
