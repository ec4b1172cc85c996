/**
 * Loaded synchronously in <head> (an external script: the CSP forbids inline
 * ones) so the saved theme applies before the first paint.
 */
import { isTheme, storageKey } from "./theme.js"

try {
  const saved = localStorage.getItem(storageKey)
  document.documentElement.dataset.igTheme = isTheme(saved) ? saved : "system"
} catch {
  document.documentElement.dataset.igTheme = "system"
}
