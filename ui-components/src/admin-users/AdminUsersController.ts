/**
 * The administrators' user list, from `GET /api/admin/users`: filtered by
 * status, a page at a time ("Load more" follows `nextCursor`), loaded with
 * `@lit/task` "skeleton → stale → fresh" (a refresh or another filter keeps
 * the rows shown until the fresh page arrives). Each row's actions —
 * approve, suspend, the admin role (keeping `member`), sign out everywhere —
 * replace the row with the server's answer; a refusal stays next to its row,
 * described by the error's `_tag` and `message`. A 403 `admin_required`
 * turns the whole element into a "you need the admin role" notice; a 401
 * signs out (`ig-signed-out`, "expired").
 *
 * "Force-lock vault" (`POST /api/admin/vault/:userId/force-lock`) locks the
 * user's end-to-end-encrypted vault on every device — it never opens it; a
 * user without a vault (404 `VaultNotFound`) gets a note, not an error.
 */
import { type Account, AdminApi } from "@ignition/api"
import { ContextConsumer } from "@lit/context"
import { initialState, Task, TaskStatus } from "@lit/task"
import type { ReactiveController, ReactiveElement } from "lit"
import type { IgnitionClient, Outcome, ServerError } from "../client/IgnitionClient.js"
import { sessionContext, vaultContext } from "../context/contexts.js"
import { IgSignedOutEvent } from "../events/events.js"
import { messageOf, sessionKey } from "../internal/session.js"

export type StatusFilter = "all" | Account.UserStatus

export const statusFilters: ReadonlyArray<StatusFilter> = ["all", "pending", "approved", "suspended"]

export type UserAction = "approve" | "suspend" | "roles" | "signOut" | "forceLock"

/** Actions that end the user's sessions, or lock their vault, ask first. */
export const confirmedActions: ReadonlySet<UserAction> = new Set(["suspend", "roles", "signOut", "forceLock"])

/** A refusal (or network failure) of an action, shown next to its row. */
export interface RowError {
  readonly action: UserAction
  /** The error's `_tag` ("Conflict", "NotFound", …), or "Unreachable". */
  readonly tag: string
  readonly message: string
}

/** What an action that went through left to say, shown next to its row ("No vault to lock."). */
export interface RowNote {
  readonly action: UserAction
  /** "done", or "no-vault" when the user has no vault to lock. */
  readonly kind: "done" | "no-vault"
  readonly message: string
}

/** What the element shows. */
export type UsersView =
  | { readonly _tag: "Loading" }
  | { readonly _tag: "SignedOut" }
  | { readonly _tag: "NeedsAdmin" }
  | { readonly _tag: "Failed"; readonly message: string }
  | {
      readonly _tag: "Ready"
      readonly users: ReadonlyArray<AdminApi.AdminUser>
      /** A refresh or another filter is loading: the rows shown are the previous ones. */
      readonly refreshing: boolean
      readonly refreshError: string | undefined
      readonly hasMore: boolean
      readonly loadingMore: boolean
      readonly moreError: string | undefined
    }

export const isAdmin = (user: { readonly roles: ReadonlyArray<string> }): boolean => user.roles.includes("admin")

/** The roles with `admin` granted or removed; `member` always stays, other roles are kept. */
export const rolesWithAdmin = (roles: ReadonlyArray<string>, admin: boolean): ReadonlyArray<string> => {
  const others = roles.filter((role) => role !== "admin" && role !== "member")
  return [...(admin ? ["admin"] : []), "member", ...others]
}

/** The actions a user's status allows. */
export const actionsFor = (user: AdminApi.AdminUser): ReadonlyArray<UserAction> => [
  ...(user.status === "approved" ? (["suspend"] as const) : (["approve"] as const)),
  "roles",
  "signOut",
  "forceLock",
]

const needsAdmin = (error: ServerError): boolean => error._tag === "Forbidden" && error.reason === "admin_required"

type Load =
  | { readonly _tag: "Page"; readonly page: AdminApi.UserPage }
  | { readonly _tag: "SignedOut" }
  | { readonly _tag: "NeedsAdmin" }
  | { readonly _tag: "Failed"; readonly message: string }

type Confirming = { readonly id: string; readonly action: UserAction } | undefined

export class AdminUsersController implements ReactiveController {
  filter: StatusFilter = "all"
  confirming: Confirming = undefined
  /** The action under way per user id. */
  busy: ReadonlyMap<string, UserAction> = new Map()
  /** The last action's refusal per user id. */
  errors: ReadonlyMap<string, RowError> = new Map()
  /** The last action's note per user id (a force-lock's result). */
  notes: ReadonlyMap<string, RowNote> = new Map()
  /** A short note for assistive technology after a change ("Jane Doe approved."). */
  announcement = ""

