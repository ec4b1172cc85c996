/**
 * Settings every Vitest project shares: resolve workspace packages to their
 * TypeScript sources (the `@ignition/source` export condition), so tests
 * never need a build.
 */
import { defaultServerConditions } from "vite"
import type { ViteUserConfig } from "vitest/config"

const conditions = ["@ignition/source", ...defaultServerConditions]

export const shared = {
  resolve: { conditions },
  // Tests run on Node, so they resolve as Node does, without the bundlers' "module" condition: it
  // points the AWS SDK at ES builds with extensionless imports that Node cannot load.
  ssr: {
    resolve: { conditions: conditions.filter((c) => c !== "module"), externalConditions: ["@ignition/source"] },
  },
  // `npm test` runs every project at once on two cores: WebAssembly Argon2id, PGlite start-up
  // and WebCrypto share them, so the defaults (5 s, 10 s) measure the machine, not the code.
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
} satisfies ViteUserConfig
