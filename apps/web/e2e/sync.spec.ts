/**
 * Sync in a real browser, against the real server: a settings change made
 * offline waits in the outbox (the banner counts it), reaches the server
 * when the device is back online, and a second device of the same user
 * adopts it from its own pull or poke; an encrypted edit made offline is
 * never queued — the editor keeps it as unsaved changes and the outbox count
 * does not move; a conflict copy a stale push left is listed by
 * `<ig-conflicts>` with its note, "Keep both" makes it a note of its own and
 * "Use this copy" writes the copy's text over the note.
 */
import { expect, type Page, test } from "@playwright/test"
import { ensureApprovedAccount, origin } from "./support/accounts.js"
import { device, setUpVault, signIn, unlockWithPassphrase } from "./support/vault.js"

const email = "syncer@example.com"
const passphrase = "harbour quiet pepper tundra 57"

test.describe.configure({ mode: "serial" })

test.beforeAll(async ({ request }) => {
  await ensureApprovedAccount(request, email, "Sid Sync")
})

const offlineBanner = (page: Page) => page.locator("ig-offline-banner").getByRole("status")
const themeChoice = (page: Page, label: "Light" | "Dark" | "System") =>
  page.locator("ig-theme-switcher").getByRole("radio", { name: label })

/** The page's theme as applied (`data-ig-theme` on <html>). */
const appliedTheme = (page: Page) => page.evaluate(() => document.documentElement.dataset.igTheme)

/** The server's settings document, as this page's session reads it. */
const serverTheme = async (page: Page) => {
  const answer = await page.request.get("/api/settings", { headers: origin })
  expect(answer.status()).toBe(200)
  return ((await answer.json()) as { settings: { theme: string } }).settings.theme
}

test("a setting changed offline is queued, sent when back online, and reaches the user's other device", async ({
  page,
  context,
  browser,
}) => {
  await signIn(page, email, "/settings", "Settings")
  const other = await device(browser, email, "/settings", "Settings")
  // Both devices start from the same theme, pulled from the server.
  await themeChoice(page, "Light").check()
  await expect.poll(() => serverTheme(page)).toBe("light")
  await expect.poll(() => appliedTheme(other), { timeout: 20_000 }).toBe("light")
  await expect(offlineBanner(page)).toHaveCount(0)

  await context.setOffline(true)
  await themeChoice(page, "Dark").check()
  await expect(offlineBanner(page)).toContainText("You are offline. 1 change will be sent when you reconnect.")
  expect(await appliedTheme(page)).toBe("dark")
  // Nothing reached the server or the other device.
  expect(await serverTheme(other)).toBe("light")
  expect(await appliedTheme(other)).toBe("light")

  await context.setOffline(false)
  await expect(offlineBanner(page)).toHaveCount(0, { timeout: 20_000 })
  await expect.poll(() => serverTheme(other)).toBe("dark")
  // The other device learns of it through its realtime poke (or its poll), and adopts it.
  await expect.poll(() => appliedTheme(other), { timeout: 30_000 }).toBe("dark")
  await expect(themeChoice(other, "Dark")).toBeChecked()
  await other.context().close()
})

test("an encrypted edit made offline stays unsaved and is not queued", async ({ page, context }) => {
  await signIn(page, email, "/infobase", "Infobase")
  await setUpVault(page, passphrase)
  const infobase = page.locator("ig-infobase")
  await infobase.getByRole("button", { name: "New note" }).click()
  await infobase.getByRole("textbox", { name: "Title", exact: true }).fill("Sidechain notes")
  await infobase.getByLabel("Note (Markdown)").fill("Duck the pad under the kick.")
  await infobase.getByRole("button", { name: "Save", exact: true }).click()
  await expect(infobase.getByRole("list", { name: "Notes" })).toContainText("Sidechain notes")

  await context.setOffline(true)
  await expect(offlineBanner(page)).toContainText("You are offline.")
  await expect(offlineBanner(page)).not.toContainText("will be sent")
  await infobase.getByLabel("Note (Markdown)").fill("Duck the pad under the kick, release 120 ms.")
  await infobase.getByRole("button", { name: "Save", exact: true }).click()
  // The edit is kept in the editor, marked unsaved, and the page guards leaving it.
  await expect(infobase.getByText("Unsaved changes")).toBeVisible()
  await expect(infobase.getByLabel("Note (Markdown)")).toHaveValue("Duck the pad under the kick, release 120 ms.")
  // Nothing was queued: the banner still counts no change waiting to be sent.
  await expect(offlineBanner(page)).toContainText("You are offline.")
  await expect(offlineBanner(page)).not.toContainText("will be sent")
  const queued = await page.evaluate(async () => {
    const databases = await indexedDB.databases()
    const name = databases.map((database) => database.name).find((found) => found?.startsWith("ignition-sync-"))
    if (name === undefined) return -1
    return await new Promise<number>((resolve, reject) => {
      const opened = indexedDB.open(name)
      opened.onerror = () => reject(opened.error)
      opened.onsuccess = () => {
        const count = opened.result.transaction("mutations").objectStore("mutations").count()
        count.onerror = () => reject(count.error)
        count.onsuccess = () => {
          opened.result.close()
          resolve(count.result)
        }
      }
    })
  })
  expect(queued).toBe(0)
  await context.setOffline(false)
  await expect(offlineBanner(page)).toHaveCount(0, { timeout: 20_000 })
})

