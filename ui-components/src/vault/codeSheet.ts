/**
 * A freshly generated set of recovery codes, shown once: the list, "Copy
 * all" and "Download". Shared by vault setup and code regeneration.
 */
import { html, type TemplateResult } from "lit"

const asText = (codes: ReadonlyArray<string>) =>
  [
    "Ignition vault recovery codes",
    `Generated ${new Date().toISOString().slice(0, 10)}. Each code works once. Keep them somewhere safe and offline.`,
    "",
    ...codes.map((code, index) => `${String(index + 1).padStart(2, " ")}. ${code}`),
    "",
  ].join("\n")

export const copyCodes = (codes: ReadonlyArray<string>): Promise<boolean> =>
  navigator.clipboard.writeText(asText(codes)).then(
    () => true,
    () => false,
  )

export const downloadCodes = (codes: ReadonlyArray<string>): void => {
  const url = URL.createObjectURL(new Blob([asText(codes)], { type: "text/plain;charset=utf-8" }))
  const link = document.createElement("a")
  link.href = url
  link.download = "ignition-recovery-codes.txt"
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** The codes and their two actions; `copied` says whether the last copy worked (for the button's label). */
export const codeSheet = (
  codes: ReadonlyArray<string>,
  copied: boolean | undefined,
  onCopied: (copied: boolean) => void,
): TemplateResult => html`
  <ol part="codes" aria-label="Recovery codes">
    ${codes.map((code) => html`<li><code>${code}</code></li>`)}
  </ol>
  <div class="actions">
    <button type="button" part="copy" @click=${async () => onCopied(await copyCodes(codes))}>
      ${copied === true ? "Copied" : copied === false ? "Copy failed — select and copy" : "Copy all"}
    </button>
    <button type="button" part="download" @click=${() => downloadCodes(codes)}>Download</button>
  </div>
`
