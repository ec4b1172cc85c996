/**
 * Flashcards and spaced repetition: the `decks`, `flashcards` and `review`
 * groups under `/api/learn`. Scheduling, the review log and the statistics
 * are `@ignition/srs`'s (states, log entries and analytics travel in its
 * schemas, times as epoch milliseconds); see docs/srs.md, "Server".
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Analytics, Fsrs, Grade, ReviewLog, Sm2, Card as SrsCard } from "@ignition/srs"
import { Schema } from "effect"
import { NotFound, PayloadTooLarge } from "./ApiError.js"
import { Authentication } from "./Authentication.js"

/** Refuse fields the contract does not know rather than drop them. */
const strict = { parseOptions: { onExcessProperty: "error" } } as const

/**
 * @since 0.1.0
 */
export const DeckId = Schema.UUID.annotations({ identifier: "DeckId" })

/**
 * @since 0.1.0
 */
export const CardId = Schema.UUID.annotations({ identifier: "FlashcardId" })

/**
 * A review's id, chosen by the client: a retry under the same id is answered
 * with the first answer, never applied twice.
 *
 * @since 0.1.0
 */
export const ReviewId = Schema.UUID.annotations({ identifier: "ReviewId" })

/**
 * @since 0.1.0
 */
export const DeckName = Schema.String.pipe(Schema.trimmed(), Schema.minLength(1), Schema.maxLength(200))

/**
 * New cards a deck introduces per local day, 0–9999.
 *
 * @since 0.1.0
 */
export const NewPerDay = Schema.Int.pipe(Schema.between(0, 9999))

/**
 * The deck's scheduler and its options: exact SM-2 unless options say
 * otherwise, or FSRS-6.
 *
 * @since 0.1.0
 */
export const SchedulerConfig = Schema.Union(
  Schema.Struct({ name: Schema.Literal("sm2"), options: Sm2.Options.annotations(strict) }),
  Schema.Struct({ name: Schema.Literal("fsrs"), options: Fsrs.Options.annotations(strict) }),
).annotations({ identifier: "SchedulerConfig" })

/**
 * @since 0.1.0
 */
export type SchedulerConfig = typeof SchedulerConfig.Type

/**
 * @since 0.1.0
 */
export const Deck = Schema.Struct({
  id: DeckId,
  name: DeckName,
  scheduler: SchedulerConfig,
  newPerDay: NewPerDay,
  cards: Schema.Int.pipe(Schema.nonNegative()),
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
}).annotations({ identifier: "Deck" })

/**
 * @since 0.1.0
 */
export const CreateDeck = Schema.Struct({
  name: DeckName,
  scheduler: Schema.optional(SchedulerConfig),
  newPerDay: Schema.optional(NewPerDay),
}).annotations({ identifier: "CreateDeckRequest", ...strict })

/**
 * A change to a deck: the fields present change. A different scheduler
 * replays every card's review history under it (nothing of the history is
 * lost); new options for the same scheduler apply from the next review.
 *
 * @since 0.1.0
 */
export const UpdateDeck = Schema.partial(CreateDeck).annotations({ identifier: "UpdateDeckRequest", ...strict })

/**
 * A tag: 1–64 characters without whitespace (CSV and Anki's text format
 * separate tags by spaces).
 *
 * @since 0.1.0
 */
export const CardTag = Schema.String.pipe(
  Schema.pattern(/^\S{1,64}$/, { message: () => "a tag of 1–64 characters without spaces" }),
)

/**
 * @since 0.1.0
 */
export const CardFields = {
  front: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(10_000)),
  back: Schema.String.pipe(Schema.maxLength(10_000)),
  tags: Schema.Array(CardTag).pipe(Schema.maxItems(32)),
  /** What the card is about, for weak-topic statistics. */
  topic: Schema.NullOr(Schema.String.pipe(Schema.trimmed(), Schema.minLength(1), Schema.maxLength(128))),
}

/**
 * A card with its scheduling state.
 *
 * @since 0.1.0
 */
export const Flashcard = Schema.Struct({
  id: CardId,
  deckId: DeckId,
  ...CardFields,
  state: SrsCard.CardState,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc,
}).annotations({ identifier: "Flashcard" })

/**
 * @since 0.1.0
 */
export type Flashcard = typeof Flashcard.Type

/**
 * @since 0.1.0
 */
export const CreateCard = Schema.Struct({
  front: CardFields.front,
  back: CardFields.back,
  tags: Schema.optional(CardFields.tags),
  topic: Schema.optional(CardFields.topic),
}).annotations({ identifier: "CreateFlashcardRequest", ...strict })

/**
 * @since 0.1.0
 */
export const UpdateCard = Schema.partial(CreateCard).annotations({ identifier: "UpdateFlashcardRequest", ...strict })

/**
 * An answer: a grade on SuperMemo's 0–5 scale or a button (exactly one),
 * when it was given (the server's time when absent; an offline client sends
 * its own, never in the future) and how long it took.
 *
 * @since 0.1.0
 */
