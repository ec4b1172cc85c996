import { css } from "lit"
import { controls, host } from "../styles/shared.styles.js"

export const styles = [
  host,
  controls,
  css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 0 0 var(--ig-space, 0.5rem);
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    li {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
    .meta {
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
    }
    .skeleton {
      height: 2.5rem;
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-border, #d9d9e0);
    }
  `,
]
