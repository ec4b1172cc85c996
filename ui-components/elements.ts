/** The element directories under src/ (each has a define.ts): one library entry each. */
export const elements = [
  "account-sessions",
  "admin-users",
  "app",
  "command-palette",
  "index-progress",
  "offline-banner",
  "passkeys",
  "privacy-toggle",
  "recovery-codes",
  "sign-in",
  "sign-up",
  "theme-switcher",
  "vault-lock-banner",
  "vault-settings",
  "vault-setup",
  "vault-unlock",
] as const
