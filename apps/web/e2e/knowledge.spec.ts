/**
 * The private knowledge base in a real browser, against the real server:
 * an idea captured while unlocked is hidden and read-only while locked and
 * found again by search after unlocking; the encrypted search snapshot in
 * IndexedDB holds no plaintext and is cleared by a lock; two devices saving
 * the same note leave a visible conflict copy; an older Infobase version is
 * restored; Markdown payloads never execute.
 */
import { type Browser, expect, type Page, test } from "@playwright/test"
import { ensureApprovedAccount, origin } from "./support/accounts.js"
import { seriousViolations } from "./support/axe.js"
import { banner, device, lockNow, setUpVault, signIn, unlockWithPassphrase } from "./support/vault.js"

const email = "noter@example.com"
const passphrase = "copper meadow lantern violin 38"

test.describe.configure({ mode: "serial" })

test.beforeAll(async ({ request }) => {
  await ensureApprovedAccount(request, email, "Nora Notes")
})

const ideas = (page: Page) => page.locator("ig-ideas")
const infobase = (page: Page) => page.locator("ig-infobase")
const searchBox = (page: Page) => page.locator("ig-search-box")

/** Every snapshot the search index keeps in IndexedDB, as the page sees it. */
const storedSnapshots = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<ReadonlyArray<{ readonly kid: string; readonly text: string; readonly bytes: number }>>(
        (resolve, reject) => {
          const opened = indexedDB.open("ignition-search")
          opened.onerror = () => reject(opened.error)
          opened.onsuccess = () => {
            const db = opened.result
            if (!db.objectStoreNames.contains("snapshots")) {
              db.close()
              resolve([])
              return
            }
            const all = db.transaction("snapshots").objectStore("snapshots").getAll()
            all.onerror = () => reject(all.error)
            all.onsuccess = () => {
              db.close()
              resolve(
                all.result.map((slot: { kid: string; ct: Uint8Array }) => ({
                  kid: slot.kid,
                  text: new TextDecoder("utf-8", { fatal: false }).decode(slot.ct),
                  bytes: slot.ct.length,
                })),
              )
            }
          }
        },
      ),
  )

const newInfobaseNote = async (page: Page, title: string, content: string) => {
  await infobase(page).getByRole("button", { name: "New note" }).click()
  await infobase(page).getByRole("textbox", { name: "Title", exact: true }).fill(title)
  await infobase(page).getByLabel("Note (Markdown)").fill(content)
  await infobase(page).getByRole("button", { name: "Save", exact: true }).click()
  await expect(infobase(page).getByRole("list", { name: "Notes" })).toContainText(title)
}

const openNote = async (page: Page, title: string) => {
  await infobase(page).getByRole("list", { name: "Notes" }).getByRole("button", { name: title }).first().click()
  await expect(infobase(page).getByRole("textbox", { name: "Title", exact: true })).toHaveValue(title)
}

const unlockedDevice = async (browser: Browser, next: string, heading: string) => {
  const page = await device(browser, email, next, heading)
  await unlockWithPassphrase(page, passphrase)
  return page
}

