/**
 * Storybook for Ignition's <ig-*> elements: Lit web components built with
 * Vite. Stories live in ../stories and import the elements through the
 * package's own exports under the `@ignition/source` condition, so they
 * run the TypeScript sources (no `npm run build` first) exactly as the
 * library build and the server's dev mode do.
 */
import type { StorybookConfig } from "@storybook/web-components-vite"

/** The export condition that points @ignition/* packages at their sources (see ../vite.config.ts). */
const sourceCondition = "@ignition/source"

const config: StorybookConfig = {
  framework: { name: "@storybook/web-components-vite", options: {} },
  stories: ["../stories/**/*.stories.ts"],
  addons: ["@storybook/addon-a11y"],
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // ../vite.config.ts is loaded too (its `build` section is not), but state the condition here so
    // the stories keep using the sources whatever that file becomes.
    const { defaultClientConditions } = await import("vite")
    const conditions = viteConfig.resolve?.conditions ?? defaultClientConditions
    return {
      ...viteConfig,
      resolve: {
        ...viteConfig.resolve,
        conditions: [sourceCondition, ...conditions.filter((condition) => condition !== sourceCondition)],
      },
      // preview.ts imports ../public/theme.css as a module (bundled, and hot-reloaded in dev); Vite serves
      // public/ as static files and warns about importing from there, and nothing needs it served.
      publicDir: false,
      // Storybook's own runtime and axe-core are single chunks of 0.7–0.9 MB: expected, not worth a warning.
      build: { ...viteConfig.build, chunkSizeWarningLimit: 1024 },
    }
  },
}

export default config
