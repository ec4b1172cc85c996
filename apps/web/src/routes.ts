/**
 * The app's places, in the order the navigation shows them (a static order:
 * it never reorders). Only places whose components exist are listed.
 */
export interface Route {
  readonly path: string
  readonly label: string
  /** An emoji-free one-letter mark for the narrow-screen tab bar. */
  readonly mark: string
  readonly needsSession: boolean
  readonly adminOnly?: boolean
}

export const routes: ReadonlyArray<Route> = [
  { path: "/", label: "Home", mark: "H", needsSession: true },
  { path: "/ideas", label: "Ideas", mark: "I", needsSession: true },
  { path: "/infobase", label: "Infobase", mark: "K", needsSession: true },
  { path: "/journal", label: "Journal", mark: "J", needsSession: true },
  { path: "/vault", label: "Vault", mark: "V", needsSession: true },
  { path: "/conflicts", label: "Conflicts", mark: "C", needsSession: true },
  { path: "/settings", label: "Settings", mark: "S", needsSession: true },
  { path: "/admin", label: "Administration", mark: "A", needsSession: true, adminOnly: true },
]

/** Places outside the navigation. */
export const publicRoutes: ReadonlyArray<string> = ["/sign-in", "/sign-up"]

export const routeFor = (path: string): Route | undefined => routes.find((route) => route.path === path)
