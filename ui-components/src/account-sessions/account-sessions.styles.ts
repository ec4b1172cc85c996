import { css } from "lit"
import { controls, host, skeletonShimmer, visuallyHidden } from "../styles/shared.styles.js"

export const styles = [
  skeletonShimmer,
  visuallyHidden,
  host,
  controls,
  css`
    :host {
      display: block;
    }
    [part="section"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    [part="section"][aria-busy="true"] [part="list"] {
      opacity: 0.7;
      transition: opacity 0.2s;
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
    }
    h2:focus {
      outline: none;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    [part="device"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--ig-space, 0.5rem);
      padding: calc(var(--ig-space, 0.5rem) * 1.5) 0;
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part="device-info"] {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      min-width: 0;
    }
    [part="device-name"] {
      font-weight: 600;
    }
    [part="current"] {
      font-size: 0.8em;
      font-weight: 600;
      padding: 0.1em 0.6em;
      border-radius: 999px;
      border: 1px solid var(--ig-color-accent, #c2410c);
      color: var(--ig-color-accent, #c2410c);
    }
    [part="device-times"] {
      flex-basis: 100%;
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
    }
    [part="confirm"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
    }
    [part="row-error"] {
      flex-basis: 100%;
      margin: 0;
    }
    [part="footer"] {
      display: grid;
      justify-items: start;
      gap: var(--ig-space, 0.5rem);
    }
    button[data-variant="danger"] {
      color: var(--ig-color-danger, #b42318);
      border-color: currentColor;
    }
    button[aria-disabled="true"] {
      cursor: progress;
      opacity: 0.7;
    }
    [part="error"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-danger, #b42318);
      border-radius: var(--ig-radius, 0.5rem);
      color: var(--ig-color-danger, #b42318);
    }
    [part="empty"],
    [part="signed-out"] {
      margin: 0;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part="skeleton-row"] {
      height: 3.5rem;
      margin-bottom: var(--ig-space, 0.5rem);
    }
  `,
]
