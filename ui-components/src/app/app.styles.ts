import { css } from "lit"
import { host } from "../styles/shared.styles.js"

export const styles = [
  host,
  css`
    :host {
      display: block;
      color: var(--ig-color-text, #17171c);
      background: var(--ig-color-bg, #f7f7f8);
    }
  `,
]
