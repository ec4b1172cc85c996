/**
 * A list worked out from the knowledge base (sorted, filtered, grouped),
 * kept until the knowledge base changes or the list's own input does. The
 * editor re-renders at every keystroke; with thousands of records, sorting
 * and filtering them each time would make typing lag. The same value back
 * also lets the element skip re-rendering the list (`guard`).
 *
 * It holds decrypted records: `clear()` when they must go (a lock, the
 * element leaving the page).
 */
import { KnowledgeBase } from "../knowledge/KnowledgeBase.js"

export class ListMemo<Input, Value> {
  #base: KnowledgeBase | undefined
  /** Bumped at every change of the knowledge base followed. */
  #changes = 0
  #kept: { readonly changes: number; readonly input: Input; readonly value: Value } | undefined

  readonly #changed = () => {
    this.#changes++
  }

  /** `compute()`, or what it gave last for the same knowledge base, unchanged since, and the same `input`. */
  value(base: KnowledgeBase, input: Input, compute: () => Value): Value {
    if (base !== this.#base) {
      this.clear()
      base.addEventListener(KnowledgeBase.changeEvent, this.#changed)
      this.#base = base
    }
    const kept = this.#kept
    if (kept !== undefined && kept.changes === this.#changes && kept.input === input) return kept.value
    const value = compute()
    this.#kept = { changes: this.#changes, input, value }
    return value
  }

  clear(): void {
    this.#base?.removeEventListener(KnowledgeBase.changeEvent, this.#changed)
    this.#base = undefined
    this.#kept = undefined
  }
}
