/**
 * The search-index snapshot in IndexedDB: `@ignition/vault`'s `IndexStore`
 * port for the browser. One database, `ignition-search`, one object store,
 * `snapshots`, keyed by `[userId, vaultId]`: each slot holds one envelope
 * sealed by `Keyring.sealIndex` (raw bytes, no base64), never plaintext.
 * Anything in a slot that is not an envelope is treated as absent and
 * removed. The connection opens on first use and closes with the layer, or
 * when another tab upgrades or deletes the database.
 */
import { Envelope, IndexStore } from "@ignition/vault"
import { Effect, Layer, Option, Schema } from "effect"
import { type DBSchema, type IDBPDatabase, openDB } from "idb"

export const DATABASE = "ignition-search"
const STORE = "snapshots"

interface Stored {
  readonly v: number
  readonly kid: string
  readonly iv: Uint8Array
  readonly ct: Uint8Array
}

interface SearchDb extends DBSchema {
  snapshots: { key: [string, string]; value: Stored }
}

export interface Slot {
  readonly userId: string
  readonly vaultId: string
}

const isEnvelope = Schema.is(Schema.typeSchema(Envelope.Envelope))

const failed = (what: string) => (cause: unknown) =>
  new IndexStore.IndexStoreFailed({
    message: `IndexedDB ${what} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : "unknown error"}`,
  })

/** An `IndexStore` over one user's and vault's slot; `close` ends the connection. */
export const make = (slot: Slot) => {
  let connection: Promise<IDBPDatabase<SearchDb>> | undefined
  const db = () => {
    connection ??= openDB<SearchDb>(DATABASE, 1, {
      upgrade: (database) => {
        database.createObjectStore(STORE)
      },
      blocking: () => close(),
      terminated: () => {
        connection = undefined
      },
    })
    // A failed open is retried on the next call.
    connection.catch(() => {
      connection = undefined
    })
    return connection
  }
  const close = () => {
    const open = connection
    connection = undefined
    open?.then((database) => database.close()).catch(() => undefined)
  }
  const key: [string, string] = [slot.userId, slot.vaultId]

  const store = IndexStore.IndexStore.of({
    load: () =>
      Effect.tryPromise({
        try: async () => {
          const database = await db()
          const value: unknown = await database.get(STORE, key)
          if (value === undefined) return Option.none()
          if (isEnvelope(value)) return Option.some(value)
          await database.delete(STORE, key)
          return Option.none()
        },
        catch: failed("reading the search index"),
      }),
    save: (envelope) =>
      Effect.tryPromise({
        try: async () => {
          const value: Stored = { v: envelope.v, kid: envelope.kid, iv: envelope.iv, ct: envelope.ct }
          await (await db()).put(STORE, value, key)
        },
        catch: failed("saving the search index"),
      }),
    clear: () =>
      Effect.tryPromise({
        try: async () => (await db()).delete(STORE, key),
        catch: failed("clearing the search index"),
      }),
  })
  return { store, close }
}

/** The store for one user's vault, its connection closed with the layer. */
export const layer = (slot: Slot): Layer.Layer<IndexStore.IndexStore> =>
  Layer.scoped(
    IndexStore.IndexStore,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => make(slot)),
        (made) => Effect.sync(made.close),
      ),
      (made) => made.store,
    ),
  )

/**
 * Removes every user's snapshots on this device (a sign-out that forgets the
 * device). Open connections of this module close when asked; it completes
 * once the database is gone.
 */
export const deleteAll = Effect.tryPromise({
  try: () =>
    new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(DATABASE)
      request.onsuccess = () => resolve()
      request.onerror = () => reject(request.error)
    }),
  catch: failed("deleting the search database"),
})