  readonly #host: ReactiveElement
  readonly #client: () => IgnitionClient
  readonly #session: ContextConsumer<typeof sessionContext, ReactiveElement>
  readonly #vault: ContextConsumer<typeof vaultContext, ReactiveElement>
  readonly #task: Task<readonly [IgnitionClient, string, StatusFilter, number], Load>
  #generation = 0
  /** Grows with every first-page load: a "load more" answer for an older list is dropped. */
  #listVersion = 0
  #dataKey: string | undefined
  #users: ReadonlyArray<AdminApi.AdminUser> | undefined
  #nextCursor: string | null = null
  #loadError: string | undefined
  #state: "ok" | "signed-out" | "needs-admin" = "ok"
  #loadingMore = false
  #moreError: string | undefined

  constructor(host: ReactiveElement, client: () => IgnitionClient) {
    this.#host = host
    this.#client = client
    this.#session = new ContextConsumer(host, { context: sessionContext, subscribe: true })
    this.#vault = new ContextConsumer(host, { context: vaultContext, subscribe: true })
    this.#task = new Task(host, {
      args: () => [this.#client(), this.#sessionKey(), this.filter, this.#generation] as const,
      task: async ([connection, key, filter]) => {
        this.#listVersion++
        this.#loadingMore = false
        this.#moreError = undefined
        if (key !== this.#dataKey) {
          // Another user, or none: the previous rows are not theirs to see.
          this.#dataKey = key
          this.#users = undefined
          this.#nextCursor = null
          this.#loadError = undefined
          this.#state = "ok"
          this.#resetRows()
        }
        if (key === "loading") return initialState
        if (key === "signed-out") return { _tag: "SignedOut" }
        if (key === "not-admin") return { _tag: "NeedsAdmin" }
        const outcome = await connection.call((api) =>
          api.admin.users({ urlParams: filter === "all" ? {} : { status: filter } }),
        )
        if (outcome._tag === "Ok") return { _tag: "Page", page: outcome.value }
        if (outcome._tag === "Unreachable") return { _tag: "Failed", message: outcome.message }
        if (this.#expired(outcome.error)) return { _tag: "SignedOut" }
        if (needsAdmin(outcome.error)) return { _tag: "NeedsAdmin" }
        return { _tag: "Failed", message: messageOf(outcome.error) }
      },
      onComplete: (load) => {
        switch (load._tag) {
          case "Page":
            this.#users = load.page.users
            this.#nextCursor = load.page.nextCursor
            this.#loadError = undefined
            this.#state = "ok"
            break
          case "SignedOut":
            this.#enter("signed-out")
            break
          case "NeedsAdmin":
            this.#enter("needs-admin")
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

  /** Who is signed in, as far as the page says ("standalone" without a session provider). */
  #sessionKey(): string {
    const session = this.#session.value
    // Known not to be an administrator: no need to ask the server.
    return session?.status === "signed-in" && !isAdmin(session.info.user) ? "not-admin" : sessionKey(session)
  }

  /** The signed-in user's id, when the page provides the session. */
  get currentUserId(): string | undefined {
    const session = this.#session.value
    return session?.status === "signed-in" ? session.info.user.id : undefined
  }

  get view(): UsersView {
    if (this.#state === "signed-out") return { _tag: "SignedOut" }
    if (this.#state === "needs-admin") return { _tag: "NeedsAdmin" }
    const refreshing = this.#task.status === TaskStatus.PENDING
    if (this.#users !== undefined) {
      return {
        _tag: "Ready",
        users: this.#users,
        refreshing,
        refreshError: refreshing ? undefined : this.#loadError,
        hasMore: this.#nextCursor !== null,
        loadingMore: this.#loadingMore,
        moreError: this.#moreError,
      }
    }
    if (this.#loadError !== undefined && !refreshing) return { _tag: "Failed", message: this.#loadError }
    return { _tag: "Loading" }
  }

  /** Load the first page again; the rows shown stay until the answer. */
  refresh(): void {
    this.#generation++
    this.#host.requestUpdate()
  }

  setFilter(filter: StatusFilter): void {
    if (filter === this.filter) return
    this.filter = filter
    this.#resetRows()
    this.#host.requestUpdate()
  }

  async loadMore(): Promise<void> {
    const cursor = this.#nextCursor
    if (cursor === null || this.#loadingMore || this.#users === undefined) return
    const version = this.#listVersion
    const filter = this.filter
    this.#loadingMore = true
    this.#moreError = undefined
    this.#host.requestUpdate()
    const outcome = await this.#client().call((api) =>
      api.admin.users({ urlParams: filter === "all" ? { cursor } : { status: filter, cursor } }),
    )
    if (version !== this.#listVersion) return
    this.#loadingMore = false
    if (outcome._tag === "Ok") {
      const known = new Set(this.#users.map((user) => user.id))
      this.#users = [...this.#users, ...outcome.value.users.filter((user) => !known.has(user.id))]
      this.#nextCursor = outcome.value.nextCursor
    } else if (outcome._tag === "Unreachable") {
      this.#moreError = outcome.message
    } else if (needsAdmin(outcome.error)) {
      this.#enter("needs-admin")
    } else if (!this.#expired(outcome.error)) {
      this.#moreError = messageOf(outcome.error)
    }
    this.#host.requestUpdate()
  }

  /** Ask before an action that ends the user's sessions; `undefined` closes the question. */
  confirm(confirming: Confirming): void {
    this.confirming = confirming
    this.#host.requestUpdate()
  }

  async act(id: string, action: UserAction): Promise<void> {
    const user = this.#users?.find((candidate) => candidate.id === id)
    if (user === undefined || this.busy.has(id)) return
    this.confirming = undefined
    this.busy = new Map([...this.busy, [id, action]])
    this.errors = new Map([...this.errors].filter(([key]) => key !== id))
    this.notes = new Map([...this.notes].filter(([key]) => key !== id))
    this.announcement = ""
    this.#host.requestUpdate()
    const outcome = await this.#call(user, action)
    this.busy = new Map([...this.busy].filter(([key]) => key !== id))
    this.#host.requestUpdate()
    switch (outcome._tag) {
      case "Ok": {
        const updated = outcome.value
        this.#users = this.#users?.map((candidate) => (candidate.id === id ? updated : candidate))
        this.announcement = `${updated.displayName}: ${doneText[action](updated)}.`
        if (action === "forceLock") {
          this.#note(id, { action, kind: "done", message: "Vault locked on every device." })
          // Locking one's own vault: this page sees it now rather than at its next poll.
          if (id === this.currentUserId) void this.#vault.value?.checkLock()
        }
        // Changing one's own roles or signing oneself out everywhere ends this session too.
        if (id === this.currentUserId && (action === "roles" || action === "signOut")) this.#signOut()
        return
      }
      case "Unreachable":
        this.#fail(id, { action, tag: "Unreachable", message: outcome.message })
        return
      case "Refused":
        if (this.#expired(outcome.error)) return
        if (needsAdmin(outcome.error)) {
          this.#enter("needs-admin")
          return
        }
        if (action === "forceLock" && outcome.error._tag === "VaultNotFound") {
          // Not a failure: there is nothing to lock.
          this.#note(id, { action, kind: "no-vault", message: "No vault: this user has not set one up yet." })
          this.announcement = `${user.displayName} has no vault.`
          return
        }
        this.#fail(id, { action, tag: outcome.error._tag, message: messageOf(outcome.error) })
    }
  }

  async #call(user: AdminApi.AdminUser, action: UserAction): Promise<Outcome<AdminApi.AdminUser>> {
    const client = this.#client()
    const path = { id: user.id }
    switch (action) {
      case "approve":
        return client.call((api) => api.admin.approve({ path }))
      case "suspend":
        return client.call((api) => api.admin.suspend({ path }))
      case "roles":
        return client.call((api) =>
          api.admin.setRoles({ path, payload: { roles: rolesWithAdmin(user.roles, !isAdmin(user)) } }),
        )
      case "signOut": {
        const outcome = await client.call((api) => api.admin.signOut({ path }))
        // 204: every session of theirs ended.
        return outcome._tag === "Ok"
          ? { _tag: "Ok", value: new AdminApi.AdminUser({ ...user, activeSessions: 0 }) }
          : outcome
      }
      case "forceLock": {
        const outcome = await client.call((api) => api.vaultAdmin.forceLock({ path: { userId: user.id } }))
        // The user's row does not change: only their vault's lock state.
        return outcome._tag === "Ok" ? { _tag: "Ok", value: user } : outcome
      }
    }
  }

  #note(id: string, note: RowNote): void {
    this.notes = new Map([...this.notes, [id, note]])
    this.#host.requestUpdate()
  }

  #fail(id: string, error: RowError): void {
    this.errors = new Map([...this.errors, [id, error]])
    this.#host.requestUpdate()
  }

  /** A 401: the session ended elsewhere; the app goes back to sign-in. */
  #expired(error: ServerError): boolean {
    if (error._tag !== "Unauthorized") return false
    this.#enter("signed-out")
    this.#host.dispatchEvent(new IgSignedOutEvent("expired"))
    return true
  }

  #signOut(): void {
    this.#enter("signed-out")
    this.#host.dispatchEvent(new IgSignedOutEvent("sign-out"))
  }

  #enter(state: "signed-out" | "needs-admin"): void {
    this.#state = state
    this.#users = undefined
    this.#nextCursor = null
    this.#resetRows()
    this.#host.requestUpdate()
  }

  #resetRows(): void {
    this.confirming = undefined
    this.errors = new Map()
    this.notes = new Map()
    this.announcement = ""
  }
}

const doneText: Readonly<Record<UserAction, (user: AdminApi.AdminUser) => string>> = {
  approve: () => "approved",
  suspend: () => "suspended",
  roles: (user) => (isAdmin(user) ? "now an administrator" : "no longer an administrator"),
  signOut: () => "signed out everywhere",
  forceLock: () => "vault locked on every device",
}