test("an idea is hidden and read-only while locked, and search finds it again after unlocking", async ({ page }) => {
  await signIn(page, email, "/ideas", "Ideas")
  await setUpVault(page, passphrase)

  const idea = "Lighthouse arpeggio over a slow pad, answered by a muted trumpet"
  await ideas(page).getByLabel("Idea", { exact: true }).fill(idea)
  await ideas(page).getByLabel("Key").selectOption("F#m")
  await ideas(page).getByLabel("BPM").fill("128")
  await ideas(page).getByLabel("Mood tags").first().fill("dreamy")
  await ideas(page).getByLabel("Mood tags").first().press("Enter")
  await ideas(page).getByRole("button", { name: "Save idea" }).click()
  await expect(ideas(page).getByRole("listitem").filter({ hasText: idea })).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])

  // The sealed search snapshot reaches IndexedDB: ciphertext only.
  await expect.poll(async () => (await storedSnapshots(page)).length, { timeout: 15_000 }).toBe(1)
  const [snapshot] = await storedSnapshots(page)
  expect(snapshot?.kid).toBe("search-index-v1")
  expect(snapshot?.text).not.toContain("arpeggio")
  expect(snapshot?.text).not.toContain("Lighthouse")

  await lockNow(page)
  // Locked: nothing of the idea on the page, no form to write with, and search says why it waits.
  await expect(ideas(page)).toContainText("locked")
  await expect(ideas(page)).not.toContainText("arpeggio")
  await expect(ideas(page).getByRole("textbox")).toHaveCount(0)
  await expect(ideas(page).getByRole("button", { name: "Save idea" })).toHaveCount(0)
  await expect(searchBox(page)).toContainText("Search works after you unlock your vault.")
  // The server refuses writes too, whatever a client sends.
  const refused = await page.request.post("/api/ideas", {
    headers: origin,
    data: {
      id: "0190f3a2-8000-7000-8000-000000000001",
      mode: "standard",
      content: { v: 1, kid: "k1", iv: "AAAAAAAAAAAAAAAA", ct: "AAAAAAAAAAAAAAAAAAAAAA" },
    },
  })
  expect(refused.status()).toBe(423)
  // The lock cleared the stored snapshot; the key to it is gone anyway.
  await expect.poll(async () => (await storedSnapshots(page)).length).toBe(0)

  await unlockWithPassphrase(page, passphrase)
  await expect(ideas(page).getByRole("listitem").filter({ hasText: idea })).toBeVisible()
  const query = searchBox(page).getByRole("combobox", { name: "Search your notes" })
  // A prefix with a typo in it ("arpegio…" for "arpeggio"): fuzzy matching from five letters.
  await query.fill("arpegio")
  const results = searchBox(page).getByRole("listbox", { name: "Search results" })
  await expect(results.getByRole("option")).toHaveCount(1)
  await expect(results.getByRole("option").first()).toContainText("Lighthouse")
  // A prefix, and a musical token, find it too.
  await query.fill("lighth")
  await expect(results.getByRole("option")).toHaveCount(1)
  await query.fill("F#m")
  await expect(results.getByRole("option")).toHaveCount(1)
  await query.press("ArrowDown")
  await query.press("Enter")
  await expect(page).toHaveURL(/\/ideas\?id=[0-9a-f-]{36}$/)
})

