import { css } from "lit"
import { controls, host, visuallyHidden } from "../styles/shared.styles.js"

export const styles = [
  visuallyHidden,
  host,
  controls,
  css`
    :host {
      /* Only the modal dialog shows, in the top layer; the host takes no room. */
      display: contents;
    }
    dialog {
      width: min(40rem, calc(100vw - 2 * var(--ig-space, 0.5rem)));
      max-height: min(32rem, calc(100vh - 4 * var(--ig-space, 0.5rem)));
      margin: 12vh auto auto;
      padding: 0;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: calc(var(--ig-radius, 0.5rem) * 1.5);
      background: var(--ig-color-surface-raised, #fff);
      color: var(--ig-color-text, #17171c);
      box-shadow: var(--ig-shadow, 0 1px 3px rgb(0 0 0 / 0.12)), 0 1rem 3rem rgb(0 0 0 / 0.2);
      overflow: hidden;
    }
    dialog[open] {
      display: flex;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.4);
    }
    [part="panel"] {
      display: flex;
      flex-direction: column;
      width: 100%;
      min-height: 0;
    }
    [part="input"] {
      border: 0;
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: 0;
      padding: calc(var(--ig-space, 0.5rem) * 2);
      font-size: 1.1em;
      background: transparent;
    }
    [part="input"]:focus-visible {
      outline: none;
    }
    [part="listbox"] {
      overflow-y: auto;
      padding: var(--ig-space, 0.5rem);
      min-height: 0;
      flex: 1 1 auto;
    }
    [part="group"] + [part="group"] {
      margin-top: var(--ig-space, 0.5rem);
    }
    [part="group-label"] {
      padding: calc(var(--ig-space, 0.5rem) / 2) var(--ig-space, 0.5rem);
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.8em;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    [part="option"] {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem);
      border-radius: var(--ig-radius, 0.5rem);
      border-left: 3px solid transparent;
      cursor: pointer;
    }
    [part="option"][aria-selected="true"] {
      background: var(--ig-color-bg, #f7f7f8);
      border-left-color: var(--ig-color-accent, #c2410c);
    }
    [part="match"] {
      background: none;
      color: inherit;
      font-weight: 700;
      text-decoration: underline;
      text-decoration-color: var(--ig-color-accent, #c2410c);
      text-underline-offset: 0.2em;
    }
    [part="option-group"],
    [part="hint"],
    [part="empty"] {
      color: var(--ig-color-text-muted, #5b5b66);
      font-size: 0.875em;
    }
    [part="empty"] {
      margin: 0;
      padding: calc(var(--ig-space, 0.5rem) * 2);
      text-align: center;
    }
    [part="hint"] {
      margin: 0;
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 2);
      border-top: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part="key"] {
      font: inherit;
      font-size: 0.85em;
      padding: 0 0.3em;
      margin-right: 0.15em;
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: calc(var(--ig-radius, 0.5rem) / 2);
    }
    @media (forced-colors: active) {
      [part="option"][aria-selected="true"] {
        outline: 2px solid Highlight;
      }
    }
  `,
]
