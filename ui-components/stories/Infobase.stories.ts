import "@ignition/ui-components/infobase"
import type { Meta, StoryObj } from "@storybook/web-components-vite"
import { html } from "lit"
import { expect, userEvent, waitFor } from "storybook/test"
import { button, find, input } from "./support/dom.js"
import {
  infobaseNote,
  type KnowledgeServerOptions,
  knowledgePage,
  knowledgeServer,
  sampleNotes,
  unlockVault,
} from "./support/knowledgeServer.js"
import { internalError, mockServer, unauthorized } from "./support/mockServer.js"
import { withNotes } from "./support/notes.js"
import { shadowIn, showsIn, vaultKnown } from "./support/vault.js"

interface Args {
  /** `selected`: the id of the note to open. */
  readonly selected: string
}

const tag = "ig-infobase"

/**
 * Markdown that tries everything a note must not do when it is shown: a
 * script, event handlers, `javascript:` and `data:` links, a frame, a form,
 * a style that would hide the page, SVG with a handler, and a remote image
 * (a tracking pixel). Each sets `window.__igPayload` if it ever runs.
 */
export const payloadMarkdown = [
  "# Payloads",
  "",
  "Everything below should render as harmless text, or not at all.",
  "",
  "<script>window.__igPayload = 'script'</script>",
  "",
  `<img src="does-not-exist.png" alt="broken" onerror="window.__igPayload = 'onerror'">`,
  "",
  "[a javascript: link](javascript:window.__igPayload='markdown-link')",
  "",
  `<a href="javascript:window.__igPayload='html-link'">an HTML javascript: link</a>`,
  "",
  `<a href=" JaVa&#09;ScRiPt:window.__igPayload='disguised'">a disguised one</a>`,
  "",
  "[a data: link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "",
  `<iframe src="https://example.com" title="frame"></iframe>`,
  "",
  `<form action="https://example.com"><input name="q" value="typed"><button>Send</button></form>`,
  "",
  "<style>body { display: none !important; }</style>",
  "",
  `<svg onload="window.__igPayload = 'svg'"><circle r="4"></circle></svg>`,
  "",
  `<p onclick="window.__igPayload = 'click'" style="color: red">A paragraph with a handler and a style.</p>`,
  "",
  `<details open ontoggle="window.__igPayload = 'toggle'"><summary>details</summary>with a handler</details>`,
  "",
  `<img srcset="javascript:window.__igPayload='srcset' 1x" alt="srcset">`,
  "",
  `<a href="&#106;avascript:window.__igPayload='entity'">an entity-encoded one</a>`,
  "",
  `<noscript><p title="</noscript><img src=x onerror=window.__igPayload='noscript'>"></noscript>`,
  "",
  `<math><mtext><table><mglyph><style><img src=x onerror="window.__igPayload='mxss'"></style></mglyph></table></mtext></math>`,
  "",
  `<base href="https://example.com/"><meta http-equiv="refresh" content="0;url=https://example.com"><object data="x.swf"></object><embed src="x.swf">`,
  "",
  "![a tracking pixel](https://tracker.example/pixel.png)",
  "",
  "[A safe link](https://example.com/docs) stays, opening in a new tab.",
].join("\n")

declare global {
  interface Window {
    __igPayload?: string | undefined
  }
}

/**
 * Asserts that the rendered Markdown in `root` holds nothing that runs: no
 * script, frame, form, style or SVG; no event-handler or style attribute; no
 * link but web ones (each opening in a new tab, without opener or
 * referrer); and that no payload ran.
 */
