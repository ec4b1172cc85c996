import "@ignition/ui-components/passkeys"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { find, input, shadowOf } from "./support/dom.js"
import { passkeyRegistrationOptions, passkeys } from "./support/fixtures.js"
import {
  delayed,
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

/** Two passkeys; removing one takes it out of the next answer. */
const keyring = (): Routes => {
  let list: ReadonlyArray<(typeof passkeys)[number]> = passkeys
  return {
    "GET /api/auth/passkeys": () => ok(list, { delay: 400 }),
    "DELETE /api/auth/passkeys/:id": ({ params }) => {
      list = list.filter((passkey) => passkey.id !== params.id)
      return noContent({ delay: 400 })
    },
    "POST /api/auth/passkeys/register/options": ok(passkeyRegistrationOptions),
  }
}

/** Waits until the element's text includes `text`. */
const shows = async (canvasElement: HTMLElement, text: RegExp) => {
  const root = await shadowOf(canvasElement, "ig-passkeys")
  await waitFor(() => expect(root.textContent ?? "").toMatch(text))
  return root
}

/** The first passkey's Remove. */
const removeFirst = async (canvasElement: HTMLElement) => {
  const root = await shows(canvasElement, /YubiKey/)
  await userEvent.click(await find(root, '[part~="remove"]', HTMLButtonElement))
  return root
}

/**
 * The signed-in user's passkeys (`GET /api/auth/passkeys`): list, add one
 * with a name (the browser's WebAuthn ceremony, asking for PRF), remove one.
 * Adding cannot complete in Storybook: the fake relying party is refused, so
 * "Add a passkey" shows the element's "not created" error.
 */
const meta = {
  title: "Elements/ig-passkeys",
  component: "ig-passkeys",
  render: () => html`<ig-passkeys base-url=${origin}></ig-passkeys>`,
  beforeEach: mockServer(keyring),
  parameters: { actions: { handles: ["ig-signed-out"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** Two passkeys: remove one, or try to add one. */
export const Overview: Story = {}

/** Before the first answer: a placeholder. */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/auth/passkeys": pending() }),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-passkeys")
    await expect(await find(root, '[part~="skeleton"]', HTMLElement)).toBeVisible()
  },
}

/** Removing, waiting for the server: the buttons are disabled. */
export const Removing: Story = {
  name: "Loading: removing",
  beforeEach: mockServer({ "DELETE /api/auth/passkeys/:id": pending() }),
  play: async ({ canvasElement }) => {
    const root = await removeFirst(canvasElement)
    await waitFor(() => expect(root.querySelector('[part~="submit"]')).toBeDisabled())
  },
}

/** No passkey yet. */
export const Empty: Story = {
  beforeEach: mockServer({ "GET /api/auth/passkeys": ok([]) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /No passkeys yet/)
  },
}

/** The browser could not create the passkey (here it refuses the fake relying party). */
export const NotCreated: Story = {
  name: "Error: passkey not created",
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /YubiKey/)
    await userEvent.type(await input(root, "name"), "Phone")
    await userEvent.click(await find(root, '[part~="submit"]', HTMLButtonElement))
    await waitFor(() => expect(root.querySelector('[part~="error"]')).toHaveTextContent(/not created/))
  },
}

/** Removing one already gone (404 `NotFound`): the server's message. */
export const RemoveRefused: Story = {
  name: "Error: remove refused (404)",
  beforeEach: mockServer({ "DELETE /api/auth/passkeys/:id": delayed(300, notFound("This passkey no longer exists.")) }),
  play: async ({ canvasElement }) => {
    const root = await removeFirst(canvasElement)
    await waitFor(() => expect(root.querySelector('[part~="error"]')).toHaveTextContent(/no longer exists/))
  },
}

/** The list cannot be loaded (network): the error offers "Try again". */
export const LoadFailed: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "GET /api/auth/passkeys": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await shows(canvasElement, /could not be reached/)
    await expect(await find(root, '[part~="retry"]', HTMLButtonElement)).toBeVisible()
  },
}

/** A 401: the session had ended elsewhere; `ig-signed-out` ("expired"). */
export const Expired: Story = {
  name: "Error: session expired (401)",
  beforeEach: mockServer({ "GET /api/auth/passkeys": delayed(300, unauthorized("Sign in to continue.")) }),
  play: async ({ canvasElement }) => {
    await shows(canvasElement, /Sign in to continue/)
  },
}

export const Accessibility: Story = {
  render: () =>
    withNotes(html`<ig-passkeys base-url=${origin}></ig-passkeys>`, [
      "The passkeys are a list; each Remove button is labelled with its passkey (aria-label Remove passkey YubiKey 5C).",
      "The name field has a visible label that wraps it; Add a passkey submits the form, so Enter in the field works.",
      "Errors (load, add, remove) are role=alert; a load failure has a Try again button. Errors are not linked to the field or button they concern.",
      "While a change is under way the buttons are disabled (not focusable); nothing announces that it finished other than the list changing.",
      "The loading placeholder is a div with aria-busy and aria-label but no role: assistive technology may ignore the label (a role=status text would be announced).",
    ]),
}
