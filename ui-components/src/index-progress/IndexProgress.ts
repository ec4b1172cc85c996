import { html, LitElement, nothing } from "lit"
import type { Progress } from "../knowledge/KnowledgeBase.js"
import { IndexProgressController } from "./IndexProgressController.js"
import { styles } from "./index-progress.styles.js"

/**
 * The progress of the load that follows an unlock — downloading the
 * encrypted records, decrypting them on this device, indexing them for
 * search — as a bar (`role="progressbar"`, with its value in words as
 * `aria-valuetext`) and a sentence: "Decrypting 1,200 of 10,000…",
 * "Indexing 3,000 of 10,000 — about 2 s left". Nothing shows when no load
 * is under way; when one finishes, "Search is ready" is announced politely.
 *
 * It reads the knowledge base of the vault `<ig-app>` provides; set
 * `progress` to show another one (`null`: none).
 *
 * @summary Progress bar with ETA for the unlock-time decrypt and index.
 * @csspart progress - The bar and its sentence (absent when nothing loads).
 * @csspart label - The sentence: the phase, the counts, the time left.
 * @csspart bar - The bar (`role="progressbar"`).
 * @csspart fill - The bar's filled part.
 * @csspart status - The (visually hidden) live region that says "Search is ready".
 * @cssprop --ig-color-accent - The filled part of the bar.
 * @cssprop --ig-color-border - The bar's track.
 * @cssprop --ig-color-text-muted - The sentence.
 */
export class IgIndexProgress extends LitElement {
  static override styles = styles
  static override properties = { progress: { attribute: false } }

  /** The progress to show instead of the knowledge base's; `null` shows none. */
  declare progress: Progress | null | undefined

  readonly #indexing = new IndexProgressController(this)

  constructor() {
    super()
    this.progress = undefined
  }

  #bar(progress: Progress) {
    const text = this.#indexing.text(progress)
    const total = Math.max(progress.total, 1)
    const done = Math.min(Math.max(progress.done, 0), total)
    return html`<div part="progress" data-phase=${progress.phase}>
      <span part="label" aria-hidden="true">${text}</span>
      <div
        part="bar"
        role="progressbar"
        aria-label="Loading your notes"
        aria-valuemin="0"
        aria-valuemax=${total}
        aria-valuenow=${done}
        aria-valuetext=${text}
      >
        <div part="fill" style=${`inline-size: ${(done / total) * 100}%`}></div>
      </div>
    </div>`
  }

  override render() {
    const progress = this.#indexing.progress
    return html`${progress === undefined ? nothing : this.#bar(progress)}
      <p part="status" class="visually-hidden" role="status">${this.#indexing.announcement}</p>`
  }
}
