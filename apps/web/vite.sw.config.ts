/**
 * The service worker: one self-contained classic script at dist/sw.js
 * (browsers look it up by that name, and not every browser runs module
 * workers). Its shell cache is versioned by the build time.
 */
import { defineConfig } from "vite"

export default defineConfig({
  define: { __IGNITION_BUILD__: JSON.stringify(new Date().toISOString()) },
  build: {
    outDir: "dist",
    emptyOutDir: false,
    target: "es2022",
    lib: { entry: "src/sw.ts", formats: ["iife"], name: "igServiceWorker", fileName: () => "sw.js" },
  },
})
