import { css } from "lit"
import { knowledgeStyles } from "../knowledge-editor/knowledge.styles.js"
import { markdownStyles } from "../markdown/markdown.styles.js"

export const styles = [
  ...knowledgeStyles,
  markdownStyles,
  css`
    :host {
      display: block;
    }
    [part~="section"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="layout"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
      grid-template-columns: minmax(0, 1fr);
    }
    @container (min-width: 40rem) {
      [part~="layout"] {
        grid-template-columns: minmax(12rem, 1fr) minmax(0, 2fr);
        align-items: start;
      }
    }
    [part~="versions"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="select"] {
      display: grid;
      width: 100%;
      gap: 0.125rem;
      text-align: start;
      font-weight: 400;
    }
    [part~="select"][aria-pressed="true"] {
      border-color: var(--ig-color-accent, #c2410c);
      box-shadow: inset 3px 0 0 var(--ig-color-accent, #c2410c);
    }
    [part~="version-number"] {
      font-weight: 600;
    }
    [part~="version-time"],
    [part~="version-mode"],
    [part~="hint"],
    [part~="restore-note"] {
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
    }
    [part~="version-summary"] {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~="current-marker"] {
      justify-self: start;
      padding: 0 0.375rem;
      border: 1px solid var(--ig-color-accent, #c2410c);
      border-radius: 999px;
      font-size: 0.8125em;
      font-weight: 600;
    }
    [part~="detail"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
      min-width: 0;
    }
    [part~="detail-heading"],
    [part~="subheading"] {
      margin: 0;
      font-size: 1em;
    }
    [part~="version-meta"] {
      display: grid;
      grid-template-columns: max-content minmax(0, 1fr);
      gap: 0.125rem var(--ig-space, 0.5rem);
      margin: 0;
    }
    [part~="version-meta"] > div {
      display: contents;
    }
    [part~="version-meta"] dt {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="version-meta"] dd {
      margin: 0;
    }
    [part~="actions"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="restored"]:focus {
      outline: none;
    }
    [part~="diff-lines"] {
      margin: 0;
      padding: var(--ig-space, 0.5rem);
      list-style: none;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      font-family: var(--ig-font-mono, ui-monospace, monospace);
      font-size: 0.875em;
    }
    [part~="diff-line"] {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    [part~="diff-line"] > :is(del, ins) {
      display: block;
      text-decoration: none;
    }
    [part~="diff-removed"] {
      color: var(--ig-color-danger, #b42318);
    }
    [part~="diff-removed"] del {
      text-decoration: line-through;
    }
    [part~="diff-added"] {
      color: var(--ig-color-success, #067647);
    }
    [part~="diff-skipped"] {
      color: var(--ig-color-text-muted, #5b5b66);
      font-family: var(--ig-font-family, system-ui, sans-serif);
      font-style: italic;
    }
    .sign {
      display: inline-block;
      width: 1.5ch;
    }
  `,
]
