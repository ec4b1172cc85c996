/**
 * @ignition/sync/client — the client engine: a shared outbox with gapless
 * seqs under a device lock, cross-tab messages, pulls with a rebased
 * optimistic view, pushes with back-off, realtime pokes with a polling
 * fallback. DOM APIs (IndexedDB, Web Locks, BroadcastChannel) sit behind
 * services with in-memory test layers.
 */
export * as Broadcast from "./Broadcast.js"
export * as Browser from "./Browser.js"
export * as ClientError from "./ClientError.js"
export * as Engine from "./Engine.js"
export * as HttpTransport from "./HttpTransport.js"
export * as IndexedDbOutboxStore from "./IndexedDbOutboxStore.js"
export * as LocalTransport from "./LocalTransport.js"
export * as Locks from "./Locks.js"
export * as Outbox from "./Outbox.js"
export * as OutboxStore from "./OutboxStore.js"
export * as Replica from "./Replica.js"
export * as SyncTransport from "./SyncTransport.js"
