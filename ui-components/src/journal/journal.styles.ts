import { css } from "lit"
import { editorStyles } from "../knowledge-editor/editor.styles.js"

export const styles = [
  ...editorStyles,
  css`
    [part~="list"],
    [part~="month"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="month-heading"] {
      font-size: 0.9375em;
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="entries"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    [part~="item-meta"] {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
]
