/**
 * A model-based test of the Sessions service. fast-check generates sequences
 * of sign-ins, rotations, revocations (by the owner, by another user, by a
 * stranger), sign-outs, sign-outs everywhere, authentications (of issued and
 * never-issued tokens) and passing minutes for three users, runs them against
 * the real service over the test database, and after every step compares
 * what the database accepts with a model that only knows, per session, its
 * user and whether it is live.
 *
 * The property, from the issue: no sequence of sign-in, rotation, revoke and
 * sign-out ever leaves a revoked or rotated token valid — nor rejects a live
 * one, nor lets anyone but its owner end a session through `revokeOwn`.
 *
 * Every session has exactly one token, so both are named `#n` by the order
 * they were issued in; users are `u0`, `u1`, `u2` (fresh ones for every run,
 * each signed in once before the commands: sessions #0, #1 and #2). A command
 * naming a session that does not exist yet is skipped.
 */
import { randomUUID } from "node:crypto"
import { layer } from "@effect/vitest"
import { Duration, Effect, FastCheck as fc, Layer, Option, Redacted, Runtime, TestClock } from "effect"
import { AppConfig } from "../src/AppConfig.js"
import { type Issued, Sessions } from "../src/Auth/Sessions.js"
import * as Tokens from "../src/Auth/Tokens.js"
import { type UserRecord, UserRepo } from "../src/Auth/UserRepo.js"
import * as TestDatabase from "./support/TestDatabase.js"

const userCount = 3
/** Sessions a command can name (#0 … #11); commands naming one not issued yet are skipped. */
const maxSessionIndex = 11

// -- the model and the real system --

interface ModelSession {
  readonly user: number
  live: boolean
}

interface Model {
  /** Index n is session (and token) #n. */
  readonly sessions: Array<ModelSession>
}

interface Real {
  readonly run: <A>(effect: Effect.Effect<A, never, Sessions | UserRepo>) => Promise<A>
  readonly users: ReadonlyArray<UserRecord>
  /** Index n is session (and token) #n, as the service issued it. */
  readonly issued: Array<Issued>
}

type Command = fc.AsyncCommand<Model, Real>

const at = <A>(items: ReadonlyArray<A>, index: number, what: string): A => {
  const item = items[index]
  if (item === undefined) throw new Error(`no ${what} #${index}`)
  return item
}

const userName = (real: Real, userId: string) => {
  const index = real.users.findIndex((user) => user.id === userId)
  return index === -1 ? `unknown user ${userId}` : `u${index}`
}

const sessionName = (real: Real, sessionId: string) => {
  const index = real.issued.findIndex((issued) => issued.session.id === sessionId)
  return index === -1 ? `unknown session ${sessionId}` : `#${index}`
}

const describeSession = (model: Model, index: number) => {
  const session = at(model.sessions, index, "session")
  return `#${index} (u${session.user}, ${session.live ? "live" : "dead"})`
}

/**
 * After every step: `authenticate` accepts exactly the model's live tokens,
 * each as its own session and user, and rejects a token never issued;
 * `listLive` of every user is exactly the model's live sessions of that user,
 * most recently used first.
 */
const verify = async (step: string, model: Model, real: Real): Promise<void> => {
  const observed = await real.run(
    Effect.gen(function* () {
      const sessions = yield* Sessions
      const accepted = yield* Effect.forEach(real.issued, (issued) => sessions.authenticate(issued.token))
      const live = yield* Effect.forEach(real.users, (user) => sessions.listLive(user.id))
      const forged = yield* sessions.authenticate(Tokens.generate())
      return { accepted, live, forged }
    }),
  )
  const problems: Array<string> = []
  if (model.sessions.length !== real.issued.length) {
    problems.push(`the model has ${model.sessions.length} sessions, the service issued ${real.issued.length}`)
  }
  observed.accepted.forEach((found, index) => {
    const expected = at(model.sessions, index, "session")
    const owner = at(real.users, expected.user, "user")
    Option.match(found, {
      onNone: () => {
        if (expected.live) problems.push(`token ${describeSession(model, index)} was rejected`)
      },
      onSome: ({ session, user }) => {
        if (!expected.live) {
          problems.push(`token ${describeSession(model, index)} was accepted`)
        } else if (session.id !== at(real.issued, index, "issued session").session.id || user.id !== owner.id) {
          problems.push(
            `token ${describeSession(model, index)} was accepted as session ${sessionName(real, session.id)} of ${userName(real, user.id)}`,
          )
        }
      },
    })
  })
  observed.live.forEach((list, user) => {
    const actual = list.map((session) => sessionName(real, session.id))
    const expected = model.sessions.flatMap((session, index) =>
      session.user === user && session.live ? [`#${index}`] : [],
    )
    if ([...actual].sort().join(", ") !== [...expected].sort().join(", ")) {
      problems.push(`listLive(u${user}) = [${actual.join(", ")}], expected [${expected.join(", ")}] in any order`)
    }
    for (let i = 1; i < list.length; i++) {
      const newer = at(list, i - 1, "listed session")
      const older = at(list, i, "listed session")
      if (newer.lastSeenAt.getTime() < older.lastSeenAt.getTime()) {
        problems.push(`listLive(u${user}) is not most recently used first: [${actual.join(", ")}]`)
        break
      }
    }
  })
  if (Option.isSome(observed.forged)) problems.push("a token never issued was accepted")
  if (problems.length > 0) throw new Error(`after ${step}: ${problems.join("; ")}`)
}

