import "@ignition/ui-components/account-sessions"
import "@ignition/ui-components/app"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { find, shadowOf } from "./support/dom.js"
import { deviceSessions, session } from "./support/fixtures.js"
import {
  delayed,
  internalError,
  mockServer,
  networkFailure,
  noContent,
  ok,
  origin,
  pending,
  type Routes,
  unauthorized,
} from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"

/** The three devices of the fixtures; a revoked one is gone from the next answer. */
const devicesServer = (): Routes => {
  let sessions: ReadonlyArray<(typeof deviceSessions)[number]> = deviceSessions
  return {
    "GET /api/auth/sessions": () => ok(sessions, { delay: 500 }),
    "DELETE /api/auth/sessions/:id": ({ params }) => {
      sessions = sessions.filter((device) => device.id !== params.id)
      return noContent({ delay: 500 })
    },
    "POST /api/auth/logout-all": noContent({ delay: 500 }),
  }
}

/** The second device's (the iPhone's) Sign out, then the confirmation's. */
const revokeSecond = async (canvasElement: HTMLElement) => {
  const root = await shadowOf(canvasElement, "ig-account-sessions")
  const buttons = await waitFor(() => {
    const found = root.querySelectorAll('[part~="revoke"]')
    if (found.length < 2) throw new Error("The devices have not loaded yet.")
    return found
  })
  const second = buttons[1]
  if (!(second instanceof HTMLButtonElement)) throw new Error("No second device.")
  await userEvent.click(second)
  await userEvent.click(await find(root, '[part~="confirm-button"]', HTMLButtonElement))
  return root
}

/** Waits until the element's text includes `text`. */
const shows = async (canvasElement: HTMLElement, text: RegExp) => {
  const root = await shadowOf(canvasElement, "ig-account-sessions")
  await waitFor(() => expect(root.textContent ?? "").toMatch(text))
  return root
}

/**
 * The devices signed in to the user's account (`GET /api/auth/sessions`):
 * browser and system, when each signed in and was last seen, "This device"
 * for the current one. Each can be signed out after a confirmation
 * (`DELETE /api/auth/sessions/:id`), or all at once
 * (`POST /api/auth/logout-all`); signing out this device, or a 401, fires
 * `ig-signed-out`.
 */
const meta = {
  title: "Elements/ig-account-sessions",
  component: "ig-account-sessions",
  render: () => html`<ig-account-sessions base-url=${origin}></ig-account-sessions>`,
  beforeEach: mockServer(devicesServer),
  parameters: { actions: { handles: ["ig-signed-out"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** Three devices; sign one out (it asks first), or all of them. */
export const Overview: Story = {}

/** Inside `<ig-app>`: the list waits for the session, and follows it. */
export const InApp: Story = {
  name: "Inside <ig-app>",
  render: () => html`<ig-app base-url=${origin}><ig-account-sessions></ig-account-sessions></ig-app>`,
  beforeEach: mockServer({ "GET /api/auth/session": ok(session) }),
}

/** Before the first answer: placeholder rows (hidden from assistive technology) and a live "Loading" status. */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/auth/sessions": pending() }),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-account-sessions")
    await expect(await find(root, '[part~="skeleton"]', HTMLElement)).toHaveAttribute("aria-hidden", "true")
  },
}

/** Signing a device out, waiting for the server: its button says "Signing out…". */
export const Revoking: Story = {
  name: "Loading: signing a device out",
  beforeEach: mockServer({ "DELETE /api/auth/sessions/:id": pending() }),
  play: async ({ canvasElement }) => {
    await revokeSecond(canvasElement)
    await shows(canvasElement, /Signing out…/)
  },
}

/** No session at all (only possible for a list fetched just as the last one ended). */
export const Empty: Story = {
  beforeEach: mockServer({ "GET /api/auth/sessions": ok([]) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /No device is signed in/)
  },
}

/** The list cannot be loaded (network): the error offers "Try again". */
export const LoadFailed: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "GET /api/auth/sessions": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /could not be loaded/)
    await expect(await find(root, '[part~="retry"]', HTMLButtonElement)).toBeVisible()
  },
}

/** A 401 on load: the session had ended elsewhere; `ig-signed-out` ("expired") and a signed-out notice. */
export const Expired: Story = {
  name: "Error: session expired (401)",
  beforeEach: mockServer({ "GET /api/auth/sessions": delayed(300, unauthorized()) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /You are signed out/)
  },
}

/** Signing a device out fails (500): the error shows under that device, which stays. */
export const RevokeFailed: Story = {
  name: "Error: sign-out refused (500)",
  beforeEach: mockServer({ "DELETE /api/auth/sessions/:id": delayed(300, internalError()) }),
  play: async ({ canvasElement }) => {
    const root = await revokeSecond(canvasElement)
    await waitFor(() => expect(root.querySelector('[part~="row-error"]')).toHaveTextContent(/went wrong/))
  },
}

export const Accessibility: Story = {
  render: () =>
    withNotes(html`<ig-account-sessions base-url=${origin}></ig-account-sessions>`, [
      "A section labelled by its h2 (replaceable through the heading slot), with aria-busy while loading or refreshing; the devices are a list.",
      "Each Sign out button names its device for screen readers (visually hidden text: Sign out Chrome on Linux), so a list of identical buttons is still distinguishable.",
      "Signing out asks first: the confirmation is a group labelled by its question; it takes focus on its confirm button, Escape cancels, and focus returns to the device's button (or the heading when it is gone).",
      "While a sign-out is under way the button is aria-disabled (still focusable) and says Signing out…; a failure is role=alert under the device and linked by aria-describedby.",
      "Times are <time> elements with the exact date as title; relative text (3 hours ago) is what is read.",
      "The placeholder rows while loading are aria-hidden; a visually hidden role=status says Loading your devices… and, afterwards, what changed (Signed out Safari on iOS.).",
    ]),
}
