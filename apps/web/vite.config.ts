/**
 * The web app build: index.html and its modules, hashed under assets/. The
 * service worker is built separately (vite.sw.config.ts) into one classic
 * script at /sw.js. The library's theme.css and theme boot script are not
 * copied: the server serves them at /embed/ from the components' own build.
 */
import { defineConfig } from "vite"

export default defineConfig({
  resolve: { conditions: ["@ignition/source", "browser", "module", "import", "default"] },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: true },
})
