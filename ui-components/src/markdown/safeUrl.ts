/**
 * Which link and image addresses a rendered note may keep. An allow-list of
 * schemes (web, mail, phone) rather than a block-list: `javascript:`,
 * `data:`, `vbscript:`, `blob:`, `file:` and whatever a browser invents next
 * are all dropped. Relative addresses and `#fragments` stay.
 *
 * Browsers ignore whitespace and control characters inside a scheme
 * (`java\tscript:` runs). Rather than imitate the URL parser, any colon
 * before the first `/`, `?` or `#` that does not end an allowed scheme
 * refuses the address: a disguised scheme never gets through.
 */

const allowedSchemes = new Set(["http", "https", "mailto", "tel"])

/** A scheme: a letter, then letters, digits, `+`, `-` or `.`, then `:`. */
const scheme = /^([a-z][a-z0-9+.-]*):/i

/** A colon before any `/`, `?` or `#`: the address could name a scheme. */
const colonFirst = /^[^/?#]*:/

/** Whether `url` may stay on a link or an image of a rendered note. */
export const isSafeUrl = (url: string): boolean => {
  const name = scheme.exec(url)?.[1]
  return name === undefined ? !colonFirst.test(url) : allowedSchemes.has(name.toLowerCase())
}
