import { css } from "lit"
import { controls, host } from "../styles/shared.styles.js"

/** What every vault element shares: forms, the strength meter, the recovery code sheet. */
export const vaultStyles = [
  host,
  controls,
  css`
    :host {
      display: block;
    }
    form,
    section {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
    }
    p {
      margin: 0;
    }
    meter {
      width: 100%;
      height: 0.75rem;
    }
    .strength {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    ol {
      margin: 0;
      padding: var(--ig-space, 0.5rem) var(--ig-space, 0.5rem) var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 5);
      font-family: var(--ig-font-mono, ui-monospace, monospace);
      font-size: 1.05em;
      columns: 2;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-surface, #fff);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--ig-space, 0.5rem);
    }
    .check {
      display: flex;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      font-weight: 400;
    }
    .skeleton {
      height: 6rem;
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-border, #d9d9e0);
    }
    .warning {
      color: var(--ig-color-danger, #b42318);
    }
  `,
]
