import { css } from "lit"
import { knowledgeStyles } from "../knowledge-editor/knowledge.styles.js"

export const styles = [
  ...knowledgeStyles,
  css`
    [part~="section"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="list"],
    [part~="rejections"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="conflict"],
    [part~="rejection"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      padding-block: var(--ig-space, 0.5rem);
      border-bottom: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part~="kind"],
    [part~="origin"],
    [part~="empty"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="name"] {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    [part~="actions"] {
      display: flex;
      flex-wrap: wrap;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="reason"] {
      color: var(--ig-color-danger, #b42318);
      overflow-wrap: anywhere;
    }
  `,
]
