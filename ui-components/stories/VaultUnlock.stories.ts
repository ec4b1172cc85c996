import "@ignition/ui-components/app"
import "@ignition/ui-components/vault-unlock"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, input, shadowOf } from "./support/dom.js"
import { mockServer, networkFailure, origin, pending, tooManyRequests } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import {
  goldenPassphrase,
  recoveryCodes,
  shadowIn,
  showsIn,
  unlockHint,
  vaultKnown,
  vaultServer,
} from "./support/vault.js"

/** Inside `<ig-app>`, signed in as the golden vault's owner; what to type is under the element. */
const unlock = () =>
  html`<ig-app base-url=${origin}><ig-vault-unlock></ig-vault-unlock></ig-app>
    ${unlockHint()}`

const newPassphrase = "tangerine lantern gravel orbit quietly"

/** The element's shadow root, once the vault is known (a loading placeholder shows until then). */
const root = async (canvasElement: HTMLElement) => {
  await vaultKnown(canvasElement, "ig-vault-unlock")
  return shadowOf(canvasElement, "ig-vault-unlock")
}

/** The tab labelled `label` ("Passphrase", "Recovery code"). */
const tabOf = (shadow: ShadowRoot, label: string) =>
  waitFor(() => {
    const found = Array.from(shadow.querySelectorAll<HTMLButtonElement>('[part~="method"]')).find(
      (candidate) => candidate.textContent?.trim() === label,
    )
    if (found === undefined) throw new Error(`No "${label}" tab.`)
    return found
  })

/** Chooses a tab ("Passphrase", "Recovery code"). */
const chooseMethod = async (shadow: ShadowRoot, label: string) => {
  const tab = await tabOf(shadow, label)
  await userEvent.click(tab)
  await waitFor(() => expect(tab).toHaveAttribute("aria-selected", "true"))
}

/** Waits until `label`'s tab is the selected one, in the tab order, focused, and labels the panel. */
const selected = async (shadow: ShadowRoot, label: string) => {
  const tab = await tabOf(shadow, label)
  await waitFor(() => expect(tab).toHaveAttribute("aria-selected", "true"))
  await expect(tab).toHaveAttribute("tabindex", "0")
  await waitFor(() => expect(shadow.activeElement).toBe(tab))
  const panel = await find(shadow, '[role="tabpanel"]', HTMLElement)
  await expect(panel).toHaveAttribute("aria-labelledby", tab.id)
  await expect(tab).toHaveAttribute("aria-controls", panel.id)
  for (const other of shadow.querySelectorAll('[part~="method"]'))
    if (other !== tab) await expect(other).toHaveAttribute("tabindex", "-1")
}

/** Types `secret` into the field of the chosen method and submits. */
const submit = async (canvasElement: HTMLElement, secret: string, method = "Passphrase") => {
  const shadow = await root(canvasElement)
  if (method !== "Passphrase") await chooseMethod(shadow, method)
  await userEvent.type(await input(shadow, "secret"), secret)
  await userEvent.click(await button(shadow, "submit"))
  return shadow
}

/** Waits until the error under the field says `text`. */
const fieldError = (shadow: ShadowRoot, text: RegExp) =>
  waitFor(() => expect(shadow.querySelector('[part~="field-error"]')).toHaveTextContent(text), { timeout: 10_000 })

/**
 * Unlocks the vault on this device: with its passphrase, a passkey that
 * supports PRF (the tab appears when the vault has such a wrap), or a
 * recovery code — which works once, and is followed by choosing a new
 * passphrase. Fires `ig-vault-unlocked` (see the Actions panel).
 *
 * The cryptography is real: `<ig-app>` provides the signed-in user's
 * `VaultSession`, which derives the key with Argon2id (WASM) and opens the
 * wrap with WebCrypto. The vault is `@ignition/vault`'s golden vector (see
 * support/vault.ts): its passphrase is "correct horse battery staple". The
 * fake server checks the unlock proof and the recovery codes' verifiers as
 * the real one does.
 */
