import { css } from "lit"
import { host } from "../styles/shared.styles.js"

export const styles = [
  host,
  css`
    :host {
      display: block;
    }
    [part="banner"] {
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 2);
      background: var(--ig-color-surface-raised, #fff);
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
      color: var(--ig-color-text, #17171c);
    }
  `,
]
