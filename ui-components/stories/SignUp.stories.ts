import "@ignition/ui-components/sign-up"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, input, shadowOf } from "./support/dom.js"
import { awaitingApproval, passwordOnly, setupPending, signedIn } from "./support/fixtures.js"
import {
  conflict,
  decodeError,
  forbidden,
  issue,
  mockServer,
  networkFailure,
  ok,
  origin,
  pending,
  type Routes,
  tooManyRequests,
  weakPassword,
} from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"

interface Args {
  readonly termsHref: string
}

/** An open instance: the account is created and signed in (201 `SignedIn`) after a short wait. */
const server: Routes = {
  "GET /api/auth/methods": ok(passwordOnly),
  "POST /api/auth/signup": ok(signedIn, { status: 201, delay: 800 }),
}

/** Fills every field with acceptable values, accepts the terms (unless told not to) and submits. */
const signUp = async (canvasElement: HTMLElement, options: { readonly acceptTerms?: boolean } = {}) => {
  const root = await shadowOf(canvasElement, "ig-sign-up")
  await userEvent.type(await input(root, "displayName"), "Ada Lovelace")
  await userEvent.type(await input(root, "email"), "ada@example.com")
  await userEvent.type(await input(root, "password"), "correct horse battery staple")
  await userEvent.type(await input(root, "birthYear"), "1990")
  if (options.acceptTerms ?? true) await userEvent.click(await input(root, "acceptTerms"))
  await userEvent.click(await button(root, "submit"))
  return root
}

/** Waits until the error shown for `field` (or, without one, any alert) says `text`. */
const errorAt = (root: ShadowRoot, text: RegExp, field?: string) =>
  waitFor(() => {
    const alerts = root.querySelectorAll(field === undefined ? '[role="alert"]' : `#${field}-error`)
    return expect(Array.from(alerts, (alert) => alert.textContent ?? "").join(" ")).toMatch(text)
  })

/**
 * Account creation: name, email, password, birth year (16 or older) and the
 * terms; on a fresh instance also the one-time setup token. Errors land at
 * the field they concern: `Conflict` → email, `WeakPassword` → password,
 * `Forbidden` `age_requirement` → birth year, `setup_token` → setup token,
 * and an `HttpApiDecodeError` at each issue's path.
 */