export const expectHarmless = async (root: ParentNode): Promise<void> => {
  const markdown = await waitFor(
    () => {
      const found = root.querySelector('[part~="markdown"]')
      if (found === null) throw new Error("No rendered Markdown yet.")
      return found
    },
    { timeout: 10_000 },
  )
  await expect(
    markdown.querySelectorAll("script, iframe, form, input, button, style, svg, object, embed"),
  ).toHaveLength(0)
  for (const element of Array.from(markdown.querySelectorAll("*")))
    for (const attribute of Array.from(element.attributes))
      await expect(attribute.name).not.toMatch(/^(on|style$|srcdoc$|srcset$|formaction$|xlink:)/)
  const links = Array.from(markdown.querySelectorAll("a[href]"))
  await expect(links.map((link) => link.getAttribute("href"))).toEqual(["https://example.com/docs"])
  for (const link of links) {
    await expect(link).toHaveAttribute("target", "_blank")
    await expect(link).toHaveAttribute("rel", "noopener noreferrer")
  }
  // Give an image's error handler the chance to run, were it still there.
  await new Promise((resolve) => setTimeout(resolve, 300))
  await expect(window.__igPayload).toBeUndefined()
}

/** The list's "open" button of the note whose title matches `title`. */
const noteButton = (root: ShadowRoot, title: RegExp) =>
  waitFor(
    () => {
      const found = Array.from(root.querySelectorAll<HTMLButtonElement>('button[part~="open"]')).find((candidate) =>
        title.test(candidate.querySelector('[part~="item-title"]')?.textContent ?? ""),
      )
      if (found === undefined) throw new Error(`No note titled ${title} in the list.`)
      return found
    },
    { timeout: 10_000 },
  )

/** Unlocks the story's vault and waits until the notes are decrypted (Argon2id, then the load). */
const unlocked = async (canvasElement: HTMLElement) => {
  const root = await unlockVault(canvasElement, tag)
  await waitFor(() => expect(root.querySelector('[part~="list-pane"]')).toBeTruthy(), { timeout: 15_000 })
  return root
}

/** Unlocks the story's vault and opens the note titled `title`. */
const openNote = async (canvasElement: HTMLElement, title: RegExp) => {
  const root = await unlocked(canvasElement)
  await userEvent.click(await noteButton(root, title))
  await waitFor(() => expect(root.querySelector('[part~="editor-heading"]')).toHaveTextContent(title))
  return root
}

const textArea = (root: ShadowRoot) => find(root, 'textarea[name="content"]', HTMLTextAreaElement)

/** Chooses the editor's Preview tab. */
const preview = async (root: ShadowRoot) => {
  const tab = await find(root, "#editor-tab-preview", HTMLButtonElement)
  await userEvent.click(tab)
  await expect(tab).toHaveAttribute("aria-selected", "true")
}

/** Ids for the stories that deep-link (each story's seeds keep their text: the search snapshot is per id). */
const deepLinkId = "3f0c9a52-7f41-4c3e-9d8a-1b2c3d4e5f60"

const render = (args: Args) => knowledgePage(html`<ig-infobase selected=${args.selected}></ig-infobase>`)

/**
 * The personal knowledge base, inside `<ig-app>` under
 * `<ig-vault-lock-banner>`, with the golden vault of the fake server and the
 * real cryptography: its notes are sealed with the vault's key, decrypted
 * and indexed at unlock. The stories unlock it in their `play` function;
 * unlocking by hand works too (passphrase under the element).
 */
const meta = {
  title: "Elements/ig-infobase",
  component: tag,
  args: { selected: "" },
  argTypes: { selected: { control: "text", description: "`selected`: the id of the note to open" } },
  render,
  beforeEach: knowledgeServer({ records: sampleNotes }),
  excludeStories: ["payloadMarkdown", "expectHarmless"],
  parameters: { actions: { handles: ["ig-version-restored", "ig-privacy-change"] } },
} satisfies Meta<Args>

export default meta

type Story = StoryObj<Args>

const server = (options: KnowledgeServerOptions): Pick<Story, "beforeEach"> => ({
  beforeEach: knowledgeServer(options),
})

/** Unlocked: three notes (one Private, one with history); the first opens in the editor, its Markdown previewed. */
export const Overview: Story = {
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Mixing checklist/)
    await expect(root.querySelector('[part~="count"]')).toHaveTextContent("3 notes")
    await expect(await input(root, "title")).toHaveValue("Mixing checklist")
    await preview(root)
    await waitFor(
      () => expect(root.querySelector('[part~="markdown"] h4[data-depth="1"]')).toHaveTextContent("Mixing checklist"),
      {
        timeout: 10_000,
      },
    )
  },
}

