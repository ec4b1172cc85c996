/**
 * The command palette's state and behaviour: open or closed (Ctrl+K / Cmd+K
 * on the document while connected), the query and the entries it selects —
 * recently used commands first when the query is empty, otherwise fuzzy
 * matches by label (or, weaker, by keyword) best first — the active entry and
 * the keys that move it, choosing a command, the recently used list (ids in
 * localStorage) and where focus returns when the palette closes.
 */
import type { ReactiveController, ReactiveElement } from "lit"
import { IgNavigateEvent } from "../events/events.js"
import { fuzzyScore } from "./fuzzy.js"

export type CommandGroup = "Navigation" | "Actions"

/** A command the palette offers. */
export interface Command {
  /** Stable across page loads: the recently used list stores it. */
  readonly id: string
  readonly label: string
  /** Navigation commands dispatch `ig-navigate` with their `path`; actions call `run`. */
  readonly group: CommandGroup
  /** Other words the command is found by ("preferences" for Settings…). */
  readonly keywords?: ReadonlyArray<string>
  readonly path?: string
  readonly run?: () => void | Promise<void>
}

/** Where an entry is listed: recently used, its group (empty query), or ranked matches. */
export type Section = "Recent" | CommandGroup | "Matches"

export interface Entry {
  readonly command: Command
  readonly section: Section
  /** The label's matched characters (code point indexes), to highlight. */
  readonly positions: ReadonlyArray<number>
}

export const recentStorageKey = "ig-recent-commands"
export const maxRecent = 5

/** A keyword match ranks below a label match of the same quality. */
const keywordPenalty = 24

const readRecent = (): ReadonlyArray<string> => {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(recentStorageKey) ?? "[]")
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string").slice(0, maxRecent) : []
  } catch {
    return []
  }
}

const writeRecent = (ids: ReadonlyArray<string>): void => {
  try {
    localStorage.setItem(recentStorageKey, JSON.stringify(ids))
  } catch {
    // Storage can be unavailable (private mode, embedded): the list lasts for this page.
  }
}

/** The element focused now, looking into shadow roots. */
const focusedElement = (): HTMLElement | undefined => {
  let element = document.activeElement
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement
  return element instanceof HTMLElement && element !== document.body ? element : undefined
}

