/**
 * Entity registration: one declaration per synced entity — its name, the
 * schema of its value and its conflict policy. The server rules and the
 * client engine read everything else from the declaration, so a later
 * feature plugs in by adding one `Entity.*` value to the registry.
 *
 * Operations per policy (a mutation's `op` and `args`):
 * - `lwwFields`: `set {id, fields}` (any subset of the fields), `delete {id}`.
 * - `idempotentUpsert`: `upsert {id, value}`, `delete {id}`.
 * - `compareAndSwap`: `put {id, baseVersion, value}`, `delete {id, baseVersion}`;
 *   `baseVersion` is the version the edit began from, `null` to create.
 * - `serverIntent`: `<intent name> {id, input}`; the server computes the value.
 */
import { Data, Effect, Either, Option, ParseResult, Schema } from "effect"
import * as Policy from "./Policy.js"
import { RecordId, Version } from "./Protocol.js"
import type { StoreUnavailable } from "./SyncError.js"

export type PolicyName = "lww-fields" | "idempotent-upsert" | "compare-and-swap" | "server-intent"

/** A live row as the rules read it (deleted rows read as none). */
export interface StoredRow {
  readonly version: number
  readonly value: unknown
}

/** A row change a mutation asks for; the server stamps it with the mutation's version. */
export type Write =
  | { readonly _tag: "put"; readonly id: string; readonly value: unknown }
  | { readonly _tag: "delete"; readonly id: string }

/** What applying a mutation decided. */
export interface Decision {
  readonly writes: ReadonlyArray<Write>
  /** Set when a compare-and-swap write found a newer version and was kept as a copy instead. */
  readonly conflictCopyId?: string
}

/** The mutation can never succeed (invalid arguments, stale delete, an intent's rule): record it and move on. */
export class Rejection extends Data.TaggedError("Rejection")<{ readonly reason: string }> {}

export interface MutationContext {
  readonly mutationId: string
  /** The version this mutation's writes will carry. */
  readonly version: number
  readonly read: (id: string) => Effect.Effect<Option.Option<StoredRow>, StoreUnavailable>
}

/**
 * A declaration as the rules use it, whatever its value type. `E` is what an
 * application's rule may fail with besides a rejection when a mutation can
 * apply later but not now (e.g. the vault is locked): the push stops there,
 * with nothing of that mutation consumed.
 */
export interface Definition<E = never> {
  readonly name: string
  readonly policy: PolicyName
  readonly apply: (
    op: string,
    args: unknown,
    context: MutationContext,
  ) => Effect.Effect<Decision, Rejection | StoreUnavailable | E>
}

export interface Entity<A, I> extends Definition {
  /** The schema of a row's value on the wire (for `lwwFields`, of the document's fields). */
  readonly schema: Schema.Schema<A, I>
}

const strict = { onExcessProperty: "error", errors: "first" } as const

/** Decodes then re-encodes, so the stored form is the schema's canonical encoding of what was sent. */
const parse = <A, I>(schema: Schema.Schema<A, I>, input: unknown): Effect.Effect<A, Rejection> =>
  Effect.mapError(
    Schema.decodeUnknown(schema, strict)(input),
    (error) => new Rejection({ reason: `invalid arguments: ${ParseResult.TreeFormatter.formatErrorSync(error)}` }),
  )

const reencode = <A, I>(schema: Schema.Schema<A, I>, value: A): Effect.Effect<I, Rejection> =>
  Effect.mapError(Schema.encode(schema)(value), () => new Rejection({ reason: "value does not encode" }))

const unknownOp = (name: string, op: string) => new Rejection({ reason: `${name} has no operation ${op}` })

const IdArgs = Schema.Struct({ id: RecordId })

const deleteIfPresent = (id: string, context: MutationContext) =>
  Effect.map(
    context.read(id),
    (current): Decision => ({
      writes: Option.isSome(current) ? [{ _tag: "delete", id }] : [],
    }),
  )

/** A struct schema: each field is validated (and re-encoded) on its own, since a patch carries any subset. */
export type StructSchema<A, I> = Schema.Schema<A, I> & {
  readonly fields: Readonly<Record<string, Schema.Schema.AnyNoContext>>
}

/** A document whose fields merge last-writer-wins one by one (settings, planner). */
export const lwwFields = <A, I>(name: string, schema: StructSchema<A, I>): Entity<A, I> => {
  const SetArgs = Schema.Struct({ id: RecordId, fields: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })
  const field = (key: string, raw: unknown) =>
    Effect.gen(function* () {
      const fieldSchema = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined
      if (fieldSchema === undefined) return yield* new Rejection({ reason: `${name} has no field ${key}` })
      const encoded: unknown = yield* reencode(fieldSchema, yield* parse(fieldSchema, raw))
      return [key, encoded] as const
    })
  return {
    name,
    policy: "lww-fields",
    schema,
    apply: (op, args, context) =>
      Effect.gen(function* () {
        if (op === "delete") return yield* deleteIfPresent((yield* parse(IdArgs, args)).id, context)
        if (op !== "set") return yield* unknownOp(name, op)
        const { id, fields: patch } = yield* parse(SetArgs, args)
        const entries = yield* Effect.forEach(Object.entries(patch), ([key, raw]) => field(key, raw))
        if (entries.length === 0) return { writes: [] }
        const current = yield* context.read(id)
        const document = Option.match(current, {
          onNone: () => Policy.emptyDocument,
          onSome: (row) =>
            Schema.decodeUnknownOption(Policy.LwwDocument)(row.value).pipe(
              Option.getOrElse(() => Policy.emptyDocument),
            ),
        })
        const value = Policy.applyLww(document, Object.fromEntries(entries), context.version)
        return { writes: [{ _tag: "put", id, value }] }
      }),
  }
}

