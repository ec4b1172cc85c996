/**
 * The addresses a rendered note may keep: web, mail and phone links and
 * relative ones; never a script or data URL, however it is disguised with
 * case, whitespace or control characters a browser would ignore.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { isSafeUrl } from "../src/markdown/safeUrl.js"

/** What a URL parser strips before reading a scheme: C0 controls, space and DEL. */
const ignorable = fc.constantFrom("\t", "\n", "\r", " ", "\u0000", "\u001f", "\u007f")

/** `scheme` with random case and ignorable characters slipped in. */
const disguised = (scheme: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: scheme.length, maxLength: scheme.length }),
      fc.array(fc.option(ignorable, { nil: "" }), { minLength: scheme.length + 1, maxLength: scheme.length + 1 }),
    )
    .map(([upper, gaps]) =>
      Array.from(scheme, (char, index) => `${gaps[index]}${upper[index] === true ? char.toUpperCase() : char}`).join(
        "",
      ),
    )

describe("isSafeUrl", () => {
  it("keeps web, mail and phone addresses, relative paths and fragments", () => {
    for (const url of [
      "https://example.com/a?b=c#d",
      "http://example.com",
      "HTTPS://EXAMPLE.COM",
      "mailto:ada@example.com",
      "tel:+441234567890",
      "//example.com/image.png",
      "/notes/1",
      "notes/a:b",
      "?q=1",
      "#heading",
      "",
    ])
      assert.isTrue(isSafeUrl(url), url)
  })

  it("drops script, data and other schemes", () => {
    for (const url of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "\u0000javascript:alert(1)",
      "vbscript:msgbox(1)",
      "data:text/html,<script>alert(1)</script>",
      "data:image/svg+xml;base64,PHN2Zz4=",
      "blob:https://example.com/1",
      "file:///etc/passwd",
      ":alert(1)",
      "1javascript:alert(1)",
    ])
      assert.isFalse(isSafeUrl(url), JSON.stringify(url))
  })

  it.prop(
    "drops javascript: and data: however they are disguised",
    [fc.constantFrom("javascript", "data", "vbscript").chain(disguised), fc.string({ maxLength: 20 })],
    ([scheme, rest]) => {
      assert.isFalse(isSafeUrl(`${scheme}:${rest}`))
    },
  )

  it.prop("keeps https: addresses whatever follows", [fc.webUrl({ validSchemes: ["https"] })], ([url]) => {
    assert.isTrue(isSafeUrl(url))
  })
})
