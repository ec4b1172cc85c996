import "@ignition/ui-components/admin-users"
import "@ignition/ui-components/app"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { find, shadowOf } from "./support/dom.js"
import { type AdminUserJson, admin, adminSession, adminUsers, session, userPage } from "./support/fixtures.js"
import {
  conflict,
  delayed,
  forbidden,
  type MockRequest,
  mockServer,
  networkFailure,
  noContent,
  notFound,
  ok,
  origin,
  pending,
  type Routes,
  unauthorized,
} from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { vaultNotFound } from "./support/storyVault.js"

/** Users per page in these stories: small, so "Load more" shows. */
const pageSize = 3

/** Users who have set up a vault (the others have not: force-locking theirs answers 404 `VaultNotFound`). */
const withVault = new Set(adminUsers.filter((user) => user.status === "approved").map((user) => user.id))

/**
 * A user directory with state: the list filtered by `status`, paged by
 * `cursor` (an offset here), and the actions changing the users they act on.
 */
const directory = (initial: ReadonlyArray<AdminUserJson> = adminUsers): Routes => {
  let users = initial
  const update = (request: MockRequest, change: (user: AdminUserJson) => AdminUserJson) => {
    const target = users.find((user) => user.id === request.params.id)
    if (target === undefined) return undefined
    const updated = change(target)
    users = users.map((user) => (user.id === updated.id ? updated : user))
    return updated
  }
  const answer = (request: MockRequest, change: (user: AdminUserJson) => AdminUserJson) => {
    const updated = update(request, change)
    return updated === undefined ? notFound("No such user.") : ok(updated, { delay: 500 })
  }
  return {
    "GET /api/admin/users": ({ url }) => {
      const status = url.searchParams.get("status")
      const offset = Number(url.searchParams.get("cursor") ?? "0")
      const matching = users.filter((user) => status === null || user.status === status)
      const next = offset + pageSize < matching.length ? String(offset + pageSize) : null
      return ok(userPage(matching.slice(offset, offset + pageSize), next), { delay: 500 })
    },
    "POST /api/admin/users/:id/approve": (request) => answer(request, (user) => ({ ...user, status: "approved" })),
    "POST /api/admin/users/:id/suspend": (request) =>
      answer(request, (user) => ({ ...user, status: "suspended", activeSessions: 0 })),
    "PUT /api/admin/users/:id/role": (request) =>
      answer(request, (user) => {
        const body = request.body
        const roles =
          typeof body === "object" && body !== null && "roles" in body && Array.isArray(body.roles)
            ? body.roles.filter((role): role is string => typeof role === "string")
            : user.roles
        return { ...user, roles, activeSessions: 0 }
      }),
    "POST /api/admin/users/:id/logout": (request) => {
      update(request, (user) => ({ ...user, activeSessions: 0 }))
      return noContent({ delay: 500 })
    },
    "POST /api/admin/vault/:userId/force-lock": ({ params }) =>
      withVault.has(params.userId ?? "")
        ? ok({ locked: true, epoch: 7, reason: "admin", lockedAt: new Date().toISOString() }, { delay: 500 })
        : delayed(500, vaultNotFound("This user has no vault.")),
  }
}

/** As the application shows it: inside `<ig-app>`, signed in as an administrator (Grace, "You"). */
const inApp = () => html`<ig-app base-url=${origin}><ig-admin-users></ig-admin-users></ig-app>`

/** Waits until the element's text includes `text`. */
const shows = async (canvasElement: HTMLElement, text: RegExp) => {
  const root = await shadowOf(canvasElement, "ig-admin-users")
  await waitFor(() => expect(root.textContent ?? "").toMatch(text))
  return root
}

/** Clicks the action `part` in `name`'s row, then the confirmation's button when the action asks first. */
const act = async (canvasElement: HTMLElement, name: string, part: string, confirm: boolean) => {
  const root = await shows(canvasElement, new RegExp(name))
  const row = await waitFor(() => {
    const found = Array.from(root.querySelectorAll('[part~="row"]')).find((candidate) =>
      candidate.textContent?.includes(name),
    )
    if (found === undefined) throw new Error(`No row for ${name}.`)
    return found
  })
  const button = row.querySelector(`[part~="${part}"]`)
  if (!(button instanceof HTMLButtonElement)) throw new Error(`No ${part} button for ${name}.`)
  await userEvent.click(button)
  if (confirm) await userEvent.click(await find(root, '[part~="confirm-button"]', HTMLButtonElement))
  return root
}

/**
 * The administrators' user list (`GET /api/admin/users`): filter by status,
 * a page at a time, and per user approve, suspend, grant or remove the admin
 * role, sign out everywhere and force-lock their vault (all but approve ask
 * first). A refusal shows under its row; a user without the admin role sees
 * a notice instead. A banner states that users' content is end-to-end
 * encrypted: administrators can neither read nor recover it. The fake
 * directory here remembers the actions while the story is shown.
 */
