/**
 * Real-browser tests: Debian's Chromium (no browser downloads here) against
 * the real server on embedded PGlite in a temporary data directory, and a
 * second origin serving a plain page that embeds the components.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { defineConfig, devices } from "@playwright/test"

const chromium =
  process.env.CHROMIUM_PATH ?? spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).stdout.trim()

export const serverPort = 18_787
export const embedPort = 18_788
export const setupToken = "e2e-setup-token-0123456789abcdef"
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ignition-e2e-"))

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? "line" : "list",
  use: {
    baseURL: `http://localhost:${serverPort}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: "node --conditions=@ignition/source --import tsx ../server/src/main.ts",
      url: `http://127.0.0.1:${serverPort}/ready`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(serverPort),
        HOST: "127.0.0.1",
        IGNITION_DATA_DIR: dataDir,
        IGNITION_SETUP_TOKEN: setupToken,
        REQUIRE_APPROVAL: "true",
        ALLOWED_EMBED_ORIGINS: `http://127.0.0.1:${embedPort}`,
        LOG_LEVEL: "warning",
        // Every test signs in from 127.0.0.1, some as two devices: more than a person's 30 in 15 minutes.
        SIGN_IN_ATTEMPTS: "1000",
      },
    },
    {
      command: `node e2e/support/serve-embedding.mjs ${embedPort} ${serverPort}`,
      url: `http://127.0.0.1:${embedPort}/`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
})
