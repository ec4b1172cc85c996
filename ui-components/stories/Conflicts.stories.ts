import "@ignition/ui-components/conflicts"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { idea, infobaseNote, knowledgePage, knowledgeServer, unlockVault } from "./support/knowledgeServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn } from "./support/vault.js"

const tag = "ig-conflicts"

/** A note, and the copy a save of it kept when another device had changed it first; an idea's copy too. */
const original = infobaseNote({ title: "Reverb settings", content: "Hall, 2.0 s.\nPre-delay 30 ms.", tags: ["mixing"] })

const records = [
  original,
  infobaseNote({
    title: "Reverb settings (conflict copy 2026-11-22 09:14)",
    content: "Plate, 1.2 s.\nPre-delay 20 ms.",
    tags: ["mixing", "conflict-copy"],
  }),
  idea({ text: "Half-time snare under the chorus", moodTags: ["dark", "conflict-copy"] }),
]

/**
 * Conflict copies and refused changes, inside `<ig-app>` with the golden
 * vault of the fake server: the knowledge base's copies (records tagged
 * `conflict-copy`) are named once the vault is unlocked, which the stories
 * do in their `play` function. Sync's own copies and refused changes come
 * from the sync engine's pulls and pushes (the fake server has no sync
 * endpoints, so none appear here; the web app's browser test covers them).
 */
const meta = {
  title: "Elements/ig-conflicts",
  component: tag,
  render: () => knowledgePage(html`<ig-conflicts></ig-conflicts>`),
  beforeEach: knowledgeServer({ records }),
  parameters: { actions: { handles: ["ig-conflict-resolved"] } },
} satisfies Meta

export default meta

type Story = StoryObj

/** The button of `part` inside one listed copy. */
const choice = (item: HTMLElement, part: string): HTMLButtonElement => {
  const found = item.querySelector<HTMLButtonElement>(`button[part~="${part}"]`)
  if (found === null) throw new Error(`No ${part} button.`)
  return found
}

const listed = async (canvasElement: HTMLElement, count: number) => {
  const root = await unlockVault(canvasElement, tag)
  await waitFor(() => expect(root.querySelectorAll('[part~="conflict"]')).toHaveLength(count), { timeout: 15_000 })
  return root
}

/** Two copies, each with what it is and the choices: discard it, or keep both (the copy loses its tag). */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const root = await listed(canvasElement, 2)
    await expect(root.querySelector('[part~="list"]')).toHaveTextContent(/Reverb settings \(conflict copy/)
    await expect(root.querySelector('[part~="list"]')).toHaveTextContent(/Half-time snare/)
  },
}

/** "Keep both": the note's copy becomes a note of its own; the list shrinks to the idea's copy. */
export const KeepBoth: Story = {
  name: "Keep both",
  play: async ({ canvasElement }) => {
    const root = await listed(canvasElement, 2)
    const note = Array.from(root.querySelectorAll<HTMLElement>('[part~="conflict"]')).find((item) =>
      item.textContent?.includes("Reverb settings"),
    )
    if (note === undefined) throw new Error("The note's copy is not listed.")
    await userEvent.click(choice(note, "keep-both"))
    await waitFor(() => expect(root.querySelectorAll('[part~="conflict"]')).toHaveLength(1), { timeout: 10_000 })
  },
}

/** "Discard this copy" deletes it; with nothing left, the element says so. */
export const Discard: Story = {
  name: "Discard the copies",
  play: async ({ canvasElement }) => {
    const root = await listed(canvasElement, 2)
    for (const remaining of [1, 0]) {
      const first = root.querySelector<HTMLElement>('[part~="conflict"]')
      if (first === null) throw new Error("No copy is listed.")
      await userEvent.click(choice(first, "keep-current"))
      await waitFor(() => expect(root.querySelectorAll('[part~="conflict"]')).toHaveLength(remaining), {
        timeout: 10_000,
      })
    }
    await expect(root.querySelector('[part~="empty"]')).toHaveTextContent("Nothing to resolve")
  },
}

/** Nothing to resolve. */
export const Empty: Story = {
  beforeEach: knowledgeServer({ records: [original] }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="empty"]')).not.toBeNull(), { timeout: 15_000 })
  },
}

/** Outside `<ig-app>` nobody is signed in: the element says so. */
export const SignedOut: Story = {
  name: "Signed out",
  render: () => html`<ig-conflicts></ig-conflicts>`,
  play: async ({ canvasElement }) => {
    const root = await shadowIn(canvasElement, tag)
    await expect(root.querySelector('[part~="signed-out"]')).toHaveTextContent("Sign in to see conflicts.")
  },
}

export const Accessibility: Story = {
  render: () =>
    withNotes(knowledgePage(html`<ig-conflicts></ig-conflicts>`), [
      "Each copy is a list item named by its kind and its name; its three choices sit in a group labelled after it, so a screen reader says which copy a button resolves.",
      "The buttons say what happens (Discard this copy, Use this copy, Keep both) rather than Yes/No; while a choice is carried out they are disabled, and a failure is announced (role=alert) under the copy it concerns.",
      "Refused changes are a second list, each with the server's reason and a Dismiss button.",
      "Colours come from the theme tokens (--ig-color-border, --ig-color-danger, --ig-color-text-muted); check contrast in both themes with the toolbar's Theme switch and the a11y panel.",
    ]),
  play: async ({ canvasElement }) => {
    await listed(canvasElement, 2)
  },
}
