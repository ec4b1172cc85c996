/**
 * The search tokenizer: pure and deterministic, for MiniSearch's `tokenize`
 * (its `processTerm` is the identity, because every token leaves here in its
 * final form). The same function splits documents and queries, so whatever a
 * note says, typing it finds it.
 *
 * Rules, in the order they apply:
 *
 * 1. The text is normalised to NFKC (full-width letters, ligatures and
 *    compatibility forms become their plain equivalents).
 * 2. Markdown and HTML noise goes: link and image targets (`](url)`), HTML
 *    tags and character entities. Every other character that is not part of
 *    a word or a musical token is a separator, which drops emphasis, heading
 *    and list markers, code fences and the like.
 * 3. Musical tokens stay whole, matched case-insensitively:
 *    - tempos: `128bpm`, `128 BPM`, `128-bpm` all become `128bpm`;
 *    - time signatures: `7/8`, `12/8` (denominator 1, 2, 4, 8, 16 or 32);
 *    - chord and key names: a root A–G, an optional accidental (`#`, `♯`,
 *      `b`, `♭`), an optional quality (`m`, `maj`, `min`, `dim`, `aug`, `sus`,
 *      `add`, `M`), an extension (`7`, `9`, `11`, `13`, `6`, …), alterations
 *      (`b5`, `#9`, `sus4`, `add9`) and a slash bass (`/B`, `/F#`):
 *      `F#m`, `Bbmaj7`, `Dm7`, `C#`, `Ebsus4`, `G/B`, `C#m7b5`.
 *    `♯` and `♭` are written `#` and `b`, and a capital `M` before an
 *    extension (`CM7`, major seventh) is written `maj` (`cmaj7`) so that the
 *    case folding below cannot confuse it with `Cm7` (minor seventh).
 * 4. Words are runs of Unicode letters, digits and combining marks (`é`, `ü`,
 *    `ß`, Cyrillic, Greek, Devanagari…). Han, Hiragana and Katakana have no
 *    spaces between words, so each of those characters is a token of its own.
 * 5. Every token is lower-cased (`toLowerCase`, locale-independent). Case is
 *    folded for everything: `F#m`, `f#m` and `F#M` are the same token, `f#m`;
 *    `#` stays. Diacritics stay (`café` ≠ `cafe`); fuzzy search bridges them.
 * 6. English stop words are dropped (`STOP_WORDS`: the Snowball English list
 *    without its contractions), in documents and queries alike: they match
 *    nearly every note, so they cost most of the index and rank nothing.
 *    A musical token is never a stop word (`am` is the chord A minor and
 *    stays), with one exception: a lone `a`, which in text is almost always
 *    the article. So the bare chord or key `A` is not searchable; every other
 *    form of it is (`Am`, `A7`, `A#`, `Ab`, `Amaj7`, `A/C#`), and a key
 *    written `A major` is found by `major`.
 *
 * Guarantees (property-tested): the same text always gives the same tokens;
 * no token is empty; every token is a fixed point (`tokenize(t)` is `[t]`),
 * so tokenizing the output again changes nothing.
 *
 * Changing any rule changes the index: bump `VERSION`, and stored snapshots
 * made with another version are rebuilt rather than read.
 */

/** The tokenizer's rule set; part of every persisted index snapshot. */
export const VERSION = 2

const note = "[A-G](?:#|♯|b|♭)?"
const quality = "(?:maj|min|dim|aug|sus|add|m|M)?"
const extension = "(?:13|11|9|7|6|5|4|2)?"
const alteration = "(?:(?:sus|add|b|#|♭|♯)(?:13|11|9|7|6|5|4|2))*"
const wordChar = "\\p{L}\\p{N}\\p{M}"

/**
 * The precise scan, left to right; the first alternative that matches wins.
 * Each musical alternative must end where a word would end, so a word that
 * merely starts like a chord (`Abba`, `Bad`) stays a word. It runs only on
 * the rare runs that hold `#`, `/`, `♯` or `♭`; plain runs take a fast path.
 */
const precise = new RegExp(
  [
    // 1: time signature
    `(?<![/\\d])(\\d{1,2}/(?:32|16|8|4|2|1))(?![${wordChar}/])`,
    // 2: chord or key
    `(${note}${quality}${extension}${alteration}(?:/${note})?)(?![${wordChar}#♯♭])`,
    // 3: word
    `([${wordChar}]+)`,
  ].join("|"),
  "giu",
)

/** Candidate runs: word characters plus the symbols musical tokens use. */
const run = new RegExp(`[${wordChar}#♯♭/]+`, "gu")
const symbols = /[#♯♭/]/
const isWordChar = new RegExp(`[${wordChar}]`, "u")
const tempoDigits = /^\d{2,3}$/

/** Link and image targets, HTML tags, character entities. */
const markup = /\]\([^)]*\)|<\/?[A-Za-z][^>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);/g

