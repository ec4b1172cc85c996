/**
 * `custom-elements.json` is generated from JSDoc, so an element that forgets
 * its `@summary`, or renders a `part` it does not document with `@csspart`,
 * would ship an incomplete manifest silently. This runs the analyzer exactly
 * as the build does and checks every element against its own source.
 */
import { execFileSync } from "node:child_process"
import { readFileSync, rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

interface Declaration {
  readonly kind: string
  readonly name: string
  readonly tagName?: string
  readonly customElement?: boolean
  readonly summary?: string
  readonly cssParts?: ReadonlyArray<{ readonly name: string }>
  readonly events?: ReadonlyArray<{ readonly name: string }>
}
interface Manifest {
  readonly modules: ReadonlyArray<{ readonly path: string; readonly declarations?: ReadonlyArray<Declaration> }>
}

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..")
// The analyzer resolves --outdir against its working directory, so the copy goes under node_modules.
const outDir = join("node_modules", ".cache", `cem-test-${process.pid}`)
let manifest: Manifest

beforeAll(() => {
  const script = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).scripts.manifest as string
  execFileSync("sh", ["-c", `npx --no-install ${script} --outdir ${outDir}`], {
    cwd: packageDir,
    stdio: "pipe",
  })
  manifest = JSON.parse(readFileSync(join(packageDir, outDir, "custom-elements.json"), "utf8"))
}, 60_000)

afterAll(() => rmSync(join(packageDir, outDir), { recursive: true, force: true }))

const elements = () =>
  manifest.modules.flatMap((module) =>
    (module.declarations ?? [])
      .filter((declaration) => declaration.customElement === true && declaration.tagName !== undefined)
      .map((declaration) => ({ path: module.path, declaration })),
  )

/** Parts rendered by a template: `part="a b"` gives a and b; bindings (`part=${…}`) are skipped. */
const renderedParts = (source: string) =>
  new Set(Array.from(source.matchAll(/\bpart="([^"$]+)"/g)).flatMap((match) => (match[1] ?? "").trim().split(/\s+/)))

describe("custom-elements.json", () => {
  it("lists every element registered in a define module", () => {
    const tags = elements().map((element) => element.declaration.tagName)
    expect(tags.length).toBeGreaterThanOrEqual(9)
    for (const tag of ["ig-app", "ig-sign-in", "ig-sign-up", "ig-command-palette", "ig-offline-banner"]) {
      expect(tags).toContain(tag)
    }
  })

  it("gives every element a summary and documents every part it renders", () => {
    for (const { path, declaration } of elements()) {
      expect(declaration.summary, `${declaration.tagName} has no @summary`).toBeTruthy()
      const documented = new Set((declaration.cssParts ?? []).map((part) => part.name))
      const source = readFileSync(join(packageDir, path), "utf8")
      for (const part of renderedParts(source)) {
        expect(documented.has(part), `${declaration.tagName} renders part "${part}" without @csspart`).toBe(true)
      }
    }
  })

  it("names every documented event ig-…", () => {
    for (const { declaration } of elements()) {
      for (const event of declaration.events ?? []) expect(event.name).toMatch(/^ig-[a-z-]+$/)
    }
  })
})
