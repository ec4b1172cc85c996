/**
 * Styles every element shares: the host's typography and colours from the
 * --ig-* tokens (with light fallbacks, see theme.css), and the form
 * controls' look.
 */
import { css } from "lit"

export const host = css`
  :host {
    font-family: var(--ig-font-family, system-ui, sans-serif);
    font-size: var(--ig-font-size, 1rem);
    color: var(--ig-color-text, #17171c);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
`

export const controls = css`
  label {
    display: grid;
    gap: calc(var(--ig-space, 0.5rem) / 2);
    font-weight: 500;
  }
  input,
  select {
    font: inherit;
    color: inherit;
    padding: var(--ig-space, 0.5rem);
    border: 1px solid var(--ig-color-border, #d9d9e0);
    border-radius: var(--ig-radius, 0.5rem);
    background: var(--ig-color-surface, #fff);
    min-height: 2.5rem;
  }
  input[aria-invalid="true"] {
    border-color: var(--ig-color-danger, #b42318);
  }
  button {
    font: inherit;
    cursor: pointer;
    min-height: 2.5rem;
    padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 2);
    border-radius: var(--ig-radius, 0.5rem);
    border: 1px solid var(--ig-color-border, #d9d9e0);
    background: var(--ig-color-surface-raised, #fff);
    color: inherit;
  }
  button[data-variant="primary"] {
    background: var(--ig-color-accent, #c2410c);
    color: var(--ig-color-accent-text, #fff);
    border-color: transparent;
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  :focus-visible {
    outline: 2px solid var(--ig-color-focus, #2563eb);
    outline-offset: 2px;
  }
  .field-error,
  .form-error {
    color: var(--ig-color-danger, #b42318);
    font-size: 0.875em;
    font-weight: 400;
  }
`

/** Loading rows (`part="skeleton-row"`): a shimmer, still for those who prefer reduced motion. Each element sets the height. */
export const skeletonShimmer = css`
  [part~="skeleton-row"] {
    border-radius: var(--ig-radius, 0.5rem);
    background: linear-gradient(
      90deg,
      var(--ig-color-border, #d9d9e0) 0%,
      var(--ig-color-surface, #fff) 50%,
      var(--ig-color-border, #d9d9e0) 100%
    );
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
    opacity: 0.6;
  }
  @keyframes shimmer {
    from {
      background-position: 100% 0;
    }
    to {
      background-position: -100% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part~="skeleton-row"] {
      animation: none;
    }
  }
`

/** Text for assistive technology only. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`