// -- the commands --

/** Sign in: a new live session (and token) for the user. */
class SignIn implements Command {
  constructor(readonly user: number) {}
  check(): boolean {
    return true
  }
  async run(model: Model, real: Real): Promise<void> {
    const user = at(real.users, this.user, "user")
    const issued = await real.run(Effect.flatMap(Sessions, (sessions) => sessions.create(user.id, "model test")))
    const step = `${this} → #${model.sessions.length}`
    if (issued.session.userId !== user.id) throw new Error(`${step}: the session belongs to ${issued.session.userId}`)
    model.sessions.push({ user: this.user, live: true })
    real.issued.push(issued)
    await verify(step, model, real)
  }
  toString(): string {
    return `signIn(u${this.user})`
  }
}

/**
 * Rotate a session, live or dead: the old token dies; a live session is
 * replaced by a new live one of the same user (same absolute expiry), a dead
 * one by nothing.
 */
class Rotate implements Command {
  constructor(readonly session: number) {}
  check(model: Readonly<Model>): boolean {
    return this.session < model.sessions.length
  }
  async run(model: Model, real: Real): Promise<void> {
    const target = at(model.sessions, this.session, "session")
    const old = at(real.issued, this.session, "issued session")
    let step = `rotate(${describeSession(model, this.session)})`
    const rotated = await real.run(Effect.flatMap(Sessions, (sessions) => sessions.rotate(old.session)))
    if (!target.live) {
      if (Option.isSome(rotated)) throw new Error(`${step}: a dead session was rotated into a new one`)
    } else {
      if (Option.isNone(rotated)) throw new Error(`${step}: a live session was not rotated`)
      const issued = rotated.value
      step = `${step} → #${model.sessions.length}`
      if (issued.session.userId !== old.session.userId) {
        throw new Error(`${step}: the new session belongs to ${userName(real, issued.session.userId)}`)
      }
      if (issued.session.absoluteExpiresAt.getTime() !== old.session.absoluteExpiresAt.getTime()) {
        throw new Error(`${step}: the new session does not keep the old absolute expiry`)
      }
      target.live = false
      model.sessions.push({ user: target.user, live: true })
      real.issued.push(issued)
    }
    await verify(step, model, real)
  }
  toString(): string {
    return `rotate(#${this.session})`
  }
}

type Revoker = "owner" | "another user" | "a stranger"

/** revokeOwn: only the owner ends a session (answering true when it was live); anyone else changes nothing. */
class RevokeOwn implements Command {
  constructor(
    readonly session: number,
    readonly by: Revoker,
  ) {}
  check(model: Readonly<Model>): boolean {
    return this.session < model.sessions.length
  }
  async run(model: Model, real: Real): Promise<void> {
    const target = at(model.sessions, this.session, "session")
    const issued = at(real.issued, this.session, "issued session")
    const actor =
      this.by === "owner"
        ? { name: `u${target.user}`, id: at(real.users, target.user, "user").id }
        : this.by === "another user"
          ? {
              name: `u${(target.user + 1) % userCount}`,
              id: at(real.users, (target.user + 1) % userCount, "user").id,
            }
          : { name: "a stranger", id: randomUUID() }
    const step = `revokeOwn(${describeSession(model, this.session)} by ${actor.name})`
    const revoked = await real.run(
      Effect.flatMap(Sessions, (sessions) => sessions.revokeOwn(actor.id, issued.session.id, "revoked")),
    )
    const expected = this.by === "owner" && target.live
    if (revoked !== expected) throw new Error(`${step}: answered ${revoked}, expected ${expected}`)
    if (this.by === "owner") target.live = false
    await verify(step, model, real)
  }
  toString(): string {
    return `revokeOwn(#${this.session} by ${this.by})`
  }
}

