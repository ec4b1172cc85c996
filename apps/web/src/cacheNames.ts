/** Cache Storage names shared by the page and the service worker. */
declare const __IGNITION_BUILD__: string

/** The app shell's cache, new with every build, so a release never serves another's files. */
export const shellCache = `ignition-shell-${typeof __IGNITION_BUILD__ === "string" ? __IGNITION_BUILD__ : "dev"}`

/** The last API answers, for reading offline; dropped at sign-out. */
export const apiCache = "ignition-api"
