import { css } from "lit"

/** Rendered Markdown (`part="markdown"`): readable type, code, quotes, tables, images that fit. */
export const markdownStyles = css`
  [part~="markdown"] {
    line-height: 1.6;
    overflow-wrap: anywhere;
  }
  [part~="markdown"] > :first-child {
    margin-top: 0;
  }
  [part~="markdown"] > :last-child {
    margin-bottom: 0;
  }
  [part~="markdown"] :is(h1, h2, h3, h4, h5, h6) {
    margin: 1.25em 0 0.5em;
    line-height: 1.25;
  }
  /* Sized by the Markdown's own depth: the element's level only places them in the page's outline. */
  [part~="markdown"] [data-depth="1"] {
    font-size: 1.5em;
  }
  [part~="markdown"] [data-depth="2"] {
    font-size: 1.3em;
  }
  [part~="markdown"] [data-depth="3"] {
    font-size: 1.15em;
  }
  [part~="markdown"] :is([data-depth="4"], [data-depth="5"], [data-depth="6"]) {
    font-size: 1em;
  }
  [part~="markdown"] :is(p, ul, ol, dl, blockquote, pre, table, details) {
    margin: 0 0 0.75em;
  }
  /* Only links that kept their address look like links: one whose address was refused is text. */
  [part~="markdown"] a[href] {
    color: var(--ig-color-accent, #c2410c);
    text-decoration: underline;
  }
  [part~="markdown"] :is(code, kbd, pre) {
    font-family: var(--ig-font-mono, ui-monospace, monospace);
    font-size: 0.9em;
  }
  [part~="markdown"] :not(pre) > code,
  [part~="markdown"] kbd {
    padding: 0.1em 0.3em;
    border-radius: calc(var(--ig-radius, 0.5rem) / 2);
    background: var(--ig-color-bg, #f4f4f6);
  }
  [part~="markdown"] pre {
    padding: var(--ig-space, 0.5rem);
    overflow-x: auto;
    border-radius: var(--ig-radius, 0.5rem);
    background: var(--ig-color-bg, #f4f4f6);
  }
  [part~="markdown"] blockquote {
    padding-left: var(--ig-space, 0.5rem);
    border-left: 3px solid var(--ig-color-border, #d9d9e0);
    color: var(--ig-color-text-muted, #5b5b66);
  }
  [part~="markdown"] table {
    border-collapse: collapse;
    display: block;
    overflow-x: auto;
  }
  [part~="markdown"] :is(th, td) {
    padding: 0.25em 0.5em;
    border: 1px solid var(--ig-color-border, #d9d9e0);
  }
  [part~="markdown"] img {
    max-width: 100%;
    height: auto;
  }
  [part~="markdown"] hr {
    border: none;
    border-top: 1px solid var(--ig-color-border, #d9d9e0);
  }
`
