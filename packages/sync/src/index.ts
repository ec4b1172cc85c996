/**
 * @ignition/sync — Ignition's sync protocol: versioned pull/push/poll/poke
 * messages, opaque signed cursors, entity registration with per-entity
 * conflict policies, and the server's exactly-once rules over a transactional
 * store port. Isomorphic: Effect and WebCrypto only.
 */
export * as Cursor from "./Cursor.js"
export * as Digest from "./Digest.js"
export * as Entity from "./Entity.js"
export * as Policy from "./Policy.js"
export * as Protocol from "./Protocol.js"
export * as Server from "./Server.js"
export * as SyncError from "./SyncError.js"
export * as SyncStore from "./SyncStore.js"
