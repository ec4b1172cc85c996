import { css } from "lit"
import { skeletonShimmer, visuallyHidden } from "../styles/shared.styles.js"
import { vaultStyles } from "../vault/vault.styles.js"

export const styles = [
  skeletonShimmer,
  visuallyHidden,
  ...vaultStyles,
  css`
    :host {
      display: block;
    }
    [part~="section"] {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 2);
    }
    h2,
    h3 {
      margin: 0;
    }
    h2 {
      font-size: 1.25em;
    }
    h3 {
      font-size: 1.0625em;
    }
    h2:focus,
    [part~="state"]:focus,
    [part~="passphrase-done"]:focus {
      outline: none;
    }
    p {
      margin: 0;
    }
    [part~="panel"],
    [part~="recovery-codes"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
      padding-top: calc(var(--ig-space, 0.5rem) * 2);
      border-top: 1px solid var(--ig-color-border, #d9d9e0);
    }
    [part~="panel"] > p:not([part]),
    [part~="lock-reason"],
    [part~="needs-unlock"],
    [part~="hint"],
    [part~="passkey-note"],
    [part~="policy-loading"],
    [part~="absent"],
    [part~="unavailable"],
    [part~="signed-out"] {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    [part~="hint"],
    [part~="passkey-note"],
    [part~="lock-reason"] {
      font-size: 0.875em;
    }
    [part~="lock-state"] {
      justify-items: start;
    }
    [part~="lock-state"][data-state="unlocked"] [part~="state"] {
      color: var(--ig-color-success, #067647);
    }
    dl {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) / 2);
      margin: 0;
    }
    [part~="policy-row"],
    [part~="method"] {
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--ig-space, 0.5rem);
    }
    dt {
      color: var(--ig-color-text-muted, #5b5b66);
    }
    dt::after {
      content: ":";
    }
    dd {
      margin: 0;
      font-weight: 500;
    }
    [part~="policy-upgrade"],
    [part~="must-set-passphrase"] {
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-accent, #c2410c);
      border-radius: var(--ig-radius, 0.5rem);
    }
    [part~="must-set-passphrase"] {
      font-weight: 500;
    }
    form {
      display: grid;
      gap: calc(var(--ig-space, 0.5rem) * 1.5);
      max-width: 28rem;
    }
    form button[type="submit"] {
      justify-self: start;
    }
    [part~="add-passkey"] {
      justify-self: start;
    }
    button[aria-disabled="true"] {
      cursor: not-allowed;
      opacity: 0.7;
    }
    [part~="error"],
    [part~="policy-error"] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--ig-space, 0.5rem);
      padding: var(--ig-space, 0.5rem) calc(var(--ig-space, 0.5rem) * 1.5);
      border: 1px solid var(--ig-color-danger, #b42318);
      border-radius: var(--ig-radius, 0.5rem);
      color: var(--ig-color-danger, #b42318);
    }
    [part~="skeleton"] {
      display: grid;
      gap: var(--ig-space, 0.5rem);
    }
    [part~="skeleton-row"] {
      height: 3rem;
    }
  `,
]
