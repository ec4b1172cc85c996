import "@ignition/ui-components/command-palette"
import type { Command, IgCommandPalette } from "@ignition/ui-components"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { action } from "storybook/actions"
import { expect, userEvent, waitFor } from "storybook/test"
import { find, shadowOf } from "./support/dom.js"
import { withNotes } from "./support/notes.js"

const ran = action("command run")

const commands: ReadonlyArray<Command> = [
  { id: "go-home", label: "Home", group: "Navigation", path: "/" },
  { id: "go-settings", label: "Settings", group: "Navigation", path: "/settings", keywords: ["preferences"] },
  {
    id: "go-devices",
    label: "Signed-in devices",
    group: "Navigation",
    path: "/settings/devices",
    keywords: ["sessions"],
  },
  { id: "go-users", label: "Manage users", group: "Navigation", path: "/admin/users", keywords: ["admin"] },
  { id: "theme-dark", label: "Switch to dark theme", group: "Actions", run: () => ran("theme-dark") },
  { id: "theme-light", label: "Switch to light theme", group: "Actions", run: () => ran("theme-light") },
  { id: "sign-out", label: "Sign out", group: "Actions", keywords: ["log out"], run: () => ran("sign-out") },
]

interface Args {
  readonly commands: ReadonlyArray<Command>
  readonly placeholder: string
}

/** The recently used list this device keeps (localStorage `ig-recent-commands`): set, or cleared, per story. */
const recent =
  (ids: ReadonlyArray<string>): (() => () => void) =>
  () => {
    localStorage.setItem("ig-recent-commands", JSON.stringify(ids))
    return () => localStorage.removeItem("ig-recent-commands")
  }

const palette = (canvasElement: HTMLElement): IgCommandPalette => {
  const element = canvasElement.querySelector("ig-command-palette")
  if (element === null) throw new Error("No <ig-command-palette> in the story.")
  return element
}

/** A button that opens the palette, and the palette. */
const view = (args: Args, canvasElement: HTMLElement) =>
  html`<button type="button" @click=${() => palette(canvasElement).open()}>Open the command palette (Ctrl+K)</button>
    <ig-command-palette .commands=${args.commands} placeholder=${args.placeholder}></ig-command-palette>`

/** Opens the palette (as Ctrl+K would) and types `query`. */
const search = async (canvasElement: HTMLElement, query: string) => {
  palette(canvasElement).open()
  const root = await shadowOf(canvasElement, "ig-command-palette")
  const input = await find(root, '[part~="input"]', HTMLInputElement)
  if (query !== "") await userEvent.type(input, query)
  return root
}

/**
 * Ctrl+K (Cmd+K on a Mac) anywhere on the page, or `open()`, shows a modal
 * fuzzy search over `commands`; arrows, Home and End move, Enter chooses,
 * Escape closes, and focus returns where it was. Navigation commands fire
 * `ig-navigate`; actions run (both show in the Actions panel). It talks to
 * no server. In the Storybook UI, Ctrl+K also reaches Storybook's own
 * shortcut (its sidebar search takes focus): use the button, or open the
 * canvas in a new tab to try the shortcut.
 */
const meta = {
  title: "Elements/ig-command-palette",
  component: "ig-command-palette",
  args: { commands, placeholder: "Type a command or search…" },
  argTypes: {
    commands: { control: false, description: "What the palette offers (property only)" },
    placeholder: { control: "text", description: "The search field's placeholder" },
  },
  render: (args, context) => view(args, context.canvasElement),
  beforeEach: recent([]),
  parameters: { actions: { handles: ["ig-navigate"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Open: every command, grouped (Go to, Actions). */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const root = await search(canvasElement, "")
    await waitFor(() => expect(root.querySelectorAll('[part~="option"]')).toHaveLength(commands.length))
  },
}

/** With commands used before on this device: they come first, under "Recently used". */
export const Recent: Story = {
  name: "Recently used first",
  beforeEach: recent(["go-users", "theme-dark"]),
  play: async ({ canvasElement }) => {
    const root = await search(canvasElement, "")
    await waitFor(() => expect(root.querySelector('[part~="group-label"]')).toHaveTextContent("Recently used"))
  },
}

/** Typing filters fuzzily and marks the matched characters; a keyword ("preferences") finds Settings too. */
export const Searching: Story = {
  play: async ({ canvasElement }) => {
    const root = await search(canvasElement, "sett")
    await waitFor(() => expect(root.querySelector('[part~="option"]')).toHaveTextContent(/Settings/))
    await expect(root.querySelector('[part~="match"]')).not.toBeNull()
  },
}

/** Nothing matches the search. */
export const NoMatch: Story = {
  name: "Empty: nothing matches",
  play: async ({ canvasElement }) => {
    const root = await search(canvasElement, "zzz")
    await waitFor(() => expect(root.querySelector('[part~="empty"]')).toHaveTextContent(/No commands match/))
  },
}

/** No commands given (yet): the palette says so. It never loads anything itself, so there is no loading state. */
export const NoCommands: Story = {
  name: "Empty: no commands",
  args: { commands: [] },
  play: async ({ canvasElement }) => {
    const root = await search(canvasElement, "")
    await waitFor(() => expect(root.querySelector('[part~="empty"]')).toHaveTextContent(/No commands are available/))
  },
}

export const Accessibility: Story = {
  render: (args, context) =>
    withNotes(view(args, context.canvasElement), [
      "A modal <dialog> (showModal) labelled Command palette: the rest of the page is inert while it is open, and Escape or a click on the backdrop closes it.",
      "The search field is a combobox (aria-expanded, aria-controls, aria-autocomplete=list) that keeps focus; the active command is given by aria-activedescendant, so screen readers read it as the arrows move. Tab stays in the field.",
      "Commands are options in a listbox, grouped under labelled groups (Recently used, Go to, Actions); matched characters are marked by weight and underline, not colour alone.",
      "A visually hidden role=status announces how many commands match while typing; the keyboard hint is aria-hidden (it repeats what the roles already convey).",
      "When the palette closes, focus returns to the element focused before it opened (this story's button).",
      "Ctrl+K / Cmd+K is a page-wide shortcut: it ignores key repeats and IME composition, and is not taken when a page handler already called preventDefault.",
    ]),
}
