import { css } from "lit"
import { controls, host, skeletonShimmer, visuallyHidden } from "../styles/shared.styles.js"

/** What the knowledge-base elements share: their state sentences, notices, confirmations and buttons. */
export const knowledgeStyles = [
  host,
  controls,
  skeletonShimmer,
  visuallyHidden,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }
    h2,
    h3,
    h4,
    h5,
    p {
      margin: 0;
    }
    [part~="loading"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="skeleton-row"] {
      height: 2.5rem;
    }
    [part~="signed-out"],
    [part~="unavailable"],
    [part~="absent"],
    [part~="locked"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="unreachable"],
    [part~="failed"],
    [part~="error"],
    [part~="restore-error"],
    [part~="form-error"],
    [part~="markdown-error"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-danger, #b42318);
      border-radius: var(--ig-radius, 0.5rem);
      color: var(--ig-color-danger, #b42318);
    }
    [part~="unreadable"],
    [part~="conflict"],
    [part~="stale"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-accent, #c2410c);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part~="confirm"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem);
      border: 1px solid var(--ig-color-border, #d9d9e0);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part~="confirm-text"] {
      flex: 1 1 16rem;
    }
    button[data-variant="danger"] {
      border-color: var(--ig-color-danger, #b42318);
      color: var(--ig-color-danger, #b42318);
    }
    [part~="markdown-loading"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
  `,
]
