import { css } from "lit"
import { knowledgeStyles } from "../knowledge-editor/knowledge.styles.js"

export const styles = [
  ...knowledgeStyles,
  css`
    [part~="section"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    h2 {
      font-size: 1.25em;
    }
    h3 {
      font-size: 1.0625em;
    }
    h3:focus {
      outline: none;
    }
    form {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 1.5);
    }
    [part~="capture"] {
      padding: calc(var(--ig-space, 0.5rem) * 2);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part~="field"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      align-content: start;
    }
    [part~="label"] {
      font-weight: 500;
    }
    textarea {
      font: inherit;
      color: inherit;
      padding: var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-surface, #fff);
      resize: vertical;
      min-height: 4.5rem;
    }
    textarea[aria-invalid="true"] {
      border-color: var(--ig-color-danger, #b42318);
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    .inline {
      display: flex;
      flex-wrap: wrap;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="bpm-input"] {
      inline-size: 6rem;
    }
    [part~="tap-hint"] {
      font-size: 0.8125em;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="chips"] {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="chip"] {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
      padding-inline-start: 0.625rem;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: 999px;
      background: var(--ig-color-surface, #fff);
    }
    [part~="chip-remove"] {
      min-height: 2rem;
      min-width: 2rem;
      padding: 0;
      border: none;
      border-radius: 999px;
      background: transparent;
      line-height: 1;
    }
    [part~="privacy"] {
      justify-self: start;
    }
    [part~="actions"],
    [part~="idea-actions"] {
      display: flex;
      flex-wrap: wrap;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="conflict"] p,
    [part~="missing"] p {
      flex: 1 1 16rem;
    }
    [part~="missing"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part~="conflict"]:focus,
    [part~="missing"]:focus {
      outline: 2px solid var(--ig-color-focus, #2563eb);
      outline-offset: 2px;
    }
    [part~="list-header"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="filter"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part~="filter-label"] {
      margin-inline-end: calc(var(--ig-space, 0.5rem) / 2);
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="private-icon"] {
      vertical-align: -0.05em;
    }
    [part~="filter-option"],
    [part~="mood"] {
      min-height: 2rem;
      padding: 0.125rem 0.75rem;
      border-radius: 999px;
      font-size: 0.875em;
    }
    [part~="filter-option"][aria-pressed="true"],
    [part~="mood"][aria-pressed="true"] {
      border-color: var(--ig-color-accent, #c2410c);
      box-shadow: inset 0 0 0 1px var(--ig-color-accent, #c2410c);
      font-weight: 600;
    }
    [part~="filter-option"][aria-pressed="true"]::before,
    [part~="mood"][aria-pressed="true"]::before {
      content: "✓ ";
    }
    [part~="filter-summary"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="list"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="idea"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
      padding: calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      scroll-margin: calc(var(--ig-space, 0.5rem) * 2);
    }
    [part~="idea"][data-selected] {
      border: 3px solid var(--ig-color-accent, #c2410c);
      padding: calc(var(--ig-space, 0.5rem) * 1.5 - 2px);
    }
    [part~="idea"]:focus {
      outline: none;
    }
    [part~="idea"]:focus-visible {
      outline: 2px solid var(--ig-color-focus, #2563eb);
      outline-offset: 2px;
    }
    [part~="idea-text"] {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    [part~="more"] {
      justify-self: start;
      min-height: 2rem;
      padding: 0 var(--ig-space, 0.5rem);
      border: none;
      background: transparent;
      text-decoration: underline;
    }
    [part~="details"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      font-size: 0.875em;
    }
    [part~="badge"],
    [part~="private"] {
      padding: 0.125rem 0.5rem;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: calc(var(--ig-radius, 0.5rem) / 2);
      background: var(--ig-color-surface, #fff);
      font-variant-numeric: tabular-nums;
    }
    [part~="private"] {
      font-weight: 600;
    }
    [part~="updated"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="empty"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="delete-error"] {
      margin: 0;
    }
  `,
]