/** Sign out: `revoke` ends the session, live or not. */
class SignOut implements Command {
  constructor(readonly session: number) {}
  check(model: Readonly<Model>): boolean {
    return this.session < model.sessions.length
  }
  async run(model: Model, real: Real): Promise<void> {
    const target = at(model.sessions, this.session, "session")
    const issued = at(real.issued, this.session, "issued session")
    const step = `signOut(${describeSession(model, this.session)})`
    await real.run(Effect.flatMap(Sessions, (sessions) => sessions.revoke(issued.session.id, "sign_out")))
    target.live = false
    await verify(step, model, real)
  }
  toString(): string {
    return `signOut(#${this.session})`
  }
}

/** Sign out everywhere: `revokeAll` ends every live session of the user but `except` (any session, even another user's). */
class SignOutEverywhere implements Command {
  constructor(
    readonly user: number,
    readonly except: number | undefined,
  ) {}
  check(model: Readonly<Model>): boolean {
    return this.except === undefined || this.except < model.sessions.length
  }
  async run(model: Model, real: Real): Promise<void> {
    const user = at(real.users, this.user, "user")
    const except = this.except === undefined ? undefined : at(real.issued, this.except, "issued session").session.id
    const step =
      this.except === undefined
        ? `signOutEverywhere(u${this.user})`
        : `signOutEverywhere(u${this.user} except ${describeSession(model, this.except)})`
    const ended = await real.run(
      Effect.flatMap(Sessions, (sessions) => sessions.revokeAll(user.id, "sign_out_everywhere", except)),
    )
    let expected = 0
    model.sessions.forEach((session, index) => {
      if (session.user === this.user && session.live && index !== this.except) {
        session.live = false
        expected += 1
      }
    })
    if (ended !== expected) throw new Error(`${step}: ended ${ended} session(s), expected ${expected}`)
    await verify(step, model, real)
  }
  toString(): string {
    return this.except === undefined
      ? `signOutEverywhere(u${this.user})`
      : `signOutEverywhere(u${this.user} except #${this.except})`
  }
}

type Presented =
  | { readonly _tag: "Issued"; readonly session: number }
  /** An issued token with one character changed. */
  | { readonly _tag: "Tampered"; readonly session: number; readonly position: number }
  | { readonly _tag: "Fresh" }
  | { readonly _tag: "Garbage"; readonly text: string }

const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

const tamper = (token: string, position: number) => {
  const index = position % token.length
  const next = base64url[(base64url.indexOf(token.charAt(index)) + 1) % base64url.length] ?? "A"
  return `${token.slice(0, index)}${next}${token.slice(index + 1)}`
}

/** Authenticate a token: an issued one answers its session and user exactly when live; any other is rejected. */
class Authenticate implements Command {
  constructor(readonly token: Presented) {}
  check(model: Readonly<Model>): boolean {
    return this.token._tag === "Fresh" || this.token._tag === "Garbage" || this.token.session < model.sessions.length
  }
  async run(model: Model, real: Real): Promise<void> {
    const presented = this.token
    const token =
      presented._tag === "Issued"
        ? at(real.issued, presented.session, "issued session").token
        : presented._tag === "Tampered"
          ? Redacted.make(
              tamper(Redacted.value(at(real.issued, presented.session, "issued session").token), presented.position),
            )
          : presented._tag === "Fresh"
            ? Tokens.generate()
            : Redacted.make(presented.text)
    const step =
      presented._tag === "Issued"
        ? `authenticate(${describeSession(model, presented.session)})`
        : presented._tag === "Tampered"
          ? `authenticate(tampered ${describeSession(model, presented.session)})`
          : `${this}`
    const found = await real.run(Effect.flatMap(Sessions, (sessions) => sessions.authenticate(token)))
    if (presented._tag === "Issued") {
      const expected = at(model.sessions, presented.session, "session")
      const issued = at(real.issued, presented.session, "issued session")
      if (expected.live !== Option.isSome(found)) {
        throw new Error(`${step}: ${expected.live ? "rejected" : "accepted"}`)
      }
      if (
        Option.isSome(found) &&
        (found.value.session.id !== issued.session.id ||
          found.value.user.id !== at(real.users, expected.user, "user").id)
      ) {
        throw new Error(
          `${step}: accepted as session ${sessionName(real, found.value.session.id)} of ${userName(real, found.value.user.id)}`,
        )
      }
    } else if (Option.isSome(found)) {
      throw new Error(`${step}: a token never issued was accepted as ${sessionName(real, found.value.session.id)}`)
    }
    await verify(step, model, real)
  }
  toString(): string {
    switch (this.token._tag) {
      case "Issued":
        return `authenticate(#${this.token.session})`
      case "Tampered":
        return `authenticate(tampered #${this.token.session} at ${this.token.position})`
      case "Fresh":
        return "authenticate(a fresh random token)"
      case "Garbage":
        return `authenticate(${JSON.stringify(this.token.text)})`
    }
  }
}

