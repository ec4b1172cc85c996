/**
 * A note's Markdown as DOM that is safe to show: `marked` (GitHub-flavoured)
 * makes HTML, and a DOMPurify instance of our own — its hooks touch no other
 * user of DOMPurify on the page — keeps only an allow-list of tags and
 * attributes and hands back a `DocumentFragment` (never a string that could
 * be re-parsed differently: no mutation XSS).
 *
 * What survives: text formatting, headings, lists, quotes, code, tables,
 * links and images. What does not: `<script>`, `<style>`, event-handler and
 * `style` attributes, forms and their fields, frames, objects, SVG and
 * MathML, and any address outside http(s)/mailto/tel (`javascript:`,
 * `data:` …, see `safeUrl.ts`). Links open in a new tab without an opener
 * or a referrer. Images keep their address but send no referrer; the app's
 * Content-Security-Policy (`img-src 'self' data: blob:`) stops remote ones
 * from loading at all, so a note cannot tell a third party it was opened.
 *
 * This module carries `marked` and DOMPurify: elements load it with a
 * dynamic `import()` when a preview is first shown (`MarkdownController`).
 */
import DOMPurify, { type Config } from "dompurify"
import { Marked } from "marked"
import { isSafeUrl } from "./safeUrl.js"

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // A task list's box as text: no form field in a note, and a screen reader still reads "ballot box with check".
    checkbox: ({ checked }) => (checked ? "☑ " : "☐ "),
  },
})

const purifier = DOMPurify(window)

const urlAttributes = new Set(["href", "src"])

purifier.addHook("uponSanitizeAttribute", (_node, data) => {
  if (urlAttributes.has(data.attrName) && !isSafeUrl(data.attrValue)) data.keepAttr = false
})

purifier.addHook("afterSanitizeAttributes", (node) => {
  if (node.nodeName === "A" && node.hasAttribute("href")) {
    node.setAttribute("target", "_blank")
    node.setAttribute("rel", "noopener noreferrer")
  }
  if (node.nodeName === "IMG") {
    node.setAttribute("referrerpolicy", "no-referrer")
    node.setAttribute("loading", "lazy")
  }
})

const config = {
  ALLOWED_TAGS: [
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "sub",
    "summary",
    "sup",
    "strong",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
  ],
  ALLOWED_ATTR: ["align", "alt", "href", "src", "start", "title"],
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
} satisfies Config

/**
 * Moves the note's headings under the page's: `#` becomes `<h{top}>`, `##`
 * the level below, and so on down to `<h6>`, so the outline stays whole.
 * `data-depth` keeps the Markdown's own depth for styling.
 */
const nestHeadings = (fragment: DocumentFragment, top: number) => {
  for (const heading of Array.from(fragment.querySelectorAll("h1, h2, h3, h4, h5, h6"))) {
    const depth = Number(heading.tagName.slice(1))
    const nested = heading.ownerDocument.createElement(`h${Math.min(6, top + depth - 1)}`)
    nested.dataset.depth = String(depth)
    nested.append(...Array.from(heading.childNodes))
    heading.replaceWith(nested)
  }
  return fragment
}

/** `text` (Markdown) as sanitized DOM, ready to append; its top headings at level `top` (1–6). */
export const renderMarkdown = (text: string, top: number): DocumentFragment =>
  nestHeadings(purifier.sanitize(markdown.parse(text, { async: false }), config), top)
