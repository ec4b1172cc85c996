import "@ignition/ui-components/privacy-toggle"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, shadowOf } from "./support/dom.js"
import { withNotes } from "./support/notes.js"

interface Args {
  readonly mode: "standard" | "private"
  readonly disabled: boolean
}

const toggle = (args: Args) =>
  html`<ig-privacy-toggle mode=${args.mode} ?disabled=${args.disabled}></ig-privacy-toggle>`

/**
 * The switch between a record's two privacy modes, as the Ideas, Infobase
 * and Journal editors show it: Standard (the content is end-to-end
 * encrypted; its title, tags and other details are not, so the server can
 * list and filter them) and Private (those are encrypted too). It says the
 * mode in words next to the switch, and fires `ig-privacy-change`.
 */
const meta = {
  title: "Elements/ig-privacy-toggle",
  component: "ig-privacy-toggle",
  args: { mode: "standard", disabled: false },
  argTypes: {
    mode: { control: { type: "inline-radio" }, options: ["standard", "private"] },
    disabled: { control: { type: "boolean" } },
  },
  render: toggle,
  parameters: { actions: { handles: ["ig-privacy-change"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

/** Standard: the switch is off, and the description says what stays readable. */
export const Standard: Story = {
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-privacy-toggle")
    await expect(await button(root, "switch")).toHaveAttribute("aria-checked", "false")
    await expect(root.querySelector('[part~="description"]')).toHaveTextContent(/Standard: the content is encrypted/)
  },
}

/** Private: on, with what that means. */
export const Private: Story = {
  args: { mode: "private" },
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-privacy-toggle")
    await expect(await button(root, "switch")).toHaveAttribute("aria-checked", "true")
    await expect(root.querySelector('[part~="description"]')).toHaveTextContent(
      "Title, tags and other details are encrypted too; the server can't list or filter by them.",
    )
  },
}

/** Space and Enter switch it, as a click does; each switch fires `ig-privacy-change` and reflects `mode`. */
export const Keyboard: Story = {
  name: "Keyboard: Space and Enter",
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector("ig-privacy-toggle")
    const root = await shadowOf(canvasElement, "ig-privacy-toggle")
    const modes: Array<string> = []
    element?.addEventListener("ig-privacy-change", (event) => modes.push(event.mode))
    const control = await button(root, "switch")
    control.focus()
    await userEvent.keyboard(" ")
    await waitFor(() => expect(control).toHaveAttribute("aria-checked", "true"))
    await expect(element).toHaveAttribute("mode", "private")
    await userEvent.keyboard("{Enter}")
    await waitFor(() => expect(control).toHaveAttribute("aria-checked", "false"))
    await expect(modes).toEqual(["private", "standard"])
  },
}

/** Disabled while a save is under way: it cannot be switched. */
export const Disabled: Story = {
  args: { disabled: true, mode: "private" },
  play: async ({ canvasElement }) => {
    const root = await shadowOf(canvasElement, "ig-privacy-toggle")
    const control = await button(root, "switch")
    await expect(control).toBeDisabled()
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(toggle(args), [
      'It is the ARIA switch pattern: a button with role="switch" and aria-checked, named "Private" (the slot replaces the label). Space and Enter switch it, like a click; focus stays on it.',
      "The current mode is said in words twice over: On or Off next to the switch, and a description that begins with what the mode keeps from the server (aria-describedby). Neither the thumb's position nor the accent colour is the only sign.",
      "The track and thumb stop animating for those who prefer reduced motion, and keep a visible thumb in forced-colors mode.",
      "Disabled, it is a disabled button: skipped by Tab and announced as unavailable.",
    ]),
}
