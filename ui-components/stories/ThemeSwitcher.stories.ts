import "@ignition/ui-components/app"
import "@ignition/ui-components/theme-switcher"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { find, shadowOf } from "./support/dom.js"
import { session, settingsWith } from "./support/fixtures.js"
import {
  delayed,
  mockServer,
  networkFailure,
  ok,
  origin,
  pending,
  type Routes,
  unauthorized,
} from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"

/** The theme a `PUT /api/settings` body sets. */
const themeIn = (body: unknown): "dark" | "light" | "system" => {
  if (typeof body === "object" && body !== null && "theme" in body) {
    const { theme } = body
    if (theme === "dark" || theme === "light" || theme === "system") return theme
  }
  return "system"
}

/** Signed in, with "dark" saved in the account's settings; saving a choice works. */
const signedIn: Routes = {
  "GET /api/auth/session": ok(session),
  "GET /api/settings": delayed(600, ok(settingsWith("dark"))),
  "PUT /api/settings": ({ body }) => ok(settingsWith(themeIn(body), 4), { delay: 400 }),
}

/** The switcher inside `<ig-app>`, as in the application: it saves to the account when signed in. */
const inApp = html`<ig-app base-url=${origin}><ig-theme-switcher></ig-theme-switcher></ig-app>`

/** The choice this device remembers (localStorage `ig-theme`): cleared so each story starts from "System". */
const forgetChoice = () => {
  localStorage.removeItem("ig-theme")
  return () => localStorage.removeItem("ig-theme")
}

const choose = async (canvasElement: HTMLElement, theme: "dark" | "light" | "system") => {
  const root = await shadowOf(canvasElement, "ig-theme-switcher")
  await userEvent.click(await find(root, `input[value="${theme}"]`, HTMLInputElement))
  return root
}

/**
 * System, light or dark: applied at once on <html> (`data-ig-theme`),
 * remembered on this device, and — when signed in — saved to the account
 * (`PUT /api/settings`) and adopted from it when a session starts. It
 * changes the whole preview, like the toolbar's Theme switch; the toolbar
 * applies its own value again when you switch story.
 */
const meta = {
  title: "Elements/ig-theme-switcher",
  component: "ig-theme-switcher",
  render: () => html`<ig-theme-switcher base-url=${origin}></ig-theme-switcher>`,
  beforeEach: [forgetChoice, mockServer({})],
  parameters: { actions: { handles: ["ig-theme-change"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** On its own, signed out: a choice applies here and is remembered on this device only (no request). */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    await choose(canvasElement, "dark")
    await expect(document.documentElement.dataset.igTheme).toBe("dark")
  },
}

/** Signed in: the account's saved theme ("dark") is adopted when the settings arrive; a new choice is saved. */
export const SignedIn: Story = {
  name: "Signed in: adopts and saves",
  render: () => inApp,
  beforeEach: mockServer(signedIn),
}

/** The account's settings have not arrived: the device's own choice shows meanwhile. */
export const Loading: Story = {
  name: "Loading: account settings",
  render: () => inApp,
  beforeEach: mockServer({ ...signedIn, "GET /api/settings": pending() }),
}

/** The save is refused (401: the session ended elsewhere): the choice still applies here, and says so. */
export const SaveRefused: Story = {
  name: "Error: save refused (401)",
  render: () => inApp,
  beforeEach: mockServer({ ...signedIn, "PUT /api/settings": unauthorized() }),
  play: async ({ canvasElement }) => {
    const root = await choose(canvasElement, "light")
    await waitFor(() => expect(root.querySelector('[part="error"]')).toHaveTextContent(/could not be saved/))
    await expect(document.documentElement.dataset.igTheme).toBe("light")
  },
}

/** The save cannot reach the server. */
export const NetworkFailure: Story = {
  name: "Error: network failure on save",
  render: () => inApp,
  beforeEach: mockServer({ ...signedIn, "PUT /api/settings": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await choose(canvasElement, "light")
    await waitFor(() => expect(root.querySelector('[part="error"]')).toHaveTextContent(/could not be saved/))
  },
}

export const Accessibility: Story = {
  render: () =>
    withNotes(html`<ig-theme-switcher base-url=${origin}></ig-theme-switcher>`, [
      "Native radio buttons in a fieldset with the legend Theme: one Tab stop, arrow keys move between the choices, and screen readers announce the group and the checked choice.",
      "Each choice is a label wrapping its radio, so the whole label is the click target.",
      "A choice applies at once (no Apply button); an error saving it is role=alert and says the choice still applies on this device.",
      "The System choice follows prefers-color-scheme; theme.css sets color-scheme, so native controls and scrollbars match.",
      "Check both themes' contrast with the toolbar's Theme switch and the a11y panel (axe runs on the current theme).",
    ]),
}
