import "@ignition/ui-components/app"
import "@ignition/ui-components/vault-setup"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, input, shadowOf } from "./support/dom.js"
import { delayed, mockServer, networkFailure, origin, pending } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn, showsIn, vaultKnown, vaultServer, weakWrapRefused } from "./support/vault.js"

/** Inside `<ig-app>`, signed in; the vault comes from `<ig-app>` (see support/vault.ts). */
const setup = () => html`<ig-app base-url=${origin}><ig-vault-setup></ig-vault-setup></ig-app>`

const strongPassphrase = "tangerine lantern gravel orbit quietly"

/** The element's shadow root, once the vault is known (a loading placeholder shows until then). */
const root = async (canvasElement: HTMLElement) => {
  await vaultKnown(canvasElement, "ig-vault-setup")
  return shadowOf(canvasElement, "ig-vault-setup")
}

/** Types the passphrase and its confirmation (the confirmation `confirmation` when given). */
const typePassphrase = async (canvasElement: HTMLElement, passphrase: string, confirmation = passphrase) => {
  const shadow = await root(canvasElement)
  await userEvent.type(await input(shadow, "passphrase"), passphrase)
  await userEvent.type(await input(shadow, "confirmation"), confirmation)
  return shadow
}

/** Types and submits. */
const create = async (canvasElement: HTMLElement, passphrase: string, confirmation = passphrase) => {
  const shadow = await typePassphrase(canvasElement, passphrase, confirmation)
  await userEvent.click(await button(shadow, "submit"))
  return shadow
}

/** Waits until the error under a field says `text`. */
const fieldError = (shadow: ShadowRoot, name: string, text: RegExp) =>
  waitFor(() => expect(shadow.querySelector(`#${name}-error`)).toHaveTextContent(text), { timeout: 10_000 })

/** Waits until the ten codes are shown. */
const codesShown = async (shadow: ShadowRoot) => {
  const list = await waitFor(() => find(shadow, '[part~="codes"]', HTMLOListElement), { timeout: 10_000 })
  await expect(list.querySelectorAll("li")).toHaveLength(10)
  for (const item of list.querySelectorAll("li"))
    await expect(item.textContent?.trim()).toMatch(/^[0-9A-Z]{6}(-[0-9A-Z]{6}){3}-[0-9A-Z]{7}$/)
  return list
}

/**
 * Creates the signed-in user's vault: a passphrase judged in the browser
 * (zxcvbn-ts; the server never sees it) — at least 12 characters, "strong"
 * or better, typed twice alike — then ten recovery codes shown once, and a
 * confirmation that they are stored before "Done". It fires
 * `ig-vault-codes-shown` when the codes appear (a host keeps it open then)
 * and `ig-vault-ready` once they are stored (see the Actions panel). Until
 * the vault's state is known it shows a placeholder, or the reason with
 * "Try again" when the server could not be reached — never the form.
 *
 * The cryptography is real: `<ig-app>`'s `VaultSession` makes the key and
 * wraps it with Argon2id (WASM, under the policy `GET /api/crypto-policy`
 * names: here v2 at the floor, 19 MiB), sends `POST /api/vault`, then makes
 * the recovery codes (`POST /api/vault/recovery-codes/generate`). The fake
 * server starts without a vault (`GET /api/vault` → 404 `VaultNotFound`).
 */
const meta = {
  title: "Elements/ig-vault-setup",
  component: "ig-vault-setup",
  render: setup,
  beforeEach: vaultServer({ vault: "absent" }),
  parameters: { actions: { handles: ["ig-vault-codes-shown", "ig-vault-ready"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** No vault yet: the passphrase form. */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    await showsIn(shadow, /Create your vault/)
    await expect(await find(shadow, '[part~="strength"]', HTMLElement)).toHaveTextContent(/Strength: —/)
  },
}

/** Typing a passphrase: the meter and its label follow, with zxcvbn-ts's advice for weak ones. */
export const Strength: Story = {
  name: "Strength meter",
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    const field = await input(shadow, "passphrase")
    await userEvent.type(field, "password1")
    await showsIn(shadow, /Strength: (Very weak|Weak)/)
    await userEvent.type(field, ` ${strongPassphrase}`)
    await showsIn(shadow, /Strength: (Strong|Very strong)/)
    const meter = await find(shadow, "meter", HTMLMeterElement)
    await waitFor(() => expect(meter.value).toBeGreaterThanOrEqual(3))
  },
}

/**
 * Created: ten recovery codes, shown once (`ig-vault-codes-shown`; focus
 * moves to their heading). "Done" stays disabled until the box saying they
 * are stored is ticked; then it fires `ig-vault-ready`.
 */
export const Created: Story = {
  name: "Created: recovery codes",
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector("ig-vault-setup")
    let shownEvents = 0
    element?.addEventListener("ig-vault-codes-shown", () => {
      shownEvents += 1
    })
    const shadow = await create(canvasElement, strongPassphrase)
    await codesShown(shadow)
    await waitFor(() => expect(shownEvents).toBe(1))
    await waitFor(() => expect(shadow.activeElement).toHaveTextContent("Save your recovery codes"))
    const done = await button(shadow, "submit")
    await expect(done).toHaveTextContent("Done")
    await expect(done).toBeDisabled()
    await userEvent.click(await find(shadow, 'input[part~="confirm"]', HTMLInputElement))
    await waitFor(() => expect(done).toBeEnabled())
    await userEvent.click(done)
    await showsIn(shadow, /Your vault is set up\./)
  },
}

