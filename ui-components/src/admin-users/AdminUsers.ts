import type { AdminApi } from "@ignition/api"
import { DateTime } from "effect"
import { html, LitElement, nothing } from "lit"
import { ifDefined } from "lit/directives/if-defined.js"
import { ClientController } from "../controllers/ClientController.js"
import {
  AdminUsersController,
  actionsFor,
  confirmedActions,
  isAdmin,
  type StatusFilter,
  statusFilters,
  type UserAction,
} from "./AdminUsersController.js"
import { styles } from "./admin-users.styles.js"

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })
const units: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
]

/** A `<time>` saying how long ago (or "just now"), with the exact time as its title. */
const when = (time: DateTime.Utc) => {
  const date = DateTime.toDate(time)
  const seconds = (date.getTime() - Date.now()) / 1000
  const unit = units.find(([, size]) => Math.abs(seconds) >= size)
  const text = unit === undefined ? "just now" : relativeFormat.format(Math.round(seconds / unit[1]), unit[0])
  return html`<time part="last-seen" datetime=${DateTime.formatIso(time)} title=${absolute.format(date)}>${text}</time>`
}

const filterLabels: Readonly<Record<StatusFilter, string>> = {
  all: "All",
  pending: "Pending",
  approved: "Approved",
  suspended: "Suspended",
}

const actionParts: Readonly<Record<UserAction, string>> = {
  approve: "approve",
  suspend: "suspend",
  roles: "roles-toggle",
  signOut: "sign-out",
  forceLock: "force-lock",
}

const actionLabel = (user: AdminApi.AdminUser, action: UserAction): string => {
  switch (action) {
    case "approve":
      return "Approve"
    case "suspend":
      return "Suspend"
    case "roles":
      return isAdmin(user) ? "Remove admin" : "Make admin"
    case "signOut":
      return "Sign out everywhere"
    case "forceLock":
      return "Force-lock vault"
  }
}

const busyLabel: Readonly<Record<UserAction, string>> = {
  approve: "Approving…",
  suspend: "Suspending…",
  roles: "Changing roles…",
  signOut: "Signing out…",
  forceLock: "Locking vault…",
}

const failedVerb: Readonly<Record<UserAction, string>> = {
  approve: "approve",
  suspend: "suspend",
  roles: "change the roles of",
  signOut: "sign out",
  forceLock: "lock the vault of",
}

const question = (user: AdminApi.AdminUser, action: UserAction, self: boolean): string => {
  const name = user.displayName
  switch (action) {
    case "approve":
      return `Approve ${name}?`
    case "suspend":
      return `Suspend ${name}? They are signed out and cannot sign in until approved again.`
    case "roles":
      return isAdmin(user)
        ? `Remove ${name}'s admin role? ${self ? "You will be signed out." : "They are signed out."}`
        : `Make ${name} an administrator? They are signed out and get the role when they sign in again.`
    case "signOut":
      return self ? "Sign yourself out on every device, including this one?" : `Sign ${name} out on every device?`
    case "forceLock":
      return self
        ? "Lock your own vault on every device, including this one?"
        : `Lock ${name}'s vault on every device? They unlock it again with their passphrase or a passkey; locking does not open it.`
  }
}

const columns = ["User", "Status", "Roles", "Last seen", "Sessions", "Actions"] as const
const skeletonRows = 4

