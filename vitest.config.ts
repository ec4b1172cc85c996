/**
 * One Vitest run over every workspace. The server's database tests run once
 * per engine: on embedded PGlite always, and on real PostgreSQL as well when
 * TEST_DATABASE_URL is set (CI sets it).
 */
import { defineConfig } from "vitest/config"
import { shared } from "./vitest.shared.js"

const engines = process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]

export default defineConfig({
  ...shared,
  test: {
    // Vitest's default on two cores is one worker; most server test files wait on PostgreSQL, PGlite,
    // child processes or sockets, so a second worker overlaps that waiting (CI time: ~25 → under 20 min).
    maxWorkers: 2,
    projects: [
      "packages/*/vitest.config.ts",
      "migrations/vitest.config.ts",
      "ui-components/vitest.config.ts",
      ...engines.map((engine) => ({
        extends: "./apps/server/vitest.config.ts",
        root: "./apps/server",
        test: {
          name: `server:${engine}`,
          env: { IGNITION_TEST_DATABASE: engine },
          // These never touch the database: once is enough.
          ...(engine === "postgres"
            ? { exclude: ["test/AppConfig.test.ts", "test/DataDirLock.test.ts", "test/Blobs/**"] }
            : {}),
        },
      })),
    ],
  },
})
