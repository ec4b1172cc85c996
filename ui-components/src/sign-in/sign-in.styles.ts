import { css } from "lit"
import { controls, host } from "../styles/shared.styles.js"

export const styles = [
  host,
  controls,
  css`
    :host {
      display: block;
      max-width: 24rem;
    }
    form,
    [part="alternatives"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 1.5);
    }
    [part="alternatives"] {
      margin-top: calc(var(--ig-space, 0.5rem) * 2);
      padding-top: calc(var(--ig-space, 0.5rem) * 2);
      border-top: 1px solid var(--ig-color-border, #d9d9e0);
    }
    h2 {
      margin: 0;
      font-size: 1.4em;
    }
    a[part="provider"] {
      display: block;
      text-align: center;
      padding: var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      color: inherit;
      text-decoration: none;
    }
  `,
]
