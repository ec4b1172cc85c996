/**
 * The lock policy as a pure machine, checked over generated event sequences
 * against a plain reference model of the rules.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, FastCheck as fc } from "effect"
import { defaultPolicy, idleDeadline, initial, LockEvent, type LockReason, transition } from "../src/LockMachine.js"

const TIMEOUT = Duration.toMillis(defaultPolicy.idleTimeout)

const reasons: ReadonlyArray<LockReason> = ["manual", "idle", "hidden", "logout", "session-expired", "remote", "admin"]
const event = fc.oneof(
  fc.constant(LockEvent.Unlock()),
  fc.constant(LockEvent.Activity()),
  fc.constant(LockEvent.Tick()),
  fc.constant(LockEvent.Hidden()),
  fc.constant(LockEvent.Visible()),
  fc.constant(LockEvent.FocusStarted()),
  fc.constant(LockEvent.FocusEnded()),
  fc.constantFrom(...reasons).map((reason) => LockEvent.Lock({ reason })),
)
const timeline = fc.array(fc.tuple(event, fc.integer({ min: 0, max: 15 * 60_000 })), { maxLength: 60 })

describe("LockMachine", () => {
  it("locks after the idle timeout, not a millisecond before, and activity pushes it back", () => {
    let state = transition(initial(0), LockEvent.Unlock(), 0).state
    state = transition(state, LockEvent.Tick(), TIMEOUT - 1).state
    assert.strictEqual(state._tag, "Unlocked")
    state = transition(state, LockEvent.Activity(), TIMEOUT - 1).state
    assert.strictEqual(idleDeadline(state), 2 * TIMEOUT - 1)
    const idle = transition(state, LockEvent.Tick(), 2 * TIMEOUT - 1)
    assert.strictEqual(idle.state._tag, "Locked")
    assert.strictEqual(idle.locked, "idle")
  })

  it("a running focus session holds back idle and hidden, but not the user, logout, expiry, remote or admin", () => {
    const focused = transition(transition(initial(0), LockEvent.Unlock(), 0).state, LockEvent.FocusStarted(), 0).state
    assert.strictEqual(transition(focused, LockEvent.Tick(), 10 * TIMEOUT).state._tag, "Unlocked")
    assert.strictEqual(transition(focused, LockEvent.Hidden(), 1).state._tag, "Unlocked")
    assert.strictEqual(transition(focused, LockEvent.Lock({ reason: "idle" }), 1).state._tag, "Unlocked")
    for (const reason of ["manual", "logout", "session-expired", "remote", "admin"] as const) {
      assert.strictEqual(transition(focused, LockEvent.Lock({ reason }), 1).locked, reason)
    }
    // Hidden during the session: it locks when the session ends.
    const hidden = transition(focused, LockEvent.Hidden(), 5).state
    assert.strictEqual(transition(hidden, LockEvent.FocusEnded(), 6).locked, "hidden")
  })

  it("hiding the page locks by default and not when the policy says so", () => {
    const open = transition(initial(0), LockEvent.Unlock(), 0).state
    assert.strictEqual(transition(open, LockEvent.Hidden(), 1).locked, "hidden")
    assert.strictEqual(
      transition(open, LockEvent.Hidden(), 1, { ...defaultPolicy, lockWhenHidden: false }).state._tag,
      "Unlocked",
    )
  })

  it.prop("agrees with the reference model over any timeline", [timeline], ([steps]) => {
    let state = initial(0)
    let now = 0
    // Reference model: a few booleans and a timestamp.
    let model = { unlocked: false, last: 0, focus: false, hidden: false }
    for (const [step, advance] of steps) {
      now += advance
      const result = transition(state, step, now)
      let expectLock: LockReason | undefined
      if (!model.unlocked) {
        if (step._tag === "Unlock") model = { unlocked: true, last: now, focus: false, hidden: false }
      } else {
        switch (step._tag) {
          case "Unlock":
          case "Activity":
            model.last = Math.max(model.last, now)
            break
          case "Visible":
            model.hidden = false
            model.last = Math.max(model.last, now)
            break
          case "Tick":
            if (!model.focus && now - model.last >= TIMEOUT) expectLock = "idle"
            break
          case "Hidden":
            if (model.focus) model.hidden = true
            else expectLock = "hidden"
            break
          case "FocusStarted":
            model.focus = true
            break
          case "FocusEnded":
            model.focus = false
            model.last = Math.max(model.last, now)
            if (model.hidden) expectLock = "hidden"
            break
          case "Lock":
            if (!(model.focus && (step.reason === "idle" || step.reason === "hidden"))) expectLock = step.reason
        }
        if (expectLock !== undefined) model = { unlocked: false, last: 0, focus: false, hidden: false }
      }
      if (result.locked !== expectLock) return false
      if ((result.state._tag === "Unlocked") !== model.unlocked) return false
      state = result.state
    }
    return true
  })
})
