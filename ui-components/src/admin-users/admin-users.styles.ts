import { css } from "lit"
import { controls, host, skeletonShimmer, visuallyHidden } from "../styles/shared.styles.js"

export const styles = [
  skeletonShimmer,
  visuallyHidden,
  host,
  controls,
  css`
    :host {
      display: block;
    }
    [part="section"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    /* Busy is shown by a cursor, not by fading: faded text would fall below the contrast minimum. */
    [part="section"][aria-busy="true"] [part="table"] {
      cursor: progress;
    }
    [part="toolbar"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--ig-space, 0.5rem);
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
    }
    h2:focus,
    [part="count"]:focus {
      outline: none;
    }
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: var(--ig-space, 0.5rem);
      margin: 0;
      padding: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
    legend {
      padding: 0 calc(var(--ig-space, 0.5rem) / 2);
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part="filter-option"] {
      display: flex;
      align-items: center;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      font-weight: 400;
    }
    [part="filter-option"] input {
      min-height: auto;
    }
    [part="table-wrap"] {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      vertical-align: top;
      padding: var(--ig-space, 0.5rem);
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
    }
    th {
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
      font-weight: 600;
    }
    [part="row"][aria-busy="true"] {
      cursor: progress;
      background: var(--ig-color-bg, #f7f7f8);
    }
    [part="name"] {
      font-weight: 600;
    }
    [part="email"] {
      display: block;
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
      overflow-wrap: anywhere;
    }
    [part="you"],
    [part="status"],
    [part="role"] {
      display: inline-block;
      font-size: 0.8em;
      font-weight: 600;
      padding: 0.1em 0.6em;
      border-radius: 999px;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      white-space: nowrap;
    }
    [part="you"] {
      margin-left: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part="status"][data-status="approved"] {
      color: var(--ig-color-success, #067647);
      border-color: currentColor;
    }
    [part="status"][data-status="pending"] {
      color: var(--ig-color-accent, #c2410c);
      border-color: currentColor;
    }
    [part="status"][data-status="suspended"] {
      color: var(--ig-color-danger, #b42318);
      border-color: currentColor;
    }
    [part="roles"] {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part="never"],
    [part="last-seen"],
    [part="count"] {
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
    }
    [part="actions"],
    [part="confirm"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part="confirm"] {
      max-width: 28rem;
    }
    [part="actions"] button,
    [part="confirm"] button {
      min-height: 2rem;
      padding: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      font-size: 0.875em;
    }
    button[data-variant="danger"] {
      color: var(--ig-color-danger, #b42318);
    }
    [part="confirm-button"] {
      border-color: currentColor;
    }
    button[aria-disabled="true"] {
      cursor: progress;
      opacity: 0.7;
    }
    [part="encrypted-banner"] {
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-left: 4px solid var(--ig-color-accent, #c2410c);
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-surface-raised, #fff);
    }
    [part="row-note"] {
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
      border-top: 0;
    }
    [part="row-error"] {
      color: var(--ig-color-danger, #b42318);
      font-size: 0.875em;
      border-top: 0;
    }
    [part="footer"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 2);
    }
    [part="more-error"] {
      flex-basis: 100%;
      margin: 0;
    }
    [part="error"],
    [part="needs-admin"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-danger, #b42318);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part="error"] {
      color: var(--ig-color-danger, #b42318);
    }
    [part="needs-admin"] {
      display: block;
      border-color: var(--ig-color-border, #d9d9e0);
      background: var(--ig-color-surface-raised, #fff);
    }
    [part="empty"],
    [part="signed-out"] {
      margin: 0;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part="skeleton"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part="skeleton-row"] {
      height: 3rem;
    }
  `,
]
