/**
 * Password hashing and strength. Argon2id through hash-wasm, at OWASP's
 * recommended minimum (19 MiB, 2 passes, 1 lane), in a pool of worker
 * threads: one hash costs ~90 ms of CPU here, which must not stall the
 * event loop. Hashes are PHC strings, so parameters can rise later and old
 * hashes are upgraded at the next sign-in (`needsRehash`). Strength is
 * judged by zxcvbn-ts with the user's own details as a dictionary.
 */
import { randomBytes } from "node:crypto"
import { availableParallelism } from "node:os"
import { ZxcvbnFactory } from "@zxcvbn-ts/core"
import * as common from "@zxcvbn-ts/language-common"
import * as en from "@zxcvbn-ts/language-en"
import { Context, Data, Effect, Layer, Redacted } from "effect"
import { Piscina } from "piscina"

/** OWASP Password Storage Cheat Sheet, Argon2id minimum configuration. */
export const parameters = { memoryKiB: 19_456, iterations: 2, parallelism: 1 } as const

/** The hashing pool is saturated: the caller should retry shortly. */
export class HasherBusy extends Data.TaggedError("HasherBusy") {}

export interface Strength {
  readonly acceptable: boolean
  readonly warning: string
  readonly suggestions: ReadonlyArray<string>
}

export class Passwords extends Context.Tag("@ignition/server/Passwords")<
  Passwords,
  {
    readonly hash: (password: Redacted.Redacted<string>) => Effect.Effect<string, HasherBusy>
    /** Constant work whether or not `hash` is given (pass undefined for an unknown account). */
    readonly verify: (
      password: Redacted.Redacted<string>,
      hash: string | undefined,
    ) => Effect.Effect<boolean, HasherBusy>
    readonly needsRehash: (hash: string) => boolean
    readonly strength: (
      password: Redacted.Redacted<string>,
      userInputs: ReadonlyArray<string>,
    ) => Effect.Effect<Strength>
  }
>() {
  static readonly layer = Layer.scoped(Passwords, make())
}

const minimumScore = 3
const minimumLength = 10
const maxQueue = 256

const phcParameters = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/

function make() {
  return Effect.gen(function* () {
    const pool = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new Piscina({
            filename: new URL("../../workers/argon2.mjs", import.meta.url).href,
            maxThreads: Math.max(1, availableParallelism()),
            maxQueue,
            idleTimeout: 60_000,
          }),
      ),
      (pool) => Effect.promise(() => pool.destroy()),
    )
    const zxcvbn = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
      useLevenshteinDistance: true,
    })

    const run = <A>(name: "hash" | "verify", task: Record<string, unknown>) =>
      Effect.tryPromise({ try: () => pool.run(task, { name }) as Promise<A>, catch: (cause) => cause }).pipe(
        // Piscina refuses new tasks once its queue is full: that is load, not a bug.
        Effect.catchAll((cause) => (pool.queueSize >= maxQueue ? Effect.fail(new HasherBusy()) : Effect.die(cause))),
      )

    const hash = (password: Redacted.Redacted<string>) =>
      run<string>("hash", {
        password: Redacted.value(password),
        salt: randomBytes(16),
        memoryKiB: parameters.memoryKiB,
        iterations: parameters.iterations,
      })

    // Verifying against this costs what a real verification costs, so a missing account is not faster.
    const decoy = yield* hash(Redacted.make(randomBytes(16).toString("hex"))).pipe(Effect.orDie)

    const verify = (password: Redacted.Redacted<string>, stored: string | undefined) =>
      run<boolean>("verify", { password: Redacted.value(password), hash: stored ?? decoy }).pipe(
        Effect.map((matches) => matches && stored !== undefined),
      )

    const needsRehash = (stored: string) => {
      const match = phcParameters.exec(stored)
      return (
        match === null ||
        Number(match[1]) < parameters.memoryKiB ||
        Number(match[2]) < parameters.iterations ||
        Number(match[3]) < parameters.parallelism
      )
    }

    const strength = (password: Redacted.Redacted<string>, userInputs: ReadonlyArray<string>) =>
      Effect.promise(async (): Promise<Strength> => {
        const text = Redacted.value(password)
        const result = await zxcvbn.checkAsync(text.slice(0, 256), [...userInputs])
        const tooShort = text.length < minimumLength
        return {
          acceptable: !tooShort && result.score >= minimumScore,
          warning: tooShort ? `Use at least ${minimumLength} characters` : (result.feedback.warning ?? ""),
          suggestions: result.feedback.suggestions,
        }
      })

    return Passwords.of({ hash, verify, needsRehash, strength })
  })
}
