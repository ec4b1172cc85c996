/**
 * The browser path stays free of Node: no module under src/ but src/node/
 * imports a `node:` module or names Node's globals (biome enforces this for
 * packages/vault only).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { assert, describe, it } from "@effect/vitest"

const src = join(import.meta.dirname, "..", "src")

const sources = (directory: string): ReadonlyArray<string> =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(directory, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(directory, entry.name)]
        : [],
  )

describe("isomorphism", () => {
  it("no node: imports or Node globals outside src/node/", () => {
    const offenders = sources(src)
      .filter((file) => !relative(src, file).startsWith("node"))
      .filter((file) => /from "node:|\bBuffer\b|\bprocess\.|reference types="node"/.test(readFileSync(file, "utf8")))
      .map((file) => relative(src, file))
    assert.deepStrictEqual(offenders, [])
    assert.isAbove(sources(src).length, 10)
  })
})
