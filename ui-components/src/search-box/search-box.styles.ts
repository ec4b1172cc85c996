import { css } from "lit"
import { controls, host, visuallyHidden } from "../styles/shared.styles.js"

export const styles = [
  host,
  controls,
  visuallyHidden,
  css`
    :host {
      display: block;
    }
    p {
      margin: 0;
    }
    [part~="base"] {
      position: relative;
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part~="label"] {
      font-weight: 500;
    }
    [part~="input"] {
      width: 100%;
    }
    [part~="input"]:disabled {
      cursor: not-allowed;
      opacity: 0.7;
    }
    [part~="popup"] {
      position: absolute;
      z-index: 10;
      inset-inline: 0;
      top: 100%;
      margin-top: calc(var(--ig-space, 0.5rem) / 2);
      max-height: min(28rem, 70vh);
      overflow-y: auto;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
      background: var(--ig-color-surface-raised, #fff);
      box-shadow: var(--ig-shadow, 0 8px 24px rgb(0 0 0 / 0.12));
    }
    [part~="listbox"] {
      padding: calc(var(--ig-space, 0.5rem) / 2);
    }
    [part~="group"] + [part~="group"] {
      margin-top: calc(var(--ig-space, 0.5rem) / 2);
      padding-top: calc(var(--ig-space, 0.5rem) / 2);
      border-top: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part~="group-label"] {
      padding: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.8em;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    [part~="option"] {
      display: grid;
      gap: 0.125rem;
      padding: var(--ig-space, 0.5rem);
      border-radius: var(--ig-radius, 0.5rem);
      border-inline-start: 3px solid transparent;
      cursor: pointer;
    }
    [part~="option"][aria-selected="true"] {
      background: var(--ig-color-bg, #f7f7f8);
      border-inline-start-color: var(--ig-color-accent, #c2410c);
    }
    [part~="option-title"] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [part~="option-excerpt"],
    [part~="option-details"] {
      font-size: 0.875em;
      color: var(--ig-color-text-muted, #5b5b66);
      overflow-wrap: anywhere;
    }
    [part~="match"] {
      color: inherit;
      font-weight: 700;
      background: var(--ig-color-mark, #fde68a);
      border-radius: 0.2em;
      padding: 0 0.1em;
    }
    [part~="empty"],
    [part~="error"] {
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      font-size: 0.875em;
    }
    [part~="empty"],
    [part~="locked"],
    [part~="absent"],
    [part~="signed-out"],
    [part~="unavailable"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="locked"] {
      font-size: 0.875em;
    }
    [part~="error"],
    [part~="failed"],
    [part~="unreachable"] {
      color: var(--ig-color-danger, #b42318);
    }
    [part~="failed"],
    [part~="unreachable"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      font-size: 0.875em;
    }
    @media (forced-colors: active) {
      [part~="option"][aria-selected="true"] {
        outline: 2px solid Highlight;
      }
      [part~="match"] {
        background: Mark;
        color: MarkText;
      }
    }
  `,
]
