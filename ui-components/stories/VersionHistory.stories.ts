import "@ignition/ui-components/version-history"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { expectHarmless, payloadMarkdown } from "./Infobase.stories.js"
import { button } from "./support/dom.js"
import {
  infobaseNote,
  journalEntry,
  type KnowledgeServerOptions,
  knowledgePage,
  knowledgeServer,
  unlockVault,
} from "./support/knowledgeServer.js"
import { delayed, internalError, mockServer, pending } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn, showsIn, vaultKnown } from "./support/vault.js"

interface Args {
  readonly kind: "infobase" | "journal"
  readonly recordId: string
}

const tag = "ig-version-history"

/** The records of these stories, by fixed ids (each id keeps one text: the search snapshot is per id). */
const ids = {
  note: "5b7e1c2d-3a4f-4b6c-9d8e-0f1a2b3c4d5e",
  changed: "6c8f2d3e-4b5a-4c7d-8e9f-1a2b3c4d5e6f",
  entry: "7d9a3e4f-5c6b-4d8e-9fa0-2b3c4d5e6f70",
  payload: "8eab4f5a-6d7c-4e9f-a0b1-3c4d5e6f7081",
} as const

const drafts = [
  { title: "Reverb settings", category: "Production", tags: [], content: "Plate, 1.2 s.\nPre-delay 20 ms." },
  {
    title: "Reverb settings",
    category: "Production",
    tags: ["mixing"],
    content: "Plate, 1.2 s.\nPre-delay 30 ms.\nHigh-cut at 8 kHz.",
  },
  {
    title: "Reverb settings",
    category: "Production",
    tags: ["mixing"],
    content: "Plate, 1.4 s.\nPre-delay 30 ms.\nHigh-cut at 8 kHz.\nLow-cut at 200 Hz.",
  },
] as const

/** A note with four versions: three earlier ones, then the current one. */
const note = infobaseNote(
  { title: "Reverb settings", category: "Production", tags: ["mixing"], content: "Hall, 2.0 s.\nPre-delay 30 ms." },
  { id: ids.note, history: drafts },
)

const render = (args: Args) =>
  knowledgePage(html`<ig-version-history kind=${args.kind} record-id=${args.recordId}></ig-version-history>`)

/** Unlocks the story's vault and waits for the list of versions. */
const versions = async (canvasElement: HTMLElement, count: number) => {
  const root = await unlockVault(canvasElement, tag)
  await waitFor(() => expect(root.querySelectorAll('[part~="version"]')).toHaveLength(count), { timeout: 15_000 })
  return root
}

/** Chooses version `number` in the list. */
const choose = async (root: ShadowRoot, number: number) => {
  const found = Array.from(root.querySelectorAll<HTMLButtonElement>('[part~="select"]')).find(
    (candidate) => candidate.querySelector('[part~="version-number"]')?.textContent === `Version ${number}`,
  )
  if (found === undefined) throw new Error(`No version ${number} in the list.`)
  await userEvent.click(found)
  await expect(found).toHaveAttribute("aria-pressed", "true")
}

/**
 * The version history of one note or journal entry, on its own (the
 * Infobase and the Journal open it under their editors): inside `<ig-app>`
 * with the golden vault of the fake server, every version decrypted on this
 * device. The stories unlock the vault in their `play` function.
 */
const meta = {
  title: "Elements/ig-version-history",
  component: tag,
  args: { kind: "infobase", recordId: ids.note },
  argTypes: {
    kind: { control: "inline-radio", options: ["infobase", "journal"], description: "`kind`" },
    recordId: { control: "text", description: "`record-id`" },
  },
  render,
  beforeEach: knowledgeServer({ records: [note] }),
  parameters: { actions: { handles: ["ig-version-restored"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

const server = (options: KnowledgeServerOptions): Pick<Story, "beforeEach"> => ({
  beforeEach: knowledgeServer(options),
})

/**
 * Four versions, newest first, the current one marked; choosing version 2
 * shows its text, its details, and the lines changed since.
 */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const root = await versions(canvasElement, 4)
    await expect(root.querySelector('[part~="version"] [part~="current-marker"]')).toHaveTextContent("Current")
    await choose(root, 2)
    await showsIn(root, /Changes from version 2 to the current version \(4\)/)
    await expect(root.querySelector('[part~="diff-summary"]')).toHaveTextContent("2 lines removed, 1 line added.")
    await expect(root.querySelector('[part~="diff-removed"]')).toHaveTextContent(/Plate, 1\.2 s\./)
    await expect(root.querySelector('[part~="diff-added"]')).toHaveTextContent(/Hall, 2\.0 s\./)
    await waitFor(() => expect(root.querySelector('[part~="markdown"]')).toHaveTextContent(/High-cut at 8 kHz/), {
      timeout: 10_000,
    })
  },
}

/** The current version cannot be restored: its button is disabled, and says why. */
export const Current: Story = {
  name: "The current version",
  play: async ({ canvasElement }) => {
    const root = await versions(canvasElement, 4)
    await choose(root, 4)
    await expect(await button(root, "restore")).toBeDisabled()
    await expect(root.querySelector('[part~="restore-note"]')).toHaveTextContent("This is the current version.")
    await expect(root.querySelector('[part~="diff"]')).toBeNull()
  },
}

/**
 * Restoring version 1: a confirmation first (Escape or Cancel goes back),
 * then it is saved as version 5 and the list shows it as current;
 * `ig-version-restored` says which version was restored.
 */
export const Restore: Story = {
  play: async ({ canvasElement }) => {
    const root = await versions(canvasElement, 4)
    const element = canvasElement.querySelector(tag)
    const restored = new Promise<{ readonly version: number }>((resolve) =>
      element?.addEventListener("ig-version-restored", (event) => resolve(event), { once: true }),
    )
    await choose(root, 1)
    await userEvent.click(await button(root, "restore"))
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="confirm-button"]')))
    await userEvent.keyboard("{Escape}")
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="restore"]')))
    await userEvent.click(await button(root, "restore"))
    await userEvent.click(await button(root, "confirm-button"))
    await showsIn(root, /Version 1 was restored as version 5\./)
    await expect((await restored).version).toBe(1)
    await waitFor(() => expect(root.querySelectorAll('[part~="version"]')).toHaveLength(5), { timeout: 10_000 })
    await expect(root.querySelector('[part~="version"] [part~="version-summary"]')).toHaveTextContent("Reverb settings")
  },
}

