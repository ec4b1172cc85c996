import "@ignition/ui-components/sign-in"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, input, shadowOf } from "./support/dom.js"
import { methods, passkeyLoginOptions, passwordOnly, session } from "./support/fixtures.js"
import {
  decodeError,
  delayed,
  forbidden,
  issue,
  mockServer,
  networkFailure,
  ok,
  origin,
  pending,
  type Routes,
  tooManyRequests,
  unauthorized,
} from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"

interface Args {
  readonly returnTo: string
}

/** The instance offers every method; a sign-in succeeds after a short wait. */
const server: Routes = {
  "GET /api/auth/methods": ok(methods),
  "POST /api/auth/login": ok(session, { delay: 800 }),
  "POST /api/auth/passkeys/login/options": ok(passkeyLoginOptions),
}

/** Fills the form and submits it, as a user would. */
const signIn = async (canvasElement: HTMLElement, password = "correct horse battery staple") => {
  const root = await shadowOf(canvasElement, "ig-sign-in")
  await userEvent.type(await input(root, "email"), "ada@example.com")
  await userEvent.type(await input(root, "password"), password)
  await userEvent.click(await button(root, "submit"))
  return root
}

/** Waits until an alert in the element says `text`. */
const alertIn = (root: ShadowRoot, text: RegExp) =>
  waitFor(() =>
    expect(Array.from(root.querySelectorAll('[role="alert"]'), (alert) => alert.textContent ?? "").join(" ")).toMatch(
      text,
    ),
  )

/**
 * Sign-in with email and password, a passkey, or the OpenID providers the
 * server reports (`GET /api/auth/methods`); fires `ig-signed-in` (see the
 * Actions panel). The passkey button needs a real authenticator: in these
 * stories it ends as "cancelled".
 */
const meta = {
  title: "Elements/ig-sign-in",
  component: "ig-sign-in",
  args: { returnTo: "/" },
  argTypes: {
    returnTo: { control: "text", description: "Where an OpenID sign-in returns to (`return-to`)" },
  },
  render: (args) => html`<ig-sign-in base-url=${origin} return-to=${args.returnTo}></ig-sign-in>`,
  beforeEach: mockServer(server),
  parameters: { actions: { handles: ["ig-signed-in"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Every method offered; submit with any email and password to see the pending button, then `ig-signed-in`. */
export const Overview: Story = {}

/** No OpenID provider configured and no passkeys: only the password form and the passkey button. */
export const Empty: Story = {
  name: "Empty: no OpenID providers",
  beforeEach: mockServer({ "GET /api/auth/methods": ok(passwordOnly) }),
}

/** The methods have not arrived yet (the provider links appear when they do); the form is usable at once. */
export const LoadingMethods: Story = {
  name: "Loading: methods",
  beforeEach: mockServer({ "GET /api/auth/methods": pending() }),
}

/** Submitted, waiting for the server: the button is disabled and says "Signing in…". */
export const LoadingSubmit: Story = {
  name: "Loading: signing in",
  beforeEach: mockServer({ "POST /api/auth/login": pending() }),
  play: async ({ canvasElement }) => {
    const root = await signIn(canvasElement)
    const submit = await button(root, "submit")
    await waitFor(() => expect(submit).toBeDisabled())
    await expect(submit).toHaveTextContent("Signing in…")
  },
}

/** 401 `Unauthorized`: one answer for a wrong password and an unknown email. */
export const WrongCredentials: Story = {
  name: "Error: wrong credentials (401)",
  beforeEach: mockServer({
    "POST /api/auth/login": delayed(300, unauthorized("Wrong email or password.")),
  }),
  play: async ({ canvasElement }) => {
    const root = await signIn(canvasElement, "wrong password")
    await alertIn(root, /Wrong email or password/)
  },
}

/** 400 `HttpApiDecodeError`: the server's validation failed; the issue lands next to its field. */
export const ValidationError: Story = {
  name: "Error: invalid field (400 HttpApiDecodeError)",
  beforeEach: mockServer({
    "POST /api/auth/login": decodeError([issue("email", "Expected an email address")]),
  }),
  play: async ({ canvasElement }) => {
    const root = await signIn(canvasElement)
    await alertIn(root, /Expected an email address/)
    await expect(await input(root, "email")).toHaveAttribute("aria-invalid", "true")
  },
}

/** 403 `Forbidden` with reason `pending_approval`: the account exists but is not approved yet. */
export const PendingApproval: Story = {
  name: "Error: awaiting approval (403)",
  beforeEach: mockServer({
    "POST /api/auth/login": forbidden("pending_approval", "Your account awaits an administrator's approval."),
  }),
  play: async ({ canvasElement }) => {
    await alertIn(await signIn(canvasElement), /awaits an administrator's approval/)
  },
}

/** 429 `TooManyRequests`: the wait is shown with the message. */
export const RateLimited: Story = {
  name: "Error: rate limited (429)",
  beforeEach: mockServer({ "POST /api/auth/login": tooManyRequests(30) }),
  play: async ({ canvasElement }) => {
    await alertIn(await signIn(canvasElement), /\(30 s\)/)
  },
}

/** The passkey prompt could not complete (here: the browser refuses the fake relying party). */
export const PasskeyCancelled: Story = {
  name: "Error: passkey cancelled",
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-sign-in")
    await userEvent.click(await button(root, "passkey"))
    await alertIn(root, /passkey sign-in was cancelled/)
  },
}

/** `fetch` rejects (offline, server down): the form error offers "Try again"; what was typed stays. */
export const NetworkFailure: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "POST /api/auth/login": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await signIn(canvasElement)
    await alertIn(root, /could not be reached/)
    await expect(await button(root, "retry")).toBeVisible()
    await expect(await input(root, "email")).toHaveValue("ada@example.com")
  },
}

export const Accessibility: Story = {
  beforeEach: mockServer({
    "POST /api/auth/login": decodeError([issue("email", "Expected an email address")]),
  }),
  render: (args) =>
    withNotes(html`<ig-sign-in base-url=${origin} return-to=${args.returnTo}></ig-sign-in>`, [
      "Every input has a visible label that wraps it; autocomplete is set (username webauthn, current-password) so password managers and passkey autofill work.",
      "The form is novalidate: the server's rules decide. An error about a field is shown under it with role=alert, linked by aria-describedby, and the input gets aria-invalid=true (submit this story to see it).",
      "An error about the whole form (wrong credentials, rate limit, network) is role=alert; after a network failure a Try again button follows it. What was typed is kept; the password is cleared only on success.",
      "While submitting, the button is disabled and its label says Signing in…; focus stays where it was.",
      "OpenID providers are plain links (Continue with …), so they open with Enter and show their destination.",
      "The heading is an h2 (replace it through the heading slot to fit the page's outline).",
    ]),
}
