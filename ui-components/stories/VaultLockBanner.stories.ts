import "@ignition/ui-components/app"
import "@ignition/ui-components/vault-lock-banner"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, input, shadowOf } from "./support/dom.js"
import { mockServer, networkFailure, origin, pending } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import {
  goldenPassphrase,
  lockElsewhere,
  recoveryCodes,
  shadowIn,
  showsIn,
  unlockHint,
  type VaultServerOptions,
  vaultServer,
} from "./support/vault.js"

interface Args {
  /** `vault-poll-seconds` on `<ig-app>`: how soon a lock elsewhere shows here. */
  readonly pollSeconds: number
}

/** Inside `<ig-app>`, signed in as the golden vault's owner, above some page content. */
const banner = (args: Args) =>
  html`<ig-app base-url=${origin} vault-poll-seconds=${args.pollSeconds}>
      <ig-vault-lock-banner></ig-vault-lock-banner>
    </ig-app>
    ${unlockHint()}`

const root = (canvasElement: HTMLElement) => shadowOf(canvasElement, "ig-vault-lock-banner")

const newPassphrase = "tangerine lantern gravel orbit quietly"

/** Waits until the banner's message matches `text`. */
const message = async (canvasElement: HTMLElement, text: RegExp) => {
  const shadow = await root(canvasElement)
  await waitFor(() => expect(shadow.querySelector('[part~="message"]')).toHaveTextContent(text), { timeout: 10_000 })
  return shadow
}

/** Opens the panel ("Unlock", "Set up vault") and returns the shadow root of what it holds. */
const open = async (canvasElement: HTMLElement, action: RegExp, tag: string) => {
  const shadow = await message(canvasElement, /./)
  const toggle = await button(shadow, "action")
  await waitFor(() => expect(toggle).toHaveTextContent(action), { timeout: 10_000 })
  await userEvent.click(toggle)
  await waitFor(() => expect(toggle).toHaveAttribute("aria-expanded", "true"))
  return shadowIn(shadow, tag)
}

/** Unlocks through the banner with the golden passphrase, and waits for "unlocked". */
const unlockHere = async (canvasElement: HTMLElement) => {
  const form = await open(canvasElement, /Unlock/, "ig-vault-unlock")
  await userEvent.type(await input(form, "secret"), goldenPassphrase)
  await userEvent.click(await button(form, "submit"))
  return message(canvasElement, /unlocked on this device/)
}

/** Waits until focus is on the banner's message (where it moves when the user's own action changed the state). */
const focusOnMessage = (shadow: ShadowRoot) =>
  waitFor(() => expect(shadow.activeElement).toBe(shadow.querySelector('[part~="message"]')), { timeout: 10_000 })

/**
 * The vault's state, always in view: locked (why, and "Unlock" opening
 * `<ig-vault-unlock>` right there), unlocked on this device (with "Lock
 * now"), or not set up (with "Set up vault" opening `<ig-vault-setup>`).
 * Nothing while the vault's state is unknown.
 *
 * It shows the vault `<ig-app>` provides, with the real cryptography: the
 * vault here is `@ignition/vault`'s golden vector (passphrase "correct
 * horse battery staple"; see support/vault.ts). A lock here is sent to the
 * server; a lock elsewhere is seen at the next poll (`vault-poll-seconds`).
 */
