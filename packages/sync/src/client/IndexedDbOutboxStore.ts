/**
 * The outbox in IndexedDB: `OutboxStore` for the browser. One database per
 * user, `ignition-sync-<userId>`, with two object stores: `meta` (the
 * client id and the highest allocated seq) and `mutations` (keyed by
 * `mutationSeq`). Adding a mutation writes it and the seq in one
 * transaction, so a tab closed mid-write leaves neither. The connection
 * opens on first use and closes with the layer, or when another tab
 * upgrades or deletes the database.
 */
import { Effect, Layer, Schema } from "effect"
import { type DBSchema, type IDBPDatabase, openDB } from "idb"
import { ClientId, Mutation } from "../Protocol.js"
import { OutboxUnavailable } from "./ClientError.js"
import { OutboxStore } from "./OutboxStore.js"

const META = "meta"
const MUTATIONS = "mutations"

interface OutboxDb extends DBSchema {
  meta: { key: "clientId" | "lastSeq"; value: string | number }
  mutations: { key: number; value: unknown }
}

export const databaseName = (userId: string) => `ignition-sync-${userId}`

const failed = (what: string) => (cause: unknown) =>
  new OutboxUnavailable({
    message: `IndexedDB ${what} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : "unknown error"}`,
  })

const isClientId = Schema.is(ClientId)
/** The stored highest seq (0 before the first mutation). */
const seqOf = (stored: string | number | undefined) => (typeof stored === "number" ? stored : 0)
// Rows another version wrote that this one cannot read are skipped, not sent.
const decodeMutation = Schema.decodeUnknownOption(Mutation)

export const make = (userId: string) => {
  let connection: Promise<IDBPDatabase<OutboxDb>> | undefined
  const db = () => {
    connection ??= openDB<OutboxDb>(databaseName(userId), 1, {
      upgrade: (database) => {
        database.createObjectStore(META)
        database.createObjectStore(MUTATIONS)
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
  const attempt = <A>(what: string, run: (database: IDBPDatabase<OutboxDb>) => Promise<A>) =>
    Effect.tryPromise({ try: async () => run(await db()), catch: failed(what) })

  const store = OutboxStore.of({
    clientId: (candidate) =>
      attempt("reading the client id", async (database) => {
        const transaction = database.transaction(META, "readwrite")
        const stored = await transaction.store.get("clientId")
        if (isClientId(stored)) {
          await transaction.done
          return stored
        }
        await transaction.store.put(candidate, "clientId")
        await transaction.done
        return candidate
      }),
    lastSeq: attempt("reading the last seq", async (database) => seqOf(await database.get(META, "lastSeq"))),
    add: (mutation) =>
      attempt("storing a mutation", async (database) => {
        const transaction = database.transaction([META, MUTATIONS], "readwrite")
        const meta = transaction.objectStore(META)
        const last = seqOf(await meta.get("lastSeq"))
        await Promise.all([
          transaction.objectStore(MUTATIONS).put(Schema.encodeSync(Mutation)(mutation), mutation.mutationSeq),
          meta.put(Math.max(last, mutation.mutationSeq), "lastSeq"),
        ])
        await transaction.done
      }),
    list: attempt("reading the outbox", async (database) =>
      (await database.getAll(MUTATIONS)).flatMap((row) => {
        const decoded = decodeMutation(row)
        return decoded._tag === "Some" ? [decoded.value] : []
      }),
    ),
    acknowledge: (through) =>
      attempt("acknowledging mutations", (database) => database.delete(MUTATIONS, IDBKeyRange.upperBound(through))),
  })
  return { store, close }
}

/** The outbox of `userId` on this device, its connection closed with the layer. */
export const layer = (userId: string): Layer.Layer<OutboxStore> =>
  Layer.scoped(
    OutboxStore,
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => make(userId)),
        (made) => Effect.sync(made.close),
      ),
      (made) => made.store,
    ),
  )