const meta = {
  title: "Elements/ig-vault-unlock",
  component: "ig-vault-unlock",
  render: unlock,
  beforeEach: vaultServer({ vault: "locked", reason: "idle" }),
  parameters: { actions: { handles: ["ig-vault-unlocked"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** The golden vault, locked: type its passphrase (under the element) to unlock it. */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    await expect(await input(shadow, "secret")).toHaveAttribute("type", "password")
    await expect(await button(shadow, "submit")).toHaveTextContent("Unlock")
  },
}

/** The right passphrase: Argon2id opens the wrap, the server takes the unlock proof; `ig-vault-unlocked` ("passphrase"). */
export const Unlocked: Story = {
  name: "Passphrase: unlocked",
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, goldenPassphrase)
    await showsIn(shadow, /Your vault is unlocked\./)
  },
}

/** Deriving the key and waiting for the server: the button is disabled and says "Unlocking…". */
export const Unlocking: Story = {
  name: "Loading: unlocking",
  beforeEach: mockServer({ "POST /api/vault/unlock": pending() }),
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, goldenPassphrase)
    const submitButton = await button(shadow, "submit")
    await waitFor(() => expect(submitButton).toBeDisabled())
    await expect(submitButton).toHaveTextContent("Unlocking…")
  },
}

/**
 * The methods are a WAI-ARIA tabs pattern: only the selected tab is in the
 * tab order, the arrow keys (wrapping), Home and End move between them, and
 * the fields sit in the tab panel the selected tab labels.
 */
export const KeyboardTabs: Story = {
  name: "Methods: keyboard (tabs pattern)",
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    ;(await tabOf(shadow, "Passphrase")).focus()
    await userEvent.keyboard("{ArrowRight}")
    await selected(shadow, "Recovery code")
    await expect(await input(shadow, "secret")).toHaveAttribute("type", "text")
    await userEvent.keyboard("{ArrowRight}")
    await selected(shadow, "Passphrase")
    await userEvent.keyboard("{ArrowLeft}")
    await selected(shadow, "Recovery code")
    await userEvent.keyboard("{Home}")
    await selected(shadow, "Passphrase")
    await userEvent.keyboard("{End}")
    await selected(shadow, "Recovery code")
  },
}

/** Before `GET /api/vault` answers: a placeholder (role=status, aria-busy), not a form that could act too soon. */
export const Loading: Story = {
  name: "Loading: the vault",
  beforeEach: mockServer({ "GET /api/vault": pending() }),
  play: async ({ canvasElement }) => {
    const shadow = await shadowIn(canvasElement, "ig-vault-unlock")
    const placeholder = await find(shadow, '[part~="loading"]', HTMLElement)
    await expect(placeholder).toHaveAttribute("role", "status")
    await expect(placeholder).toHaveAttribute("aria-busy", "true")
    await expect(shadow.querySelector("form")).toBeNull()
  },
}

/**
 * `GET /api/vault` fails (offline, server down): the reason and "Try again"
 * instead of the form; the retry loads the vault (it is also retried at the
 * next poll and when the device is back online).
 */
export const Unreachable: Story = {
  name: "Error: vault not loaded (network), then retry",
  beforeEach: vaultServer({ first: { "GET /api/vault": networkFailure({ delay: 300 }) } }),
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    const message = await find(shadow, '[part~="unreachable"]', HTMLElement)
    await expect(message).toHaveAttribute("role", "alert")
    await expect(message).toHaveTextContent(/could not be reached/)
    await expect(shadow.querySelector("form")).toBeNull()
    await userEvent.click(await button(shadow, "retry"))
    await expect(await input(shadow, "secret")).toHaveAttribute("type", "password")
  },
}

/** No vault yet: nothing to unlock (`GET /api/vault` → 404 `VaultNotFound`). */
export const Empty: Story = {
  name: "Empty: no vault",
  beforeEach: vaultServer({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await showsIn(await root(canvasElement), /You have no vault yet\./)
  },
}

/**
 * A wrong passphrase: the wrap does not open, in the browser — nothing is
 * sent. The error sits under the field; what was typed stays.
 */
export const WrongPassphrase: Story = {
  name: "Error: wrong passphrase",
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, "not my passphrase at all")
    await fieldError(shadow, /does not open this vault/)
    const field = await input(shadow, "secret")
    await expect(field).toHaveAttribute("aria-invalid", "true")
    await expect(field).toHaveValue("not my passphrase at all")
  },
}

/**
 * A recovery code: the server gives its wrap once (`POST
 * /api/vault/recovery-codes/validate`), the code opens it here, and a new
 * passphrase must be chosen before anything else; then
 * `ig-vault-unlocked` ("recovery-code").
 */
