import { css } from "lit"

export const styles = css`
  :host {
    display: grid;
    grid-template-columns: 14rem 1fr;
    grid-template-rows: auto 1fr;
    min-height: 100vh;
    font-family: var(--ig-font-family, system-ui, sans-serif);
    color: var(--ig-color-text, #17171c);
  }
  [part="banner"] {
    grid-column: 1 / -1;
  }
  nav[part="sidebar"] {
    border-right: 1px solid var(--ig-color-border, #d9d9e0);
    background: var(--ig-color-surface, #fff);
    padding: calc(var(--ig-space, 0.5rem) * 2);
    display: grid;
    align-content: start;
    gap: var(--ig-space, 0.5rem);
  }
  nav a {
    color: inherit;
    text-decoration: none;
    padding: var(--ig-space, 0.5rem);
    border-radius: var(--ig-radius, 0.5rem);
  }
  nav a[aria-current="page"] {
    background: var(--ig-color-bg, #f7f7f8);
    font-weight: 600;
  }
  [part="brand"] {
    font-weight: 700;
    font-size: 1.2em;
    margin-bottom: var(--ig-space, 0.5rem);
  }
  main {
    padding: calc(var(--ig-space, 0.5rem) * 3);
    min-width: 0;
  }
  nav[part="tabs"] {
    display: none;
  }
  .skeleton {
    height: 1.2em;
    max-width: 20rem;
    border-radius: var(--ig-radius, 0.5rem);
    background: var(--ig-color-border, #d9d9e0);
  }
  @media (max-width: 40rem) {
    :host {
      grid-template-columns: 1fr;
      grid-template-rows: auto 1fr auto;
    }
    nav[part="sidebar"] {
      display: none;
    }
    nav[part="tabs"] {
      display: flex;
      justify-content: space-around;
      position: sticky;
      bottom: 0;
      border-top: 1px solid var(--ig-color-border, #d9d9e0);
      background: var(--ig-color-surface, #fff);
    }
    nav[part="tabs"] a {
      flex: 1;
      text-align: center;
      padding: var(--ig-space, 0.5rem);
    }
  }
`