/** A value keyed by id where writing the same value twice is one write (habit check-ins). */
export const idempotentUpsert = <A, I>(name: string, schema: Schema.Schema<A, I>): Entity<A, I> => {
  const UpsertArgs = Schema.Struct({ id: RecordId, value: schema })
  return {
    name,
    policy: "idempotent-upsert",
    schema,
    apply: (op, args, context) =>
      Effect.gen(function* () {
        if (op === "delete") return yield* deleteIfPresent((yield* parse(IdArgs, args)).id, context)
        if (op !== "upsert") return yield* unknownOp(name, op)
        const { id, value } = yield* parse(UpsertArgs, args)
        const encoded = yield* reencode(schema, value)
        const current = Option.map(yield* context.read(id), (row) => row.value)
        return {
          writes: Option.match(Policy.upsert(current, encoded), {
            onNone: () => [],
            onSome: (next) => [{ _tag: "put", id, value: next }],
          }),
        }
      }),
  }
}

/**
 * A record written whole, usually ciphertext, where a stale write becomes a
 * conflict copy (Ideas, Infobase, Journal). `options.id` narrows the ids a
 * put may target (e.g. UUIDs); conflict copies get ids of their own.
 */
export const compareAndSwap = <A, I>(
  name: string,
  schema: Schema.Schema<A, I>,
  options: { readonly id?: Schema.Schema<string> } = {},
): Entity<A, I> => {
  const isId = options.id === undefined ? () => true : Schema.is(options.id)
  const PutArgs = Schema.Struct({
    id: RecordId.pipe(
      Schema.maxLength(Policy.MAX_SWAPPABLE_ID_LENGTH),
      Schema.filter((id) => isId(id) || `not an id of ${name}`),
    ),
    baseVersion: Schema.NullOr(Version),
    value: schema,
  })
  const DeleteArgs = Schema.Struct({ id: RecordId, baseVersion: Version })
  return {
    name,
    policy: "compare-and-swap",
    schema,
    apply: (op, args, context) =>
      Effect.gen(function* () {
        if (op === "delete") {
          const { id, baseVersion } = yield* parse(DeleteArgs, args)
          const current = yield* context.read(id)
          if (Option.isNone(current)) return { writes: [] }
          // Deleting what the user never saw would lose the newer edit; the record stays.
          if (current.value.version !== baseVersion) return yield* new Rejection({ reason: "stale baseVersion" })
          return { writes: [{ _tag: "delete", id }] }
        }
        if (op !== "put") return yield* unknownOp(name, op)
        const { id, baseVersion, value } = yield* parse(PutArgs, args)
        const encoded = yield* reencode(schema, value)
        const current = yield* context.read(id)
        const outcome = Policy.compareAndSwap(
          Option.match(current, { onNone: () => null, onSome: (row) => row.version }),
          baseVersion,
        )
        if (outcome._tag === "Swap") return { writes: [{ _tag: "put", id, value: encoded }] }
        const conflictCopyId = Policy.conflictCopyId(id, context.mutationId)
        return { writes: [{ _tag: "put", id: conflictCopyId, value: encoded }], conflictCopyId }
      }),
  }
}

/** One server-executed intent: its input's schema and the rule computing the next value (or a reason to refuse). */
export interface Intent<A> {
  readonly run: (current: Option.Option<A>, input: unknown) => Effect.Effect<A, Rejection>
}

export const intent = <A, Input, InputEncoded>(
  input: Schema.Schema<Input, InputEncoded>,
  execute: (current: Option.Option<A>, input: Input) => Either.Either<A, string>,
): Intent<A> => ({
  run: (current, raw) =>
    Effect.flatMap(parse(input, raw), (decoded) =>
      Either.match(execute(current, decoded), {
        onLeft: (reason) => Effect.fail(new Rejection({ reason })),
        onRight: Effect.succeed,
      }),
    ),
})

/** A value only the server computes, from named intents (XP, coins, quests): clients ask, never set. */
export const serverIntent = <A, I>(
  name: string,
  schema: Schema.Schema<A, I>,
  intents: Readonly<Record<string, Intent<A>>>,
): Entity<A, I> => {
  const IntentArgs = Schema.Struct({ id: RecordId, input: Schema.Unknown })
  return {
    name,
    policy: "server-intent",
    schema,
    apply: (op, args, context) =>
      Effect.gen(function* () {
        const selected = Object.hasOwn(intents, op) ? intents[op] : undefined
        if (selected === undefined) return yield* unknownOp(name, op)
        const { id, input } = yield* parse(IntentArgs, args)
        const stored = yield* context.read(id)
        const current = Option.flatMap(stored, (row) => Schema.decodeUnknownOption(schema)(row.value))
        const next = yield* selected.run(current, input)
        const encoded = yield* reencode(schema, next)
        return { writes: [{ _tag: "put", id, value: encoded }] }
      }),
  }
}

/** The registered entities by name. */
export type Registry<E = never> = ReadonlyMap<string, Definition<E>>

export const registry = <E = never>(...definitions: ReadonlyArray<Definition<NoInfer<E>>>): Registry<E> => {
  const byName = new Map<string, Definition<E>>()
  for (const definition of definitions) {
    if (byName.has(definition.name)) throw new Error(`entity ${definition.name} is registered twice`)
    byName.set(definition.name, definition)
  }
  return byName
}