export const RecoveryCode: Story = {
  name: "Recovery code: unlocked, then a new passphrase",
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, recoveryCodes.works, "Recovery code")
    await showsIn(shadow, /Choose a new passphrase/)
    await userEvent.type(await input(shadow, "passphrase"), newPassphrase)
    await userEvent.type(await input(shadow, "confirmation"), newPassphrase)
    await showsIn(shadow, /Strength: (Strong|Very strong)/)
    await userEvent.click(await button(shadow, "submit"))
    await showsIn(shadow, /Your vault is unlocked\./)
  },
}

/**
 * A mistyped recovery code: each group ends in a check character, so the
 * browser names the group with the typo (here the third) without asking
 * the server.
 */
export const RecoveryCodeTypo: Story = {
  name: "Error: recovery code with a typo",
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, recoveryCodes.typo, "Recovery code")
    await fieldError(shadow, /group 3 has a typo/)
  },
}

/** 410 `RecoveryCodeUsed`: each code works once. */
export const RecoveryCodeUsed: Story = {
  name: "Error: recovery code already used (410)",
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, recoveryCodes.used, "Recovery code")
    await fieldError(shadow, /already used or revoked/)
  },
}

/** 404 `RecoveryCodeNotFound`: a well-formed code that is not one of this user's. */
export const RecoveryCodeUnknown: Story = {
  name: "Error: unknown recovery code (404)",
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, recoveryCodes.unknown, "Recovery code")
    await fieldError(shadow, /No recovery code of yours matches/)
  },
}

/** 429 `TooManyRequests`: too many unlock attempts; the wait is shown with the message. */
export const RateLimited: Story = {
  name: "Error: too many attempts (429)",
  beforeEach: mockServer({ "POST /api/vault/unlock": tooManyRequests(30) }),
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, goldenPassphrase)
    await waitFor(() => expect(shadow.querySelector('[part~="form-error"]')).toHaveTextContent(/\(30 s\)/), {
      timeout: 10_000,
    })
  },
}

/**
 * The unlock request fails (offline, server down): the form error offers
 * "Try again", the passphrase stays, and the retry unlocks.
 */
export const NetworkFailure: Story = {
  name: "Error: network failure, then retry",
  beforeEach: vaultServer({ first: { "POST /api/vault/unlock": networkFailure({ delay: 300 }) } }),
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, goldenPassphrase)
    await waitFor(
      () => expect(shadow.querySelector('[part~="form-error"]')).toHaveTextContent(/could not be reached/),
      {
        timeout: 10_000,
      },
    )
    await expect(await input(shadow, "secret")).toHaveValue(goldenPassphrase)
    await userEvent.click(await button(shadow, "retry"))
    await showsIn(shadow, /Your vault is unlocked\./)
  },
}

export const Accessibility: Story = {
  play: async ({ canvasElement }) => {
    const shadow = await submit(canvasElement, recoveryCodes.typo, "Recovery code")
    await fieldError(shadow, /group 3 has a typo/)
  },
  render: () =>
    withNotes(unlock(), [
      "A form with an h2; how to unlock is chosen in a tablist labelled Unlock with, following the WAI-ARIA tabs pattern: each role=tab has aria-selected and aria-controls, only the selected one is in the tab order (roving tabindex), and the arrow keys (wrapping), Home and End move between them, selecting and focusing the tab.",
      "The chosen method's fields sit in a role=tabpanel labelled by its tab (aria-labelledby), so the panel's name repeats the tab's (Recovery code), as does the input's label.",
      "Until the vault's state is known the form is not shown: a placeholder with role=status, aria-busy=true and aria-label Loading your vault, or — when the server could not be reached — the reason in a role=alert with a Try again button.",
      "The passphrase and the recovery code have visible labels that wrap their inputs; autocomplete is current-password for the passphrase (password managers fill it) and off for recovery codes.",
      "An error about the field — a wrong passphrase, a recovery code with a typo (this story), used or unknown — is shown under it with role=alert, linked by aria-describedby, and the input gets aria-invalid=true. What was typed stays.",
      "An error about the whole form (network, rate limit) is role=alert; after a network failure a Try again button follows it.",
      "While unlocking (the key derivation takes a moment) the button is disabled and says Unlocking…; focus stays where it was.",
      "After a recovery code the form becomes Choose a new passphrase: two labelled fields and a strength meter (a native meter with aria-label, its advice in an aria-live=polite region).",
      "Once unlocked, the element says Your vault is unlocked. in a role=status paragraph.",
    ]),
}
