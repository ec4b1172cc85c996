/**
 * The Ideas form's pure parts: tap tempo (known tempos, a pause starts over,
 * only the last taps count), the keys offered (24, each a key the contract
 * accepts, spelled as musicians write them) and how a key reads, what a
 * long idea shows before "Show more", and the mood-tag rules the form
 * enforces with the contract's own schemas (trimmed, once, 1–64
 * characters, at most 32; a comma ends a tag) with the BPM and text checks.
 */
import { assert, describe, it } from "@effect/vitest"
import { KnowledgeBase as Contract } from "@ignition/api"
import { FastCheck as fc, Schema } from "effect"
import { bpmProblem, IdeaForm } from "../src/ideas/IdeaForm.js"
import { preview, shortLength, shortLines } from "../src/ideas/IdeasController.js"
import { keyGroups, keyLabel, offeredKeys } from "../src/ideas/keys.js"
import { idleMs, keptTaps, TapTempo } from "../src/ideas/TapTempo.js"

const tapsAt = (times: ReadonlyArray<number>) => {
  const tempo = new TapTempo()
  return times.map((at) => tempo.tap(at))
}

describe("TapTempo", () => {
  it("answers from the second tap: 500 ms apart is 120 BPM", () => {
    assert.deepStrictEqual(tapsAt([1000, 1500, 2000, 2500]), [undefined, 120, 120, 120])
  })

  it("averages the intervals: 400 and 600 ms make 120 BPM", () => {
    assert.strictEqual(tapsAt([0, 400, 1000]).at(-1), 120)
  })

  it("starts over after a pause of more than two seconds", () => {
    assert.deepStrictEqual(tapsAt([0, 1000, 1000 + idleMs + 1, 1000 + idleMs + 751]), [undefined, 60, undefined, 80])
  })

  it("counts only the last eight taps", () => {
    // Eight slow taps, then eight at 100 BPM: only the fast ones are left.
    const slow = Array.from({ length: 8 }, (_, index) => index * 1500)
    const start = (slow.at(-1) ?? 0) + 600
    const fast = Array.from({ length: keptTaps }, (_, index) => start + index * 600)
    assert.strictEqual(tapsAt([...slow, ...fast]).at(-1), 100)
  })

  it("ignores a tap at the same instant rather than dividing by zero", () => {
    assert.deepStrictEqual(tapsAt([5, 5]), [undefined, undefined])
  })

  it.prop(
    "taps at a steady interval give 60,000 / interval",
    [fc.integer({ min: 150, max: idleMs }), fc.integer({ min: 2, max: 12 })],
    ([interval, count]) => {
      const tempos = tapsAt(Array.from({ length: count }, (_, index) => 10_000 + index * interval))
      assert.strictEqual(tempos.at(-1), Math.round(60_000 / interval))
    },
  )
})

describe("keys", () => {
  it("offers the twelve notes major and minor, once each, in the contract's notation", () => {
    assert.strictEqual(offeredKeys.size, 24)
    for (const group of keyGroups) assert.strictEqual(group.keys.length, 12)
    for (const key of offeredKeys) assert.isTrue(Schema.is(Contract.MusicalKey)(key), key)
  })

  it("spells them as musicians do", () => {
    for (const key of ["Bb", "Eb", "F#", "Ab", "C#m", "F#m", "G#m", "Bbm"]) assert.isTrue(offeredKeys.has(key), key)
    for (const key of ["A#", "D#", "Gb", "Dbm"]) assert.isFalse(offeredKeys.has(key), key)
  })

  it("reads a key in words with its sign", () => {
    assert.strictEqual(keyLabel("F#m"), "F♯ minor")
    assert.strictEqual(keyLabel("Bb"), "B♭ major")
    assert.strictEqual(keyLabel("Ebmin"), "E♭ minor")
    assert.strictEqual(keyLabel("Bdim"), "B diminished")
    assert.strictEqual(keyLabel("Caug"), "C augmented")
    assert.strictEqual(keyLabel("H"), "H")
  })
})

