import { css } from "lit"
import { host, visuallyHidden } from "../styles/shared.styles.js"

export const styles = [
  host,
  visuallyHidden,
  css`
    :host {
      display: block;
    }
    [part~="progress"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part~="label"] {
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
      font-variant-numeric: tabular-nums;
    }
    [part~="bar"] {
      height: 0.375rem;
      border-radius: 999px;
      background: var(--ig-color-border, #d9d9e0);
      overflow: hidden;
    }
    [part~="fill"] {
      height: 100%;
      border-radius: inherit;
      background: var(--ig-color-accent, #c2410c);
      transition: inline-size 0.2s ease-out;
    }
    @media (prefers-reduced-motion: reduce) {
      [part~="fill"] {
        transition: none;
      }
    }
    @media (forced-colors: active) {
      [part~="bar"] {
        border: 1px solid CanvasText;
      }
      [part~="fill"] {
        background: Highlight;
      }
    }
  `,
]
