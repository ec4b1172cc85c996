/**
 * The theme boot script: a classic script (not a module) so it runs before
 * the first paint; self-contained, appended to the library build.
 */
import { defineConfig } from "vite"

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: false,
    target: "es2020",
    lib: {
      entry: "src/theme-switcher/boot.ts",
      formats: ["iife"],
      name: "igThemeBoot",
      fileName: () => "ig-theme-boot.js",
    },
  },
})