describe("preview", () => {
  it("shows a short idea whole", () => {
    assert.deepStrictEqual(preview("one\ntwo\nthree"), { text: "one\ntwo\nthree", cut: false })
  })

  it("shows the first three lines of a longer one", () => {
    assert.deepStrictEqual(preview("1\n2\n3\n4"), { text: "1\n2\n3", cut: true })
  })

  it.prop("never shows more than its bound, and says when it cut", [fc.string({ maxLength: 800 })], ([text]) => {
    const shown = preview(text)
    assert.isAtMost(shown.text.split("\n").length, shortLines)
    assert.isAtMost(shown.text.length, shortLength + 1)
    assert.strictEqual(shown.cut, shown.text !== text)
    if (!shown.cut) assert.strictEqual(shown.text, text)
  })
})

const form = () => new IdeaForm(() => {})

describe("IdeaForm", () => {
  it("adds a tag trimmed, once", () => {
    const ideas = form()
    assert.isTrue(ideas.addTag("  dark "))
    assert.isFalse(ideas.addTag("dark"))
    assert.deepStrictEqual(ideas.tags, ["dark"])
    assert.strictEqual(ideas.announcement, "Added dark.")
  })

  it("refuses a tag of 65 characters, and a 33rd tag, saying why", () => {
    const ideas = form()
    assert.isFalse(ideas.addTag("x".repeat(65)))
    assert.strictEqual(ideas.problems.tags, "A mood tag is 1 to 64 characters long.")
    assert.isTrue(ideas.addTag("x".repeat(64)))
    for (let index = 1; index < 32; index++) assert.isTrue(ideas.addTag(`mood ${index}`))
    assert.isFalse(ideas.addTag("one more"))
    assert.strictEqual(ideas.problems.tags, "An idea has at most 32 mood tags.")
    assert.strictEqual(ideas.tags.length, 32)
  })

  it("ends a tag at each comma of what is typed or pasted", () => {
    const ideas = form()
    ideas.typeTag("warm, lazy,dre")
    assert.deepStrictEqual(ideas.tags, ["warm", "lazy"])
    assert.strictEqual(ideas.tagText, "dre")
  })

  it("removes a tag", () => {
    const ideas = form()
    ideas.typeTag("a,b,")
    ideas.removeTag("a")
    assert.deepStrictEqual(ideas.tags, ["b"])
  })

  it.prop(
    "keeps only tags the contract accepts",
    [fc.array(fc.string({ maxLength: 70 }), { maxLength: 40 })],
    ([typed]) => {
      const ideas = form()
      for (const tag of typed) ideas.addTag(tag)
      assert.isTrue(Schema.is(Contract.Tags)(ideas.tags))
      assert.strictEqual(new Set(ideas.tags).size, ideas.tags.length)
    },
  )

  it("needs text, and a BPM from 20 to 400 when there is one", () => {
    const ideas = form()
    ideas.setBpm("500")
    assert.isFalse(ideas.check())
    assert.deepStrictEqual(ideas.problems, { text: "Write the idea first.", bpm: bpmProblem })
    ideas.setText("A riff")
    ideas.setBpm("120.5")
    assert.isFalse(ideas.check())
    assert.deepStrictEqual(ideas.problems, { bpm: bpmProblem })
    ideas.setBpm("")
    assert.isTrue(ideas.check())
    assert.deepStrictEqual(ideas.draft, { text: "A riff", key: null, bpm: null, moodTags: [] })
  })

  it("adds a half-typed tag when it is saved", () => {
    const ideas = form()
    ideas.setText("A riff")
    ideas.setBpm("96")
    ideas.typeTag("hazy")
    assert.isTrue(ideas.check())
    assert.deepStrictEqual(ideas.draft, { text: "A riff", key: null, bpm: 96, moodTags: ["hazy"] })
  })

  it("sets the BPM from tap tempo", () => {
    const ideas = form()
    ideas.tap(0)
    assert.strictEqual(ideas.announcement, "Keep tapping in time.")
    ideas.tap(750)
    assert.strictEqual(ideas.bpm, "80")
    assert.strictEqual(ideas.announcement, "80 BPM")
  })
})