/** Minutes pass (far less than the idle timeout): nothing expires, authentication renews the sliding expiry. */
class Tick implements Command {
  constructor(readonly minutes: number) {}
  check(): boolean {
    return true
  }
  async run(model: Model, real: Real): Promise<void> {
    await real.run(TestClock.adjust(Duration.minutes(this.minutes)))
    await verify(`${this}`, model, real)
  }
  toString(): string {
    return `tick(${this.minutes} min)`
  }
}

// -- the generators --

const user = fc.integer({ min: 0, max: userCount - 1 })
const session = fc.nat({ max: maxSessionIndex })

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: user.map((u): Command => new SignIn(u)) },
  { weight: 3, arbitrary: session.map((s): Command => new Rotate(s)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        session,
        fc.oneof(
          { weight: 2, arbitrary: fc.constant<Revoker>("owner") },
          { weight: 1, arbitrary: fc.constant<Revoker>("another user") },
          { weight: 1, arbitrary: fc.constant<Revoker>("a stranger") },
        ),
      )
      .map(([s, by]): Command => new RevokeOwn(s, by)),
  },
  { weight: 2, arbitrary: session.map((s): Command => new SignOut(s)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(user, fc.option(session, { nil: undefined }))
      .map(([u, except]): Command => new SignOutEverywhere(u, except)),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        { weight: 3, arbitrary: session.map((s): Presented => ({ _tag: "Issued", session: s })) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(session, fc.nat({ max: 42 }))
            .map(([s, position]): Presented => ({ _tag: "Tampered", session: s, position })),
        },
        { weight: 1, arbitrary: fc.constant<Presented>({ _tag: "Fresh" }) },
        {
          weight: 1,
          arbitrary: fc.string({ maxLength: 50 }).map((text): Presented => ({ _tag: "Garbage", text })),
        },
      )
      .map((token): Command => new Authenticate(token)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }).map((minutes): Command => new Tick(minutes)) },
)

/**
 * Fresh users for every run, so no run sees another's sessions, each signed
 * in once so that the first commands already have sessions to work on.
 */
const setup = (real: Real["run"]) => async (): Promise<{ model: Model; real: Real }> => {
  const users = await real(
    Effect.flatMap(UserRepo, (repo) =>
      Effect.forEach(
        Array.from({ length: userCount }, (_, index) => index),
        (index) =>
          repo
            .create(
              {
                email: `sessions-model-u${index}-${randomUUID()}@example.com`,
                displayName: `u${index}`,
                status: "approved",
                timeZone: "UTC",
                birthYear: 1990,
                termsAcceptedAt: null,
                roles: ["member"],
              },
              undefined,
            )
            .pipe(Effect.orDie),
      ),
    ),
  )
  const issued = await real(
    Effect.flatMap(Sessions, (sessions) => Effect.forEach(users, (user) => sessions.create(user.id, "model test"))),
  )
  const state = {
    model: { sessions: users.map((_, index) => ({ user: index, live: true })) },
    real: { run: real, users, issued },
  }
  await verify("setup (every user signed in once: #0 u0, #1 u1, #2 u2)", state.model, state.real)
  return state
}

const ServicesLive = Layer.mergeAll(Sessions.Default, UserRepo.Default).pipe(
  Layer.provide(Layer.merge(AppConfig.layerTest(), TestDatabase.layer)),
)

layer(ServicesLive)("Sessions (model-based)", (it) => {
  it.effect(
    "no sequence of sign-in, rotation, revocation and sign-out leaves a revoked or rotated token valid",
    () =>
      Effect.gen(function* () {
        // The test's runtime: its TestClock is what `tick` moves and what the service reads.
        const run = Runtime.runPromise(yield* Effect.runtime<Sessions | UserRepo>())
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.commands([command], { maxCommands: 25, size: "max" }), (commands) =>
              fc.asyncModelRun(setup(run), commands),
            ),
            {
              numRuns: 30,
              // A guard for very slow machines (a run normally takes seconds): it also bounds the shrinking of a
              // failure, which then still reports the smallest counterexample found before the test times out.
              interruptAfterTimeLimit: 40_000,
            },
          ),
        )
      }),
    60_000,
  )
})