const meta = {
  title: "Elements/ig-admin-users",
  component: "ig-admin-users",
  render: inApp,
  beforeEach: mockServer(() => ({ ...directory(), "GET /api/auth/session": ok(adminSession) })),
  parameters: { actions: { handles: ["ig-signed-out"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** Five users, three per page: filter them, approve Katherine, load the rest. */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /Content encrypted; not accessible/)
    await expect(root.querySelector('[part~="encrypted-banner"]')).toHaveAttribute("role", "note")
  },
}

/** Force-locking Alan's vault (asks first): it locks on every device; a note under the row says so. */
export const ForceLock: Story = {
  name: "Force-lock a vault",
  play: async ({ canvasElement }) => {
    const root = await act(canvasElement, "Alan Turing", "force-lock", true)
    await waitFor(() =>
      expect(root.querySelector('[part~="row-note"]')).toHaveTextContent(/Vault locked on every device/),
    )
  },
}

/** Katherine (pending) has no vault (404 `VaultNotFound`): a note under her row, not an error. */
export const NoVault: Story = {
  name: "Empty: no vault to lock",
  play: async ({ canvasElement }) => {
    const root = await act(canvasElement, "Katherine Johnson", "force-lock", true)
    await waitFor(() => expect(root.querySelector('[part~="row-note"]')).toHaveTextContent(/No vault/))
    await expect(root.querySelector('[part~="row-error"]')).toBeNull()
  },
}

/** On its own (`base-url`, no `<ig-app>`): the server decides whether the caller is an administrator. */
export const Standalone: Story = {
  name: "Standalone",
  render: () => html`<ig-admin-users base-url=${origin}></ig-admin-users>`,
}

/** Before the first page: placeholder rows and a live "Loading users…". */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/admin/users": pending() }),
}

/** Approving, waiting for the server: the button says "Approving…" and the row is aria-busy. */
export const Acting: Story = {
  name: "Loading: approving",
  beforeEach: mockServer({ "POST /api/admin/users/:id/approve": pending() }),
  play: async ({ canvasElement }) => {
    await act(canvasElement, "Katherine Johnson", "approve", false)
    await shows(canvasElement, /Approving…/)
  },
}

/** A fresh instance with nobody in it yet. */
export const Empty: Story = {
  beforeEach: mockServer(() => directory([])),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /There are no users yet/)
  },
}

/** Signed in without the admin role: a notice, and no request for the list. */
export const NeedsAdmin: Story = {
  name: "Error: not an administrator",
  beforeEach: mockServer({ "GET /api/auth/session": ok(session) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /You need the admin role/)
  },
}

/** Standalone, the server answers 403 `admin_required`: the same notice. */
export const Forbidden: Story = {
  name: "Error: admin role required (403)",
  render: () => html`<ig-admin-users base-url=${origin}></ig-admin-users>`,
  beforeEach: mockServer({
    "GET /api/admin/users": delayed(300, forbidden("admin_required", "This needs the admin role.")),
  }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /You need the admin role/)
  },
}

/** Removing the last administrator's role is refused (409 `Conflict`): the error shows under the row. */
export const LastAdmin: Story = {
  name: "Error: last administrator (409)",
  beforeEach: mockServer({
    "PUT /api/admin/users/:id/role": delayed(
      300,
      conflict("The last administrator cannot lose the admin role: make someone else an administrator first."),
    ),
  }),
  play: async ({ canvasElement }) => {
    // Grace is on the second page.
    const list = await shows(canvasElement, /Load more/)
    await userEvent.click(await find(list, '[part~="load-more"]', HTMLButtonElement))
    const root = await act(canvasElement, admin.displayName, "roles-toggle", true)
    await waitFor(() => expect(root.querySelector('[part~="row-error"]')).toHaveTextContent(/last administrator/))
  },
}

/** The list cannot be loaded (network): the error offers "Try again". */
export const LoadFailed: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "GET /api/admin/users": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /could not be loaded/)
    await expect(await find(root, '[part~="retry"]', HTMLButtonElement)).toBeVisible()
  },
}

/** A 401: the session had ended elsewhere; `ig-signed-out` ("expired") and a signed-out notice. */
export const Expired: Story = {
  name: "Error: session expired (401)",
  render: () => html`<ig-admin-users base-url=${origin}></ig-admin-users>`,
  beforeEach: mockServer({ "GET /api/admin/users": delayed(300, unauthorized()) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /You are signed out/)
  },
}

export const Accessibility: Story = {
  render: () =>
    withNotes(inApp(), [
      "The banner under the heading (Content encrypted; not accessible) is a role=note: read in the flow, not announced as an alert.",
      "A section labelled by its h2; the users are a real table (column headers with scope=col, the Actions header visually hidden but read), scrolled sideways inside its wrapper on narrow screens.",
      "The status filter is a fieldset of native radio buttons (legend Show): one Tab stop, arrow keys to choose.",
      "Each action button names its user for screen readers (visually hidden — Alan Turing), since every row has the same buttons.",
      "Suspending, changing roles, signing out and force-locking a vault ask first: the confirmation is a group labelled by its question, takes focus on its confirm button, Escape cancels, and focus returns to the button that opened it.",
      "While an action runs its button is aria-disabled (still focusable) and says what is happening (Approving…); the row is aria-busy. A refusal is a role=alert row under the user, linked to the button by aria-describedby.",
      "After the last page loads, focus moves to the count of users shown rather than to the page; a visually hidden role=status reports what changed (Katherine Johnson: approved.).",
    ]),
}
