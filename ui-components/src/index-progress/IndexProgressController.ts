/**
 * What `<ig-index-progress>` shows: the unlock-time load's progress — the
 * element's `progress` property when a page sets it, otherwise the
 * `KnowledgeBase`'s — as a sentence per phase with its numbers formatted
 * for the reader's locale and a humanely rounded ETA, and the moment it
 * ends, announced once ("Search is ready").
 */
import type { ReactiveController, ReactiveElement } from "lit"
import type { Progress } from "../knowledge/KnowledgeBase.js"
import { KnowledgeController } from "../knowledge/KnowledgeController.js"

const second = 1_000
const minute = 60 * second

/** The time left as a person would say it: "less than a second", "about 4 s", "about 2 min". */
export const etaText = (ms: number): string => {
  if (ms < second) return "less than a second"
  const seconds = Math.round(ms / second)
  if (seconds < 60) return `about ${seconds} s`
  return `about ${Math.round(ms / minute)} min`
}

/** The sentence for a phase: "Downloading your notes…", "Indexing 3,000 of 10,000 — about 2 s left". */
export const progressText = (progress: Progress, numbers: Intl.NumberFormat = new Intl.NumberFormat()): string => {
  if (progress.phase === "downloading") return "Downloading your notes…"
  const verb = progress.phase === "decrypting" ? "Decrypting" : "Indexing"
  const counted = `${verb} ${numbers.format(progress.done)} of ${numbers.format(progress.total)}`
  return progress.etaMs === undefined ? `${counted}…` : `${counted} — ${etaText(progress.etaMs)} left`
}

export const readyText = "Search is ready"

export class IndexProgressController implements ReactiveController {
  readonly #host: ReactiveElement & { readonly progress: Progress | null | undefined }
  readonly #knowledge: KnowledgeController
  readonly #numbers = new Intl.NumberFormat()
  #showing = false
  /** Said once to assistive technology when a load ends. */
  announcement = ""

  constructor(host: ReactiveElement & { readonly progress: Progress | null | undefined }) {
    this.#host = host
    this.#knowledge = new KnowledgeController(host)
    host.addController(this)
  }

  hostConnected(): void {}

  /** The progress to show: the page's (`null`: none), else the knowledge base's. */
  get progress(): Progress | undefined {
    const given = this.#host.progress
    if (given !== undefined) return given ?? undefined
    return this.#knowledge.base?.progress
  }

  /** Whether what ended was a load that finished (not one cut short by a lock or a failure). */
  #finished(): boolean {
    if (this.#host.progress === null) return true
    return this.#knowledge.base?.status.status === "ready"
  }

  hostUpdate(): void {
    const showing = this.progress !== undefined
    if (showing) this.announcement = ""
    else if (this.#showing && this.#finished()) this.announcement = readyText
    this.#showing = showing
  }

  text(progress: Progress): string {
    return progressText(progress, this.#numbers)
  }
}
