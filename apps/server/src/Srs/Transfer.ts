/**
 * Decks as files: CSV with a header (`front,back,tags,topic`; tags and topic
 * optional, tags separated by spaces) and Anki's tab-separated text (front,
 * back, tags; `#key:value` header lines at the top; the topic travels as a
 * `topic::<name>` tag, Anki's hierarchical-tag form, spaces as underscores
 * since tags have none — so a topic with underscores comes back with spaces). Parsing checks every row against the contract's card fields and
 * reports each bad row by its line in the file; a file that cannot be read
 * at all (broken quoting, no usable header) is refused as a whole.
 */
import { SrsApi } from "@ignition/api"
import { parse } from "csv-parse/sync"
import { stringify } from "csv-stringify/sync"
import { Either, ParseResult, Schema } from "effect"
import type { CardContent } from "./Repo.js"

export type Format = typeof SrsApi.TransferFormat.Type

export interface Parsed {
  /** The good rows, each with its line in the file. */
  readonly rows: ReadonlyArray<CardContent & { readonly line: number }>
  readonly rejected: ReadonlyArray<typeof SrsApi.RejectedRow.Type>
}

const decodeRow = Schema.decodeUnknownEither(Schema.Struct(SrsApi.CardFields), { errors: "all" })

const decodeRecords = Schema.decodeUnknownSync(
  Schema.Array(Schema.Struct({ record: Schema.Array(Schema.String), info: Schema.Struct({ lines: Schema.Int }) })),
)

const topicTag = "topic::"
const csvColumns = ["front", "back", "tags", "topic"] as const

const invalid = (message: string) => new SrsApi.InvalidImport({ message, rejected: [] })

/** Why a row does not make a card, in one line: each offending field and what it must be. */
const reasonOf = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.join(".") || "row"}: ${issue.message}`)
    .join("; ")

/** The records of `text` with the line each ends on, or why the file cannot be read. */
const records = (
  text: string,
  delimiter: string,
  firstLine: number,
): Either.Either<
  ReadonlyArray<{ readonly fields: ReadonlyArray<string>; readonly line: number }>,
  SrsApi.InvalidImport
> => {
  try {
    // csv-parse's types do not model `info: true`: what it returns is checked instead of cast.
    const parsed = decodeRecords(
      parse(text, { delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
    )
    return Either.right(parsed.map(({ record, info }) => ({ fields: record, line: info.lines + firstLine - 1 })))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return Either.left(invalid(`The file cannot be read: ${message}`))
  }
}

const splitTags = (field: string | undefined) => (field ?? "").split(/\s+/).filter((tag) => tag !== "")

type Candidate =
  | { readonly line: number; readonly row: Record<string, unknown> }
  | { readonly line: number; readonly reason: string }

const check = (candidates: ReadonlyArray<Candidate>): Parsed => {
  const good: Array<CardContent & { readonly line: number }> = []
  const rejected: Array<typeof SrsApi.RejectedRow.Type> = []
  for (const candidate of candidates) {
    const { line } = candidate
    if ("reason" in candidate) rejected.push({ line, reason: candidate.reason })
    else
      Either.match(decodeRow(candidate.row), {
        onLeft: (error) => rejected.push({ line, reason: reasonOf(error) }),
        onRight: (card) => good.push({ ...card, line }),
      })
  }
  return { rows: good, rejected }
}

const parseCsv = (text: string): Either.Either<Parsed, SrsApi.InvalidImport> =>
  Either.flatMap(records(text, ",", 1), ([header, ...body]) => {
    const names = (header?.fields ?? []).map((name) => name.trim().toLowerCase())
    const unknown = names.filter((name) => !(csvColumns as ReadonlyArray<string>).includes(name))
    if (
      !names.includes("front") ||
      !names.includes("back") ||
      unknown.length > 0 ||
      new Set(names).size !== names.length
    )
      return Either.left(
        invalid(
          `The first line must name the columns: front and back, optionally tags and topic, each once${unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : ""}`,
        ),
      )
    return Either.right(
      check(
        body.map(({ fields, line }) => {
          const value = (name: string) => {
            const index = names.indexOf(name)
            return index < 0 ? undefined : fields[index]
          }
          if (fields.length > names.length)
            return { line, reason: `${fields.length} fields where the header names ${names.length}` }
          const topic = value("topic")?.trim() ?? ""
          return {
            line,
            row: {
              front: value("front") ?? "",
              back: value("back") ?? "",
              tags: splitTags(value("tags")),
              topic: topic === "" ? null : topic,
            },
          }
        }),
      ),
    )
  })

const parseAnki = (text: string): Either.Either<Parsed, SrsApi.InvalidImport> => {
  // Anki's header lines (`#separator:tab`, `#html:false`, `#tags column:3`, …) come first; the notes follow.
  const lines = text.split(/\r?\n/)
  const headers = lines.findIndex((line) => !line.startsWith("#"))
  const skipped = headers < 0 ? lines.length : headers
  const settings = new Map(
    lines.slice(0, skipped).map((line) => {
      const [key = "", ...rest] = line.slice(1).split(":")
      return [key.trim().toLowerCase(), rest.join(":").trim().toLowerCase()] as const
    }),
  )
  const separator = settings.get("separator") ?? "tab"
  if (separator !== "tab" && separator !== "\t")
    return Either.left(invalid(`Only tab-separated Anki text can be imported, not separator "${separator}"`))
  const tagsColumn = Number(settings.get("tags column") ?? "3")
  if (!Number.isInteger(tagsColumn) || tagsColumn < 3)
    return Either.left(invalid("The tags column must be the third or a later one"))
  return Either.map(records(lines.slice(skipped).join("\n"), "\t", skipped + 1), (body) =>
    check(
      body.map(({ fields, line }) => {
        const tags = splitTags(fields[tagsColumn - 1])
        const topic =
          tags
            .find((tag) => tag.startsWith(topicTag))
            ?.slice(topicTag.length)
            .replaceAll("_", " ") ?? null
        return {
          line,
          row: {
            front: fields[0] ?? "",
            back: fields[1] ?? "",
            tags: tags.filter((tag) => !tag.startsWith(topicTag)),
            topic: topic === "" ? null : topic,
          },
        }
      }),
    ),
  )
}

/** The cards in a file, with the rows that make none and why; or why the file cannot be read. */
export const parseFile = (format: Format, text: string): Either.Either<Parsed, SrsApi.InvalidImport> =>
  format === "csv" ? parseCsv(text) : parseAnki(text)

/** Cards as a file of `format`. */
export const formatFile = (format: Format, cards: ReadonlyArray<CardContent>): string =>
  format === "csv"
    ? stringify(
        cards.map((card) => [card.front, card.back, card.tags.join(" "), card.topic ?? ""]),
        { header: true, columns: [...csvColumns] },
      )
    : `#separator:tab\n#html:false\n#tags column:3\n${stringify(
        cards.map((card) => [
          card.front,
          card.back,
          [...card.tags, ...(card.topic === null ? [] : [`${topicTag}${card.topic.replaceAll(/\s+/g, "_")}`])].join(
            " ",
          ),
        ]),
        { delimiter: "\t" },
      )}`
