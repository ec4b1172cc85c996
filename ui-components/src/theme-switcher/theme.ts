/**
 * Where the theme choice lives on this device: localStorage, applied as
 * `data-ig-theme` on <html> (theme.css keys its tokens on it). The page's
 * `boot.ts` applies it before first paint; the user's settings on the
 * server are the source that follows them to other devices.
 */
export type Theme = "dark" | "light" | "system"

export const storageKey = "ig-theme"

export const isTheme = (value: unknown): value is Theme => value === "dark" || value === "light" || value === "system"

export const stored = (): Theme => {
  try {
    const value = localStorage.getItem(storageKey)
    return isTheme(value) ? value : "system"
  } catch {
    return "system"
  }
}

export const apply = (theme: Theme): void => {
  document.documentElement.dataset.igTheme = theme
  try {
    localStorage.setItem(storageKey, theme)
  } catch {
    // Storage can be unavailable (private mode, embedded): the choice still applies to this page.
  }
}
