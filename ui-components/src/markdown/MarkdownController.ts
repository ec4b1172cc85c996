/**
 * Rendered Markdown for an element, loaded on demand: the renderer (`marked`
 * and DOMPurify, ./render.ts) is fetched with a dynamic `import()` the first
 * time a preview is asked for, so pages that never preview a note never
 * download it. Until then — or if it cannot be fetched — the element shows
 * a placeholder or the reason with a retry, never the raw HTML.
 *
 * Each named view keeps the node it last rendered, so a re-render of the
 * element with the same text reuses it (a DOM node lives in one place, hence
 * one per view: an editor's preview, a version's content).
 */
import { html, type ReactiveController, type ReactiveElement, type TemplateResult } from "lit"

type Renderer = typeof import("./render.js")

type Load =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "Loading" }
  | { readonly _tag: "Loaded"; readonly renderer: Renderer }
  | { readonly _tag: "Failed"; readonly message: string }

export class MarkdownController implements ReactiveController {
  readonly #host: ReactiveElement
  #load: Load = { _tag: "Idle" }
  readonly #views = new Map<string, { readonly text: string; readonly top: number; readonly node: HTMLElement }>()

  constructor(host: ReactiveElement) {
    this.#host = host
    host.addController(this)
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // Rendered notes are plaintext: they go with the element.
    this.#views.clear()
  }

  /** Forgets every rendered view (the vault locked: what they showed must not stay in memory). */
  clear(): void {
    this.#views.clear()
  }

  async #fetch(): Promise<void> {
    this.#load = { _tag: "Loading" }
    this.#host.requestUpdate()
    try {
      this.#load = { _tag: "Loaded", renderer: await import("./render.js") }
    } catch {
      this.#load = {
        _tag: "Failed",
        message: "The preview could not be loaded. Check your connection and try again.",
      }
    }
    this.#host.requestUpdate()
  }

  /**
   * `text` rendered for `view` (a `part="markdown"` element), or what stands
   * in for it while the renderer loads. `top` is the level a `#` heading
   * takes, the one below the heading the text sits under.
   */
  render(view: string, text: string, top: number): HTMLElement | TemplateResult {
    const load = this.#load
    switch (load._tag) {
      case "Idle":
        void this.#fetch()
        return this.#placeholder()
      case "Loading":
        return this.#placeholder()
      case "Failed":
        return html`<p part="markdown-error" role="alert">
          ${load.message}
          <button part="retry" type="button" @click=${() => void this.#fetch()}>Try again</button>
        </p>`
      case "Loaded": {
        const kept = this.#views.get(view)
        if (kept?.text === text && kept.top === top) return kept.node
        const node = document.createElement("div")
        node.setAttribute("part", "markdown")
        node.append(load.renderer.renderMarkdown(text, top))
        this.#views.set(view, { text, top, node })
        return node
      }
    }
  }

  #placeholder(): TemplateResult {
    return html`<p part="markdown-loading" role="status">Preparing the preview…</p>`
  }
}
