import "@ignition/ui-components/index-progress"
import "@ignition/ui-components/ideas"
import type { IgIndexProgress } from "@ignition/ui-components"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, waitFor } from "storybook/test"
import { shadowOf } from "./support/dom.js"
import { knowledgePage, knowledgeServer, manyIdeas, unlockVault } from "./support/knowledgeServer.js"
import { withNotes } from "./support/notes.js"

type Progress = NonNullable<IgIndexProgress["progress"]>

interface Args {
  readonly progress: Progress | null
}

const bar = (args: Args) => html`<ig-index-progress .progress=${args.progress}></ig-index-progress>`

const element = (canvasElement: HTMLElement): IgIndexProgress => {
  const found = canvasElement.querySelector("ig-index-progress")
  if (found === null) throw new Error("No <ig-index-progress> in the story.")
  return found
}

/** The bar's `aria-valuetext` once it says `text`. */
const says = async (canvasElement: HTMLElement, text: string) => {
  const root = await shadowOf(canvasElement, "ig-index-progress")
  await waitFor(() => expect(root.querySelector('[part~="bar"]')).toHaveAttribute("aria-valuetext", text))
  return root
}

/**
 * The load that follows an unlock: downloading the encrypted records,
 * decrypting them on this device, indexing them for search. The knowledge
 * elements show it while they load; here `progress` is set by hand (the
 * element reads the knowledge base's own when it is not set — see "Live").
 */
const meta = {
  title: "Elements/ig-index-progress",
  component: "ig-index-progress",
  args: { progress: { phase: "decrypting", done: 1200, total: 10_000 } },
  render: bar,
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Downloading: the pages of the three kinds. */
export const Downloading: Story = {
  args: { progress: { phase: "downloading", done: 1, total: 3 } },
  play: async ({ canvasElement }) => {
    await says(canvasElement, "Downloading your notes…")
  },
}

/** Decrypting, before there is a pace to estimate from: the counts, in the reader's number format. */
export const Decrypting: Story = {
  play: async ({ canvasElement }) => {
    const root = await says(canvasElement, `Decrypting ${(1200).toLocaleString()} of ${(10_000).toLocaleString()}…`)
    await expect(root.querySelector('[part~="bar"]')).toHaveAttribute("aria-valuenow", "1200")
  },
}

/** Indexing, with the time left rounded as a person would say it. */
export const Indexing: Story = {
  args: { progress: { phase: "indexing", done: 3000, total: 10_000, etaMs: 2300 } },
  play: async ({ canvasElement }) => {
    await says(canvasElement, `Indexing ${(3000).toLocaleString()} of ${(10_000).toLocaleString()} — about 2 s left`)
  },
}

/** Minutes left. */
export const LongWait: Story = {
  name: "Indexing: minutes left",
  args: { progress: { phase: "indexing", done: 400, total: 250_000, etaMs: 130_000 } },
  play: async ({ canvasElement }) => {
    await says(canvasElement, `Indexing 400 of ${(250_000).toLocaleString()} — about 2 min left`)
  },
}

/** No load under way: nothing shows. */
export const Idle: Story = {
  name: "Nothing to show",
  args: { progress: null },
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-index-progress")
    await expect(root.querySelector('[part~="bar"]')).toBeNull()
  },
}

/** A load ends: the bar goes and "Search is ready" is announced (a polite live region). */
export const Finished: Story = {
  name: "Finished: Search is ready",
  args: { progress: { phase: "indexing", done: 9000, total: 10_000, etaMs: 400 } },
  play: async ({ canvasElement }) => {
    const root = await says(
      canvasElement,
      `Indexing ${(9000).toLocaleString()} of ${(10_000).toLocaleString()} — less than a second left`,
    )
    element(canvasElement).progress = null
    await waitFor(() => expect(root.querySelector('[part~="status"]')).toHaveTextContent("Search is ready"))
    await expect(root.querySelector('[part~="bar"]')).toBeNull()
  },
}

/**
 * The real thing: 1,500 ideas sealed with the story vault's key. Unlocking
 * (here, by the play function) downloads, decrypts in batches of 500 and
 * indexes them; `<ig-ideas>` shows the bar while it loads, and the bar on
 * its own follows the same knowledge base.
 */
export const Live: Story = {
  name: "Live: unlock 1,500 ideas",
  render: () =>
    knowledgePage(html`<ig-index-progress></ig-index-progress>
      <ig-ideas></ig-ideas>`),
  beforeEach: knowledgeServer({ records: manyIdeas(1500), delay: 150 }),
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-index-progress")
    await unlockVault(canvasElement, "ig-ideas")
    await waitFor(() => expect(root.querySelector('[part~="status"]')).toHaveTextContent("Search is ready"), {
      timeout: 20_000,
    })
  },
}

export const Accessibility: Story = {
  args: { progress: { phase: "indexing", done: 3000, total: 10_000, etaMs: 2300 } },
  render: (args) =>
    withNotes(bar(args), [
      'The bar is role="progressbar" named "Loading your notes", with aria-valuemin, aria-valuemax and aria-valuenow, and aria-valuetext saying the phase in words ("Indexing 3,000 of 10,000 — about 2 s left"); the same sentence shows above it.',
      'It is not a live region while it runs (a sentence changing every few hundred milliseconds would drown everything else); when the load finishes, a polite status says "Search is ready" once.',
      "Numbers follow the reader's locale (Intl.NumberFormat); the time left is rounded to words: less than a second, about 4 s, about 2 min.",
      "The fill does not animate for those who prefer reduced motion; in forced-colors mode the bar keeps a border and a Highlight fill.",
    ]),
}