const nonAscii = /[^\t\n\r\u0020-\u007e]/
const spaceless = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const spacelessRun =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu
/** `CM7` (major seventh) before case folding, so that it cannot become `cm7` (minor seventh). */
const majorBeforeExtension = new RegExp(
  `(?<![${wordChar}#♯♭])([A-G](?:#|♯|b|♭)?)M(?=(?:13|11|9|7)(?![${wordChar}]))`,
  "gu",
)

/** A lower-cased word: NFKC again (case mapping can denormalise), spaceless scripts split per character. */
const pushWord = (out: Array<string>, word: string) => {
  if (!nonAscii.test(word)) {
    if (!dropped.has(word)) out.push(word)
    return
  }
  const normal = word.normalize("NFKC")
  if (!spaceless.test(normal)) {
    if (!dropped.has(normal)) out.push(normal)
  } else for (const piece of normal.match(spacelessRun) ?? []) if (!dropped.has(piece)) out.push(piece)
}

const pushPrecise = (out: Array<string>, text: string) => {
  precise.lastIndex = 0
  for (let match = precise.exec(text); match !== null; match = precise.exec(text)) {
    const [, meter, chordName, word] = match
    if (meter !== undefined) out.push(meter)
    else if (chordName !== undefined) {
      const chord = chordName.replaceAll("♯", "#").replaceAll("♭", "b")
      if (chord !== "a") out.push(chord)
    } else if (word !== undefined) pushWord(out, word)
  }
}

/** Candidate runs in plain ASCII text, lower-cased: the same as `run` there, without Unicode classes. */
const asciiRun = /[a-z0-9#/]+/g
const isDigit = (code: number) => code >= 48 && code <= 57

/** Splits `text` into search tokens (see the module's rules). */
export const tokenize = (text: string): Array<string> => {
  // Plain ASCII (most notes) takes a faster path: no NFKC, no Unicode classes, no per-word normalisation.
  const ascii = !nonAscii.test(text)
  let source = ascii ? text : text.normalize("NFKC")
  if (source.includes("M")) source = source.replace(majorBeforeExtension, "$1maj")
  source = source.toLowerCase()
  if (source.includes("](") || source.includes("<") || source.includes("&")) source = source.replace(markup, " ")
  const out: Array<string> = []
  const runs = ascii ? asciiRun : run
  runs.lastIndex = 0
  for (let match = runs.exec(source); match !== null; match = runs.exec(source)) {
    const token = match[0]
    if (ascii ? token.includes("#") || token.includes("/") : symbols.test(token)) {
      pushPrecise(out, token)
      continue
    }
    if (isDigit(token.charCodeAt(0)) && tempoDigits.test(token)) {
      // `128 bpm`, `128-bpm`: one token across the separator.
      let next = runs.lastIndex
      const separator = source[next]
      if (separator === " " || separator === "\t" || separator === "-") next++
      const after = source[next + 3]
      if (source.startsWith("bpm", next) && (after === undefined || !isWordChar.test(after))) {
        out.push(`${token}bpm`)
        runs.lastIndex = next + 3
        continue
      }
    }
    if (ascii) {
      if (!dropped.has(token)) out.push(token)
    } else pushWord(out, token)
  }
  return out
}

/** For MiniSearch's `processTerm`: tokens are final already. */
export const processTerm = (term: string): string => term

const tempoToken = /^\d{2,3}bpm$/
const meterToken = /^\d{1,2}\/\d{1,2}$/
const chordToken =
  /^[a-g][#b]?(?:maj|min|dim|aug|sus|add|m)?(?:13|11|9|7|6|5|4|2)?(?:(?:sus|add|b|#)(?:13|11|9|7|6|5|4|2))*(?:\/[a-g][#b]?)?$/

/**
 * Whether a token is a tempo, a time signature or a chord or key name
 * (`f#m`, `dm7`, `bbmaj7`, `g/b`): search matches these exactly and by
 * prefix, never fuzzily, so `128bpm` does not find `127bpm` and `dm7` does
 * not find `am7`.
 */
export const isMusical = (token: string): boolean =>
  tempoToken.test(token) || meterToken.test(token) || chordToken.test(token)

/** The token for a tempo in beats per minute (`128` → `128bpm`). */
export const tempo = (bpm: number): string => `${Math.round(bpm)}bpm`

/**
 * English stop words: the Snowball English list (snowballstem.org) without
 * its contractions, which the tokenizer splits at the apostrophe anyway. `am`
 * is on it but is the chord A minor, so it is kept (see `isStopWord`).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers " +
    "herself it its itself they them their theirs themselves what which who whom this that these those am is are " +
    "was were be been being have has had having do does did doing would should could ought a an the and but if " +
    "or because as until while of at by for with about against between into through during before after above " +
    "below to from up down in out on off over under again further then once here there when where why how all " +
    "any both each few more most other some such no nor not only own same so than too very"
  ).split(" "),
)

/** Whether `token` is dropped: a stop word that is not a musical token (a lone `a` always is). */
export const isStopWord = (token: string): boolean => STOP_WORDS.has(token) && (token === "a" || !isMusical(token))

/** The stop words that survive as musical tokens (`am`): checked once, not per token. */
const dropped = new Set([...STOP_WORDS].filter(isStopWord))
