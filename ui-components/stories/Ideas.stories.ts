import "@ignition/ui-components/ideas"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find } from "./support/dom.js"
import {
  idea,
  knowledgePage,
  knowledgeServer,
  lockElsewhere,
  replaceText,
  sampleIdeas,
  unlockVault,
} from "./support/knowledgeServer.js"
import { internalError, mockServer, networkFailure } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn, showsIn } from "./support/vault.js"

interface Args {
  /** `selected`: an idea to scroll to and highlight. */
  readonly selected: string
}

const ideas = (args: Args) => knowledgePage(html`<ig-ideas selected=${args.selected}></ig-ideas>`, { pollSeconds: 2 })

/** Unlocks the story vault and waits until the list is shown. */
const ready = async (canvasElement: HTMLElement): Promise<ShadowRoot> => {
  const root = await unlockVault(canvasElement, "ig-ideas")
  await waitFor(() => expect(root.querySelector('[part~="list"], [part~="empty"]')).not.toBeNull(), {
    timeout: 15_000,
  })
  return root
}

const ideaTexts = (root: ShadowRoot) =>
  Array.from(root.querySelectorAll('[part~="idea-text"]'), (text) => text.textContent?.trim() ?? "")

/** The idea whose text starts with `start`. */
const ideaItem = (root: ShadowRoot, start: string): Promise<HTMLElement> =>
  waitFor(() => {
    const item = Array.from(root.querySelectorAll<HTMLElement>('[part~="idea"]')).find((candidate) =>
      candidate.querySelector('[part~="idea-text"]')?.textContent?.trim().startsWith(start),
    )
    if (item === undefined) throw new Error(`No idea starting “${start}”.`)
    return item
  })

const partIn = <E extends Element>(item: HTMLElement, part: string, type: abstract new (...args: never) => E): E => {
  const found = item.querySelector(`[part~="${part}"]`)
  if (!(found instanceof type)) throw new Error(`No ${part} in the idea.`)
  return found
}

/** An id for the deep-link story (fixed, so its search index entry is the same every time). */
const linkedId = "5f0a3c1e-7b2d-4e8f-9a6b-1c2d3e4f5a6b"

/**
 * Music ideas: quick capture (text, key, BPM with tap tempo, mood tags,
 * Standard or Private) and the list, newest first. Everything is sealed on
 * this device with the vault's keys; the fake server only ever sees
 * envelopes (and, for Standard ideas, the key, BPM and moods).
 *
 * The stories run against the golden story vault (support/vault.ts) and the
 * knowledge base's fake endpoints (support/knowledgeServer.ts): the play
 * functions unlock it with its passphrase — or use the banner above the
 * element to lock and unlock by hand.
 */
