import { css } from "lit"
import { controls, host } from "../styles/shared.styles.js"

export const styles = [
  host,
  controls,
  css`
    :host {
      display: block;
    }
    [part~="base"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part~="switch"] {
      justify-self: start;
      display: inline-flex;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      border-color: transparent;
      background: transparent;
      font-weight: 500;
    }
    [part~="track"] {
      position: relative;
      flex: none;
      width: 2.5rem;
      height: 1.375rem;
      border-radius: 999px;
      border: 2px solid var(--ig-color-border, #d9d9e0);
      background: var(--ig-color-surface, #fff);
      transition: background-color 0.15s, border-color 0.15s;
    }
    [part~="thumb"] {
      position: absolute;
      top: 2px;
      left: 2px;
      width: 0.875rem;
      height: 0.875rem;
      border-radius: 50%;
      background: var(--ig-color-text-muted, #5b5b66);
      transition: transform 0.15s;
    }
    [aria-checked="true"] [part~="track"] {
      border-color: var(--ig-color-accent, #c2410c);
      background: var(--ig-color-accent, #c2410c);
    }
    [aria-checked="true"] [part~="thumb"] {
      transform: translateX(1.125rem);
      background: var(--ig-color-accent-text, #fff);
    }
    [part~="state"] {
      min-width: 2ch;
      font-weight: 400;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="description"] {
      margin: 0;
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    @media (prefers-reduced-motion: reduce) {
      [part~="track"],
      [part~="thumb"] {
        transition: none;
      }
    }
    @media (forced-colors: active) {
      [aria-checked="true"] [part~="thumb"] {
        background: CanvasText;
      }
    }
  `,
]
