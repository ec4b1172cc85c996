import "@ignition/ui-components/app"
import "@ignition/ui-components/recovery-codes"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, shadowOf } from "./support/dom.js"
import { session } from "./support/fixtures.js"
import { delayed, mockServer, networkFailure, ok, origin, pending } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { lockedElsewhere, storyVault, type VaultServerOptions, vaultServer } from "./support/storyVault.js"

/** As the settings page shows it: inside `<ig-app>`, signed in as Ada, with a vault (see support/storyVault.ts). */
const inApp = () =>
  html`<ig-app base-url=${origin}>${storyVault(html`<ig-recovery-codes></ig-recovery-codes>`)}</ig-app>`

/** The signed-in session and a vault with state. */
const server = (options: VaultServerOptions = {}) =>
  mockServer(() => ({ ...vaultServer(options)(), "GET /api/auth/session": ok(session) }))

/** Waits until the element's text matches `text`. */
const shows = async (canvasElement: HTMLElement, text: RegExp) => {
  const root = await shadowOf(canvasElement, "ig-recovery-codes")
  await waitFor(() => expect(root.textContent ?? "").toMatch(text), { timeout: 5000 })
  return root
}

/** "Regenerate codes", then the confirmation's button. */
const regenerate = async (canvasElement: HTMLElement) => {
  const root = await shows(canvasElement, /codes still work/)
  await waitFor(() => expect(root.querySelector('[part~="regenerate"]')).toHaveAttribute("aria-disabled", "false"))
  await userEvent.click(await button(root, "regenerate"))
  await userEvent.click(await button(root, "confirm-button"))
  return root
}

/**
 * The user's vault recovery codes (`GET /api/vault/recovery-codes`): when
 * each was made and used and whether it still works — never the codes,
 * which the server does not have. Revoke one (it asks first), or regenerate
 * the set (asks first; needs the vault unlocked on this device): the new ten
 * are shown once, with "Copy all" and "Download". The vault here is a
 * story-only stand-in without the cryptography (`<story-vault>`); the fake
 * server remembers the changes while the story is shown.
 */
const meta = {
  title: "Elements/ig-recovery-codes",
  component: "ig-recovery-codes",
  render: inApp,
  beforeEach: server(),
  parameters: { actions: { handles: ["ig-signed-out"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** Eight codes left of ten: one was used, one revoked. Revoke another, or regenerate the set. */
export const Overview: Story = {}

/** Regenerating: the new ten codes, shown once, with the note that they will not be shown again. */
export const Regenerated: Story = {
  name: "Regenerate: new codes shown once",
  play: async ({ canvasElement }) => {
    const root = await regenerate(canvasElement)
    await waitFor(() => expect(root.querySelectorAll('[part~="codes"] li')).toHaveLength(10), { timeout: 5000 })
    await expect(root.querySelector('[part~="once-note"]')).toHaveTextContent(/will not be shown again/)
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="new-codes-heading"]')))
    await shows(canvasElement, /10 codes still work/)
  },
}

/** Before the first answer: placeholder rows, and a live "Loading your recovery codes…". */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/vault/recovery-codes": pending() }),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-recovery-codes")
    await expect(await find(root, '[part~="skeleton"]', HTMLElement)).toBeVisible()
  },
}

/** Making the new codes, waiting for the server: the button says so and the section is busy. */
export const Regenerating: Story = {
  name: "Loading: making new codes",
  beforeEach: mockServer({ "POST /api/vault/recovery-codes/generate": pending() }),
  play: async ({ canvasElement }) => {
    await regenerate(canvasElement)
    await shows(canvasElement, /Making new codes…/)
  },
}

/** No codes yet: an explanation and "Make recovery codes". */
export const Empty: Story = {
  beforeEach: server({ codes: "none" }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /no recovery codes yet/)
  },
}

/** Two codes left: the list suggests a new set. */
export const RunningLow: Story = {
  name: "Empty: running low",
  beforeEach: server({ codes: "few" }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /running low/)
  },
}

/** The vault is locked on this device: the codes are listed, but new ones need it unlocked. */
export const Locked: Story = {
  name: "Vault locked",
  beforeEach: server({ vault: "locked" }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /Unlock your vault to make new codes/)
    await expect(root.querySelector('[part~="regenerate"]')).toHaveAttribute("aria-disabled", "true")
  },
}

/** The user has no vault: nothing to list. */
export const NoVault: Story = {
  name: "Empty: no vault",
  beforeEach: server({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /no vault yet/)
  },
}

/** The list cannot be loaded (network): the error offers "Try again". */
export const LoadFailed: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "GET /api/vault/recovery-codes": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /could not be loaded/)
    await expect(await button(root, "retry")).toBeVisible()
  },
}

/** The server answers 423 (the vault was locked on another device meanwhile): no codes were made, and the element says why. */
export const LockedElsewhere: Story = {
  name: "Error: vault locked elsewhere (423)",
  beforeEach: mockServer({ "POST /api/vault/recovery-codes/generate": delayed(300, lockedElsewhere()) }),
  play: async ({ canvasElement }) => {
    await regenerate(canvasElement)
    await shows(canvasElement, /No new codes were made/)
  },
}

/** Revoking fails (network): the error shows under the code. */
export const RevokeFailed: Story = {
  name: "Error: revoke failed",
  beforeEach: mockServer({ "POST /api/vault/recovery-codes/:id/revoke": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /codes still work/)
    await userEvent.click(await button(root, "revoke"))
    await userEvent.click(await button(root, "confirm-button"))
    await waitFor(() => expect(root.querySelector('[part~="row-error"]')).toHaveTextContent(/could not be reached/))
  },
}

export const Accessibility: Story = {
  render: () =>
    withNotes(inApp(), [
      "A section labelled by its heading; heading-level sets the heading's level (3 inside <ig-vault-settings>), and the new codes' heading is one level below.",
      "The working codes are a list; each Revoke button names its code for screen readers (visually hidden — code 3). Used and revoked codes sit in a native details disclosure.",
      "Revoking and regenerating ask first: the confirmation is a group labelled by its question, takes focus on its confirm button, Escape cancels, and focus returns to the button that opened it.",
      "When the vault is locked, Regenerate stays focusable but aria-disabled, and aria-describedby points at the sentence saying why.",
      "The new codes are a region labelled by their heading, which takes focus when they appear; an ordered list in a monospace face; Copy all says on its own label whether copying worked.",
      "A visually hidden role=status says what changed (New recovery codes made…, Recovery code revoked.); load and action errors are role=alert.",
    ]),
}