/**
 * The note changed on another device before the restore arrived (409):
 * nothing is restored, the history says so and shows the newer version.
 */
export const RestoreConflict: Story = {
  name: "Conflict: changed on another device first",
  args: { recordId: ids.changed },
  ...server({
    records: [
      infobaseNote(
        { title: "Compressor notes", tags: [], content: "Ratio 4:1." },
        {
          id: ids.changed,
          history: [{ title: "Compressor notes", category: null, tags: [], content: "Ratio 2:1." }],
          changedElsewhere: { title: "Compressor notes", category: null, tags: [], content: "Ratio 8:1 (phone)." },
        },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await versions(canvasElement, 2)
    await choose(root, 1)
    await userEvent.click(await button(root, "restore"))
    await userEvent.click(await button(root, "confirm-button"))
    await waitFor(
      () => expect(root.querySelector('[part~="restore-error"]')).toHaveTextContent(/nothing was restored/),
      {
        timeout: 10_000,
      },
    )
    await waitFor(() => expect(root.querySelectorAll('[part~="version"]')).toHaveLength(3), { timeout: 10_000 })
    await expect(root.querySelector('[part~="version"] [part~="version-summary"]')).toHaveTextContent(
      "Compressor notes",
    )
  },
}

/** A journal entry's history: versions named by their first line. */
export const JournalEntry: Story = {
  name: "A journal entry",
  args: { kind: "journal", recordId: ids.entry },
  ...server({
    records: [
      journalEntry(
        { entryDate: "2026-03-09", content: "Recorded the vocal comp. Take 4 is the one." },
        {
          id: ids.entry,
          history: [{ entryDate: "2026-03-09", tags: [], content: "Recorded vocals, six takes." }],
        },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await versions(canvasElement, 2)
    await expect(root.querySelector('[part~="version-summary"]')).toHaveTextContent("Recorded the vocal comp.")
    await choose(root, 1)
    await showsIn(root, /Monday 9 March 2026|March 9, 2026|9 March 2026/)
  },
}

/** A version whose Markdown tries scripts, handlers and `javascript:` links renders harmlessly. */
export const Payloads: Story = {
  name: "Markdown: scripts and handlers render harmlessly",
  args: { recordId: ids.payload },
  ...server({
    records: [
      infobaseNote(
        { title: "Payloads", content: "Cleaned up." },
        { id: ids.payload, history: [{ title: "Payloads", category: null, tags: [], content: payloadMarkdown }] },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    window.__igPayload = undefined
    const root = await versions(canvasElement, 2)
    await choose(root, 1)
    await expectHarmless(root)
  },
}

/** The versions are on their way (here: forever): placeholder rows. */
export const LoadingVersions: Story = {
  name: "Loading the versions",
  beforeEach: mockServer({ "GET /api/infobase/:id/versions": pending() }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="loading"] [part~="skeleton-row"]')).toBeTruthy(), {
      timeout: 15_000,
    })
  },
}

/** The versions could not be loaded (500): the reason and "Try again". */
export const VersionsFailed: Story = {
  name: "Error: versions not loaded",
  beforeEach: mockServer({ "GET /api/infobase/:id/versions": delayed(300, internalError()) }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="error"]')).toHaveTextContent(/could not be loaded/), {
      timeout: 15_000,
    })
    await expect(await button(root, "retry")).toBeTruthy()
  },
}

/** Locked: one sentence, no version. */
export const Locked: Story = {
  play: async ({ canvasElement }) => {
    await vaultKnown(canvasElement, tag)
    const root = await shadowIn(canvasElement, tag)
    await showsIn(root, /Your versions are locked\. Unlock the vault to see and edit them\./)
    await expect(root.querySelector('[part~="versions"]')).toBeNull()
  },
}

/** No vault yet. */
export const Absent: Story = {
  name: "Empty: no vault",
  ...server({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await vaultKnown(canvasElement, tag)
    await showsIn(await shadowIn(canvasElement, tag), /Set up your vault to keep your versions encrypted\./)
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(render(args), [
      "The versions are an ordered list of buttons, newest first; each says its number, when it was saved, its privacy mode and its title in words, and Current on the current one. The chosen one has aria-pressed=true.",
      "The chosen version is a section with its own heading: its details as a description list, its text rendered from Markdown, then the changes since — each line marked Removed or Added in words for screen readers (a − or + and colour for sight), unchanged stretches counted.",
      "Restore this version is disabled on the current version, with the reason written next to it. It asks first, in place: focus moves to Restore, Escape or Cancel goes back to the button.",
      "A restore is said in a status region (and focus moves there); a refusal or a conflict is role=alert, in words.",
      "While the vault is locked there is one sentence and no version; while the versions load, placeholder rows are aria-busy.",
    ]),
  play: async ({ canvasElement }) => {
    const root = await versions(canvasElement, 4)
    await choose(root, 2)
  },
}
