import "@ignition/ui-components/journal"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { expectHarmless, payloadMarkdown } from "./Infobase.stories.js"
import { button, find, input } from "./support/dom.js"
import {
  journalEntry,
  type KnowledgeServerOptions,
  knowledgePage,
  knowledgeServer,
  sampleJournal,
  unlockVault,
} from "./support/knowledgeServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn, showsIn, vaultKnown } from "./support/vault.js"

interface Args {
  /** `selected`: the id of the entry to open. */
  readonly selected: string
}

const tag = "ig-journal"

/** Unlocks the story's vault and waits until the entries are decrypted (Argon2id, then the load). */
const unlocked = async (canvasElement: HTMLElement) => {
  const root = await unlockVault(canvasElement, tag)
  await waitFor(() => expect(root.querySelector('[part~="list-pane"]')).toBeTruthy(), { timeout: 15_000 })
  return root
}

/** The list's "open" button of the entry whose text matches `text`. */
const entryButton = (root: ShadowRoot, text: RegExp) =>
  waitFor(
    () => {
      const found = Array.from(root.querySelectorAll<HTMLButtonElement>('button[part~="open"]')).find((candidate) =>
        text.test(candidate.textContent ?? ""),
      )
      if (found === undefined) throw new Error(`No entry matching ${text} in the list.`)
      return found
    },
    { timeout: 10_000 },
  )

/** Unlocks the story's vault and opens the entry whose text matches `text`. */
const openEntry = async (canvasElement: HTMLElement, text: RegExp) => {
  const root = await unlocked(canvasElement)
  await userEvent.click(await entryButton(root, text))
  await waitFor(() => expect(root.querySelector('[part~="editor"]')).toBeTruthy())
  return root
}

const textArea = (root: ShadowRoot) => find(root, 'textarea[name="content"]', HTMLTextAreaElement)

