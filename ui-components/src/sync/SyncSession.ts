/**
 * The signed-in user's sync engine in this tab (`@ignition/sync/client`):
 * the outbox in IndexedDB, Web Locks and a BroadcastChannel shared with the
 * user's other tabs (`Browser.layer`), and the HTTP transport to the server
 * the session talks to. It starts with the vault session of the user it
 * belongs to (`SyncSession.of`) and stops when that session ends
 * (`SyncSession.end`, at sign-out or when another user signs in).
 *
 * Elements read `status` (the outbox count, online and realtime state,
 * conflict copies, rejections, unsaved encrypted writes) and listen for
 * `change`; writes go through `mutate`. Every verb answers a value and never
 * throws.
 */
import { Browser, Engine, HttpTransport, type Outbox, type Replica } from "@ignition/sync/client"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Stream } from "effect"
import { VaultSession } from "../vault/VaultSession.js"
import { registry } from "./entities.js"

export type SyncState =
  | { readonly status: "starting" }
  | { readonly status: "running"; readonly engine: Engine.Status }
  /** The engine could not start (IndexedDB refused: private mode, quota, another version open). */
  | { readonly status: "failed"; readonly message: string }

export type MutateOutcome = Engine.Outcome | { readonly _tag: "Failed"; readonly message: string }

const instances = new WeakMap<VaultSession, SyncSession>()

export class SyncSession extends EventTarget {
  static readonly changeEvent = "change"

  /** The sync session of `vault`'s user (made, and started, on first use). */
  static of(vault: VaultSession): SyncSession {
    let made = instances.get(vault)
    if (made === undefined) {
      made = new SyncSession(vault)
      instances.set(vault, made)
    }
    return made
  }

  /** Stops the sync session of `vault`, if it has one (its user signed out). */
  static async end(vault: VaultSession): Promise<void> {
    const session = instances.get(vault)
    instances.delete(vault)
    await session?.dispose()
  }

  readonly #runtime: ManagedRuntime.ManagedRuntime<Engine.SyncEngine, unknown>
  readonly #vault: VaultSession
  #state: SyncState = { status: "starting" }

  private constructor(vault: VaultSession) {
    super()
    this.#vault = vault
    this.#runtime = ManagedRuntime.make(
      Engine.layer({ registry }).pipe(
        Layer.provide(Layer.merge(Browser.layer(vault.userId), HttpTransport.layer({ baseUrl: vault.client.baseUrl }))),
      ),
    )
    this.#runtime
      .runPromiseExit(
        Effect.flatMap(Engine.SyncEngine, (engine) =>
          Stream.runForEach(engine.status.changes, (status) =>
            Effect.sync(() => this.#set({ status: "running", engine: status })),
          ),
        ),
      )
      .then((exit) => {
        if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause))
          this.#set({
            status: "failed",
            message: "Changes cannot be kept on this device (its storage is unavailable).",
          })
      })
    window.addEventListener("online", this.#platformOnline)
    window.addEventListener("offline", this.#platformOffline)
    vault.addEventListener(VaultSession.changeEvent, this.#vaultChanged)
  }

  get state(): SyncState {
    return this.#state
  }

  /** The engine's status, or undefined before it started (or when it could not). */
  get status(): Engine.Status | undefined {
    return this.#state.status === "running" ? this.#state.engine : undefined
  }

  #set(state: SyncState) {
    this.#state = state
    this.dispatchEvent(new Event(SyncSession.changeEvent))
  }

  #run<A>(use: (engine: Engine.Engine) => Effect.Effect<A, unknown>): Promise<Exit.Exit<A, unknown>> {
    return this.#runtime.runPromiseExit(Effect.flatMap(Engine.SyncEngine, use))
  }

  // An unlock or a lock changes no synced row, so no poke tells the engine: a pull brings it the vault's state,
  // without which it would refuse encrypted writes as locked until its next poll.
  readonly #vaultChanged = () => void this.pull()
  readonly #platformOnline = () => void this.#run((engine) => engine.setOnline(true))
  readonly #platformOffline = () => void this.#run((engine) => engine.setOnline(false))

  /** Writes through the engine: queued (or, for an encrypted record, saved, sending or unsaved). */
  async mutate(draft: Outbox.Draft): Promise<MutateOutcome> {
    const exit = await this.#run((engine) => engine.mutate(draft))
    return Exit.isSuccess(exit)
      ? exit.value
      : { _tag: "Failed", message: "The change could not be kept on this device (its storage is unavailable)." }
  }

  /** The rows of `entity` as this tab sees them: what the server sent, with this device's pending writes on top. */
  async view(entity: string): Promise<ReadonlyArray<Replica.ViewRow>> {
    const exit = await this.#run((engine) => engine.view(entity))
    return Exit.isSuccess(exit) ? exit.value : []
  }

  /** One row of the view, by id. */
  async row(entity: string, id: string): Promise<Replica.ViewRow | undefined> {
    return (await this.view(entity)).find((row) => row.id === id)
  }

  /** Forgets a rejection the user has seen. */
  async dismissRejection(mutationSeq: number): Promise<void> {
    await this.#run((engine) => engine.dismissRejection(mutationSeq))
  }

  /** Forgets an unsaved encrypted write the user gave up. */
  async discardUnsaved(entity: string, id: string): Promise<void> {
    await this.#run((engine) => engine.discardUnsaved(entity, id))
  }

  /** Pulls now (e.g. after the user resolved a conflict elsewhere). */
  async pull(): Promise<void> {
    await this.#run((engine) => engine.pull)
  }

  async dispose(): Promise<void> {
    this.#vault.removeEventListener(VaultSession.changeEvent, this.#vaultChanged)
    window.removeEventListener("online", this.#platformOnline)
    window.removeEventListener("offline", this.#platformOffline)
    await this.#runtime.dispose()
  }
}
