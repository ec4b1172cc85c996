import "@ignition/ui-components/offline-banner"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, waitFor } from "storybook/test"
import { shadowOf } from "./support/dom.js"
import { offline } from "./support/network.js"
import { withNotes } from "./support/notes.js"

interface Args {
  readonly queued: number
}

/**
 * Says when the browser is offline and how many changes wait to be sent.
 * Inside `<ig-app>` with a user signed in, the count is the sync engine's
 * outbox; on its own, as here, it is `queued`. It talks to no server: the
 * stories switch `navigator.onLine` instead. Use the `queued` control to
 * change the count.
 */
const meta = {
  title: "Elements/ig-offline-banner",
  component: "ig-offline-banner",
  args: { queued: 0 },
  argTypes: { queued: { control: { type: "number", min: 0 }, description: "Changes not sent yet (`queued`)" } },
  render: (args) => html`<ig-offline-banner .queued=${args.queued}></ig-offline-banner>`,
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Offline with nothing waiting. */
export const Overview: Story = {
  name: "Offline",
  beforeEach: offline(),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-offline-banner")
    await waitFor(() => expect(root.querySelector('[role="status"]')).toHaveTextContent("You are offline."))
  },
}

/** Offline with changes made here that the server has not received yet. */
export const OfflineWithQueue: Story = {
  name: "Offline with queued changes",
  args: { queued: 3 },
  beforeEach: offline(),
}

/** Back online, the queue being sent: the banner stays until the count reaches 0. */
export const Sending: Story = {
  name: "Loading: sending queued changes",
  args: { queued: 1 },
}

/** Online with nothing queued: the element renders nothing (the canvas is empty on purpose). */
export const Empty: Story = {
  name: "Empty: online, nothing queued",
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-offline-banner")
    await expect(root.querySelector('[part="banner"]')).toBeNull()
  },
}

export const Accessibility: Story = {
  args: { queued: 2 },
  beforeEach: offline(),
  render: (args) =>
    withNotes(html`<ig-offline-banner .queued=${args.queued}></ig-offline-banner>`, [
      "The notice is role=status (a polite live region): the count changing is announced without moving focus. The region is created together with its first message, though, and some screen readers do not announce text that arrives with its live region: going offline may pass silently there.",
      "It is text only: nothing to focus, nothing to dismiss, so it never traps the keyboard. Hidden while online with nothing queued, it takes no space.",
      "The message says what happens next (changes will be sent when you reconnect), not only that something is wrong.",
      "Its colours come from the theme tokens (--ig-color-surface-raised, --ig-color-border); check contrast in both themes with the toolbar's Theme switch and the a11y panel.",
    ]),
}