/** "New note", a title and some Markdown, saved with Ctrl+S: it joins the list, and nothing is unsaved any more. */
export const NewNote: Story = {
  name: "New note, saved with Ctrl+S",
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await userEvent.click(await button(root, "new"))
    const title = await input(root, "title")
    await waitFor(() => expect(root.activeElement).toBe(title))
    await userEvent.type(title, "Chord voicings")
    await userEvent.type(await textArea(root), "Drop-2 voicings for *Cmaj7*.")
    await expect(root.querySelector('[part~="unsaved"]')).toHaveTextContent("Unsaved changes")
    await userEvent.keyboard("{Control>}s{/Control}")
    await waitFor(() => expect(root.querySelector('[part~="status"]')).toHaveTextContent("Saved."), { timeout: 10_000 })
    await expect(root.querySelector('[part~="unsaved"]')).toBeNull()
    await expect(root.querySelector('[part~="count"]')).toHaveTextContent("4 notes")
    await noteButton(root, /Chord voicings/)
  },
}

/** A title is required: saving without one says so next to the field, and nothing is sent. */
export const TitleRequired: Story = {
  name: "Error: title required",
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await userEvent.click(await button(root, "new"))
    await userEvent.type(await textArea(root), "Text without a title")
    await userEvent.click(await button(root, "save"))
    await waitFor(() => expect(root.querySelector('[part~="field-error"]')).toHaveTextContent("Give the note a title."))
    await expect(await input(root, "title")).toHaveAttribute("aria-invalid", "true")
  },
}

/** Filters: a category, a tag, and text over the titles narrow the list (and say how many are left). */
export const Filters: Story = {
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await noteButton(root, /Modes cheat sheet/)
    await userEvent.selectOptions(await find(root, 'select[name="category-filter"]', HTMLSelectElement), "Theory")
    await waitFor(() => expect(root.querySelector('[part~="count"]')).toHaveTextContent("1 of 3 notes"))
    await userEvent.selectOptions(await find(root, 'select[name="category-filter"]', HTMLSelectElement), "")
    await userEvent.type(await input(root, "filter"), "door")
    await waitFor(() => expect(root.querySelectorAll('[part~="item"]')).toHaveLength(1))
    await noteButton(root, /Studio door code/)
    await userEvent.type(await input(root, "filter"), "zzz")
    await waitFor(() => expect(root.querySelector('[part~="no-match"]')).toBeTruthy())
  },
}

/**
 * Unsaved changes, then another note: the editor asks first. "Keep
 * editing" keeps the text; "Discard changes" opens the other note.
 */
export const UnsavedChanges: Story = {
  name: "Unsaved changes: asks before opening another",
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Mixing checklist/)
    await userEvent.type(await textArea(root), "\n- Check mono compatibility")
    await userEvent.click(await noteButton(root, /Modes cheat sheet/))
    await waitFor(() =>
      expect(root.querySelector('[part~="confirm-text"]')).toHaveTextContent(/Discard your unsaved changes/),
    )
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="confirm-button"]')))
    await userEvent.click(await button(root, "cancel-button"))
    await expect((await textArea(root)).value).toContain("mono compatibility")
    await userEvent.click(await noteButton(root, /Modes cheat sheet/))
    await userEvent.click(await button(root, "confirm-button"))
    await waitFor(() => expect(root.querySelector('[part~="editor-heading"]')).toHaveTextContent("Modes cheat sheet"))
  },
}

/** Delete asks first, in place of the buttons (Escape goes back); then the note goes from the list, and the status says so. */
export const Delete: Story = {
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Modes cheat sheet/)
    await userEvent.click(await button(root, "delete"))
    await waitFor(() =>
      expect(root.querySelector('[part~="confirm-text"]')).toHaveTextContent(/Delete “Modes cheat sheet”/),
    )
    // Escape goes back to Delete; asked again, it goes ahead.
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="confirm-button"]')))
    await userEvent.keyboard("{Escape}")
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="delete"]')))
    await userEvent.click(await button(root, "delete"))
    await userEvent.click(await button(root, "confirm-button"))
    await waitFor(
      () => expect(root.querySelector('[part~="status"]')).toHaveTextContent("“Modes cheat sheet” was deleted."),
      {
        timeout: 10_000,
      },
    )
    await expect(root.querySelector('[part~="count"]')).toHaveTextContent("2 notes")
  },
}