export const ReviewRequest = Schema.Struct({
  reviewId: ReviewId,
  grade: Schema.optional(Grade.Grade),
  button: Schema.optional(Grade.Button),
  reviewedAt: Schema.optional(SrsCard.Timestamp),
  durationMs: Schema.Int.pipe(Schema.between(0, 86_400_000)),
}).annotations({ identifier: "ReviewRequest", ...strict })

/**
 * What the review queue holds now: due cards first (most overdue first),
 * then new cards within each deck's daily limit.
 *
 * @since 0.1.0
 */
export const ReviewQueue = Schema.Struct({
  cards: Schema.Array(Flashcard),
  /** New cards the decks asked for may still introduce today. */
  newRemaining: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: "ReviewQueue" })

/**
 * The statistics of docs/srs.md, over the whole review history of one deck
 * or of all the caller's decks, in the caller's time zone.
 *
 * @since 0.1.0
 */
export const ReviewAnalytics = Schema.Struct({
  timeZone: Schema.String,
  trueRetention: Analytics.TrueRetention,
  /** The total, and the cards with most lapses (at most 50). */
  lapses: Analytics.Lapses,
  intervals: Schema.Array(Analytics.HistogramBucket),
  forecast: Schema.Array(Analytics.ForecastDay),
  heatmap: Schema.Array(Analytics.HeatmapDay),
  answerButtons: Analytics.AnswerButtons,
  weakTopics: Schema.Array(Analytics.WeakTopic),
}).annotations({ identifier: "ReviewAnalytics" })

/**
 * The most cards `lapses.byCard` lists.
 *
 * @since 0.1.0
 */
export const maxLapseCards = 50

/**
 * A review id already used for a different answer (another card, grade,
 * duration or time), or a review dated before the card's last one. Nothing
 * was written.
 *
 * @since 0.1.0
 */
export class ReviewConflict extends Schema.TaggedError<ReviewConflict>()(
  "ReviewConflict",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 409, description: "The review id was used for another answer" }),
) {}

/**
 * A well-formed review that cannot be applied as sent: no grade or button,
 * both and disagreeing, or dated in the future.
 *
 * @since 0.1.0
 */
export class InvalidReview extends Schema.TaggedError<InvalidReview>()(
  "InvalidReview",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The answer cannot be applied" }),
) {}

/**
 * A rejected row of an import: its line in the file (1-based) and why.
 *
 * @since 0.1.0
 */
export const RejectedRow = Schema.Struct({ line: Schema.Int.pipe(Schema.positive()), reason: Schema.String })

/**
 * An import that stored nothing: the file could not be read (no header,
 * broken quoting), or it had bad rows and the import was strict.
 *
 * @since 0.1.0
 */
export class InvalidImport extends Schema.TaggedError<InvalidImport>()(
  "InvalidImport",
  { message: Schema.String, rejected: Schema.Array(RejectedRow) },
  HttpApiSchema.annotations({ status: 400, description: "Nothing was imported" }),
) {}

/**
 * @since 0.1.0
 */
export const ImportReport = Schema.Struct({
  imported: Schema.Int.pipe(Schema.nonNegative()),
  rejected: Schema.Array(RejectedRow),
}).annotations({ identifier: "ImportReport" })

/**
 * `csv`: a header `front,back,tags,topic` (tags and topic optional, tags
 * separated by spaces). `anki`: Anki's tab-separated text (front, back,
 * tags; `#` header lines), the topic as a `topic::<name>` tag.
 *
 * @since 0.1.0
 */
export const TransferFormat = Schema.Literal("csv", "anki")

/**
 * The largest import file in bytes.
 *
 * @since 0.1.0
 */
export const importMaxBytes = 1024 * 1024

/**
 * The most rows an import may hold.
 *
 * @since 0.1.0
 */
export const importMaxRows = 10_000

const DeckPath = Schema.Struct({ deckId: DeckId })
const CardPath = Schema.Struct({ cardId: CardId })
const Limit = (max: number) => Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, max))

/**
 * @since 0.1.0
 */
