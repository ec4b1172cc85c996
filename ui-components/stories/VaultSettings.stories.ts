import "@ignition/ui-components/app"
import "@ignition/ui-components/vault-settings"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, input, shadowOf } from "./support/dom.js"
import { session } from "./support/fixtures.js"
import { delayed, internalError, mockServer, networkFailure, ok, origin, pending } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { type PasskeyOutcome, storyVault, type VaultServerOptions, vaultServer } from "./support/storyVault.js"

interface Args {
  readonly mustSetPassphrase: boolean
  readonly passkey: PasskeyOutcome
}

/** As the settings page shows it: inside `<ig-app>`, signed in as Ada, with a vault (see support/storyVault.ts). */
const inApp = (args: Args) =>
  html`<ig-app base-url=${origin}
    >${storyVault(html`<ig-vault-settings></ig-vault-settings>`, {
      mustSetPassphrase: args.mustSetPassphrase,
      passkey: args.passkey,
    })}</ig-app
  >`

/** The signed-in session and a vault with state. */
const server = (options: VaultServerOptions = {}) =>
  mockServer(() => ({ ...vaultServer(options)(), "GET /api/auth/session": ok(session) }))

/** Waits until the element's text matches `text`. */
const shows = async (canvasElement: HTMLElement, text: RegExp) => {
  const root = await shadowOf(canvasElement, "ig-vault-settings")
  await waitFor(() => expect(root.textContent ?? "").toMatch(text), { timeout: 5000 })
  return root
}

/** Types a new passphrase (and its confirmation) and submits. */
const changePassphrase = async (canvasElement: HTMLElement, passphrase: string, confirmation = passphrase) => {
  const root = await shows(canvasElement, /Change passphrase/)
  await userEvent.type(await input(root, "passphrase"), passphrase)
  await userEvent.type(await input(root, "confirmation"), confirmation)
  await userEvent.click(await button(root, "submit"))
  return root
}

const strongPassphrase = "tangerine lantern gravel orbit quietly"

/**
 * The vault panel of the settings page: the lock state and "Lock now", the
 * crypto policy the vault's passphrase wrap was made under next to the
 * instance's current one (`GET /api/crypto-policy`), the ways to unlock it,
 * changing the passphrase, adding a passkey that unlocks it, and the
 * recovery codes (`<ig-recovery-codes>`). The vault here is a story-only
 * stand-in without the cryptography (`<story-vault>`: random bytes in the
 * wraps, a simulated passkey dialog); the fake server remembers the changes
 * while the story is shown.
 */
const meta = {
  title: "Elements/ig-vault-settings",
  component: "ig-vault-settings",
  args: { mustSetPassphrase: false, passkey: "created" },
  argTypes: {
    mustSetPassphrase: { control: "boolean", description: "Unlocked with a recovery code (story vault)" },
    passkey: {
      control: "inline-radio",
      options: ["created", "cancelled", "unsupported"],
      description: "How the simulated passkey dialog ends (story vault)",
    },
  },
  render: inApp,
  beforeEach: server(),
  parameters: { actions: { handles: ["ig-signed-out"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Unlocked, under the current policy (v2), one passkey and eight recovery codes. */
export const Overview: Story = {}

/** The server published a stronger policy (v3): the note says the wrap is re-made at the next unlock. */
export const PolicyUpgrade: Story = {
  name: "Policy upgrade due",
  beforeEach: server({ currentPolicy: 3, passphrasePolicy: 2 }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /older policy \(v2\)/)
    await expect(root.querySelector('[part~="policy-upgrade"]')).toHaveTextContent(/Argon2id|re-made under v3/)
  },
}

/** A vault from the seed's days (PBKDF2, policy v1). */
export const LegacyPolicy: Story = {
  name: "Policy upgrade due: PBKDF2 (v1)",
  beforeEach: server({ passphrasePolicy: 1 }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /PBKDF2-SHA256 · 100,000 iterations/)
  },
}

/** "Lock now": the vault locks here and on the server (so the user's other devices lock at their next poll). */
export const LockNow: Story = {
  name: "Lock now",
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /Unlocked on this device/)
    await userEvent.click(await button(root, "lock"))
    await shows(canvasElement, /Locked\./)
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="state"]')))
  },
}

