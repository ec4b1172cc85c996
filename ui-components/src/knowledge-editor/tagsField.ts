/**
 * A tags field: the tags as a list, each with a button that removes it, and
 * an input that adds one — Enter or a comma ends a tag, Backspace in the
 * empty input removes the last, leaving the input (or Ctrl/Cmd+S) keeps
 * what was typed. Tags already in use are suggested (`<datalist>`).
 *
 * What is being typed lives in the input only (not in the draft), so the
 * caller keys the field by record (`keyed`) to start each record afresh.
 * Each tag added or removed is said in a polite live region; being no state
 * worth keeping, it is written straight into it.
 */
import { html, nothing, type TemplateResult } from "lit"
import { tidyTags } from "./tags.js"

export interface TagsFieldOptions {
  /** The field's name (also scopes its ids): "tags", "moodTags". */
  readonly name: string
  readonly label: string
  readonly tags: ReadonlyArray<string>
  /** Tags to suggest (those in use elsewhere). */
  readonly suggestions: ReadonlyArray<string>
  /** Why the tags were refused. */
  readonly error?: string | undefined
  readonly disabled?: boolean
  readonly onChange: (tags: ReadonlyArray<string>) => void
}

/** Tags longer than the contract's 64 characters are refused: the input stops there. */
const MAX_TAG_LENGTH = 64

/** Says `text` in the field's live region (the one next to `from`). */
const announce = (from: Element, text: string) => {
  const status = from.closest('[part~="tags"]')?.querySelector('[part~="tags-status"]')
  if (status !== null && status !== undefined) status.textContent = text
}

export const tagsField = (options: TagsFieldOptions): TemplateResult => {
  const { name, tags, onChange } = options
  const add = (input: HTMLInputElement) => {
    const typed = input.value.split(",")
    input.value = ""
    const added = tidyTags([...tags, ...typed])
    if (added.length === tags.length) return
    announce(input, `Added ${added.slice(tags.length).join(", ")}.`)
    onChange(added)
  }
  const remove = (from: Element, tag: string) => {
    announce(from, `Removed ${tag}.`)
    onChange(tags.filter((candidate) => candidate !== tag))
  }
  const error = options.error
  return html`<div part="tags" role="group" aria-labelledby=${`${name}-label`}>
    <span part="label" id=${`${name}-label`}>${options.label}</span>
    ${
      tags.length === 0
        ? nothing
        : html`<ul part="tag-list">
          ${tags.map(
            (tag) => html`<li part="tag">
              <span part="tag-text">${tag}</span>
              <button
                part="remove-tag"
                type="button"
                aria-label=${`Remove tag ${tag}`}
                ?disabled=${options.disabled === true}
                @click=${(event: Event) => {
                  const button = event.currentTarget as Element
                  // The button goes with its tag: focus stays in the field, on its input.
                  button.closest('[part~="tags"]')?.querySelector<HTMLElement>('[part~="tag-input"]')?.focus()
                  remove(button, tag)
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>`,
          )}
        </ul>`
    }
    <input
      part="tag-input"
      name=${name}
      type="text"
      autocomplete="off"
      maxlength=${MAX_TAG_LENGTH}
      list=${`${name}-suggestions`}
      aria-labelledby=${`${name}-label`}
      aria-describedby=${error === undefined ? `${name}-hint` : `${name}-hint ${name}-error`}
      aria-invalid=${error === undefined ? "false" : "true"}
      placeholder="Add a tag"
      ?disabled=${options.disabled === true}
      @keydown=${(event: KeyboardEvent) => {
        const input = event.currentTarget as HTMLInputElement
        if (event.key === "Enter" || event.key === ",") {
          event.preventDefault()
          add(input)
        } else if (event.key === "Backspace" && input.value === "" && tags.length > 0) {
          remove(input, tags[tags.length - 1] ?? "")
        } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
          // The form saves on this key as it bubbles: the tag being typed goes in first.
          add(input)
        }
      }}
      @input=${(event: InputEvent) => {
        const input = event.currentTarget as HTMLInputElement
        // A pasted "a, b, c" becomes three tags.
        if (input.value.includes(",")) add(input)
      }}
      @blur=${(event: FocusEvent) => add(event.currentTarget as HTMLInputElement)}
    />
    <datalist id=${`${name}-suggestions`}>
      ${options.suggestions.filter((tag) => !tags.includes(tag)).map((tag) => html`<option value=${tag}></option>`)}
    </datalist>
    <span part="hint" id=${`${name}-hint`}>Enter or a comma adds a tag; Backspace removes the last.</span>
    <span part="tags-status" class="visually-hidden" role="status"></span>
    ${
      error === undefined
        ? nothing
        : html`<span part="field-error" class="field-error" id=${`${name}-error`} role="alert">${error}</span>`
    }
  </div>`
}