const meta = {
  title: "Elements/ig-vault-lock-banner",
  component: "ig-vault-lock-banner",
  args: { pollSeconds: 30 },
  argTypes: {
    pollSeconds: { control: { type: "number", min: 1 }, description: "`vault-poll-seconds` on `<ig-app>`" },
  },
  render: banner,
  beforeEach: vaultServer({ vault: "locked", reason: "idle" }),
  parameters: { actions: { handles: ["ig-vault-unlocked", "ig-vault-codes-shown", "ig-vault-ready"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Locked after a while without activity: the reason, and "Unlock" (try the passphrase under the banner). */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const shadow = await message(canvasElement, /Your vault is locked\. It locked after a while without activity\./)
    await expect(await button(shadow, "action")).toHaveAttribute("aria-expanded", "false")
  },
}

/**
 * Unlocked on this device (through the banner, with the passphrase):
 * "Lock now" locks it here and on the server — and says so. Each time,
 * focus moves to the banner's new message.
 */
export const Unlocked: Story = {
  name: "Unlocked: Lock now",
  play: async ({ canvasElement }) => {
    const shadow = await unlockHere(canvasElement)
    await focusOnMessage(shadow)
    const lockNow = await button(shadow, "action")
    await expect(lockNow).toHaveTextContent("Lock now")
    await userEvent.click(lockNow)
    await message(canvasElement, /Your vault is locked\. You locked it\./)
    await focusOnMessage(shadow)
  },
}

/** No vault yet: "Set up vault" opens `<ig-vault-setup>` in the banner. */
export const Absent: Story = {
  name: "Empty: no vault",
  beforeEach: vaultServer({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await message(canvasElement, /Your vault is not set up yet\./)
    const setup = await open(canvasElement, /Set up vault/, "ig-vault-setup")
    await showsIn(setup, /Create your vault/)
  },
}

/**
 * Setting the vault up in the banner: the panel can be closed until the
 * recovery codes are on screen (`ig-vault-codes-shown`); then the banner
 * keeps it open — the ten codes are shown once — until they are confirmed
 * stored, and says the vault is unlocked on this device.
 */
export const SetUp: Story = {
  name: "Set up in the banner: recovery codes, then unlocked",
  beforeEach: vaultServer({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    const setup = await open(canvasElement, /Set up vault/, "ig-vault-setup")
    const shadow = await root(canvasElement)
    await expect(await button(shadow, "action")).toHaveTextContent("Close")
    await userEvent.type(await input(setup, "passphrase"), newPassphrase)
    await userEvent.type(await input(setup, "confirmation"), newPassphrase)
    await userEvent.click(await button(setup, "submit"))
    await message(canvasElement, /Your vault is created\. Store its recovery codes to finish\./)
    await expect(shadow.querySelector('[part~="action"]')).toBeNull()
    await waitFor(() => expect(setup.querySelectorAll('[part~="codes"] li')).toHaveLength(10), { timeout: 10_000 })
    await userEvent.click(await find(setup, 'input[part~="confirm"]', HTMLInputElement))
    await userEvent.click(await button(setup, "submit"))
    await message(canvasElement, /Your vault is unlocked on this device\./)
    await focusOnMessage(shadow)
  },
}

/** Before `GET /api/vault` answers, the banner shows nothing. */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/vault": pending() }),
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    await expect(shadow.querySelector('[part~="banner"]')).toBeNull()
  },
}

/** `GET /api/vault` fails (network): the banner shows nothing either. */
export const Unreachable: Story = {
  name: "Error: vault not loaded (network)",
  beforeEach: mockServer({ "GET /api/vault": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    await new Promise((resolve) => setTimeout(resolve, 600))
    await expect(shadow.querySelector('[part~="banner"]')).toBeNull()
  },
}

/**
 * Unlocked here, then locked on another device: this device sees it at its
 * next poll (every second in this story), drops its keys and says so.
 */
export const LockedElsewhere: Story = {
  name: "Locked: on another device (seen at the next poll)",
  args: { pollSeconds: 1 },
  play: async ({ canvasElement }) => {
    await unlockHere(canvasElement)
    lockElsewhere("manual")
    await message(canvasElement, /It was locked on another device\./)
  },
}

/**
 * An unlock the server refused or never got (here: the network failed):
 * nothing was unlocked, so the banner keeps its reason — not "locked on
 * another device" — and the form keeps its error and "Try again".
 */
export const UnlockRefused: Story = {
  name: "Error: unlock not sent (network), still locked",
  beforeEach: vaultServer({
    vault: "locked",
    reason: "idle",
    first: { "POST /api/vault/unlock": networkFailure({ delay: 300 }) },
  }),
  play: async ({ canvasElement }) => {
    const form = await open(canvasElement, /Unlock/, "ig-vault-unlock")
    await userEvent.type(await input(form, "secret"), goldenPassphrase)
    await userEvent.click(await button(form, "submit"))
    await waitFor(() => expect(form.querySelector('[part~="form-error"]')).toHaveTextContent(/could not be reached/), {
      timeout: 10_000,
    })
    const shadow = await message(canvasElement, /It locked after a while without activity\./)
    await expect(shadow.querySelector('[part~="message"]')).not.toHaveTextContent(/another device/)
    await expect(await input(form, "secret")).toHaveValue(goldenPassphrase)
  },
}

/**
 * After a recovery code (through the banner): the banner insists on a new
 * passphrase before anything else, with the form open and no way to close it.
 */
export const MustSetPassphrase: Story = {
  name: "After a recovery code: new passphrase first",
  play: async ({ canvasElement }) => {
    const form = await open(canvasElement, /Unlock/, "ig-vault-unlock")
    const tab = Array.from(form.querySelectorAll<HTMLButtonElement>('[part~="method"]')).find(
      (candidate) => candidate.textContent?.trim() === "Recovery code",
    )
    if (tab === undefined) throw new Error("No recovery code tab.")
    await userEvent.click(tab)
    await userEvent.type(await input(form, "secret"), recoveryCodes.works)
    await userEvent.click(await button(form, "submit"))
    const shadow = await message(canvasElement, /Choose a new passphrase to finish unlocking\./)
    await expect(shadow.querySelector('[part~="action"]')).toBeNull()
    await showsIn(await shadowIn(shadow, "ig-vault-unlock"), /Choose a new passphrase/)
  },
}

/** A locked vault whose server state says `reason`; the banner says why. */
const lockedBecause = (reason: string, text: RegExp, options: VaultServerOptions = {}): Story => ({
  beforeEach: vaultServer({ vault: "locked", reason, ...options }),
  play: async ({ canvasElement }) => {
    await message(canvasElement, text)
  },
})

/** "manual": the user locked it (here or on another device). */
export const LockedManual: Story = {
  name: "Locked: by the user",
  ...lockedBecause("manual", /You locked it\./),
}

/** "idle": no activity for `vault-idle-minutes`. */
export const LockedIdle: Story = {
  name: "Locked: idle",
  ...lockedBecause("idle", /It locked after a while without activity\./),
}

/** "hidden": the page was hidden (unless `vault-keep-when-hidden`). */
export const LockedHidden: Story = {
  name: "Locked: page hidden",
  ...lockedBecause("hidden", /It locked when this page was hidden\./),
}

/** "logout": the user signed out. */
export const LockedLogout: Story = {
  name: "Locked: signed out",
  ...lockedBecause("logout", /It locked when you signed out\./),
}

/** "session-expired": the session ended. */
export const LockedSessionExpired: Story = {
  name: "Locked: session expired",
  ...lockedBecause("session-expired", /It locked when your session ended\./),
}

/** "admin": an administrator force-locked it. */
export const LockedByAdmin: Story = {
  name: "Locked: by an administrator",
  ...lockedBecause("admin", /An administrator locked it\./),
}

/** Unlocked on another device only: this device holds no key, so it is locked here, with no reason to give. */
export const LockedHereOnly: Story = {
  name: "Locked: here only (unlocked on another device)",
  beforeEach: vaultServer({ vault: "unlocked-elsewhere" }),
  play: async ({ canvasElement }) => {
    const shadow = await message(canvasElement, /Your vault is locked\./)
    await expect(shadow.querySelector('[part~="message"]')).toHaveTextContent(
      /^\s*Your vault is locked\.\s+Encrypted content stays hidden until you unlock it\.\s*$/,
    )
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(banner(args), [
      "The bar is role=status (a polite live region): a change of state — locked here or elsewhere, unlocked, not set up — is announced without moving focus.",
      "The message says the state and why in words (You locked it., An administrator locked it., …); the locked bar's colour only repeats that.",
      "Unlock and Set up vault are buttons with aria-expanded; they open the form right under the bar and turn into Close. Focus stays on the button: Tab moves into the form.",
      "Unlocking, Lock now, or finishing setup replaces the bar's button: focus moves to the bar's message (tabindex=-1) instead of falling back to the page, and the new state is announced by the status bar.",
      "After a recovery code the bar says a new passphrase must be chosen and keeps the form open, with no Close. While setting the vault up, Close stays until the recovery codes are on screen; from then the bar keeps them open, with no Close, until they are confirmed stored.",
      "While the vault's state is unknown (loading, or the server unreachable) the banner renders nothing.",
    ]),
}
