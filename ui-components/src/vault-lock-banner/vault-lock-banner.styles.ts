import { css } from "lit"
import { controls, host } from "../styles/shared.styles.js"

export const styles = [
  host,
  controls,
  css`
    :host {
      display: block;
    }
    [part~="banner"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 2);
      border-radius: var(--ig-radius, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      background: var(--ig-color-surface-raised, #fff);
    }
    [part~="banner"][data-status="locked"] {
      border-color: var(--ig-color-warning, #b54708);
      background: var(--ig-color-warning-surface, #fffaeb);
    }
    [part~="panel"] {
      margin-top: var(--ig-space, 0.5rem);
    }
  `,
]