const meta = {
  title: "Elements/ig-ideas",
  component: "ig-ideas",
  args: { selected: "" },
  render: ideas,
  beforeEach: knowledgeServer({ records: sampleIdeas }),
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Unlocked: five ideas, newest first, with keys, tempos, moods, a Private one and a long one to expand. */
export const Ready: Story = {
  name: "Ready: five ideas",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    await waitFor(() => expect(ideaTexts(root)).toHaveLength(5))
    await expect(ideaTexts(root)[0]).toMatch(/^Descending bass under a F#m pad/)
    const privateIdea = await ideaItem(root, "Stems from the demo")
    await expect(partIn(privateIdea, "private", HTMLElement)).toHaveTextContent("Private")
    const first = await ideaItem(root, "Descending bass")
    await expect(partIn(first, "key", HTMLElement)).toHaveTextContent("F♯ minor")
    await expect(partIn(first, "bpm", HTMLElement)).toHaveTextContent("128 BPM")
  },
}

/**
 * Capturing: the text, a key, a tempo tapped in (four taps ~500 ms apart
 * make ~120 BPM), two moods typed with Enter and a comma, then Ctrl+Enter.
 * The new idea heads the list and the form is empty again.
 */
export const Capture: Story = {
  name: "Capture: key, tap tempo, moods, Ctrl+Enter",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const text = await find(root, '[part~="capture"] textarea', HTMLTextAreaElement)
    await userEvent.type(text, "Whistled hook on the walk home")
    await userEvent.selectOptions(await find(root, '[part~="capture"] select', HTMLSelectElement), "Ebm")
    const tap = await button(root, "tap")
    for (let count = 0; count < 4; count++) {
      await userEvent.click(tap)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    const bpm = await find(root, '[part~="capture"] input[name="bpm"]', HTMLInputElement)
    await waitFor(() => expect(Number(bpm.value)).toBeGreaterThanOrEqual(100))
    await expect(Number(bpm.value)).toBeLessThanOrEqual(125)
    const mood = await find(root, '[part~="capture"] input[name="mood"]', HTMLInputElement)
    await userEvent.type(mood, "hopeful{Enter}airy,")
    await waitFor(() => expect(root.querySelectorAll('[part~="capture"] [part~="chip"]')).toHaveLength(2))
    text.focus()
    await userEvent.keyboard("{Control>}{Enter}{/Control}")
    await waitFor(() => expect(ideaTexts(root)[0]).toBe("Whistled hook on the walk home"), { timeout: 10_000 })
    const saved = await ideaItem(root, "Whistled hook")
    await expect(partIn(saved, "key", HTMLElement)).toHaveTextContent("E♭ minor")
    // A fresh form: empty text, no key, no tempo, no moods.
    await expect(root.querySelector('[part~="capture"] textarea')).toHaveValue("")
    await expect(root.querySelector('[part~="capture"] select')).toHaveValue("")
    await expect(root.querySelector('[part~="capture"] input[name="bpm"]')).toHaveValue(null)
    await expect(root.querySelectorAll('[part~="capture"] [part~="chip"]')).toHaveLength(0)
    await expect(root.querySelector('[part~="status"]')).toHaveTextContent("Idea saved.")
  },
}

/** The idea must have text, and the BPM must be 20–400: said next to each field, nothing sent. */
export const Validation: Story = {
  name: "Validation: empty text, BPM out of range",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    await userEvent.type(await find(root, '[part~="capture"] input[name="bpm"]', HTMLInputElement), "500")
    await userEvent.click(await button(root, "save"))
    await waitFor(() => expect(root.querySelectorAll('[part~="capture"] [part~="field-error"]')).toHaveLength(2))
    await expect(root.querySelector('[part~="capture"] textarea')).toHaveAttribute("aria-invalid", "true")
    await expect(root.querySelector('[part~="capture"] input[name="bpm"]')).toHaveAttribute("aria-invalid", "true")
    await expect(ideaTexts(root)).toHaveLength(5)
  },
}

/** Editing in place: the same form; Escape cancels and focus returns to Edit; Save keeps the change. */
export const Edit: Story = {
  name: "Edit in place (Escape cancels)",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const item = await ideaItem(root, "Hook: “paper lanterns")
    await userEvent.click(partIn(item, "edit", HTMLButtonElement))
    const text = await find(root, '[part~="editor"] textarea', HTMLTextAreaElement)
    await waitFor(() => expect(root.activeElement).toBe(text))
    await userEvent.keyboard("{Escape}")
    await waitFor(() => expect(root.querySelector('[part~="editor"]')).toBeNull())
    await waitFor(() => expect(root.activeElement).toBe(partIn(item, "edit", HTMLButtonElement)))
    await userEvent.click(partIn(item, "edit", HTMLButtonElement))
    const again = await find(root, '[part~="editor"] textarea', HTMLTextAreaElement)
    await replaceText(again, "Hook: “paper lanterns in the rain” — in Bb, slower")
    await userEvent.click(await find(root, '[part~="editor"] [part~="save"]', HTMLButtonElement))
    await waitFor(() => expect(ideaTexts(root)[0]).toBe("Hook: “paper lanterns in the rain” — in Bb, slower"), {
      timeout: 10_000,
    })
  },
}

/** Deleting asks first, in place; Delete idea removes it everywhere. */
export const Delete: Story = {
  name: "Delete (with confirmation)",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const item = await ideaItem(root, "Dark arpeggio")
    await userEvent.click(partIn(item, "delete", HTMLButtonElement))
    const confirm = await find(root, '[part~="confirm-button"]', HTMLButtonElement)
    await waitFor(() => expect(root.activeElement).toBe(confirm))
    await userEvent.click(confirm)
    await waitFor(() => expect(ideaTexts(root)).toHaveLength(4), { timeout: 10_000 })
    await expect(root.querySelector('[part~="status"]')).toHaveTextContent("Idea deleted.")
  },
}

/** Choosing a mood (in the filter or on an idea) lists only the ideas with it; Show all clears it. */
export const Filter: Story = {
  name: "Filter by mood",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const dark = Array.from(root.querySelectorAll<HTMLButtonElement>('[part~="filter-option"]')).find(
      (option) => option.textContent?.trim() === "dark",
    )
    if (dark === undefined) throw new Error("No dark filter.")
    await userEvent.click(dark)
    await waitFor(() => expect(ideaTexts(root)).toHaveLength(1))
    await expect(dark).toHaveAttribute("aria-pressed", "true")
    await userEvent.click(await button(root, "filter-clear"))
    await waitFor(() => expect(ideaTexts(root)).toHaveLength(5))
  },
}

