/**
 * `@ignition/upload/node`: what only Node (and other runtimes with
 * `node:crypto`) can use — native SHA-256 and AES-256-GCM for the Sha256
 * and Aead services. Nothing under `src/` outside this folder imports a
 * `node:` module.
 */
export * as NodeAead from "./NodeAead.js"
export * as NodeHash from "./NodeHash.js"
