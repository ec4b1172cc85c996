import { css } from "lit"
import { vaultStyles } from "../vault/vault.styles.js"

export const styles = [
  ...vaultStyles,
  css`
    :host {
      max-width: 36rem;
    }
  `,
]
