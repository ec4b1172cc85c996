/**
 * The browser's implementations of the engine's device services for one
 * user: the outbox in IndexedDB, Web Locks and a BroadcastChannel. With a
 * `SyncTransport`, that is all `Engine.make` needs.
 */
import { Layer } from "effect"
import * as Broadcast from "./Broadcast.js"
import * as IndexedDbOutboxStore from "./IndexedDbOutboxStore.js"
import * as Locks from "./Locks.js"

export const layer = (userId: string) =>
  Layer.mergeAll(IndexedDbOutboxStore.layer(userId), Locks.layer, Broadcast.layer(Broadcast.channelName(userId)))
