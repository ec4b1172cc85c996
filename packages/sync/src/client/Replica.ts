/**
 * A tab's copy of the server's rows and the view it shows: the rows as of
 * its cursor (`Cache`), with the mutations still pending replayed over them
 * in seq order through the entities' own server rules (`rebase`). Each pull
 * changes the base and the view is rebuilt, so a pending edit always sits
 * on top of the newest server state, exactly as the server will apply it.
 */
import { Effect, Option } from "effect"
import type { Registry } from "../Entity.js"
import { conflictOrigin } from "../Policy.js"
import type { Change, Mutation } from "../Protocol.js"

/** A row as the server last sent it. */
export interface Row {
  readonly entity: string
  readonly id: string
  readonly version: number
  readonly value: unknown
}

/** A row of the optimistic view: `pending` when a mutation not yet consumed by the server wrote it. */
export interface ViewRow extends Row {
  readonly pending: boolean
}

export type Cache = Map<string, Row>

export const key = (entity: string, id: string) => `${entity}\u0000${id}`

/** Applies a page of changes; returns the newest version among them (or `newest`). */
export const applyChanges = (cache: Cache, changes: ReadonlyArray<Change>, newest: number): number => {
  let latest = newest
  for (const change of changes) {
    if (change._tag === "put") {
      cache.set(key(change.entity, change.id), {
        entity: change.entity,
        id: change.id,
        version: change.version,
        value: change.value,
      })
    } else cache.delete(key(change.entity, change.id))
    latest = Math.max(latest, change.version)
  }
  return latest
}

/**
 * The optimistic view: `cache` with `pending` applied in seq order. A pending
 * mutation writes as if it committed next (version `newest + 1`, then `+ 2`,
 * …), so an LWW field it sets wins over what the cache holds, as it will on
 * the server. One the rules refuse shows nothing: the server will refuse it too.
 */
export const rebase = (
  registry: Registry,
  cache: ReadonlyMap<string, Row>,
  pending: ReadonlyArray<Mutation>,
  newest: number,
): Effect.Effect<ReadonlyMap<string, ViewRow>> =>
  Effect.gen(function* () {
    const view = new Map<string, ViewRow>()
    for (const [at, row] of cache) view.set(at, { ...row, pending: false })
    for (const [index, mutation] of pending.entries()) {
      const entity = registry.get(mutation.entity)
      if (entity === undefined) continue
      const version = newest + index + 1
      const decision = yield* entity
        .apply(mutation.op, mutation.args, {
          mutationId: mutation.mutationId,
          version,
          read: (id) => Effect.succeed(Option.fromNullable(view.get(key(mutation.entity, id)))),
        })
        .pipe(
          Effect.option,
          Effect.catchAllDefect(() => Effect.succeedNone),
        )
      if (Option.isNone(decision)) continue
      for (const write of decision.value.writes) {
        const at = key(mutation.entity, write.id)
        if (write._tag === "put") {
          view.set(at, { entity: mutation.entity, id: write.id, version, value: write.value, pending: true })
        } else view.delete(at)
      }
    }
    return view
  })

/** A conflict copy in the cache and the record it was made from. */
export interface ConflictCopy {
  readonly entity: string
  readonly id: string
  readonly origin: string
  readonly version: number
}

export const conflicts = (cache: ReadonlyMap<string, Row>): ReadonlyArray<ConflictCopy> =>
  Array.from(cache.values()).flatMap((row) =>
    Option.match(conflictOrigin(row.id), {
      onNone: () => [],
      onSome: (origin) => [{ entity: row.entity, id: row.id, origin, version: row.version }],
    }),
  )
