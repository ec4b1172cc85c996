import { css } from "lit"
import { vaultStyles } from "../vault/vault.styles.js"

export const styles = [
  ...vaultStyles,
  css`
    :host {
      max-width: 30rem;
    }
    [role="tablist"] {
      display: flex;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [role="tab"] {
      border: none;
      border-bottom: 2px solid transparent;
      border-radius: 0;
      background: none;
    }
    [role="tab"][aria-selected="true"] {
      border-bottom-color: var(--ig-color-accent, #c2410c);
      font-weight: 600;
    }
  `,
]