/** Changing the passphrase: judged in the browser, typed twice; the new wrap replaces the old one. */
export const ChangePassphrase: Story = {
  name: "Change passphrase",
  play: async ({ canvasElement }) => {
    await changePassphrase(canvasElement, strongPassphrase)
    await shows(canvasElement, /Your passphrase was changed/)
  },
}

/** Locked: the panel says what unlocking would allow (unlocking itself is `<ig-vault-lock-banner>`'s). */
export const Locked: Story = {
  name: "Vault locked",
  beforeEach: server({ vault: "locked", lockReason: "idle" }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /after a while without activity/)
  },
}

/** Locked by an administrator (a force-lock). */
export const LockedByAdmin: Story = {
  name: "Vault locked by an administrator",
  beforeEach: server({ vault: "locked", lockReason: "admin" }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /An administrator locked it/)
  },
}

/** After unlocking with a recovery code: a new passphrase comes first. */
export const MustSetPassphrase: Story = {
  name: "After a recovery code: new passphrase first",
  args: { mustSetPassphrase: true },
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /Choose a new passphrase before\s+anything else/)
  },
}

/** Before the vault is known: placeholder rows and a live "Loading your vault…". */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/vault": pending() }),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-vault-settings")
    await expect(await find(root, '[part~="skeleton"]', HTMLElement)).toBeVisible()
  },
}

/** Changing the passphrase, waiting for the server. */
export const Changing: Story = {
  name: "Loading: changing the passphrase",
  beforeEach: mockServer({ "POST /api/vault/wraps": pending() }),
  play: async ({ canvasElement }) => {
    await changePassphrase(canvasElement, strongPassphrase)
    await shows(canvasElement, /Changing the passphrase…/)
  },
}

/** No vault yet: the panel says so. */
export const Empty: Story = {
  name: "Empty: no vault",
  beforeEach: server({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /not set up a vault yet/)
  },
}

/** The two passphrases differ: the error sits under the confirmation, nothing is sent. */
export const Mismatch: Story = {
  name: "Error: passphrases differ",
  play: async ({ canvasElement }) => {
    const root = await changePassphrase(canvasElement, strongPassphrase, `${strongPassphrase}!`)
    await waitFor(() => expect(root.querySelector('[part~="field-error"]')).toHaveTextContent(/differ/))
  },
}

/** Too short: refused here, before anything is derived. */
export const TooShort: Story = {
  name: "Error: passphrase too short",
  play: async ({ canvasElement }) => {
    const root = await changePassphrase(canvasElement, "short")
    await waitFor(() => expect(root.querySelector('[part~="field-error"]')).toHaveTextContent(/at least 12/))
  },
}

/** The passkey dialog was cancelled: nothing was added. */
export const PasskeyCancelled: Story = {
  name: "Error: passkey cancelled",
  args: { passkey: "cancelled" },
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /Add a passkey for unlocking/)
    await userEvent.click(await button(root, "add-passkey"))
    await shows(canvasElement, /No passkey was added: The passkey request was cancelled/)
  },
}

/** The vault cannot be loaded (network): the error offers "Try again". */
export const LoadFailed: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "GET /api/vault": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /could not be loaded/)
    await expect(await button(root, "retry")).toBeVisible()
  },
}

/** The crypto policy cannot be loaded (500): only that part of the panel says so. */
export const PolicyFailed: Story = {
  name: "Error: policy not loaded (500)",
  beforeEach: mockServer({ "GET /api/crypto-policy": delayed(300, internalError()) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /crypto policy could not be loaded/)
  },
}

/** Without `<ig-app>` there is no vault to show. */
export const Standalone: Story = {
  render: () => html`<ig-vault-settings base-url=${origin}></ig-vault-settings>`,
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /not available here/)
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(inApp(args), [
      "A section labelled by its h2; each part (lock state, protection, ways to unlock, passphrase, passkey) is a section labelled by its h3, and the recovery codes follow with their own h3.",
      "Lock now moves focus to the new lock state (Locked.) once the button goes away.",
      "The passphrase fields have visible labels that wrap them; the strength meter is a native meter with aria-label, its advice in an aria-live=polite region. An error goes under its field (role=alert, aria-invalid, aria-describedby) and takes focus; success is a role=status line that takes focus.",
      "Add a passkey stays focusable but aria-disabled while the dialog is open or a new passphrase must come first; it is described by the note on which passkeys work, and by its error when there is one.",
      "The policy upgrade is a role=note; after a recovery code, the demand for a new passphrase is role=alert and comes first, with the passphrase form right after it.",
    ]),
}
