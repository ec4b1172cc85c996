/**
 * What every story shares: the design tokens (public/theme.css, as a page
 * embedding the elements loads them), a toolbar global that switches the
 * theme through `data-ig-theme` on <html> like the page's boot script, and
 * the accessibility checks.
 */
import "../public/theme.css"
import "./preview.css"
import type { Preview } from "@storybook/web-components-vite"
import { withActions } from "storybook/actions/decorator"

type Theme = "system" | "light" | "dark"

const isTheme = (value: unknown): value is Theme => value === "system" || value === "light" || value === "dark"

const preview: Preview = {
  globalTypes: {
    theme: {
      description: "Ignition theme: sets data-ig-theme on <html>",
      toolbar: {
        title: "Theme",
        icon: "paintbrush",
        items: [
          { value: "system", title: "System", icon: "browser" },
          { value: "light", title: "Light", icon: "sun" },
          { value: "dark", title: "Dark", icon: "moon" },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: "system" },
  decorators: [
    // Logs the events a story lists in `parameters.actions.handles` (ig-signed-in, ig-theme-change, …).
    withActions,
    (story, context) => {
      const theme: unknown = context.globals.theme
      document.documentElement.dataset.igTheme = isTheme(theme) ? theme : "system"
      return story()
    },
  ],
  parameters: {
    layout: "padded",
    // theme.css colours the page; Storybook's own backgrounds would hide the theme's.
    backgrounds: { disable: true },
    controls: { expanded: true },
    // Violations fail the story's test (Storybook's test runner / Vitest addon); the panel lists them always.
    a11y: { test: "error" },
  },
}

export default preview