/** Making the key and waiting for the server: the button is disabled and says "Creating…". */
export const Creating: Story = {
  name: "Loading: creating",
  beforeEach: mockServer({ "POST /api/vault": pending() }),
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, strongPassphrase)
    const submit = await button(shadow, "submit")
    await waitFor(() => expect(submit).toBeDisabled())
    await expect(submit).toHaveTextContent("Creating…")
  },
}

/** Before `GET /api/vault` answers: a placeholder (role=status, aria-busy), not a form that could act too soon. */
export const Loading: Story = {
  name: "Loading: the vault",
  beforeEach: mockServer({ "GET /api/vault": pending() }),
  play: async ({ canvasElement }) => {
    const shadow = await shadowIn(canvasElement, "ig-vault-setup")
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
  beforeEach: vaultServer({ vault: "absent", first: { "GET /api/vault": networkFailure({ delay: 300 }) } }),
  play: async ({ canvasElement }) => {
    const shadow = await root(canvasElement)
    const message = await find(shadow, '[part~="unreachable"]', HTMLElement)
    await expect(message).toHaveAttribute("role", "alert")
    await expect(message).toHaveTextContent(/could not be reached/)
    await expect(shadow.querySelector("form")).toBeNull()
    await userEvent.click(await button(shadow, "retry"))
    await showsIn(shadow, /Create your vault/)
  },
}

/** A vault exists already: nothing to set up (the page shows `<ig-vault-unlock>` instead). */
export const AlreadySetUp: Story = {
  name: "Empty: a vault exists",
  beforeEach: vaultServer({ vault: "locked" }),
  play: async ({ canvasElement }) => {
    await showsIn(await root(canvasElement), /Your vault is set up\./)
  },
}

/** Under 12 characters: refused in the browser before anything is derived or sent. */
export const TooShort: Story = {
  name: "Error: passphrase too short",
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, "short")
    await fieldError(shadow, "passphrase", /at least 12 characters/)
    await expect(await input(shadow, "passphrase")).toHaveAttribute("aria-invalid", "true")
  },
}

/** Long enough but easily guessed: zxcvbn-ts's warning is the error. */
export const TooWeak: Story = {
  name: "Error: passphrase too weak",
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, "passwordpassword")
    await waitFor(() => expect(shadow.querySelector("#passphrase-error")?.textContent?.trim()).toBeTruthy(), {
      timeout: 10_000,
    })
  },
}

/** The two passphrases differ: the error sits under the confirmation. */
export const Mismatch: Story = {
  name: "Error: passphrases differ",
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, strongPassphrase, `${strongPassphrase}!`)
    await fieldError(shadow, "confirmation", /differ/)
  },
}

/**
 * 400 `WeakWrapRefused`: the server refuses the wrap's cryptography (here:
 * the policy it was made under is unknown to it). The error sits next to
 * the passphrase; what was typed stays.
 */
export const Refused: Story = {
  name: "Error: refused by the server (400 WeakWrapRefused)",
  beforeEach: mockServer({ "POST /api/vault": delayed(300, weakWrapRefused()) }),
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, strongPassphrase)
    await fieldError(shadow, "passphrase", /Unknown crypto policy v2/)
    await expect(await input(shadow, "passphrase")).toHaveValue(strongPassphrase)
  },
}

/** `POST /api/vault` fails (offline, server down): the form error offers "Try again", and the retry creates it. */
export const NetworkFailure: Story = {
  name: "Error: network failure, then retry",
  beforeEach: vaultServer({ vault: "absent", first: { "POST /api/vault": networkFailure({ delay: 300 }) } }),
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, strongPassphrase)
    await waitFor(
      () => expect(shadow.querySelector('[part~="form-error"]')).toHaveTextContent(/could not be reached/),
      {
        timeout: 10_000,
      },
    )
    await userEvent.click(await button(shadow, "retry"))
    await codesShown(shadow)
  },
}

/**
 * The vault was created but its recovery codes could not be stored
 * (network): the element says so and makes them again on request.
 */
export const CodesFailed: Story = {
  name: "Error: recovery codes not stored, then retry",
  beforeEach: vaultServer({
    vault: "absent",
    first: { "POST /api/vault/recovery-codes/generate": networkFailure({ delay: 300 }) },
  }),
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, strongPassphrase)
    await showsIn(shadow, /Its recovery codes could not be made yet/)
    await userEvent.click(await button(shadow, "retry"))
    await codesShown(shadow)
  },
}

export const Accessibility: Story = {
  play: async ({ canvasElement }) => {
    const shadow = await create(canvasElement, "short")
    await fieldError(shadow, "passphrase", /at least 12 characters/)
  },
  render: () =>
    withNotes(setup(), [
      "A form with an h2. The passphrase and its confirmation have visible labels that wrap their inputs, with autocomplete=new-password so password managers offer to save it.",
      "The strength meter is a native meter (0–4) with aria-label Passphrase strength; its label (Strength: Strong) and zxcvbn-ts's advice are text in an aria-live=polite region, read as the user pauses.",
      "An error about a field (too short — this story —, too weak, the two differ, refused by the server) is shown under it with role=alert, linked by aria-describedby, and the input gets aria-invalid=true. What was typed stays.",
      "While creating (the key derivation takes a moment) the button is disabled and says Creating…; a network failure is a role=alert with a Try again button.",
      "Until the vault's state is known the form is not shown: a placeholder with role=status, aria-busy=true and aria-label Loading your vault, or — when the server could not be reached — the reason in a role=alert with a Try again button.",
      "The recovery codes are an ordered list labelled Recovery codes, in a monospace font; Copy all and Download are buttons. Done stays disabled until the I have stored these codes checkbox (a labelled native checkbox) is ticked.",
      "When the codes replace the form, focus moves to their heading (Save your recovery codes, tabindex=-1) rather than falling back to the page.",
    ]),
}
