/**
 * The library build: one ES module that registers every element
 * (`index.js`), one per element (`ig-<name>.js`) for pages that want only
 * one, shared code in chunks, and theme.css. Everything is bundled (Lit,
 * Effect, the client), so an embedding page needs nothing else.
 */
import { defineConfig } from "vite"
import { elements } from "./elements.js"

export default defineConfig({
  resolve: { conditions: ["@ignition/source", "browser", "module", "import", "default"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    lib: {
      entry: {
        index: "src/index.ts",
        ...Object.fromEntries(elements.map((name) => [`ig-${name}`, `src/${name}/define.ts`])),
      },
      formats: ["es"],
    },
    rollupOptions: { output: { chunkFileNames: "chunks/[name]-[hash].js" } },
  },
})
