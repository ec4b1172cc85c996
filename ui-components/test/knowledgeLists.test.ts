/**
 * How the Infobase and the Journal list their records: the Infobase's
 * filters (category, tag, text over titles) and a note as it is saved, the
 * Journal's months (newest first, every entry once, each under its own
 * month), tags as saved and suggested, and the first line that names a
 * record.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { categoriesOf, filterNotes, noFilter, tidyNote } from "../src/infobase/noteFilter.js"
import { byMonth, localDate } from "../src/journal/months.js"
import type { Entry } from "../src/knowledge/KnowledgeBase.js"
import { firstLine, noteLabel } from "../src/knowledge-editor/labels.js"
import { tagsIn, tidyTags } from "../src/knowledge-editor/tags.js"

const at = new Date("2026-03-01T12:00:00Z")

const note = (
  id: string,
  title: string,
  category: string | null,
  tags: ReadonlyArray<string>,
  content = "",
): Entry<"infobase"> => ({
  type: "infobase",
  id,
  version: 1,
  mode: "standard",
  createdAt: at,
  updatedAt: at,
  draft: { title, category, tags, content },
})

const entry = (id: string, entryDate: string, updatedAt = at): Entry<"journal"> => ({
  type: "journal",
  id,
  version: 1,
  mode: "standard",
  createdAt: updatedAt,
  updatedAt,
  draft: { entryDate, tags: [], content: "" },
})

const notes = [
  note("1", "Mixing checklist", "Production", ["mixing"]),
  note("2", "Modes cheat sheet", "Theory", ["theory", "modes"]),
  note("3", "", null, ["private"], "# Studio door code\n\nAsk Sam."),
]

const ids = (entries: ReadonlyArray<{ readonly id: string }>) => entries.map((one) => one.id)

describe("Infobase list", () => {
  it("filters by category, by tag and by text over titles (or first lines), any case", () => {
    assert.deepStrictEqual(ids(filterNotes(notes, noFilter)), ["1", "2", "3"])
    assert.deepStrictEqual(ids(filterNotes(notes, { ...noFilter, category: "Theory" })), ["2"])
    assert.deepStrictEqual(ids(filterNotes(notes, { ...noFilter, tag: "mixing" })), ["1"])
    assert.deepStrictEqual(ids(filterNotes(notes, { ...noFilter, text: "  DOOR " })), ["3"])
    assert.deepStrictEqual(ids(filterNotes(notes, { category: "Theory", tag: "mixing", text: "" })), [])
  })

  it("lists the categories and tags in use, sorted, each once", () => {
    assert.deepStrictEqual(categoriesOf([...notes, note("4", "x", "Theory", [])]), ["Production", "Theory"])
    assert.deepStrictEqual(tagsIn([...notes, note("4", "x", null, ["mixing"])]), [
      "mixing",
      "modes",
      "private",
      "theory",
    ])
  })

  it("saves a note trimmed, an empty category as none, tags once", () => {
    assert.deepStrictEqual(
      tidyNote({ title: "  Title ", category: "  ", tags: [" a", "a ", "", "b"], content: " x " }),
      {
        title: "Title",
        category: null,
        tags: ["a", "b"],
        content: " x ",
      },
    )
    assert.deepStrictEqual(tidyNote({ title: "T", category: " Theory ", tags: [], content: "" }).category, "Theory")
  })

  it.prop(
    "keeps exactly the notes that pass every filter, in order",
    [
      fc.array(
        fc.record({
          title: fc.constantFrom("Alpha", "beta", "Gamma ray", ""),
          category: fc.constantFrom(null, "A", "B"),
          tags: fc.subarray(["x", "y", "z"]),
        }),
        { maxLength: 12 },
      ),
      fc.record({
        category: fc.constantFrom("", "A", "B"),
        tag: fc.constantFrom("", "x", "y"),
        text: fc.constantFrom("", "a", "GAM"),
      }),
    ],
    ([drafts, filter]) => {
      const all = drafts.map((draft, index) => note(String(index), draft.title, draft.category, draft.tags))
      const kept = filterNotes(all, filter)
      assert.deepStrictEqual(
        ids(kept),
        ids(all).filter((id) => kept.some((one) => one.id === id)),
      )
      for (const one of all) {
        const passes =
          (filter.category === "" || one.draft.category === filter.category) &&
          (filter.tag === "" || one.draft.tags.includes(filter.tag)) &&
          noteLabel(one.draft).toLowerCase().includes(filter.text.toLowerCase())
        assert.strictEqual(kept.includes(one), passes)
      }
    },
  )
})

describe("Journal months", () => {
  it("groups by month, newest first, and within a month by date then by the latest saved", () => {
    const later = new Date("2026-03-02T08:00:00Z")
    const months = byMonth([
      entry("a", "2026-02-27"),
      entry("b", "2026-03-02"),
      entry("c", "2026-03-02", later),
      entry("d", "2025-12-24"),
      entry("e", "2026-03-01"),
    ])
    assert.deepStrictEqual(
      months.map((month) => [month.month, ids(month.entries)]),
      [
        ["2026-03", ["c", "b", "e"]],
        ["2026-02", ["a"]],
        ["2025-12", ["d"]],
      ],
    )
  })

  it.prop(
    "puts every entry once, under its own month, months strictly newest first",
    [
      fc.array(fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), {
        maxLength: 30,
      }),
    ],
    ([dates]) => {
      const entries = dates.map((date, index) => entry(String(index), date.toISOString().slice(0, 10)))
      const months = byMonth(entries)
      assert.sameMembers(
        months.flatMap((month) => ids(month.entries)),
        ids(entries),
      )
      for (const month of months)
        for (const one of month.entries) assert.isTrue(one.draft.entryDate.startsWith(month.month))
      for (let index = 1; index < months.length; index++)
        assert.isTrue((months[index - 1]?.month ?? "") > (months[index]?.month ?? ""))
    },
  )

  it("dates a new entry by the reader's own calendar", () => {
    assert.strictEqual(localDate(new Date(2026, 0, 5, 23, 59)), "2026-01-05")
    assert.strictEqual(localDate(new Date(2026, 11, 31, 0, 1)), "2026-12-31")
  })
})

describe("Names and tags", () => {
  it("names a record by its first line with text, without Markdown's marks", () => {
    assert.strictEqual(firstLine("\n\n## Heading\nmore"), "Heading")
    assert.strictEqual(firstLine("> - [x] Done item"), "Done item")
    assert.strictEqual(firstLine("12. Twelfth"), "Twelfth")
    assert.strictEqual(firstLine("#hashtag stays"), "#hashtag stays")
    assert.strictEqual(firstLine("   \n\t"), "")
    assert.strictEqual(noteLabel({ title: " ", category: null, tags: [], content: "" }), "Untitled note")
  })

  it.prop(
    "saves tags trimmed, none empty, each once, in first-seen order",
    [fc.array(fc.string({ maxLength: 6 }))],
    ([tags]) => {
      const tidy = tidyTags(tags)
      const typed = tags.map((tag) => tag.trim())
      assert.strictEqual(new Set(tidy).size, tidy.length)
      for (const tag of tidy) assert.isTrue(tag !== "" && typed.includes(tag))
      for (const tag of typed) if (tag !== "") assert.include(tidy, tag)
      const firstSeen = tidy.map((tag) => typed.indexOf(tag))
      assert.deepStrictEqual(
        firstSeen,
        [...firstSeen].sort((a, b) => a - b),
      )
    },
  )
})