/**
 * Another device changed this idea first: saving keeps that version and
 * saves this one as a conflict copy (tagged `conflict-copy`), says so, and
 * "Open the conflict copy" scrolls to it.
 */
export const Conflict: Story = {
  name: "Conflict: changed on another device",
  beforeEach: knowledgeServer({
    records: [
      idea(
        { text: "Bridge idea: modulate up a tone", key: "G", bpm: 110 },
        {
          changedElsewhere: { text: "Bridge idea: modulate to the relative minor", key: "Em", bpm: 110, moodTags: [] },
        },
      ),
      ...sampleIdeas.slice(1),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const item = await ideaItem(root, "Bridge idea")
    await userEvent.click(partIn(item, "edit", HTMLButtonElement))
    const text = await find(root, '[part~="editor"] textarea', HTMLTextAreaElement)
    await userEvent.type(text, " — and back for the last chorus")
    await userEvent.click(await find(root, '[part~="editor"] [part~="save"]', HTMLButtonElement))
    const notice = await find(root, '[part~="conflict"]', HTMLElement)
    await waitFor(() =>
      expect(notice).toHaveTextContent("Changed on another device — your version was kept as a conflict copy."),
    )
    await waitFor(() => expect(root.activeElement).toBe(notice))
    await expect(await ideaItem(root, "Bridge idea: modulate to the relative minor")).toBeTruthy()
    await userEvent.click(await button(root, "open-copy"))
    const copy = await ideaItem(root, "Bridge idea: modulate up a tone — and back")
    await waitFor(() => expect(copy).toHaveAttribute("data-selected"))
    await expect(copy.querySelector('[part~="mood"]')).toHaveTextContent("conflict-copy")
  },
}

/** Another device changed this idea before this delete arrived: nothing is deleted, and the notice says so. */
export const DeleteConflict: Story = {
  name: "Conflict: delete after a change elsewhere",
  beforeEach: knowledgeServer({
    records: [
      idea(
        { text: "Outro: fade on the Rhodes", key: "C", bpm: 96 },
        { changedElsewhere: { text: "Outro: hard stop after the last chorus", key: "C", bpm: 96, moodTags: [] } },
      ),
      ...sampleIdeas.slice(1),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    await userEvent.click(partIn(await ideaItem(root, "Outro: fade"), "delete", HTMLButtonElement))
    await userEvent.click(await find(root, '[part~="confirm-button"]', HTMLButtonElement))
    const notice = await find(root, '[part~="conflict"]', HTMLElement)
    await waitFor(() => expect(notice).toHaveTextContent("Changed on another device, so nothing was deleted"))
    await waitFor(() => expect(root.activeElement).toBe(notice))
    await expect(await ideaItem(root, "Outro: hard stop")).toBeTruthy()
  },
}

/** A deep link from search (`selected`): that idea is scrolled to, highlighted and focused. */
export const Selected: Story = {
  name: "Selected (deep link)",
  args: { selected: linkedId },
  beforeEach: knowledgeServer({
    records: [
      ...sampleIdeas,
      idea({ text: "Old voice memo: the F#m riff from the rehearsal" }, { id: linkedId, age: 60 * 24 * 3_600_000 }),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const linked = await ideaItem(root, "Old voice memo")
    await waitFor(() => expect(linked).toHaveAttribute("data-selected"))
    await waitFor(() => expect(root.activeElement).toBe(linked))
  },
}

/** The user's settings make new records Private: the capture form's switch starts on. */
export const PrivateByDefault: Story = {
  name: "Private by default (settings)",
  beforeEach: knowledgeServer({ records: sampleIdeas, defaultPrivacyMode: "private" }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    const toggle = await shadowIn(root, "ig-privacy-toggle")
    await waitFor(() => expect(toggle.querySelector('[part~="switch"]')).toHaveAttribute("aria-checked", "true"))
  },
}

/** Locked: one sentence, no idea and no form. */
export const Locked: Story = {
  play: async ({ canvasElement }) => {
    const root = await shadowIn(canvasElement, "ig-ideas")
    await showsIn(root, /Your ideas are locked\. Unlock the vault to see and edit them\./)
    await expect(root.querySelector("form")).toBeNull()
    await expect(root.querySelector('[part~="list"]')).toBeNull()
  },
}

/** Locked on another device while open: the next save is refused (423) and the ideas go. */
export const LockedElsewhere: Story = {
  name: "Locked elsewhere during a save",
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    lockElsewhere()
    await userEvent.type(await find(root, '[part~="capture"] textarea', HTMLTextAreaElement), "Lost in the lock")
    await userEvent.click(await button(root, "save"))
    await showsIn(root, /Your ideas are locked\./)
    await expect(root.querySelector('[part~="list"]')).toBeNull()
  },
}

/** No vault yet. */
export const Absent: Story = {
  name: "No vault",
  beforeEach: knowledgeServer({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    const root = await shadowIn(canvasElement, "ig-ideas")
    await showsIn(root, /Set up your vault to keep your ideas encrypted\./)
  },
}

/** Unlocked, and the first page never comes: the skeleton and the load's progress. */
export const Loading: Story = {
  beforeEach: knowledgeServer({ records: sampleIdeas, listDelay: Number.POSITIVE_INFINITY }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, "ig-ideas")
    await find(root, '[part~="loading"]', HTMLElement)
    const progress = await shadowIn(root, "ig-index-progress")
    await waitFor(() =>
      expect(progress.querySelector('[part~="bar"]')).toHaveAttribute("aria-valuetext", "Downloading your notes…"),
    )
  },
}

/** The list could not be loaded (a server error): the reason and Try again, which loads. */
export const Failed: Story = {
  name: "Error: not loaded, then Try again",
  beforeEach: knowledgeServer({ records: sampleIdeas, listFailure: internalError() }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, "ig-ideas")
    const failed = await find(root, '[part~="failed"]', HTMLElement)
    await expect(failed).toHaveTextContent(/Your ideas could not be loaded/)
    await userEvent.click(await button(root, "retry"))
    await waitFor(() => expect(ideaTexts(root)).toHaveLength(5), { timeout: 15_000 })
  },
}

/** A save the network dropped: the text stays, with the reason and Try again. */
export const SaveFailed: Story = {
  name: "Error: save not sent (network)",
  beforeEach: mockServer({ "POST /api/ideas": networkFailure({ delay: 200 }) }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    await userEvent.type(await find(root, '[part~="capture"] textarea', HTMLTextAreaElement), "Keep me")
    await userEvent.click(await button(root, "save"))
    await waitFor(() => expect(root.querySelector('[part~="form-error"]')).toHaveTextContent(/could not be reached/))
    await expect(root.querySelector('[part~="form-error"] [part~="retry"]')).not.toBeNull()
    await expect(root.querySelector('[part~="capture"] textarea')).toHaveValue("Keep me")
  },
}

/** A record that does not decrypt on this device is counted, not shown. */
export const Unreadable: Story = {
  name: "Ready: one unreadable record",
  beforeEach: knowledgeServer({
    records: [...sampleIdeas, idea({ text: "sealed for another record" }, { unreadable: true })],
  }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    await waitFor(() => expect(root.querySelector('[part~="unreadable"]')).toHaveTextContent(/One record/))
    await expect(ideaTexts(root)).toHaveLength(5)
  },
}

/** No idea yet. */
export const Empty: Story = {
  name: "Ready: no ideas yet",
  beforeEach: knowledgeServer({ records: [] }),
  play: async ({ canvasElement }) => {
    const root = await ready(canvasElement)
    await expect(root.querySelector('[part~="empty"]')).toHaveTextContent("No ideas yet")
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(ideas(args), [
      "Every control has a visible label: Idea, Key, BPM, Mood tags; Tap tempo and Save idea are buttons. Ctrl+Enter (Cmd+Enter) in the text saves (aria-keyshortcuts).",
      "Errors are said next to their field (aria-invalid, aria-describedby, role=alert) and nothing is sent; a failed save keeps the text and offers Try again.",
      "Mood tags: Enter or a comma adds a chip, Backspace in the empty field removes the last; each chip has a Remove button named for its tag, and focus returns to the field. Adding and removing are announced politely, as is the tapped tempo.",
      "The privacy switch is <ig-privacy-toggle> (role=switch) and starts at the user's default from their settings; a Private idea says Private in words in the list.",
      "Show more / Show less are buttons with aria-expanded and aria-controls. Moods in the list and in the filter are toggle buttons (aria-pressed) with a ✓ when active, not colour alone.",
      "Edit replaces the idea with the same form, focused on its text; Escape cancels and focus returns to Edit. Delete asks in place (focus moves to Delete idea; Escape or Cancel returns it to Delete).",
      "Saved and deleted are announced by a polite status; a conflict with another device is an alert, focused, with a button that opens the copy. A selected idea (a link from search) is scrolled to (no smooth scroll for reduced motion), focused, marked aria-current and outlined.",
      "While locked only a sentence shows: no idea, no form. While loading, the progress bar and a skeleton (still for reduced motion).",
    ]),
}