const meta = {
  title: "Elements/ig-sign-up",
  component: "ig-sign-up",
  args: { termsHref: "/terms" },
  argTypes: { termsHref: { control: "text", description: "Where the terms are published (`terms-href`)" } },
  render: (args) => html`<ig-sign-up base-url=${origin} terms-href=${args.termsHref}></ig-sign-up>`,
  beforeEach: mockServer(server),
  parameters: { actions: { handles: ["ig-signed-in"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Fill it in and submit: `ig-signed-in` fires when the account is created. */
export const Overview: Story = {}

/** A fresh instance (`setupPending`): the setup token field appears for the first, administrator account. */
export const FirstAccount: Story = {
  name: "Fresh instance: setup token",
  beforeEach: mockServer({ "GET /api/auth/methods": ok(setupPending) }),
}

/** The instance requires approval: 202 `AwaitingApproval` replaces the form with a notice. */
export const AwaitingApproval: Story = {
  name: "Awaiting approval (202)",
  beforeEach: mockServer({ "POST /api/auth/signup": ok(awaitingApproval, { status: 202, delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await signUp(canvasElement)
    await waitFor(() => expect(root.querySelector('[part="waiting"]')).toHaveTextContent(/awaits an administrator/))
  },
}

/** Submitted, waiting for the server: the button is disabled and says "Creating…". */
export const Loading: Story = {
  name: "Loading: creating",
  beforeEach: mockServer({ "POST /api/auth/signup": pending() }),
  play: async ({ canvasElement }) => {
    const root = await signUp(canvasElement)
    const submit = await button(root, "submit")
    await waitFor(() => expect(submit).toBeDisabled())
    await expect(submit).toHaveTextContent("Creating…")
  },
}

/** The terms are checked in the browser: no request is sent until they are accepted. */
export const TermsNotAccepted: Story = {
  name: "Error: terms not accepted",
  play: async ({ canvasElement }) => {
    const root = await signUp(canvasElement, { acceptTerms: false })
    await errorAt(root, /Accept the terms/)
    await expect(await input(root, "acceptTerms")).toHaveAttribute("aria-invalid", "true")
  },
}

/** 409 `Conflict`: the email already has an account; shown at the email field. */
export const EmailTaken: Story = {
  name: "Error: email taken (409)",
  beforeEach: mockServer({ "POST /api/auth/signup": conflict("This email already has an account.") }),
  play: async ({ canvasElement }) => {
    await errorAt(await signUp(canvasElement), /already has an account/, "email")
  },
}

/** 400 `WeakPassword`: the message and the suggestions, at the password field. */
export const WeakPassword: Story = {
  name: "Error: weak password (400)",
  beforeEach: mockServer({
    "POST /api/auth/signup": weakPassword("This password is too easy to guess.", [
      "Add another word or two. Uncommon words are better.",
    ]),
  }),
  play: async ({ canvasElement }) => {
    await errorAt(await signUp(canvasElement), /too easy to guess\. Add another word/, "password")
  },
}

/** 400 `HttpApiDecodeError`: each issue at the field its path names. */
export const ValidationErrors: Story = {
  name: "Error: invalid fields (400 HttpApiDecodeError)",
  beforeEach: mockServer({
    "POST /api/auth/signup": decodeError([
      issue("displayName", "Expected a string at most 100 character(s) long"),
      issue("birthYear", "Expected a number between 1900 and 2200"),
    ]),
  }),
  play: async ({ canvasElement }) => {
    const root = await signUp(canvasElement)
    await errorAt(root, /at most 100/, "displayName")
    await errorAt(root, /between 1900 and 2200/, "birthYear")
  },
}

/** 403 `Forbidden` with reason `age_requirement`: at the birth year. */
export const TooYoung: Story = {
  name: "Error: under the minimum age (403)",
  beforeEach: mockServer({
    "POST /api/auth/signup": forbidden("age_requirement", "You must be 16 or older to create an account."),
  }),
  play: async ({ canvasElement }) => {
    await errorAt(await signUp(canvasElement), /16 or older/, "birthYear")
  },
}

/** 403 `Forbidden` with reason `setup_token` on a fresh instance: at the setup token field. */
export const WrongSetupToken: Story = {
  name: "Error: wrong setup token (403)",
  beforeEach: mockServer({
    "GET /api/auth/methods": ok(setupPending),
    "POST /api/auth/signup": forbidden("setup_token", "The setup token is not valid."),
  }),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-sign-up")
    await userEvent.type(await input(root, "setupToken"), "not-the-token")
    await errorAt(await signUp(canvasElement), /setup token is not valid/, "setupToken")
  },
}

/** 429 `TooManyRequests`: a form error with the wait. */
export const RateLimited: Story = {
  name: "Error: rate limited (429)",
  beforeEach: mockServer({ "POST /api/auth/signup": tooManyRequests(120) }),
  play: async ({ canvasElement }) => {
    await errorAt(await signUp(canvasElement), /\(120 s\)/)
  },
}

/** `fetch` rejects: "Try again" re-sends what is still in the form. */
export const NetworkFailure: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "POST /api/auth/signup": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => {
    const root = await signUp(canvasElement)
    await errorAt(root, /could not be reached/)
    await expect(await find(root, '[part~="retry"]', HTMLButtonElement)).toBeVisible()
  },
}

export const Accessibility: Story = {
  beforeEach: mockServer({
    "POST /api/auth/signup": conflict("This email already has an account."),
  }),
  render: (args) =>
    withNotes(html`<ig-sign-up base-url=${origin} terms-href=${args.termsHref}></ig-sign-up>`, [
      "Every input has a visible label that wraps it, with the rule in the label itself (at least 10 characters; 16 or older) rather than only in an error; autocomplete is set (name, email, new-password, bday-year).",
      "The birth year is a text input with inputmode=numeric: a numeric keyboard on phones without a spinner that changes the year on scroll.",
      "An error about a field is shown under it with role=alert, linked by aria-describedby, and the input gets aria-invalid=true. The terms error is role=alert and sets aria-invalid on the checkbox, but is not linked to it by aria-describedby.",
      "The terms link opens in a new tab (target=_blank) without saying so; an embedding page that replaces it through the terms slot can add that.",
      "When approval is required, the form is replaced by a role=status notice, so screen readers announce it.",
      "While submitting, the button is disabled and says Creating…",
    ]),
}
