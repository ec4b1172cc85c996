/**
 * Import and export of decks through the real HTTP server: CSV and Anki's
 * tab-separated text round trip (quotes, commas, tabs, newlines, tags,
 * topics), bad rows reported by line and skipped — or, strict, the whole
 * file refused with nothing stored — unreadable files refused, and files
 * over the size or row limit answered 413.
 */
import { assert, layer } from "@effect/vitest"
import { SrsApi } from "@ignition/api"
import { Effect } from "effect"
import * as TestServerLayer from "../support/TestServer.js"
import { failure, type Member, member } from "../support/Vault.js"

const tricky = [
  { front: "What is a ii–V–I?", back: 'Dm7, G7, Cmaj7 — "the" cadence', tags: ["jazz", "harmony"], topic: "Harmony" },
  { front: "Line one\nline two", back: "tab\there", tags: [], topic: null },
  { front: "=SUM(A1)", back: "", tags: ["π"], topic: "Music theory" },
  { front: "Ünïcödé 🎹", back: "comma, and ; semicolon", tags: ["a::b"], topic: null },
] as const

const contentOf = (cards: ReadonlyArray<SrsApi.Flashcard>) =>
  cards.map(({ front, back, tags, topic }) => ({ front, back, tags, topic }))

const deckWith = (m: Member, name: string) =>
  Effect.gen(function* () {
    const deck = yield* m.client.decks.create({ payload: { name } })
    for (const card of tricky) {
      yield* m.client.flashcards.create({ path: { deckId: deck.id }, payload: { ...card, tags: [...card.tags] } })
    }
    return deck
  })

const cardsOf = (m: Member, deckId: string) =>
  Effect.map(m.client.flashcards.list({ path: { deckId }, urlParams: {} }), (page) => page.items)

layer(TestServerLayer.layer({ config: { trustProxy: true } }), { excludeTestServices: true })(
  "deck import and export",
  (it) => {
    for (const format of ["csv", "anki"] as const) {
      it.effect(`${format}: export, import into a new deck, export again — the same cards and the same file`, () =>
        Effect.gen(function* () {
          const me = yield* member(`round-trip-${format}`)
          const source = yield* deckWith(me, "Source")
          const exported = yield* me.client.decks.export({ path: { deckId: source.id }, urlParams: { format } })
          if (format === "csv") assert.isTrue(exported.startsWith("front,back,tags,topic\n"))
          else assert.isTrue(exported.startsWith("#separator:tab\n#html:false\n#tags column:3\n"))

          const copy = yield* me.client.decks.create({ payload: { name: "Copy" } })
          const report = yield* me.client.decks.import({
            path: { deckId: copy.id },
            urlParams: { format },
            payload: exported,
          })
          assert.deepStrictEqual(report, { imported: tricky.length, rejected: [] })
          const copied = yield* cardsOf(me, copy.id)
          assert.deepStrictEqual(contentOf(copied), contentOf(yield* cardsOf(me, source.id)))
          // Imported cards are new cards of the deck's scheduler.
          assert.isTrue(copied.every((card) => card.state._tag === "Sm2" && card.state.lastReviewedAt === null))
          assert.strictEqual(
            yield* me.client.decks.export({ path: { deckId: copy.id }, urlParams: { format } }),
            exported,
          )
        }),
      )
    }

    it.effect("Anki text as Anki writes it: header lines, HTML, a later tags column", () =>
      Effect.gen(function* () {
        const me = yield* member("anki")
        const deck = yield* me.client.decks.create({ payload: { name: "From Anki" } })
        const file =
          "#separator:tab\n#html:true\n#tags column:4\nfront one\t<b>back</b>\textra\tt1 topic::ear_training\nfront two\tback two\t\t\n"
        const report = yield* me.client.decks.import({
          path: { deckId: deck.id },
          urlParams: { format: "anki" },
          payload: file,
        })
        assert.deepStrictEqual(report, { imported: 2, rejected: [] })
        assert.deepStrictEqual(contentOf(yield* cardsOf(me, deck.id)), [
          { front: "front one", back: "<b>back</b>", tags: ["t1"], topic: "ear training" },
          { front: "front two", back: "back two", tags: [], topic: null },
        ])
      }),
    )

    it.effect("bad rows are reported by line and skipped; strict refuses the file and stores nothing", () =>
      Effect.gen(function* () {
        const me = yield* member("messy")
        const deck = yield* me.client.decks.create({ payload: { name: "Messy" } })
        const file = [
          "front,back,tags,topic",
          "good one,answer,a b,Rhythm",
          ",no front,,",
          `"multi`,
          `line",still good,,`,
          `${"x".repeat(10_001)},too long,,`,
          "too,many,fields,here,!",
          "good two,answer,,",
        ].join("\n")
        const strict = yield* failure(
          me.client.decks.import({ path: { deckId: deck.id }, urlParams: { strict: true }, payload: file }),
        )
        assert.strictEqual(strict._tag, "InvalidImport")
        if (strict._tag === "InvalidImport")
          assert.deepStrictEqual(
            strict.rejected.map((row) => row.line),
            [3, 6, 7],
          )
        assert.deepStrictEqual(yield* cardsOf(me, deck.id), [])

        const report = yield* me.client.decks.import({ path: { deckId: deck.id }, urlParams: {}, payload: file })
        assert.strictEqual(report.imported, 3)
        assert.deepStrictEqual(
          report.rejected.map((row) => row.line),
          [3, 6, 7],
        )
        const [empty, long, wide] = report.rejected
        assert.match(empty?.reason ?? "", /^front: /)
        assert.match(long?.reason ?? "", /^front: .*10000/)
        assert.match(wide?.reason ?? "", /5 fields where the header names 4/)
        assert.deepStrictEqual(contentOf(yield* cardsOf(me, deck.id)), [
          { front: "good one", back: "answer", tags: ["a", "b"], topic: "Rhythm" },
          { front: "multi\nline", back: "still good", tags: [], topic: null },
          { front: "good two", back: "answer", tags: [], topic: null },
        ])
      }),
    )

    it.effect("a file that cannot be read is refused whole; one over the limits is 413", () =>
      Effect.gen(function* () {
        const me = yield* member("unreadable")
        const deck = yield* me.client.decks.create({ payload: { name: "Nothing" } })
        const refused = (payload: string, format: "csv" | "anki" = "csv") =>
          failure(me.client.decks.import({ path: { deckId: deck.id }, urlParams: { format }, payload }))
        const cases = [
          ['front,back\ngood,row\n"never closed,x\n', /cannot be read/],
          ["question,answer\na,b\n", /front and back/],
          ["front,back,front\na,b,c\n", /each once/],
          ["#separator:comma\na,b\n", /tab-separated/],
        ] as const
        for (const [payload, message] of cases) {
          const error = yield* refused(payload, payload.startsWith("#") ? "anki" : "csv")
          assert.strictEqual(error._tag, "InvalidImport")
          assert.match(error.message, message)
        }
        const tooManyRows = yield* refused(`front,back\n${"a,b\n".repeat(SrsApi.importMaxRows + 1)}`)
        assert.strictEqual(tooManyRows._tag, "PayloadTooLarge")
        const tooLarge = yield* refused(`front,back\n${`${"a".repeat(1000)},b\n`.repeat(1100)}`)
        assert.strictEqual(tooLarge._tag, "PayloadTooLarge")
        assert.deepStrictEqual(yield* cardsOf(me, deck.id), [])
      }),
    )
  },
)
