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
    form {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 1.5);
    }
    h2 {
      margin: 0;
      font-size: 1.4em;
    }
    [part="terms"] {
      display: flex;
      gap: var(--ig-space, 0.5rem);
      align-items: start;
      font-weight: 400;
    }
    [part="terms"] input {
      min-height: auto;
    }
    [part="waiting"] {
      padding: var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
  `,
]
