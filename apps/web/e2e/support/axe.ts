/**
 * Accessibility checks with axe-core, evaluated in the page under test
 * through the DevTools protocol: the page's CSP (no inline scripts) stays
 * in force and is not what is being tested here.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Page } from "@playwright/test"

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

export interface Violation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: ReadonlyArray<{ readonly target: ReadonlyArray<unknown> }>
}

/** The serious and critical violations on the page as it is now. */
export const seriousViolations = async (page: Page): Promise<ReadonlyArray<Violation>> => {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Array<Violation> }> } }
    ).axe
    const result = await axe.run(document)
    return result.violations
  })
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")
}
