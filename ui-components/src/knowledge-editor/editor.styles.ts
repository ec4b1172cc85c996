import { css } from "lit"
import { markdownStyles } from "../markdown/markdown.styles.js"
import { knowledgeStyles } from "./knowledge.styles.js"

/** `<ig-infobase>` and `<ig-journal>`: the two panes, the list's items, the editor, its tabs and tags. */
export const editorStyles = [
  ...knowledgeStyles,
  markdownStyles,
  css`
    [part~="section"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    h2 {
      font-size: 1.25em;
    }
    h3 {
      font-size: 1.125em;
    }
    [part~="layout"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 3);
      grid-template-columns: minmax(0, 1fr);
    }
    @container (min-width: 48rem) {
      [part~="layout"] {
        grid-template-columns: minmax(14rem, 1fr) minmax(0, 2.5fr);
        align-items: start;
      }
    }
    [part~="list-pane"],
    [part~="editor-pane"],
    [part~="editor"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 1.5);
      min-width: 0;
    }
    [part~="toolbar"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="new"] {
      justify-self: start;
    }
    [part~="count"],
    [part~="item-meta"],
    [part~="empty"],
    [part~="no-notes"],
    [part~="no-match"],
    [part~="hint"],
    [part~="preview-empty"] {
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
    }
    [part~="list"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="open"] {
      display: grid;
      width: 100%;
      gap: 0.125rem;
      text-align: start;
      font-weight: 400;
    }
    [part~="open"][aria-current="true"] {
      border-color: var(--ig-color-accent, #c2410c);
      box-shadow: inset 3px 0 0 var(--ig-color-accent, #c2410c);
    }
    [part~="item-title"] {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    [part~="editor-header"] {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="editor-heading"]:focus,
    [part~="status"]:focus {
      outline: none;
    }
    [part~="unsaved"] {
      padding: 0 0.5rem;
      border: 1px dashed var(--ig-color-accent, #c2410c);
      border-radius: 999px;
      font-size: 0.8125em;
      font-weight: 600;
    }
    [part~="tags"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part~="tags"] > [part~="label"] {
      font-weight: 500;
    }
    [part~="tag-list"] {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="tag"] {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
      padding-inline-start: 0.5rem;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: 999px;
    }
    [part~="remove-tag"] {
      min-height: 1.75rem;
      padding: 0 0.5rem;
      border: none;
      border-radius: 999px;
      background: transparent;
    }
    [part~="tabs"] {
      display: flex;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part~="tab"] {
      border: none;
      border-bottom: 2px solid transparent;
      border-radius: 0;
      background: none;
    }
    [part~="tab"][aria-selected="true"] {
      border-bottom-color: var(--ig-color-accent, #c2410c);
      font-weight: 600;
    }
    [part~="preview"] {
      min-height: 10rem;
      padding: var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
    textarea {
      font: inherit;
      font-family: var(--ig-font-mono, ui-monospace, monospace);
      font-size: 0.9375em;
      color: inherit;
      width: 100%;
      min-height: 12rem;
      padding: var(--ig-space, 0.5rem);
      resize: vertical;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-surface, #fff);
    }
    [part~="metadata-error"] {
      color: var(--ig-color-danger, #b42318);
    }
    [part~="actions"] {
      display: flex;
      flex-wrap: wrap;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="delete"] {
      margin-inline-start: auto;
    }
    [part~="version-history"] {
      padding-top: calc(var(--ig-space, 0.5rem) * 2);
      border-top: 1px solid var(--ig-color-border, #d9d9e0);
    }
  `,
]