/**
 * Another device saved this note just before this save arrived (409): the
 * editor now shows that device's version and says so, and the text typed
 * here was kept as a conflict copy — "Open the conflict copy" opens it.
 */
export const Conflict: Story = {
  name: "Conflict: changed on another device",
  ...server({
    records: [
      infobaseNote(
        { title: "Gig setlist", tags: ["live"], content: "1. Intro\n2. Lanterns" },
        {
          changedElsewhere: {
            title: "Gig setlist",
            category: null,
            tags: ["live"],
            content: "1. Intro\n2. Lanterns\n3. Encore (from the phone)",
          },
        },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Gig setlist/)
    await userEvent.type(await textArea(root), "\n3. Closer (from the laptop)")
    await userEvent.click(await button(root, "save"))
    await waitFor(
      () =>
        expect(root.querySelector('[part~="conflict"]')).toHaveTextContent(
          "Changed on another device — your version was kept as a conflict copy.",
        ),
      { timeout: 10_000 },
    )
    await expect((await textArea(root)).value).toContain("from the phone")
    await userEvent.click(await button(root, "open-copy"))
    await waitFor(() => expect(root.querySelector('[part~="editor-heading"]')).toHaveTextContent(/conflict copy/))
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="editor-heading"]')))
    await expect((await textArea(root)).value).toContain("from the laptop")
    await expect(root.querySelector('[part~="open"][aria-current="true"] [part~="item-meta"]')).toHaveTextContent(
      /Conflict copy/,
    )
  },
}

/**
 * History: the note's two versions; choosing the first shows its text and
 * what changed since; restoring it (after a confirmation) makes it the
 * newest, and the editor shows it.
 */
export const History: Story = {
  name: "History: restore an older version",
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Mixing checklist/)
    await userEvent.click(await button(root, "history-toggle"))
    const history = await shadowIn(root, "ig-version-history")
    await waitFor(() => expect(history.querySelectorAll('[part~="version"]')).toHaveLength(2), { timeout: 10_000 })
    const oldest = Array.from(history.querySelectorAll<HTMLButtonElement>('[part~="select"]')).at(-1)
    if (oldest === undefined) throw new Error("No version to choose.")
    await userEvent.click(oldest)
    await showsIn(history, /Changes from version 1 to the current version \(2\)/)
    await userEvent.click(await button(history, "restore"))
    await userEvent.click(await button(history, "confirm-button"))
    await showsIn(history, /Version 1 was restored as version 3\./)
    await waitFor(() => expect(root.querySelector("textarea")).toHaveValue("# Mixing\n\n- Gain staging\n"), {
      timeout: 10_000,
    })
  },
}

/**
 * An older version restored while the editor holds unsaved changes: the
 * editor keeps the typed text and says the note changed underneath it;
 * "Discard my changes" takes the restored version.
 */
export const Stale: Story = {
  name: "Changed underneath unsaved changes",
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Mixing checklist/)
    await userEvent.type(await textArea(root), "\n- Typed before the restore")
    await userEvent.click(await button(root, "history-toggle"))
    const history = await shadowIn(root, "ig-version-history")
    await waitFor(() => expect(history.querySelectorAll('[part~="version"]')).toHaveLength(2), { timeout: 10_000 })
    const oldest = Array.from(history.querySelectorAll<HTMLButtonElement>('[part~="select"]')).at(-1)
    if (oldest === undefined) throw new Error("No version to choose.")
    await userEvent.click(oldest)
    await userEvent.click(await button(history, "restore"))
    await userEvent.click(await button(history, "confirm-button"))
    await waitFor(
      () => expect(root.querySelector('[part~="stale"]')).toHaveTextContent(/changed since you began editing/),
      {
        timeout: 10_000,
      },
    )
    await expect((await textArea(root)).value).toContain("Typed before the restore")
    await userEvent.click(await button(root, "discard"))
    await waitFor(async () => expect((await textArea(root)).value).toBe("# Mixing\n\n- Gain staging\n"))
    await waitFor(() => expect(root.activeElement).toBe(root.querySelector('[part~="editor-heading"]')))
    await expect(root.querySelector('[part~="unsaved"]')).toBeNull()
  },
}

