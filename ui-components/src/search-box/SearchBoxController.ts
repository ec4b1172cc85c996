/**
 * The search box's state and behaviour: the query, searched ~100 ms after
 * the last keystroke through `KnowledgeBase.search` (a stale answer never
 * replaces a newer one), the hits grouped by kind, the popup and its active
 * option, and the keys of the ARIA combobox pattern (list autocomplete with
 * the first option selected automatically): arrows that wrap, Home and End,
 * Enter to choose, Escape to close and then to clear. A query typed while
 * the index builds runs as soon as it is ready; a lock drops every hit
 * (they hold decrypted text).
 */
import type { ReactiveController, ReactiveElement } from "lit"
import { IgSearchSelectEvent } from "../events/events.js"
import type { Hit, KnowledgeBase } from "../knowledge/KnowledgeBase.js"
import { type KindName, kindNames } from "../knowledge/kinds.js"
import { KnowledgeState } from "../knowledge-editor/KnowledgeState.js"
import { type ResultView, resultView } from "./excerpt.js"

/** How long typing must pause before a search runs. */
export const debounceMs = 100

/** The kinds named in a `types` attribute ("idea journal"); all of them when it names none. */
export const kindsOf = (types: string): ReadonlyArray<KindName> => {
  const named = types
    .split(/\s+/)
    .filter((name): name is KindName => (kindNames as ReadonlyArray<string>).includes(name))
  return named.length === 0 ? kindNames : kindNames.filter((kind) => named.includes(kind))
}

/** Hits in the order the popup lists them: by kind (Ideas, Infobase, Journal), best first within each. */
export const grouped = (hits: ReadonlyArray<Hit>): ReadonlyArray<Hit> =>
  kindNames.flatMap((kind) => hits.filter((hit) => hit.entry.type === kind))

/** A hit and what its option shows. */
export interface Result {
  readonly hit: Hit
  readonly view: ResultView
}

interface Searched {
  readonly query: string
  readonly types: string
  readonly limit: number
}

const same = (a: Searched | undefined, b: Searched): boolean =>
  a !== undefined && a.query === b.query && a.types === b.types && a.limit === b.limit

export interface SearchBoxHost extends ReactiveElement {
  readonly types: string
  readonly limit: number
}

export class SearchBoxController implements ReactiveController {
  readonly state: KnowledgeState
  query = ""
  /** The results for `searched`, in popup order. */
  results: ReadonlyArray<Result> = []
  /** What the results answer (undefined: nothing searched yet, or the query was cleared). */
  searched: Searched | undefined
  isOpen = false
  /** The active option's index in `results` (-1: none). */
  active = -1
  /** Why the last search failed. */
  error: string | undefined

  readonly #host: SearchBoxHost
  #timer: ReturnType<typeof setTimeout> | undefined
  #generation = 0
  /** The search under way, so that a render meanwhile does not start it again. */
  #running: Searched | undefined

  constructor(host: SearchBoxHost) {
    this.#host = host
    this.state = new KnowledgeState(host)
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#drop()
  }

  get #base(): KnowledgeBase | undefined {
    const view = this.state.view
    return view._tag === "Ready" ? view.base : undefined
  }

  #wanted(): Searched {
    return { query: this.query.trim(), types: this.#host.types, limit: this.#host.limit }
  }

  /** Before each render: drop the results once the knowledge base is not ready; run what waited for it (or for new options). */
  hostUpdate(): void {
    if (this.#base === undefined) {
      this.#drop()
      return
    }
    const wanted = this.#wanted()
    if (
      this.#timer === undefined &&
      wanted.query !== "" &&
      !same(this.searched, wanted) &&
      !same(this.#running, wanted)
    )
      void this.#run()
  }

  #drop() {
    this.#generation++
    this.#running = undefined
    this.results = []
    this.searched = undefined
    this.isOpen = false
    this.active = -1
    this.error = undefined
  }

  input(value: string): void {
    this.query = value
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (value.trim() === "") {
      this.#drop()
      this.#host.requestUpdate()
      return
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#run()
    }, debounceMs)
  }

  async #run(): Promise<void> {
    const base = this.#base
    if (base === undefined) return
    const wanted = this.#wanted()
    const generation = ++this.#generation
    this.#running = wanted
    const types = kindsOf(wanted.types)
    const outcome = await base.search(wanted.query, {
      limit: wanted.limit,
      ...(types.length === kindNames.length ? {} : { types }),
    })
    if (generation !== this.#generation) return
    this.#running = undefined
    this.searched = wanted
    if (outcome._tag === "Ok") {
      this.results = grouped(outcome.value).map((hit) => ({ hit, view: resultView(hit.entry, hit.terms) }))
      this.error = undefined
      this.active = this.results.length === 0 ? -1 : 0
    } else {
      this.results = []
      this.active = -1
      this.error = outcome._tag === "Refused" ? (outcome.error.message ?? "Search failed.") : outcome.message
    }
    this.isOpen = true
    this.#host.requestUpdate()
  }

  /** Whether the popup has options to move through. */
  get #listing(): boolean {
    return this.isOpen && this.results.length > 0
  }

  moveTo(index: number): void {
    if (index === this.active || index < 0 || index >= this.results.length) return
    this.active = index
    this.#host.requestUpdate()
  }

  open(): void {
    if (this.searched === undefined || this.isOpen) return
    this.isOpen = true
    if (this.active < 0 && this.results.length > 0) this.active = 0
    this.#host.requestUpdate()
  }

  close(): void {
    if (!this.isOpen) return
    this.isOpen = false
    this.#host.requestUpdate()
  }

  clear(): void {
    this.input("")
  }

  /** Chooses the hit at `index`: `ig-search-select` names its record, and the popup closes. */
  choose(index: number): void {
    const entry = this.results[index]?.hit.entry
    if (entry === undefined) return
    this.isOpen = false
    this.#host.requestUpdate()
    this.#host.dispatchEvent(new IgSearchSelectEvent({ type: entry.type, id: entry.id }))
  }

  /** The combobox's keys; anything else is typing. */
  keydown(event: KeyboardEvent): void {
    if (event.isComposing) return
    const count = this.results.length
    const handled = (() => {
      switch (event.key) {
        case "ArrowDown":
          if (event.altKey) this.open()
          else if (!this.#listing) {
            this.open()
            if (this.isOpen && count > 0) this.moveTo(0)
          } else this.moveTo((this.active + 1) % count)
          return true
        case "ArrowUp":
          if (event.altKey) this.close()
          else if (!this.#listing) {
            this.open()
            if (this.isOpen && count > 0) this.moveTo(count - 1)
          } else this.moveTo((this.active - 1 + count) % count)
          return true
        case "Home":
        case "End":
          if (!this.#listing) return false
          this.moveTo(event.key === "Home" ? 0 : count - 1)
          return true
        case "Enter":
          if (!this.#listing || this.active < 0) return false
          this.choose(this.active)
          return true
        case "Escape":
          if (this.isOpen) this.close()
          else if (this.query !== "") this.clear()
          else return false
          return true
        default:
          return false
      }
    })()
    if (handled) {
      event.preventDefault()
      // An Escape handled here must not also close a dialog the box sits in.
      event.stopPropagation()
    }
  }
}