const isShortcut = (event: KeyboardEvent): boolean =>
  (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k"

/** The entries for `query`: sections when it is empty, ranked matches otherwise. */
export const entriesFor = (
  commands: ReadonlyArray<Command>,
  query: string,
  recent: ReadonlyArray<string>,
): ReadonlyArray<Entry> => {
  const trimmed = query.trim()
  if (trimmed === "") {
    const byId = new Map(commands.map((command) => [command.id, command]))
    const recentCommands = recent.flatMap((id) => {
      const command = byId.get(id)
      return command === undefined ? [] : [command]
    })
    const rest = commands.filter((command) => !recentCommands.includes(command))
    return [
      ...recentCommands.map((command) => ({ command, section: "Recent" as const, positions: [] })),
      ...(["Navigation", "Actions"] as const).flatMap((group) =>
        rest
          .filter((command) => command.group === group)
          .map((command) => ({ command, section: group, positions: [] })),
      ),
    ]
  }
  const ranked = commands.flatMap((command, order) => {
    const byLabel = fuzzyScore(trimmed, command.label)
    if (byLabel !== undefined) return [{ command, order, score: byLabel.score, positions: byLabel.positions }]
    const byKeyword = Math.max(
      ...(command.keywords ?? []).map((keyword) => fuzzyScore(trimmed, keyword)?.score ?? Number.NEGATIVE_INFINITY),
    )
    return Number.isFinite(byKeyword) ? [{ command, order, score: byKeyword - keywordPenalty, positions: [] }] : []
  })
  ranked.sort((a, b) => b.score - a.score || a.command.label.length - b.command.label.length || a.order - b.order)
  return ranked.map(({ command, positions }) => ({ command, section: "Matches", positions }))
}

export class CommandPaletteController implements ReactiveController {
  isOpen = false
  query = ""
  /** The active entry's index in `entries`. */
  active = 0

  readonly #host: ReactiveElement & { readonly commands: ReadonlyArray<Command> }
  #recent: ReadonlyArray<string> = []
  #returnFocusTo: HTMLElement | undefined
  #restorePending = false
  #memo:
    | { commands: ReadonlyArray<Command>; query: string; recent: ReadonlyArray<string>; entries: ReadonlyArray<Entry> }
    | undefined

  constructor(host: ReactiveElement & { readonly commands: ReadonlyArray<Command> }) {
    this.#host = host
    host.addController(this)
  }

  hostConnected(): void {
    document.addEventListener("keydown", this.#shortcut)
  }

  hostDisconnected(): void {
    document.removeEventListener("keydown", this.#shortcut)
    this.isOpen = false
    this.#returnFocusTo = undefined
    this.#restorePending = false
  }

  readonly #shortcut = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing || event.repeat || !isShortcut(event)) return
    event.preventDefault()
    if (this.isOpen) this.close()
    else this.open()
  }

  get entries(): ReadonlyArray<Entry> {
    const commands = this.#host.commands
    const memo = this.#memo
    if (memo?.commands === commands && memo.query === this.query && memo.recent === this.#recent) return memo.entries
    const entries = entriesFor(commands, this.query, this.#recent)
    this.#memo = { commands, query: this.query, recent: this.#recent, entries }
    return entries
  }

  /** The active entry's index, kept inside the list (the commands may have changed). */
  get activeIndex(): number {
    const count = this.entries.length
    return count === 0 ? -1 : Math.min(Math.max(this.active, 0), count - 1)
  }

  open(): void {
    if (this.isOpen) return
    this.#returnFocusTo = focusedElement()
    this.#recent = readRecent()
    this.query = ""
    this.active = 0
    this.isOpen = true
    this.#host.requestUpdate()
  }

  close(): void {
    if (!this.isOpen) return
    this.isOpen = false
    this.#restorePending = true
    this.#host.requestUpdate()
  }

  /** Once the dialog has closed: focus goes back where it was when the palette opened. */
  restoreFocus(): void {
    if (!this.#restorePending) return
    this.#restorePending = false
    const target = this.#returnFocusTo
    this.#returnFocusTo = undefined
    if (target?.isConnected) target.focus()
  }

  search(query: string): void {
    this.query = query
    this.active = 0
    this.#host.requestUpdate()
  }

  /** Make entry `index` active (wrapping around the ends). */
  moveTo(index: number): void {
    const count = this.entries.length
    if (count === 0) return
    const next = ((index % count) + count) % count
    if (next === this.active) return
    this.active = next
    this.#host.requestUpdate()
  }

  /** Keys on the search input; true when handled. */
  keydown(event: KeyboardEvent): boolean {
    if (event.isComposing) return false
    switch (event.key) {
      case "ArrowDown":
        this.moveTo(this.activeIndex + 1)
        break
      case "ArrowUp":
        this.moveTo(this.activeIndex - 1)
        break
      case "Home":
        this.moveTo(0)
        break
      case "End":
        this.moveTo(this.entries.length - 1)
        break
      case "Enter":
        void this.choose(this.activeIndex)
        break
      case "Escape":
        this.close()
        break
      case "Tab":
        // The search field is the dialog's only stop: focus stays in it.
        break
      default:
        return false
    }
    event.preventDefault()
    return true
  }

  /** Run entry `index`'s command, after the palette has closed and focus has gone back. */
  async choose(index: number): Promise<void> {
    const entry = this.entries[index]
    if (entry === undefined) return
    const { command } = entry
    this.#recent = [command.id, ...this.#recent.filter((id) => id !== command.id)].slice(0, maxRecent)
    writeRecent(this.#recent)
    this.close()
    await this.#host.updateComplete
    if (command.group === "Navigation") {
      if (command.path !== undefined) this.#host.dispatchEvent(new IgNavigateEvent(command.path))
      else await command.run?.()
    } else {
      await command.run?.()
    }
  }
}
