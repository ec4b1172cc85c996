import { html, LitElement } from "lit"
import { IgPrivacyChangeEvent } from "../events/events.js"
import type { PrivacyMode } from "../knowledge/kinds.js"
import { styles } from "./privacy-toggle.styles.js"

/** What each mode keeps from the server, said in words (the switch's position is not the only sign). */
const descriptions: Readonly<Record<PrivacyMode, string>> = {
  standard:
    "Standard: the content is encrypted; title, tags and other details stay readable by the server, so it can list and filter them.",
  private: "Title, tags and other details are encrypted too; the server can't list or filter by them.",
}

/**
 * A switch between a record's two privacy modes: Standard (the content is
 * end-to-end encrypted, its title, tags and other details are not) and
 * Private (those are encrypted too). It follows the ARIA switch pattern —
 * a button with `role="switch"` and `aria-checked`, toggled by click, Space
 * or Enter — and says the current mode in words next to it. The knowledge
 * base's editors put it in their forms; they set `mode` (the user's
 * `defaultPrivacyMode` for a new record) and listen for `ig-privacy-change`.
 *
 * @summary Standard / Private switch for a knowledge-base record.
 * @fires ig-privacy-change - The user switched; `event.mode` is the new mode.
 * @slot - Replaces the switch's label ("Private").
 * @csspart base - The switch and its description.
 * @csspart switch - The switch (a button, `role="switch"`).
 * @csspart track - The switch's track.
 * @csspart thumb - The switch's thumb (at the end when Private).
 * @csspart label - The switch's label.
 * @csspart state - "On" or "Off", in words.
 * @csspart description - What the current mode keeps from the server.
 * @cssprop --ig-color-accent - The track when Private.
 * @cssprop --ig-color-border - The track when Standard.
 * @cssprop --ig-color-text-muted - The description.
 */
export class IgPrivacyToggle extends LitElement {
  static override styles = styles
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true }
  static override properties = {
    mode: { reflect: true },
    disabled: { type: Boolean, reflect: true },
  }

  /** `standard` or `private` (anything else counts as `standard`). */
  declare mode: PrivacyMode
  /** The switch cannot be used (while a save is under way, say). */
  declare disabled: boolean

  constructor() {
    super()
    this.mode = "standard"
    this.disabled = false
  }

  readonly #toggle = () => {
    if (this.disabled) return
    this.mode = this.mode === "private" ? "standard" : "private"
    this.dispatchEvent(new IgPrivacyChangeEvent(this.mode))
  }

  override render() {
    const on = this.mode === "private"
    return html`<div part="base">
      <button
        part="switch"
        type="button"
        role="switch"
        aria-checked=${on ? "true" : "false"}
        aria-describedby="description"
        ?disabled=${this.disabled}
        @click=${this.#toggle}
      >
        <span part="track" aria-hidden="true"><span part="thumb"></span></span>
        <span part="label"><slot>Private</slot></span>
        <span part="state" aria-hidden="true">${on ? "On" : "Off"}</span>
      </button>
      <p part="description" id="description">${descriptions[on ? "private" : "standard"]}</p>
    </div>`
  }
}
