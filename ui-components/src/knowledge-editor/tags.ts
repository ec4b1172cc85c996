/**
 * Tags as they are saved — trimmed, none empty, each once (the contract
 * refuses surrounding spaces and empty tags) — and the tags in use, to
 * suggest.
 */
export const tidyTags = (tags: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== "")),
]

/** The tags the records use, alphabetically, each once. */
export const tagsIn = (records: ReadonlyArray<{ readonly draft: { readonly tags: ReadonlyArray<string> } }>) =>
  [...new Set(records.flatMap((record) => record.draft.tags))].sort((a, b) => a.localeCompare(b))