export class DecksApi extends HttpApiGroup.make("decks")
  .add(
    HttpApiEndpoint.get("list", "/api/learn/decks")
      .addSuccess(Schema.Struct({ items: Schema.Array(Deck) }).annotations({ identifier: "DeckList" }))
      .annotate(OpenApi.Summary, "The caller's decks, by name"),
  )
  .add(
    HttpApiEndpoint.post("create", "/api/learn/decks")
      .setPayload(CreateDeck)
      .addSuccess(Deck, { status: 201 })
      .annotate(OpenApi.Summary, "Create a deck (exact SM-2 and 20 new cards a day unless told otherwise)"),
  )
  .add(HttpApiEndpoint.get("get", "/api/learn/decks/:deckId").setPath(DeckPath).addSuccess(Deck).addError(NotFound))
  .add(
    HttpApiEndpoint.patch("update", "/api/learn/decks/:deckId")
      .setPath(DeckPath)
      .setPayload(UpdateDeck)
      .addSuccess(Deck)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Rename, change the daily limit or switch the scheduler (replaying the history)"),
  )
  .add(
    HttpApiEndpoint.del("remove", "/api/learn/decks/:deckId")
      .setPath(DeckPath)
      .addSuccess(Schema.Void)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Delete a deck with its cards and their review history"),
  )
  .add(
    HttpApiEndpoint.get("export", "/api/learn/decks/:deckId/export")
      .setPath(DeckPath)
      .setUrlParams(Schema.Struct({ format: Schema.optional(TransferFormat) }))
      .addSuccess(HttpApiSchema.Text({ contentType: "text/plain; charset=utf-8" }))
      .addError(NotFound)
      .annotate(OpenApi.Summary, "The deck's cards as CSV (the default) or Anki's tab-separated text"),
  )
  .add(
    HttpApiEndpoint.post("import", "/api/learn/decks/:deckId/import")
      .setPath(DeckPath)
      .setUrlParams(
        Schema.Struct({
          format: Schema.optional(TransferFormat),
          strict: Schema.optional(Schema.BooleanFromString),
        }),
      )
      .setPayload(HttpApiSchema.Text({ contentType: "text/csv" }))
      .addSuccess(ImportReport)
      .addError(NotFound)
      .addError(InvalidImport)
      .addError(PayloadTooLarge)
      .annotate(
        OpenApi.Summary,
        "Add cards from CSV or Anki text in one transaction: bad rows are reported by line and skipped, or with strict=true refuse the file",
      ),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Decks")
  .annotate(OpenApi.Description, "Flashcard decks, their scheduler, import and export") {}

/**
 * @since 0.1.0
 */
export class FlashcardsApi extends HttpApiGroup.make("flashcards")
  .add(
    HttpApiEndpoint.get("list", "/api/learn/decks/:deckId/cards")
      .setPath(DeckPath)
      .setUrlParams(
        Schema.Struct({
          limit: Schema.optional(Limit(500)),
          cursor: Schema.optional(Schema.String.pipe(Schema.maxLength(256))),
        }),
      )
      .addSuccess(
        Schema.Struct({ items: Schema.Array(Flashcard), nextCursor: Schema.NullOr(Schema.String) }).annotations({
          identifier: "FlashcardPage",
        }),
      )
      .addError(NotFound)
      .annotate(OpenApi.Summary, "A deck's cards in the order they were added"),
  )
  .add(
    HttpApiEndpoint.post("create", "/api/learn/decks/:deckId/cards")
      .setPath(DeckPath)
      .setPayload(CreateCard)
      .addSuccess(Flashcard, { status: 201 })
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Add a new card, due now"),
  )
  .add(
    HttpApiEndpoint.get("get", "/api/learn/cards/:cardId").setPath(CardPath).addSuccess(Flashcard).addError(NotFound),
  )
  .add(
    HttpApiEndpoint.patch("update", "/api/learn/cards/:cardId")
      .setPath(CardPath)
      .setPayload(UpdateCard)
      .addSuccess(Flashcard)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Edit a card's text, tags or topic (its schedule stays)"),
  )
  .add(
    HttpApiEndpoint.del("remove", "/api/learn/cards/:cardId")
      .setPath(CardPath)
      .addSuccess(Schema.Void)
      .addError(NotFound)
      .annotate(OpenApi.Summary, "Delete a card and its review history"),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Flashcards")
  .annotate(OpenApi.Description, "The cards of a deck with their scheduling state") {}

/**
 * @since 0.1.0
 */
export class ReviewApi extends HttpApiGroup.make("review")
  .add(
    HttpApiEndpoint.get("queue", "/api/learn/review")
      .setUrlParams(Schema.Struct({ deckId: Schema.optional(DeckId), limit: Schema.optional(Limit(500)) }))
      .addSuccess(ReviewQueue)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "Cards due now, then new cards within each deck's daily limit (100 at most by default)",
      ),
  )
  .add(
    HttpApiEndpoint.post("answer", "/api/learn/review/:cardId")
      .setPath(CardPath)
      .setPayload(ReviewRequest)
      .addSuccess(ReviewLog.ReviewLogEntry)
      .addError(NotFound)
      .addError(ReviewConflict)
      .addError(InvalidReview)
      .annotate(
        OpenApi.Summary,
        "Answer a card with its deck's scheduler; the log entry (state before and after). Idempotent per reviewId",
      ),
  )
  .add(
    HttpApiEndpoint.get("analytics", "/api/learn/review/analytics")
      .setUrlParams(
        Schema.Struct({
          deckId: Schema.optional(DeckId),
          forecastDays: Schema.optional(Limit(365)),
          minReviews: Schema.optional(Limit(100_000)),
          topics: Schema.optional(Limit(100)),
        }),
      )
      .addSuccess(ReviewAnalytics)
      .addError(NotFound)
      .annotate(
        OpenApi.Summary,
        "True retention, lapses, intervals, due forecast, heatmap, answer buttons and weak topics, computed in SQL",
      ),
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Review")
  .annotate(OpenApi.Description, "Spaced-repetition review: the due queue, answers and statistics") {}
