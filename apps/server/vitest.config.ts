import { defineProject, mergeConfig } from "vitest/config"
import { shared } from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  defineProject({
    test: {
      include: ["test/**/*.test.ts"],
      globalSetup: ["test/support/globalSetup.ts"],
      // PGlite takes a few seconds to load a snapshot on a busy 2-core machine.
      hookTimeout: 60_000,
      testTimeout: 30_000,
    },
  }),
)
