/**
 * One idea form's state — the capture form's, or an idea's being edited:
 * the text, the key, the BPM as typed (with tap tempo), the mood tags (the
 * chip being typed and the chips), the privacy mode the user chose (none:
 * the user's default), and what is wrong with any of it, said next to its
 * field. The checks use the contract's own schemas; `invalidMetadata` has
 * the last word before a save.
 */
import { KnowledgeBase as Contract } from "@ignition/api"
import { Schema } from "effect"
import type { Entry, IdeaDraft } from "../knowledge/KnowledgeBase.js"
import { invalidMetadata } from "../knowledge/KnowledgeBase.js"
import type { PrivacyMode } from "../knowledge/kinds.js"
import { TapTempo } from "./TapTempo.js"

const isBpm = Schema.is(Contract.Bpm)
const isTag = Schema.is(Contract.Tag)
const isTagList = Schema.is(Contract.Tags)

/** What is wrong, by field: `text`, `bpm`, `tags`, and `metadata` for what only `invalidMetadata` caught. */
export type Problems = Readonly<Partial<Record<"text" | "bpm" | "tags" | "metadata", string>>>

export const bpmProblem = "BPM is a whole number from 20 to 400."

/** The BPM as typed: null when empty, a number otherwise (maybe not a valid one: `problems` says). */
export const bpmOf = (typed: string): number | null => (typed.trim() === "" ? null : Number(typed))

export class IdeaForm {
  text: string
  key: string | null
  bpm: string
  tags: ReadonlyArray<string>
  /** The mood tag being typed. */
  tagText = ""
  /** The mode the user chose here; undefined follows their default. */
  mode: PrivacyMode | undefined
  problems: Problems = {}
  /** What the last tap or tag change was, for the form's polite live region. */
  announcement = ""
  readonly tapTempo = new TapTempo()
  readonly #changed: () => void

  constructor(changed: () => void, from?: Entry<"idea">) {
    this.#changed = changed
    this.text = from?.draft.text ?? ""
    this.key = from?.draft.key ?? null
    this.bpm = from?.draft.bpm === null || from?.draft.bpm === undefined ? "" : String(from.draft.bpm)
    this.tags = from?.draft.moodTags ?? []
    this.mode = from?.mode
  }

  #forget(field: keyof Problems) {
    if (this.problems[field] === undefined && this.problems.metadata === undefined) return
    const { [field]: _, metadata: __, ...rest } = this.problems
    this.problems = rest
  }

  setText(text: string): void {
    this.text = text
    this.#forget("text")
    this.#changed()
  }

  setKey(key: string | null): void {
    this.key = key
    this.#forget("metadata")
    this.#changed()
  }

  setBpm(typed: string): void {
    this.bpm = typed
    this.tapTempo.reset()
    this.#forget("bpm")
    this.#changed()
  }

  setMode(mode: PrivacyMode): void {
    this.mode = mode
    this.#changed()
  }

  /** A tap of "Tap tempo" at `at` (ms): from the second tap on, the BPM follows. */
  tap(at: number): void {
    const bpm = this.tapTempo.tap(at)
    if (bpm !== undefined) {
      this.bpm = String(bpm)
      this.#forget("bpm")
    }
    this.announcement = bpm === undefined ? "Keep tapping in time." : `${bpm} BPM`
    this.#changed()
  }

  /** Adds the typed tag (or `typed`): trimmed, once; refused with a reason when the contract would refuse it. */
  addTag(typed: string = this.tagText): boolean {
    const tag = typed.trim()
    if (tag === "") return false
    if (this.tags.includes(tag)) {
      this.tagText = ""
      this.#changed()
      return false
    }
    const next = [...this.tags, tag]
    const problem = !isTag(tag)
      ? "A mood tag is 1 to 64 characters long."
      : !isTagList(next)
        ? "An idea has at most 32 mood tags."
        : undefined
    if (problem !== undefined) {
      this.problems = { ...this.problems, tags: problem }
      this.#changed()
      return false
    }
    this.tags = next
    this.tagText = ""
    this.#forget("tags")
    this.announcement = `Added ${tag}.`
    this.#changed()
    return true
  }

  removeTag(tag: string): void {
    this.tags = this.tags.filter((candidate) => candidate !== tag)
    this.#forget("tags")
    this.announcement = `Removed ${tag}.`
    this.#changed()
  }

  /** Typing in the tag field: a comma ends a tag (pasted text may hold several). */
  typeTag(typed: string): void {
    const pieces = typed.split(",")
    const rest = pieces.pop() ?? ""
    for (const piece of pieces) this.addTag(piece)
    this.tagText = rest
    if (pieces.length === 0) this.#forget("tags")
    this.#changed()
  }

  /** Enter or a comma adds the tag; Backspace in an empty field removes the last chip. */
  tagKeydown(event: KeyboardEvent): void {
    if (event.isComposing) return
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault()
      this.addTag()
    } else if (event.key === "Backspace" && this.tagText === "" && this.tags.length > 0) {
      event.preventDefault()
      this.removeTag(this.tags[this.tags.length - 1] ?? "")
    }
  }

  get draft(): IdeaDraft {
    return { text: this.text, key: this.key, bpm: bpmOf(this.bpm), moodTags: this.tags }
  }

  /** Checks the form before a save (a half-typed tag is added first); true when it may be saved. */
  check(): boolean {
    if (this.tagText.trim() !== "" && !this.addTag()) return false
    const bpm = bpmOf(this.bpm)
    const metadata = invalidMetadata("idea", this.draft)
    this.problems = {
      ...(this.text.trim() === "" ? { text: "Write the idea first." } : {}),
      ...(bpm !== null && !isBpm(bpm) ? { bpm: bpmProblem } : {}),
      // The contract's own check has the last word, for whatever the fields above do not cover.
      ...(metadata !== undefined && (bpm === null || isBpm(bpm)) ? { metadata } : {}),
    }
    this.#changed()
    return Object.keys(this.problems).length === 0
  }
}
