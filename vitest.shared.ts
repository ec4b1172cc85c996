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
  ssr: { resolve: { conditions, externalConditions: ["@ignition/source"] } },
} satisfies ViteUserConfig
