import { css } from "lit"
import { controls, host } from "../styles/shared.styles.js"

export const styles = [
  host,
  controls,
  css`
    :host {
      display: inline-block;
    }
    fieldset {
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      display: flex;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem);
      margin: 0;
    }
    label {
      display: flex;
      align-items: center;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      font-weight: 400;
    }
    input {
      min-height: auto;
    }
  `,
]
