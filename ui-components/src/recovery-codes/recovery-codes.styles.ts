import { css } from "lit"
import { skeletonShimmer, visuallyHidden } from "../styles/shared.styles.js"
import { vaultStyles } from "../vault/vault.styles.js"

export const styles = [
  skeletonShimmer,
  visuallyHidden,
  ...vaultStyles,
  css`
    :host {
      display: block;
    }
    [part="section"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 1.5);
    }
    /* Busy is shown by a cursor, not by fading: faded text would fall below the contrast minimum. */
    [part="section"][aria-busy="true"] [part="list"] {
      cursor: progress;
    }
    [part="heading"],
    [part="new-codes-heading"] {
      margin: 0;
      font-size: 1.125em;
    }
    [part="heading"]:focus,
    [part="new-codes-heading"]:focus {
      outline: none;
    }
    p {
      margin: 0;
    }
    [part="intro"],
    [part="summary"],
    [part="needs-unlock"],
    [part="empty"],
    [part="no-vault"],
    [part="signed-out"],
    [part="meta"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part="meta"],
    [part="needs-unlock"],
    [part="copy-status"] {
      font-size: 0.875em;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part="item"],
    [part="history-item"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) 0;
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part="item"][aria-busy="true"] {
      cursor: progress;
    }
    [part="name"] {
      font-weight: 600;
    }
    [part="meta"] {
      flex: 1 1 12rem;
    }
    [part="state"] {
      font-size: 0.8em;
      font-weight: 600;
      padding: 0.1em 0.6em;
      border-radius: 999px;
      border: 1px solid currentColor;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part="state"][data-state="active"] {
      color: var(--ig-color-success, #067647);
    }
    [part="low"] {
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-accent, #c2410c);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part="history-summary"] {
      cursor: pointer;
      font-weight: 500;
    }
    [part="history-list"] {
      margin-top: var(--ig-space, 0.5rem);
    }
    [part="new-codes"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
      padding: calc(var(--ig-space, 0.5rem) * 2);
      border: 2px solid var(--ig-color-accent, #c2410c);
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-surface-raised, #fff);
    }
    [part="codes"] {
      column-gap: calc(var(--ig-space, 0.5rem) * 5);
    }
    [part="codes"] code {
      user-select: all;
    }
    [part="done"] {
      justify-self: start;
    }
    [part="confirm"],
    [part="footer"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
    }
    [part="item"] button,
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
      cursor: not-allowed;
      opacity: 0.7;
    }
    [part="row-error"],
    [part="regenerate-error"] {
      flex-basis: 100%;
    }
    [part="error"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-danger, #b42318);
      border-radius: var(--ig-radius, 0.5rem);
      color: var(--ig-color-danger, #b42318);
    }
    [part="skeleton"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part="skeleton-row"] {
      height: 2.5rem;
    }
    @media print {
      [part="new-codes"] .actions,
      [part="done"] {
        display: none;
      }
    }
  `,
]