/**
 * The administrators' user list: name, email, status, roles, when each was
 * last seen and how many sessions they have, filtered by status and loaded a
 * page at a time. Per user: approve (pending or suspended), suspend
 * (approved), grant or remove the admin role, and sign out everywhere — the
 * last three ask first, since they end the user's sessions. A refusal (such
 * as removing the last administrator) shows under the row it concerns. Users
 * without the admin role see a notice instead.
 *
 * A banner states what administrators cannot do: users' private content is
 * end-to-end encrypted, so it can be neither read nor recovered here. What
 * they can do is force-lock a user's vault on every device (after a
 * confirmation); a user who has no vault gets a note under their row.
 *
 * @summary Admin user list: filter, approve, suspend, roles, sign out, force-lock vault.
 * @fires ig-signed-out - The session had ended ("expired"), or the administrator signed themselves out by changing their own roles or signing out everywhere ("sign-out").
 * @slot heading - Replaces the "Users" heading.
 * @csspart section - The whole element's content.
 * @csspart toolbar - The heading and the filter.
 * @csspart heading - The heading.
 * @csspart filter - The status filter.
 * @csspart filter-legend - Its legend.
 * @csspart filter-option - One status to filter by, with its radio button.
 * @csspart table-wrap - Scrolls the table sideways on narrow screens.
 * @csspart table - The user table.
 * @csspart head - Its header.
 * @csspart head-row - The header row.
 * @csspart column - A column header.
 * @csspart body - The table body.
 * @csspart row - A user.
 * @csspart cell - A cell of a user's row.
 * @csspart name - A user's name.
 * @csspart you - The "You" badge next to the signed-in administrator.
 * @csspart email - A user's email.
 * @csspart status - A user's status badge.
 * @csspart roles - A user's roles.
 * @csspart role - One role.
 * @csspart last-seen - When the user was last seen.
 * @csspart never - Shown for a user never seen.
 * @csspart sessions - A user's count of active sessions.
 * @csspart actions - A user's action buttons.
 * @csspart approve - The approve button.
 * @csspart suspend - The suspend button.
 * @csspart roles-toggle - The "Make admin" / "Remove admin" button.
 * @csspart sign-out - The "Sign out everywhere" button.
 * @csspart force-lock - The "Force-lock vault" button.
 * @csspart encrypted-banner - The note that users' content is end-to-end encrypted and not accessible to administrators.
 * @csspart encrypted-banner-title - Its first words, "Content encrypted; not accessible".
 * @csspart confirm - A confirmation: its question and buttons.
 * @csspart confirm-text - The question.
 * @csspart confirm-button - The button that goes ahead.
 * @csspart cancel-button - The button that cancels.
 * @csspart row-error-row - The table row holding a user's error.
 * @csspart row-error - Why an action on a user failed, from the server's error.
 * @csspart row-note-row - The table row holding a note on a user's last action.
 * @csspart row-note - The note: the vault was locked, or the user has no vault.
 * @csspart footer - The count shown and "Load more".
 * @csspart count - How many users are shown.
 * @csspart load-more - The "Load more" button.
 * @csspart more-error - Why the next page could not be loaded.
 * @csspart empty - Shown when no user has the chosen status.
 * @csspart skeleton - The placeholder rows shown while loading for the first time.
 * @csspart skeleton-row - One placeholder row.
 * @csspart error - A load failure, with a retry.
 * @csspart retry - A retry button.
 * @csspart needs-admin - Shown to a user without the admin role.
 * @csspart signed-out - Shown once the user is signed out.
 * @csspart status-message - The (visually hidden) live status.
 * @cssprop --ig-color-border - Table borders.
 * @cssprop --ig-color-danger - Errors and destructive buttons.
 * @cssprop --ig-color-success - The "approved" badge.
 * @cssprop --ig-color-accent - The "pending" badge and the edge of the encrypted-content banner.
 * @cssprop --ig-color-text-muted - Emails, counts and times.
 */
export class IgAdminUsers extends LitElement {
  static override styles = styles
  static override properties = { baseUrl: { attribute: "base-url" } }

  /** The server's origin, when the element is used without `<ig-app>`. */
  declare baseUrl: string

  readonly #connection = new ClientController(this)
  readonly #users = new AdminUsersController(this, () => this.#connection.client)
  #shownConfirming: { readonly id: string; readonly action: UserAction } | undefined

  constructor() {
    super()
    this.baseUrl = ""
  }

  /** Load the first page again (the rows shown stay until the answer). */
  refresh(): void {
    this.#users.refresh()
  }

  override updated(): void {
    // A confirmation takes focus when it opens and gives it back to its row when it closes.
    const confirming = this.#users.confirming
    const previous = this.#shownConfirming
    this.#shownConfirming = confirming
    if (confirming === previous) return
    if (confirming !== undefined) {
      this.renderRoot.querySelector<HTMLElement>('[part~="confirm-button"]')?.focus()
      return
    }
    if (previous === undefined) return
    const root = this.renderRoot
    const origin =
      root.querySelector<HTMLElement>(`[data-user="${previous.id}"][data-action="${previous.action}"]`) ??
      root.querySelector<HTMLElement>(`[data-user="${previous.id}"]`) ??
      root.querySelector<HTMLElement>('[part~="heading"]')
    origin?.focus()
  }