/**
 * A note whose Markdown tries scripts, handlers, `javascript:` and `data:`
 * links, a frame, a form, a style and a tracking pixel: the preview shows
 * text and one safe link (opening in a new tab); nothing runs, and the
 * remote image is left to the page's Content-Security-Policy (in the app it
 * does not load).
 */
export const Payloads: Story = {
  name: "Markdown: scripts and handlers render harmlessly",
  ...server({ records: [infobaseNote({ title: "Payloads", content: payloadMarkdown })] }),
  play: async ({ canvasElement }) => {
    window.__igPayload = undefined
    const root = await openNote(canvasElement, /Payloads/)
    await preview(root)
    await expectHarmless(root)
  },
}

/** `selected` names a note (a deep link from search): it opens once the notes are decrypted. */
export const DeepLink: Story = {
  name: "Deep link: selected",
  args: { selected: deepLinkId },
  ...server({
    records: [
      ...sampleNotes,
      infobaseNote(
        { title: "Deep-linked note", category: "Reference", content: "Opened from a search result." },
        { id: deepLinkId, age: 9 * 24 * 60 * 60_000 },
      ),
    ],
  }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="editor-heading"]')).toHaveTextContent("Deep-linked note"), {
      timeout: 10_000,
    })
    await expect(root.querySelector('[part~="open"][aria-current="true"]')).toHaveTextContent(/Deep-linked note/)
  },
}

/** The user's default privacy mode is Private: a new note starts Private (the switch says so). */
export const DefaultPrivate: Story = {
  name: "New note in the default mode (Private)",
  ...server({ records: sampleNotes, defaultPrivacyMode: "private" }),
  play: async ({ canvasElement }) => {
    const root = await unlocked(canvasElement)
    await userEvent.click(await button(root, "new"))
    const toggle = await shadowIn(root, "ig-privacy-toggle")
    await waitFor(() => expect(toggle.querySelector('[role="switch"]')).toHaveAttribute("aria-checked", "true"))
  },
}

/** Locked: one sentence, no note and no form. */
export const Locked: Story = {
  play: async ({ canvasElement }) => {
    await vaultKnown(canvasElement, tag)
    const root = await shadowIn(canvasElement, tag)
    await showsIn(root, /Your notes are locked\. Unlock the vault to see and edit them\./)
    await expect(root.querySelector('[part~="list"], form, textarea')).toBeNull()
  },
}

/**
 * Locking while a note is open (here with "Lock now" in the banner): the
 * note, its unsaved text and its preview go at once, with no form left to
 * write in; after the next unlock the same note opens again, as last saved.
 */
export const LockWhileEditing: Story = {
  name: "Locked while editing, then unlocked",
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Modes cheat sheet/)
    await userEvent.type(await textArea(root), " Unsaved words.")
    const banner = await shadowIn(canvasElement, "ig-vault-lock-banner")
    await userEvent.click(await button(banner, "action"))
    await showsIn(root, /Your notes are locked\./)
    await expect(root.querySelector("form, textarea, [part~='list'], [part~='markdown']")).toBeNull()
    await expect(root.textContent).not.toMatch(/Unsaved words|Dorian/)
    await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="editor-heading"]')).toHaveTextContent("Modes cheat sheet"), {
      timeout: 15_000,
    })
    await expect((await textArea(root)).value).not.toContain("Unsaved words")
  },
}

/** No vault yet. */
export const Absent: Story = {
  name: "Empty: no vault",
  ...server({ vault: "absent" }),
  play: async ({ canvasElement }) => {
    await vaultKnown(canvasElement, tag)
    await showsIn(await shadowIn(canvasElement, tag), /Set up your vault to keep your notes encrypted\./)
  },
}

/** Nobody signed in. */
export const SignedOut: Story = {
  name: "Signed out",
  beforeEach: mockServer({ "GET /api/auth/session": unauthorized() }),
  play: async ({ canvasElement }) => {
    await showsIn(await shadowIn(canvasElement, tag), /Sign in to see your notes\./)
  },
}

