/**
 * `@ignition/upload/node`: what only Node (and other runtimes with
 * `node:crypto`) can use. Nothing under `src/` outside this folder imports
 * a `node:` module.
 */
export * as NodeHash from "./NodeHash.js"