  readonly #loadMore = async () => {
    await this.#users.loadMore()
    await this.updateComplete
    // The last page is in: the button went away, focus goes to the count rather than the page.
    if (this.renderRoot.querySelector('[part~="load-more"]') === null) {
      this.renderRoot.querySelector<HTMLElement>('[part~="count"]')?.focus()
    }
  }

  #choose(user: AdminApi.AdminUser, action: UserAction): void {
    const users = this.#users
    if (users.busy.has(user.id)) return
    if (confirmedActions.has(action)) users.confirm({ id: user.id, action })
    else void users.act(user.id, action)
  }

  #actions(user: AdminApi.AdminUser) {
    const users = this.#users
    const confirming = users.confirming
    if (confirming?.id === user.id) {
      const text = question(user, confirming.action, user.id === users.currentUserId)
      return html`<div
        part="confirm"
        role="group"
        aria-label=${text}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === "Escape") {
            event.stopPropagation()
            users.confirm(undefined)
          }
        }}
      >
        <span part="confirm-text">${text}</span>
        <button
          part="confirm-button"
          type="button"
          data-variant="danger"
          @click=${() => void users.act(user.id, confirming.action)}
        >
          ${actionLabel(user, confirming.action)}
        </button>
        <button part="cancel-button" type="button" @click=${() => users.confirm(undefined)}>Cancel</button>
      </div>`
    }
    const busy = users.busy.get(user.id)
    const error = users.errors.get(user.id)
    return html`<div part="actions">
      ${actionsFor(user).map(
        (action) => html`<button
          part=${actionParts[action]}
          type="button"
          data-user=${user.id}
          data-action=${action}
          data-variant=${ifDefined(action === "approve" ? undefined : "danger")}
          aria-disabled=${busy === undefined ? "false" : "true"}
          aria-describedby=${ifDefined(error?.action === action ? `error-${user.id}` : undefined)}
          @click=${() => this.#choose(user, action)}
        >
          ${busy === action ? busyLabel[action] : actionLabel(user, action)}<span class="visually-hidden">
            — ${user.displayName}</span
          >
        </button>`,
      )}
    </div>`
  }

  #row(user: AdminApi.AdminUser) {
    const users = this.#users
    const error = users.errors.get(user.id)
    const note = users.notes.get(user.id)
    return html`<tr part="row" data-status=${user.status} aria-busy=${users.busy.has(user.id) ? "true" : "false"}>
        <td part="cell">
          <span part="name">${user.displayName}</span>
          ${user.id === users.currentUserId ? html`<span part="you">You</span>` : nothing}
          <span part="email">${user.email}</span>
        </td>
        <td part="cell"><span part="status" data-status=${user.status}>${filterLabels[user.status]}</span></td>
        <td part="cell">
          <ul part="roles">
            ${user.roles.map((role) => html`<li part="role">${role}</li>`)}
          </ul>
        </td>
        <td part="cell">${user.lastSeenAt === null ? html`<span part="never">Never</span>` : when(user.lastSeenAt)}</td>
        <td part="cell"><span part="sessions">${user.activeSessions}</span></td>
        <td part="cell">${this.#actions(user)}</td>
      </tr>
      ${
        error === undefined
          ? nothing
          : html`<tr part="row-error-row">
            <td part="row-error" colspan=${columns.length} id=${`error-${user.id}`} role="alert" data-error=${error.tag}>
              Could not ${failedVerb[error.action]} ${user.displayName}: ${error.message}
            </td>
          </tr>`
      }
      ${
        note === undefined
          ? nothing
          : html`<tr part="row-note-row">
            <td part="row-note" colspan=${columns.length} data-note=${note.kind}>${note.message}</td>
          </tr>`
      }`
  }

  #ready(view: Extract<AdminUsersController["view"], { _tag: "Ready" }>) {
    const users = this.#users
    const filter = users.filter
    return html`
      ${
        view.refreshError === undefined
          ? nothing
          : html`<div part="error" role="alert">
            The list could not be refreshed: ${view.refreshError}
            <button part="retry" type="button" @click=${() => users.refresh()}>Try again</button>
          </div>`
      }
      ${
        view.users.length === 0
          ? html`<p part="empty">
            ${filter === "all" ? "There are no users yet." : `No ${filterLabels[filter].toLowerCase()} users.`}
          </p>`
          : html`<div part="table-wrap">
            <table part="table" aria-labelledby="heading">
              <thead part="head">
                <tr part="head-row">
                  ${columns.map(
                    (column) =>
                      html`<th part="column" scope="col">
                        ${column === "Actions" ? html`<span class="visually-hidden">${column}</span>` : column}
                      </th>`,
                  )}
                </tr>
              </thead>
              <tbody part="body">
                ${view.users.map((user) => this.#row(user))}
              </tbody>
            </table>
          </div>`
      }
      <div part="footer">
        <span part="count" tabindex="-1">${view.users.length} ${view.users.length === 1 ? "user" : "users"} shown</span>
        ${
          view.hasMore
            ? html`<button
              part="load-more"
              type="button"
              aria-disabled=${view.loadingMore ? "true" : "false"}
              @click=${this.#loadMore}
            >
              ${view.loadingMore ? "Loading…" : "Load more"}
            </button>`
            : nothing
        }
        ${
          view.moreError === undefined
            ? nothing
            : html`<p part="more-error" class="form-error" role="alert">
              More users could not be loaded: ${view.moreError}
            </p>`
        }
      </div>
      <p part="status-message" class="visually-hidden" role="status">${users.announcement}</p>
    `
  }

  #body() {
    const users = this.#users
    const view = users.view
    switch (view._tag) {
      case "Loading":
        return html`<div part="skeleton" aria-hidden="true">
            ${Array.from({ length: skeletonRows }, () => html`<div part="skeleton-row"></div>`)}
          </div>
          <p part="status-message" class="visually-hidden" role="status">Loading users…</p>`
      case "SignedOut":
        return html`<p part="signed-out">You are signed out. Sign in as an administrator to manage users.</p>`
      case "NeedsAdmin":
        return html`<div part="needs-admin" role="alert">
          <strong>You need the admin role</strong> to manage users. Ask an administrator of this instance if you
          should have it.
        </div>`
      case "Failed":
        return html`<div part="error" role="alert">
          The users could not be loaded: ${view.message}
          <button part="retry" type="button" @click=${() => users.refresh()}>Try again</button>
        </div>`
      case "Ready":
        return this.#ready(view)
    }
  }

  #filter() {
    const users = this.#users
    return html`<fieldset part="filter">
      <legend part="filter-legend">Show</legend>
      ${statusFilters.map(
        (filter) => html`<label part="filter-option">
          <input
            type="radio"
            name="status"
            value=${filter}
            .checked=${users.filter === filter}
            @change=${() => users.setFilter(filter)}
          />
          ${filterLabels[filter]}
        </label>`,
      )}
    </fieldset>`
  }

  override render() {
    const view = this.#users.view
    const busy = view._tag === "Loading" || (view._tag === "Ready" && view.refreshing)
    const showFilter = view._tag === "Ready" || view._tag === "Loading" || view._tag === "Failed"
    return html`<section part="section" aria-labelledby="heading" aria-busy=${busy ? "true" : "false"}>
      <div part="toolbar">
        <h2 part="heading" id="heading" tabindex="-1"><slot name="heading">Users</slot></h2>
        ${showFilter ? this.#filter() : nothing}
      </div>
      ${
        showFilter
          ? html`<div part="encrypted-banner" role="note">
            <strong part="encrypted-banner-title">Content encrypted; not accessible.</strong>
            Users' private content is end-to-end encrypted with keys that only their own devices hold, so
            administrators can neither read it nor recover it.
          </div>`
          : nothing
      }
      ${this.#body()}
    </section>`
  }
}
