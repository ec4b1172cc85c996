import "@ignition/ui-components/search-box"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { find } from "./support/dom.js"
import {
  knowledgePage,
  knowledgeServer,
  replaceText,
  sampleIdeas,
  sampleJournal,
  sampleNotes,
  unlockVault,
} from "./support/knowledgeServer.js"
import { internalError } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn, showsIn } from "./support/vault.js"

interface Args {
  /** `types`: the kinds searched, space-separated (empty: all). */
  readonly types: string
  readonly limit: number
}

const searchBox = (args: Args) =>
  knowledgePage(html`<ig-search-box types=${args.types} limit=${args.limit}></ig-search-box>`)

const everything = [...sampleIdeas, ...sampleNotes, ...sampleJournal]

/** Unlocks the story vault, waits for the index, and answers the box's shadow root and field. */
const ready = async (canvasElement: HTMLElement) => {
  const root = await unlockVault(canvasElement, "ig-search-box")
  const field = await find(root, '[part~="input"]', HTMLInputElement)
  await waitFor(() => expect(root.querySelector('[part~="base"]')).toHaveAttribute("aria-busy", "false"), {
    timeout: 15_000,
  })
  await waitFor(() => expect(field).toBeEnabled())
  return { root, field }
}

/** Types `query` and waits for the live count. */
const search = async (root: ShadowRoot, field: HTMLInputElement, query: string, count: RegExp) => {
  await replaceText(field, query)
  await waitFor(() => expect(root.querySelector('[part~="status"]')).toHaveTextContent(count), { timeout: 5_000 })
}

const titles = (root: ShadowRoot) =>
  Array.from(root.querySelectorAll('[part~="option-title"]'), (title) => title.textContent?.trim() ?? "")

const marks = (root: ShadowRoot) => Array.from(root.querySelectorAll("mark"), (mark) => mark.textContent ?? "")

const activeTitle = (root: ShadowRoot, field: HTMLInputElement) => {
  const id = field.getAttribute("aria-activedescendant")
  return id === null ? undefined : root.getElementById(id)?.querySelector('[part~="option-title"]')?.textContent?.trim()
}

/**
 * Search over Ideas, Infobase notes and Journal entries — on this device,
 * in the encrypted index built at unlock; the server is never asked. The
 * stories seed all three kinds sealed with the story vault's key; the play
 * functions unlock it (or use the banner).
 */