/** After the unlock, while the notes download (here: forever), placeholder rows and the load's progress. */
export const Loading: Story = {
  ...server({ records: sampleNotes, listDelay: Number.POSITIVE_INFINITY }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="loading"] [part~="skeleton-row"]')).toBeTruthy())
    await expect(root.querySelector('[part~="index-progress"]')).toBeTruthy()
    await expect(root.querySelector('[part~="list"]')).toBeNull()
  },
}

/** The notes could not be loaded (500): the reason and "Try again", which loads them. */
export const Failed: Story = {
  name: "Error: notes not loaded, then retried",
  ...server({ records: sampleNotes, listFailure: internalError() }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="failed"]')).toHaveTextContent(/could not be loaded/), {
      timeout: 10_000,
    })
    await userEvent.click(await button(root, "retry"))
    await noteButton(root, /Mixing checklist/)
  },
}

/** One record does not decrypt on this device: it is counted, not shown, and the rest are. */
export const Unreadable: Story = {
  name: "Ready, with an unreadable record",
  ...server({
    records: [...sampleNotes, infobaseNote({ title: "Sealed for another", content: "?" }, { unreadable: true })],
  }),
  play: async ({ canvasElement }) => {
    const root = await unlockVault(canvasElement, tag)
    await waitFor(() => expect(root.querySelector('[part~="unreadable"]')).toHaveTextContent(/One record/), {
      timeout: 10_000,
    })
    await expect(root.querySelector('[part~="count"]')).toHaveTextContent("3 notes")
  },
}

export const Accessibility: Story = {
  render: (args) =>
    withNotes(render(args), [
      "Every state is a sentence: signed out, no vault, locked (with no note and no form), a failure with Try again (role=alert). While the notes load, placeholder rows are aria-busy and <ig-index-progress> is a progressbar whose value is said in words; it announces when search is ready.",
      "The list is buttons; the open note's has aria-current=true. The count (role=status) says how many notes the filters leave. The filters are a labelled search field and two labelled selects.",
      "New note moves focus to the Title field. Title is required (the field says so, aria-invalid and its error linked by aria-describedby); Category suggests the categories in use (<datalist>).",
      "Tags: a group labelled Tags; Enter or a comma adds one, Backspace in the empty input removes the last, each tag has a Remove button named after it (focus goes back to the input), and each change is said in a polite live region.",
      "Privacy is <ig-privacy-toggle>: an ARIA switch that says the mode in words.",
      "Write and Preview follow the ARIA tabs pattern: one tab stop, arrow keys, Home and End move and select. The preview panel can be focused to be read.",
      "Save is a button and Ctrl/Cmd+S (aria-keyshortcuts); Unsaved changes is written out, not only shown. Saved and deleted are said in a status region; refusals in role=alert next to the form, with Try again after a network failure.",
      "Delete and leaving unsaved changes ask first: the question and its two buttons appear in place, focus moves to the button that goes ahead, Escape cancels and focus returns.",
      "A conflict (changed on another device) is role=alert, in words, with Open the conflict copy; a conflict copy is marked Conflict copy in the list.",
      "History is a disclosure button (aria-expanded) opening <ig-version-history> below the form.",
      "The rendered Markdown keeps headings and lists for navigation; links open in a new tab.",
    ]),
  play: async ({ canvasElement }) => {
    const root = await openNote(canvasElement, /Mixing checklist/)
    // The tabs by keyboard: one tab stop, arrows move and select.
    const write = await find(root, "#editor-tab-write", HTMLButtonElement)
    write.focus()
    await userEvent.keyboard("{ArrowRight}")
    const previewTab = await find(root, "#editor-tab-preview", HTMLButtonElement)
    await waitFor(() => expect(root.activeElement).toBe(previewTab))
    await expect(previewTab).toHaveAttribute("aria-selected", "true")
    await expect(write).toHaveAttribute("tabindex", "-1")
    await userEvent.keyboard("{Home}")
    await waitFor(() => expect(root.activeElement).toBe(write))
  },
}
