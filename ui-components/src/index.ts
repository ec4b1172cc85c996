/**
 * Every Ignition element, registered; plus what a page needs to provide the
 * connection itself or listen to the elements.
 */
// <ig-app> first: it must be providing its context before the elements inside it upgrade and ask for it.
import "./app/define.js"
import "./account-sessions/define.js"
import "./admin-users/define.js"
import "./command-palette/define.js"
import "./offline-banner/define.js"
import "./passkeys/define.js"
import "./sign-in/define.js"
import "./sign-up/define.js"
import "./theme-switcher/define.js"

export { IgAccountSessions } from "./account-sessions/AccountSessions.js"
export { IgAdminUsers } from "./admin-users/AdminUsers.js"
export { IgApp } from "./app/IgApp.js"
export { type Api, IgnitionClient, type Outcome, type ServerError } from "./client/IgnitionClient.js"
export { IgCommandPalette } from "./command-palette/CommandPalette.js"
export type { Command, CommandGroup } from "./command-palette/CommandPaletteController.js"
export { clientContext, type SessionState, sessionContext } from "./context/contexts.js"
export { ClientController } from "./controllers/ClientController.js"
export * from "./events/events.js"
export { IgOfflineBanner } from "./offline-banner/OfflineBanner.js"
export { IgPasskeys } from "./passkeys/Passkeys.js"
export { IgSignIn } from "./sign-in/SignIn.js"
export { IgSignUp } from "./sign-up/SignUp.js"
export { IgThemeSwitcher } from "./theme-switcher/ThemeSwitcher.js"