test("two devices save the same note: the second keeps its text as a visible conflict copy", async ({ browser }) => {
  const a = await unlockedDevice(browser, "/infobase", "Infobase")
  await newInfobaseNote(a, "Mixing checklist", "Gain staging first.")
  const b = await unlockedDevice(browser, "/infobase", "Infobase")
  await openNote(b, "Mixing checklist")

  await infobase(a).getByLabel("Note (Markdown)").fill("Gain staging first. Then the low end.")
  await infobase(a).getByRole("button", { name: "Save", exact: true }).click()
  await expect(infobase(a).getByText("Saved.")).toBeVisible()

  await infobase(b).getByLabel("Note (Markdown)").fill("Gain staging first. Then the vocals.")
  await infobase(b).getByRole("button", { name: "Save", exact: true }).click()
  const conflict = infobase(b).locator('[part~="conflict"]')
  await expect(conflict).toContainText("Changed on another device — your version was kept as a conflict copy.")
  // B now shows A's version, and B's own text is a new note in the list.
  await expect(infobase(b).getByLabel("Note (Markdown)")).toHaveValue("Gain staging first. Then the low end.")
  await expect(infobase(b).getByRole("list", { name: "Notes" })).toContainText("Mixing checklist (conflict copy")
  await conflict.getByRole("button", { name: "Open the conflict copy" }).click()
  await expect(infobase(b).getByLabel("Note (Markdown)")).toHaveValue("Gain staging first. Then the vocals.")
  await expect(infobase(b).getByRole("textbox", { name: "Title", exact: true })).toHaveValue(
    /^Mixing checklist \(conflict copy /,
  )
  await a.context().close()
  await b.context().close()
})

test("an older Infobase version is restored as the newest", async ({ browser }) => {
  const page = await unlockedDevice(browser, "/infobase", "Infobase")
  await newInfobaseNote(page, "Sidechain notes", "First draft: duck the pad.")
  await infobase(page).getByLabel("Note (Markdown)").fill("Second draft: duck the pad and the reverb.")
  await infobase(page).getByRole("button", { name: "Save", exact: true }).click()
  await expect(infobase(page).getByText("Saved.")).toBeVisible()

  await infobase(page).getByRole("button", { name: "History" }).click()
  const history = page.locator("ig-version-history")
  const versions = history.getByRole("list", { name: "Versions, newest first" })
  await expect(versions.getByRole("listitem")).toHaveCount(2)
  await versions.getByRole("listitem").last().getByRole("button").first().click()
  await history.getByRole("button", { name: "Restore this version" }).click()
  await history.getByRole("button", { name: "Restore", exact: true }).click()
  await expect(history.locator('[part~="restored"]')).toContainText("Version 1 was restored as version 3.")
  await expect(versions.getByRole("listitem")).toHaveCount(3)
  await expect(infobase(page).getByLabel("Note (Markdown)")).toHaveValue("First draft: duck the pad.")
  expect(await seriousViolations(page)).toEqual([])
  await page.context().close()
})

test("script, onerror and javascript: payloads in a note never execute", async ({ browser }) => {
  const page = await unlockedDevice(browser, "/infobase", "Infobase")
  const dialogs: Array<string> = []
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  const payloads = [
    "# Payloads",
    "<script>window.__pwned = 'script'; alert('script')</script>",
    `<img src="x" onerror="window.__pwned = 'onerror'; alert('onerror')">`,
    "[a link](javascript:window.__pwned='javascript';alert('javascript'))",
    `<a href="javascript:window.__pwned='href'">raw link</a>`,
    `<svg><animate onbegin="window.__pwned='svg'" attributeName="x" dur="1s"></animate></svg>`,
    `<iframe src="javascript:alert('iframe')"></iframe>`,
    "Plain **bold** text stays.",
  ].join("\n\n")
  await newInfobaseNote(page, "Payloads", payloads)
  await infobase(page).getByRole("tab", { name: "Preview" }).click()
  const preview = infobase(page).locator('[part~="markdown"]')
  await expect(preview.locator("strong")).toHaveText("bold")
  await expect(preview.locator("script, iframe, svg, [onerror], [onbegin]")).toHaveCount(0)
  for (const name of ["a link", "raw link"]) {
    const link = preview.getByText(name)
    await expect(link).toBeVisible()
    const href = await link.evaluate((node) => node.closest("a")?.getAttribute("href") ?? null)
    expect(href ?? "").not.toMatch(/^\s*javascript:/i)
    await link.click()
  }
  await page.waitForTimeout(500)
  expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned)).toBeUndefined()
  expect(dialogs).toEqual([])
  await page.context().close()
})

test("text typed and not saved makes the browser ask before the tab goes", async ({ browser }) => {
  const page = await unlockedDevice(browser, "/ideas", "Ideas")
  const asked = new Promise<string>((resolve) =>
    page.on("dialog", (dialog) => {
      resolve(dialog.type())
      void dialog.dismiss()
    }),
  )
  await ideas(page).getByLabel("Idea", { exact: true }).click()
  await page.keyboard.type("A half-finished thought about a modular patch")
  await page.close({ runBeforeUnload: true })
  expect(await asked).toBe("beforeunload")
  await page.context().close()
})

test("the vault's lock banner and the knowledge pages agree after a reload: locked, nothing shown", async ({
  page,
}) => {
  await signIn(page, email, "/journal", "Journal")
  await expect(banner(page)).toContainText("locked")
  await expect(page.locator("ig-journal")).toContainText("locked")
  await expect(page.locator("ig-journal").getByRole("textbox")).toHaveCount(0)
})
