import "@ignition/ui-components/app"
import "@ignition/ui-components/sign-in"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, input, shadowOf } from "./support/dom.js"
import { methods, session } from "./support/fixtures.js"
import { forbidden, mockServer, networkFailure, ok, origin, pending, unauthorized } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { sessionProbe } from "./support/SessionProbe.js"

interface Args {
  readonly baseUrl: string
}

/** Waits until the probe shows `text`. */
const sessionShows = async (canvasElement: HTMLElement, text: RegExp) => {
  const probe = await shadowOf(canvasElement, "story-session-probe")
  await waitFor(() => expect(probe.querySelector("code")).toHaveTextContent(text))
}

/**
 * The root of an Ignition UI: connects to the server in `base-url` and
 * provides that connection and the session (`GET /api/auth/session`) to
 * every `<ig-*>` element inside it. It renders only its slot; the dashed
 * box in these stories is a story-only element that shows the session it
 * provides. A 401 anywhere signs out (`ig-signed-out`).
 */
const meta = {
  title: "Elements/ig-app",
  component: "ig-app",
  args: { baseUrl: origin },
  argTypes: { baseUrl: { control: "text", description: "The server's origin (`base-url`)" } },
  render: (args) => html`<ig-app base-url=${args.baseUrl}>${sessionProbe()}</ig-app>`,
  beforeEach: mockServer({ "GET /api/auth/session": ok(session, { delay: 400 }) }),
  parameters: { actions: { handles: ["ig-signed-in", "ig-signed-out"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Signed in: the session arrives after a short wait. */
export const Overview: Story = {
  play: async ({ canvasElement }) => sessionShows(canvasElement, /signed in as Ada Lovelace/),
}

/** Before the first answer the session is `loading`. */
export const Loading: Story = {
  beforeEach: mockServer({ "GET /api/auth/session": pending() }),
  play: async ({ canvasElement }) => sessionShows(canvasElement, /loading/),
}

/** 401: nobody is signed in. Put `<ig-sign-in>` inside, as here, and a sign-in updates the session. */
export const SignedOut: Story = {
  name: "Empty: signed out, then signing in",
  render: (args) =>
    html`<ig-app base-url=${args.baseUrl}>
      ${sessionProbe()}
      <ig-sign-in></ig-sign-in>
    </ig-app>`,
  beforeEach: mockServer({
    "GET /api/auth/session": unauthorized(),
    "GET /api/auth/methods": ok(methods),
    "POST /api/auth/login": ok(session, { delay: 400 }),
  }),
  play: async ({ canvasElement }) => {
    await sessionShows(canvasElement, /signed out \(Unauthorized\)/)
    const form = await shadowOf(canvasElement, "ig-sign-in")
    await userEvent.type(await input(form, "email"), "ada@example.com")
    await userEvent.type(await input(form, "password"), "correct horse battery staple")
    await userEvent.click(await button(form, "submit"))
    await sessionShows(canvasElement, /signed in as Ada Lovelace/)
  },
}

/** 403 `Forbidden` `terms_required`: signed out with the reason, for the page to ask for the terms. */
export const TermsRequired: Story = {
  name: "Error: terms to accept (403)",
  beforeEach: mockServer({
    "GET /api/auth/session": forbidden("terms_required", "Accept the updated terms to continue."),
  }),
  play: async ({ canvasElement }) => sessionShows(canvasElement, /signed out \(terms_required\)/),
}

/** `fetch` rejects: the session is `unreachable` (a known session would be kept instead). */
export const Unreachable: Story = {
  name: "Error: network failure",
  beforeEach: mockServer({ "GET /api/auth/session": networkFailure({ delay: 300 }) }),
  play: async ({ canvasElement }) => sessionShows(canvasElement, /unreachable/),
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(html`<ig-app base-url=${args.baseUrl}>${sessionProbe()}</ig-app>`, [
      "<ig-app> renders only its slot: it adds no landmark, heading or focus stop. The page keeps its own <main>, <nav> and headings inside it.",
      "It sets the text and background colours from the theme tokens on its box; contrast is the theme's (check both with the toolbar's Theme switch).",
      "The session changing (signing in, a 401 signing out) does not move focus or announce anything by itself: the page decides what to show and where focus goes.",
    ]),
}
