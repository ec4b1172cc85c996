/**
 * The search tokenizer: musical tokens stay whole and fold to one form
 * (`F#m` = `f#m`, `128 BPM` = `128bpm`, `CM7` = `cmaj7` ≠ `cm7`), Markdown
 * noise goes, Unicode letters survive; for any text it is deterministic,
 * never yields an empty token, and every token is a fixed point.
 */
import { assert, describe, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { isMusical, isStopWord, tempo, tokenize } from "../src/Tokenizer.js"

const musical = fc.constantFrom(
  "F#m",
  "Bbmaj7",
  "Dm7",
  "C#",
  "Ebsus4",
  "G/B",
  "128bpm",
  "128 BPM",
  "7/8",
  "CM7",
  "C#m7b5",
  "A♭",
  "F♯m",
  "12/8",
  "1/2/2024",
)
const markdown = fc.constantFrom(
  "# ",
  "**",
  "_",
  "`",
  "```\n",
  "> ",
  "- ",
  "[",
  "](https://example.com/x)",
  "<b>",
  "&amp;",
)
/** Text mixing arbitrary Unicode with musical tokens and Markdown syntax. */
const text = fc
  .array(
    fc.oneof(fc.string({ unit: "grapheme", maxLength: 12 }), fc.fullUnicodeString({ maxLength: 8 }), musical, markdown),
    {
      maxLength: 24,
    },
  )
  .map((parts) => parts.join(" "))

describe("Tokenizer", () => {
  it("keeps chord and key names whole, folding case and accidentals", () => {
    assert.deepStrictEqual(tokenize("F#m Bbmaj7 Dm7 C# Ebsus4 G/B C#m7b5 G/Bb"), [
      "f#m",
      "bbmaj7",
      "dm7",
      "c#",
      "ebsus4",
      "g/b",
      "c#m7b5",
      "g/bb",
    ])
    assert.deepStrictEqual(tokenize("f#m F#M F♯m"), ["f#m", "f#m", "f#m"])
    assert.deepStrictEqual(tokenize("A♭maj7 E♭"), ["abmaj7", "eb"])
    // A capital M before an extension is major, written out so folding keeps it apart from minor.
    assert.deepStrictEqual(tokenize("CM7 Cm7 Cmaj7"), ["cmaj7", "cm7", "cmaj7"])
  })

  it("normalises tempos and keeps time signatures", () => {
    assert.deepStrictEqual(tokenize("128bpm, 128 BPM, 128-bpm and 90 Bpm"), ["128bpm", "128bpm", "128bpm", "90bpm"])
    assert.deepStrictEqual(tokenize("in 7/8 then 12/8 and 4/4"), ["7/8", "12/8", "4/4"])
    // Not time signatures: dates, other fractions; not tempos: glued to a word.
    assert.deepStrictEqual(tokenize("1/2/2024 3/5 x128 bpm 128 bpms"), [
      "1",
      "2",
      "2024",
      "3",
      "5",
      "x128",
      "bpm",
      "128",
      "bpms",
    ])
    assert.strictEqual(tempo(127.6), "128bpm")
  })

  it("keeps words that only start like chords as words", () => {
    assert.deepStrictEqual(tokenize("Abba was Bad at dbx; Add A4"), ["abba", "bad", "dbx", "add", "a4"])
  })

  it("strips Markdown and HTML noise", () => {
    assert.deepStrictEqual(
      tokenize(
        "## The **lighthouse** _riff_ in `F#m`\n> see [my notes](https://example.com/notes?id=1) <br/> &amp; ![img](x.png)",
      ),
      ["lighthouse", "riff", "f#m", "see", "notes", "img"],
    )
    assert.deepStrictEqual(tokenize("#hashtag #F#m"), ["hashtag", "f#m"])
  })

  it("handles Unicode letters: accents, German, Greek, Cyrillic, CJK", () => {
    assert.deepStrictEqual(tokenize("Café ÜBER straße ΟΔΟΣ Москва"), ["café", "über", "straße", "οδος", "москва"])
    assert.deepStrictEqual(tokenize("東京タワーで録音 mix"), ["東", "京", "タ", "ワ", "ー", "で", "録", "音", "mix"])
    // NFKC: full-width and composed forms meet their plain forms.
    assert.deepStrictEqual(tokenize("ＦＵＬＬ cafe\u0301"), ["full", "café"])
  })

  it("drops English stop words, but never a musical token other than a lone A", () => {
    // `am` stays even as a verb: it is also the chord A minor, and the two cannot be told apart.
    assert.deepStrictEqual(tokenize("The riff is in the bridge, and I am happy with it"), [
      "riff",
      "bridge",
      "am",
      "happy",
    ])
    // A lone `A` is taken for the article; every other form of the chord stays.
    assert.deepStrictEqual(tokenize("A riff over Am, A7, A#, Ab and A/C#; a key of A"), [
      "riff",
      "am",
      "a7",
      "a#",
      "ab",
      "a/c#",
      "key",
    ])
    // Also next to a script written without spaces.
    assert.deepStrictEqual(tokenize("東the mix"), ["東", "mix"])
    assert.isTrue(isStopWord("the"))
    assert.isTrue(isStopWord("a"))
    assert.isFalse(isStopWord("am"))
    assert.isFalse(isStopWord("lighthouse"))
  })

  it("marks musical tokens (no fuzzy matching for them)", () => {
    for (const token of ["f#m", "dm7", "bbmaj7", "g/b", "128bpm", "7/8", "c#m7b5"])
      assert.isTrue(isMusical(token), token)
    for (const token of ["lighthouse", "bad", "abba", "add", "1"]) assert.isFalse(isMusical(token), token)
  })

  it.prop("is deterministic and never yields an empty token", [text], ([input]) => {
    const tokens = tokenize(input)
    assert.deepStrictEqual(tokenize(input), tokens)
    for (const token of tokens) assert.isAbove(token.length, 0)
  })

  it.prop("every token is a fixed point, so it is idempotent on its own output", [text], ([input]) => {
    const tokens = tokenize(input)
    for (const token of tokens) assert.deepStrictEqual(tokenize(token), [token], JSON.stringify(token))
    assert.deepStrictEqual(
      tokens.flatMap((token) => tokenize(token)),
      tokens,
    )
  })

  it.prop("folds case: upper and lower case text give the same tokens", [fc.string({ maxLength: 40 })], ([input]) => {
    // ASCII only: outside it, case mappings are not one-to-one (ß, final sigma).
    const ascii = input.replace(/[^\u0020-\u007e]/g, " ").replace(/M(?=13|11|9|7)/g, "m")
    assert.deepStrictEqual(tokenize(ascii.toUpperCase().replace(/M(?=13|11|9|7)/g, "m")), tokenize(ascii.toLowerCase()))
  })
})