/** Today where the reader is, as `YYYY-MM-DD` (what "New entry" must start with). */
const today = () => {
  const now = new Date()
  const pad = (value: number) => String(value).padStart(2, "0")
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

const deepLinkId = "8a1d2e3f-4b5c-4d6e-8f70-91a2b3c4d5e6"

const render = (args: Args) => knowledgePage(html`<ig-journal selected=${args.selected}></ig-journal>`)

/**
 * The journal, inside `<ig-app>` under `<ig-vault-lock-banner>`, with the
 * golden vault of the fake server and the real cryptography: its entries
 * are sealed with the vault's key, decrypted and indexed at unlock. The
 * stories unlock it in their `play` function; unlocking by hand works too
 * (passphrase under the element).
 */
const meta = {
  title: "Elements/ig-journal",
  component: tag,
  args: { selected: "" },
  argTypes: { selected: { control: "text", description: "`selected`: the id of the entry to open" } },
  render,
  beforeEach: knowledgeServer({ records: sampleJournal }),
  parameters: { actions: { handles: ["ig-version-restored", "ig-privacy-change"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

const server = (options: KnowledgeServerOptions): Pick<Story, "beforeEach"> => ({
  beforeEach: knowledgeServer(options),
})

/** Unlocked: entries grouped by month, newest first. */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await waitFor(() => expect(root.querySelectorAll('[part~="month"]')).toHaveLength(2))
    const months = Array.from(root.querySelectorAll('[part~="month-heading"]'), (heading) => heading.textContent)
    await expect(months[0]).toMatch(/2026/)
    await expect(root.querySelector('[part~="month"] [part~="item-meta"]')).toHaveTextContent(/F#m scale/)
  },
}

/** "New entry" is dated today; saved with Ctrl+S, it joins this month's entries. */
export const NewEntry: Story = {
  name: "New entry, dated today, saved with Ctrl+S",
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await userEvent.click(await button(root, "new"))
    const date = await input(root, "entryDate")
    await expect(date).toHaveValue(today())
    await waitFor(() => expect(root.activeElement).toBe(date))
    await userEvent.type(await textArea(root), "Practised the bridge with a metronome at 90.")
    await userEvent.keyboard("{Control>}s{/Control}")
    await waitFor(() => expect(root.querySelector('[part~="status"]')).toHaveTextContent("Saved."), { timeout: 10_000 })
    await entryButton(root, /bridge with a metronome/)
    await expect(root.querySelector('[part~="count"]')).toHaveTextContent("3 entries")
  },
}

/**
 * Another device changed this entry just before this save arrived: the
 * editor shows that device's version, says so, and keeps the text typed
 * here as a conflict copy, one button away.
 */
export const Conflict: Story = {
  name: "Conflict: changed on another device",
  ...server({
    records: [
      journalEntry(
        { entryDate: "2026-03-04", content: "Slow practice, left hand only." },
        {
          changedElsewhere: {
            entryDate: "2026-03-04",
            tags: [],
            content: "Slow practice, left hand only. Added: hands together at the end (phone).",
          },
        },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await openEntry(canvasElement, /Slow practice/)
    await userEvent.type(await textArea(root), " Then scales (laptop).")
    await userEvent.click(await button(root, "save"))
    await waitFor(
      () =>
        expect(root.querySelector('[part~="conflict"]')).toHaveTextContent(
          "Changed on another device — your version was kept as a conflict copy.",
        ),
      { timeout: 10_000 },
    )
    await expect((await textArea(root)).value).toContain("(phone)")
    await userEvent.click(await button(root, "open-copy"))
    await waitFor(async () => expect((await textArea(root)).value).toContain("(laptop)"))
    await expect(root.querySelector('[part~="open"][aria-current="true"]')).toHaveTextContent(/Conflict copy/)
  },
}

/** History: an entry with three versions; restoring the first (after a confirmation) makes it the newest. */
export const History: Story = {
  name: "History: restore an older version",
  ...server({
    records: [
      journalEntry(
        { entryDate: "2026-03-06", tags: ["practice"], content: "Third take: tempo 100, clean." },
        {
          history: [
            { entryDate: "2026-03-06", tags: [], content: "First take: tempo 80." },
            { entryDate: "2026-03-06", tags: ["practice"], content: "Second take: tempo 90, one slip." },
          ],
        },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await openEntry(canvasElement, /Third take/)
    await userEvent.click(await button(root, "history-toggle"))
    const history = await shadowIn(root, "ig-version-history")
    await waitFor(() => expect(history.querySelectorAll('[part~="version"]')).toHaveLength(3), { timeout: 10_000 })
    const oldest = Array.from(history.querySelectorAll<HTMLButtonElement>('[part~="select"]')).at(-1)
    if (oldest === undefined) throw new Error("No version to choose.")
    await userEvent.click(oldest)
    await userEvent.click(await button(history, "restore"))
    await userEvent.click(await button(history, "confirm-button"))
    await showsIn(history, /Version 1 was restored as version 4\./)
    await waitFor(async () => expect((await textArea(root)).value).toBe("First take: tempo 80."), { timeout: 10_000 })
  },
}

/** An entry whose Markdown tries scripts, handlers and `javascript:` links: the preview shows text; nothing runs. */
export const Payloads: Story = {
  name: "Markdown: scripts and handlers render harmlessly",
  ...server({ records: [journalEntry({ entryDate: "2026-03-05", content: payloadMarkdown })] }),
  play: async ({ canvasElement }) => {
    window.__igPayload = undefined
    const root = await openEntry(canvasElement, /Payloads/)
    await userEvent.click(await find(root, "#editor-tab-preview", HTMLButtonElement))
    await expectHarmless(root)
  },
}

/** `selected` names an entry (a deep link from search): it opens once the entries are decrypted. */
export const DeepLink: Story = {
  name: "Deep link: selected",
  args: { selected: deepLinkId },
  ...server({
    records: [
      ...sampleJournal,
      journalEntry(
        { entryDate: "2025-12-24", tags: ["gig"], content: "Christmas Eve gig: the new arrangement landed." },
        { id: deepLinkId, age: 70 * 24 * 60 * 60_000 },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(async () => expect((await textArea(root)).value).toContain("Christmas Eve gig"), { timeout: 15_000 })
    await expect(await input(root, "entryDate")).toHaveValue("2025-12-24")
  },
}

/** Locked: one sentence, no entry and no form. */
export const Locked: Story = {
  play: async ({ canvasElement }) => {
    await vaultKnown(canvasElement, tag)
    const root = await shadowIn(canvasElement, tag)
    await showsIn(root, /Your journal entries are locked\. Unlock the vault to see and edit them\./)
    await expect(root.querySelector('[part~="list"], form, textarea')).toBeNull()
  },
}

/** No vault yet. */
export const Absent: Story = {
  name: "Empty: no vault",
  ...server({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await vaultKnown(canvasElement, tag)
    await showsIn(await shadowIn(canvasElement, tag), /Set up your vault to keep your journal entries encrypted\./)
  },
}

/** After the unlock, while the entries download (here: forever), placeholder rows and the load's progress. */
export const Loading: Story = {
  ...server({ records: sampleJournal, listDelay: Number.POSITIVE_INFINITY }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="loading"] [part~="skeleton-row"]')).toBeTruthy())
    await expect(root.querySelector('[part~="index-progress"]')).toBeTruthy()
  },
}

/** No entries yet: "New entry" starts today's. */
export const Empty: Story = {
  name: "Empty: no entries",
  ...server({ records: [] }),
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await expect(root.querySelector('[part~="no-notes"]')).toHaveTextContent(/No entries yet/)
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(render(args), [
      "Every state is a sentence: signed out, no vault, locked (with no entry and no form), a failure with Try again (role=alert). While the entries load, placeholder rows are aria-busy and <ig-index-progress> says the progress in words.",
      "The list is one section per month, each with its heading (March 2026), then the entries as buttons named by their date written out and their first line; the open one has aria-current=true.",
      "New entry is dated today (the reader's local date) and moves focus to its Date field, a native date input.",
      "Tags: Enter or a comma adds one, Backspace in the empty input removes the last, each tag has a Remove button named after it; changes are said in a polite live region.",
      "Write and Preview follow the ARIA tabs pattern (arrow keys, Home, End). Save is a button and Ctrl/Cmd+S; Unsaved changes is written out.",
      "Delete and leaving unsaved changes ask first, in place: focus moves to the button that goes ahead, Escape cancels and focus returns.",
      "A conflict is role=alert, in words, with Open the conflict copy. History is a disclosure button opening <ig-version-history>.",
    ]),
  play: async ({ canvasElement }) => {
    await openEntry(canvasElement, /F#m scale/)
  },
}