const meta = {
  title: "Elements/ig-search-box",
  component: "ig-search-box",
  args: { types: "", limit: 20 },
  argTypes: {
    types: { control: { type: "text" }, description: "`types`: idea infobase journal" },
    limit: { control: { type: "number", min: 1 } },
  },
  render: searchBox,
  beforeEach: knowledgeServer({ records: everything }),
  parameters: { actions: { handles: ["ig-search-select"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** A key name finds ideas, notes and journal entries alike, grouped by kind, the key marked in each. */
export const Ready: Story = {
  name: "Ready: F#m across the three kinds",
  play: async ({ canvasElement }) => {
    const { root, field } = await ready(canvasElement)
    await search(root, field, "F#m", /^3 results$/)
    await expect(field).toHaveAttribute("aria-expanded", "true")
    const groups = Array.from(root.querySelectorAll('[part~="group-label"]'), (label) => label.textContent?.trim())
    await expect(groups).toEqual(["Ideas", "Infobase", "Journal"])
    await expect(marks(root).every((mark) => mark.toLowerCase() === "f#m")).toBe(true)
  },
}

/** Tempos and chords are whole tokens: `128bpm` finds "128 BPM" and "128bpm"; `Dm7` finds Dm7, not Am7. */
export const Musical: Story = {
  name: "Musical queries: 128bpm, Dm7",
  play: async ({ canvasElement }) => {
    const { root, field } = await ready(canvasElement)
    await search(root, field, "128bpm", /^2 results$/)
    await expect(marks(root).map((mark) => mark.toLowerCase().replace(/[\s-]/g, ""))).toContain("128bpm")
    await search(root, field, "Dm7", /^3 results$/)
    await expect(marks(root).every((mark) => mark === "Dm7")).toBe(true)
  },
}

/**
 * The keys: the first result is active as results arrive; ArrowDown and
 * ArrowUp wrap, Home and End jump, Enter chooses (`ig-search-select` with
 * the record's type and id); Escape closes, a second Escape clears.
 */
export const Keyboard: Story = {
  name: "Keyboard: arrows, Home/End, Enter, Escape twice",
  play: async ({ canvasElement }) => {
    const { root, field } = await ready(canvasElement)
    const chosen: Array<{ readonly type: string; readonly id: string }> = []
    canvasElement.querySelector("ig-search-box")?.addEventListener("ig-search-select", (event) => {
      chosen.push(event.record)
    })
    await search(root, field, "F#m", /^3 results$/)
    const all = titles(root)
    await expect(activeTitle(root, field)).toBe(all[0])
    await userEvent.keyboard("{ArrowUp}")
    await expect(activeTitle(root, field)).toBe(all.at(-1))
    await userEvent.keyboard("{ArrowDown}")
    await expect(activeTitle(root, field)).toBe(all[0])
    await userEvent.keyboard("{End}")
    await expect(activeTitle(root, field)).toBe(all.at(-1))
    await userEvent.keyboard("{Home}{ArrowDown}")
    await expect(activeTitle(root, field)).toBe(all[1])
    await userEvent.keyboard("{Enter}")
    await waitFor(() => expect(chosen).toHaveLength(1))
    await expect(field).toHaveAttribute("aria-expanded", "false")
    await userEvent.keyboard("{ArrowDown}")
    await expect(field).toHaveAttribute("aria-expanded", "true")
    await userEvent.keyboard("{Escape}")
    await expect(field).toHaveAttribute("aria-expanded", "false")
    await expect(field).toHaveValue("F#m")
    await userEvent.keyboard("{Escape}")
    await expect(field).toHaveValue("")
  },
}

/** `types="idea"`: only ideas are searched. */
export const IdeasOnly: Story = {
  name: "Only ideas (types)",
  args: { types: "idea" },
  play: async ({ canvasElement }) => {
    const { root, field } = await ready(canvasElement)
    await search(root, field, "Dm7", /^1 result$/)
    await expect(
      Array.from(root.querySelectorAll('[part~="group-label"]'), (label) => label.textContent?.trim()),
    ).toEqual(["Ideas"])
  },
}

/** Nothing matches: said in the popup and announced. */
export const NoResults: Story = {
  name: "No results",
  play: async ({ canvasElement }) => {
    const { root, field } = await ready(canvasElement)
    await search(root, field, "theremin", /^No results$/)
    await expect(root.querySelector('[part~="empty"]')).toHaveTextContent("No results for “theremin”.")
    await expect(field).toHaveAttribute("aria-expanded", "false")
  },
}

/** Locked: the field is disabled and says search works after unlocking. */
export const Locked: Story = {
  play: async ({ canvasElement }) => {
    const root = await shadowIn(canvasElement, "ig-search-box")
    await showsIn(root, /Search works after you unlock your vault\./)
    await expect(await find(root, '[part~="input"]', HTMLInputElement)).toBeDisabled()
  },
}

/** No vault yet. */
export const Absent: Story = {
  name: "No vault",
  beforeEach: knowledgeServer({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    const root = await shadowIn(canvasElement, "ig-search-box")
    await showsIn(root, /Set up your vault to keep your notes encrypted and search them\./)
  },
}

/** While the records load and the index builds: the field works, and the progress shows under it. */
export const Loading: Story = {
  name: "Loading: index building",
  beforeEach: knowledgeServer({ records: everything, listDelay: Number.POSITIVE_INFINITY }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, "ig-search-box")
    const progress = await shadowIn(root, "ig-index-progress")
    await waitFor(() =>
      expect(progress.querySelector('[part~="bar"]')).toHaveAttribute("aria-valuetext", "Downloading your notes…"),
    )
  },
}

/** The records could not be loaded: the reason and Try again, which loads them. */
export const Failed: Story = {
  name: "Error: not loaded, then Try again",
  beforeEach: knowledgeServer({ records: everything, listFailure: internalError() }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, "ig-search-box")
    await find(root, '[part~="failed"]', HTMLElement)
    await userEvent.click(await find(root, '[part~="retry"]', HTMLButtonElement))
    await waitFor(() => expect(root.querySelector('[part~="input"]')).toBeEnabled(), { timeout: 15_000 })
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(searchBox(args), [
      "The field is an ARIA combobox (role=combobox, aria-autocomplete=list, aria-expanded, aria-controls) with a visible label; the popup is a listbox whose options are grouped (role=group, labelled Ideas, Infobase, Journal). Focus stays in the field: the active option is aria-activedescendant.",
      "The first result is active when results arrive. ArrowDown and ArrowUp move and wrap, Home and End jump to the first and last, Enter chooses; Alt+ArrowDown opens without moving. Escape closes the popup, a second Escape clears the field. The mouse chooses too; clicking the popup keeps focus in the field.",
      'A polite status says how many results there are ("5 results", "No results"). Matched words are <mark> (bold too, not colour alone), built from the record\'s text with Lit templates — never HTML strings.',
      "While the vault is locked the field is disabled and described by the sentence that says search works after unlocking; while the index builds, <ig-index-progress> shows under it, and says Search is ready when done.",
    ]),
}