test("a conflict copy made by a stale push is listed with its note, and keeping both makes it a note of its own", async ({
  page,
}) => {
  await signIn(page, email, "/conflicts", "Conflicts")
  // Another device of the user pushes the note's envelopes unchanged from a stale base (it never saw the note):
  // the server keeps them beside the note as a conflict copy, sealed for the note.
  const pulled = await page.request.get("/api/sync/pull?clientId=e2e-stale-device", { headers: origin })
  expect(pulled.status()).toBe(200)
  const { changes } = (await pulled.json()) as {
    changes: ReadonlyArray<{ _tag: string; entity: string; id: string; value?: unknown }>
  }
  const note = changes.find((change) => change._tag === "put" && change.entity === "infobase")
  if (note === undefined) throw new Error("The note is not in the change log.")
  await unlockWithPassphrase(page, passphrase)
  const pushed = await page.request.post("/api/sync/push", {
    headers: origin,
    data: {
      protocolVersion: 1,
      clientId: "e2e-stale-device",
      mutations: [
        {
          mutationSeq: 1,
          mutationId: "stale-put-1",
          entity: "infobase",
          op: "put",
          args: { id: note.id, baseVersion: null, value: note.value },
        },
      ],
    },
  })
  expect(pushed.status()).toBe(200)
  const { results } = (await pushed.json()) as { results: ReadonlyArray<{ _tag: string; conflictCopyId?: string }> }
  expect(results[0]?.conflictCopyId).toBe(`${note.id}~conflict~stale-put-1`)

  const conflicts = page.locator("ig-conflicts")
  const copy = conflicts.getByRole("listitem").filter({ hasText: "Sidechain notes" })
  await expect(copy).toContainText("A copy of “Sidechain notes”", { timeout: 30_000 })
  await copy.getByRole("button", { name: "Keep both" }).click()
  await expect(conflicts.getByText("Nothing to resolve")).toBeVisible({ timeout: 30_000 })
  // The copy is a note of its own now, opened and sealed again under its own id: two notes of that title.
  // Through the app's own navigation: a reload would lock the vault (its keys live in this page only).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Infobase" }).click()
  await expect(
    page.locator("ig-infobase").getByRole("list", { name: "Notes" }).getByRole("button", { name: "Sidechain notes" }),
  ).toHaveCount(2, { timeout: 20_000 })
})

test("'Use this copy' writes the copy's text over its note", async ({ page }) => {
  await signIn(page, email, "/infobase", "Infobase")
  await unlockWithPassphrase(page, passphrase)
  const infobase = page.locator("ig-infobase")
  const text = infobase.getByLabel("Note (Markdown)")
  await infobase.getByRole("button", { name: "New note" }).click()
  await infobase.getByRole("textbox", { name: "Title", exact: true }).fill("Gain staging")
  await text.fill("Peaks at -6 dBFS.")
  await infobase.getByRole("button", { name: "Save", exact: true }).click()
  await expect(infobase.getByRole("list", { name: "Notes" })).toContainText("Gain staging")
  // What a device that goes on to miss the next edit holds: the note as first saved.
  const pulled = await page.request.get("/api/sync/pull?clientId=e2e-late-device", { headers: origin })
  const { changes } = (await pulled.json()) as {
    changes: ReadonlyArray<{ _tag: string; entity: string; id: string; value?: unknown }>
  }
  const first = changes.filter((change) => change._tag === "put" && change.entity === "infobase").at(-1)
  if (first === undefined) throw new Error("The note is not in the change log.")
  await text.fill("Peaks at -12 dBFS.")
  await infobase.getByRole("button", { name: "Save", exact: true }).click()
  await expect(infobase.getByText("Unsaved changes")).toHaveCount(0)
  const pushed = await page.request.post("/api/sync/push", {
    headers: origin,
    data: {
      protocolVersion: 1,
      clientId: "e2e-late-device",
      mutations: [
        {
          mutationSeq: 1,
          mutationId: "late-put-1",
          entity: "infobase",
          op: "put",
          args: { id: first.id, baseVersion: null, value: first.value },
        },
      ],
    },
  })
  expect(pushed.status()).toBe(200)

  const nav = page.getByRole("navigation", { name: "Main" })
  await nav.getByRole("link", { name: "Conflicts" }).click()
  const copy = page.locator("ig-conflicts").getByRole("listitem").filter({ hasText: "Gain staging" })
  await expect(copy).toContainText("A copy of “Gain staging”", { timeout: 30_000 })
  await copy.getByRole("button", { name: "Use this copy" }).click()
  await expect(page.locator("ig-conflicts").getByRole("listitem").filter({ hasText: "Gain staging" })).toHaveCount(0, {
    timeout: 30_000,
  })
  await nav.getByRole("link", { name: "Infobase" }).click()
  await infobase.getByRole("list", { name: "Notes" }).getByRole("button", { name: "Gain staging" }).click()
  await expect(text).toHaveValue("Peaks at -6 dBFS.", { timeout: 20_000 })
})
