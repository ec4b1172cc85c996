/**
 * The vault in a real browser: create → lock → unlock by passphrase; a
 * recovery code unlocks once and forces a new passphrase; a lock on device A
 * reaches device B (a second browser context) within one poll interval.
 * Real Argon2id (64 MiB) runs in the page.
 */
import { type Browser, expect, type Page, test } from "@playwright/test"
import { ensureApprovedAccount, origin } from "./support/accounts.js"
import { seriousViolations } from "./support/axe.js"
import { banner, device as deviceAs, signIn as signInAs, unlockWithPassphrase } from "./support/vault.js"

const email = "vaulter@example.com"
const passphrase = "amber kettle lighthouse tango 91"
const newPassphrase = "violet harbour snowfall piano 27"
let savedCode = ""

test.describe.configure({ mode: "serial" })

test.beforeAll(async ({ request }) => {
  await ensureApprovedAccount(request, email, "Vera Vault")
})

const signIn = (page: Page) => signInAs(page, email, "/vault", "Vault")
const device = (browser: Browser) => deviceAs(browser, email, "/vault", "Vault")

test("create a vault, keep its recovery codes, lock it and unlock it with the passphrase", async ({ page }) => {
  await signIn(page)
  await expect(banner(page)).toContainText("not set up")
  await banner(page).getByRole("button", { name: "Set up vault" }).click()
  const setup = page.locator("ig-vault-setup")
  await setup.getByLabel("Vault passphrase").fill("short")
  await setup.getByLabel("Type it again").fill("short")
  await setup.getByRole("button", { name: "Create vault" }).click()
  await expect(setup.getByText("at least 12 characters")).toBeVisible()
  await setup.getByLabel("Vault passphrase").fill(passphrase)
  await setup.getByLabel("Type it again").fill(passphrase)
  await expect(setup.getByText(/Strength: (Strong|Very strong)/)).toBeVisible()
  await setup.getByRole("button", { name: "Create vault" }).click()
  const codes = setup.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")
  await expect(codes).toHaveCount(10, { timeout: 20_000 })
  savedCode = ((await codes.nth(2).textContent()) ?? "").trim()
  expect(savedCode).toMatch(/^[0-9A-Z]{6}(-[0-9A-Z]{6}){3}-[0-9A-Z]{7}$/)
  await expect(setup.getByRole("button", { name: "Done" })).toBeDisabled()
  await setup.getByLabel("I have stored these codes somewhere safe").check()
  await setup.getByRole("button", { name: "Done" }).click()
  await expect(banner(page)).toContainText("unlocked on this device")
  expect(await seriousViolations(page)).toEqual([])

  await banner(page).getByRole("button", { name: "Lock now" }).click()
  await expect(banner(page)).toContainText("You locked it.")
  await banner(page).getByRole("button", { name: "Unlock" }).click()
  const unlock = page.locator("ig-vault-unlock")
  await unlock.getByLabel("Vault passphrase").fill("not my passphrase at all")
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(unlock.getByText("does not open this vault")).toBeVisible({ timeout: 20_000 })
  await expect(unlock.getByLabel("Vault passphrase")).toHaveValue("not my passphrase at all")
  await unlock.getByLabel("Vault passphrase").fill(passphrase)
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(banner(page)).toContainText("unlocked on this device", { timeout: 20_000 })
  expect(await seriousViolations(page)).toEqual([])

  // A reload forgets the keys: the vault is locked again on this device.
  await page.reload()
  await expect(banner(page)).toContainText("locked")
})

test("a recovery code unlocks once and a new passphrase must follow", async ({ page }) => {
  await signIn(page)
  await banner(page).getByRole("button", { name: "Unlock" }).click()
  const unlock = page.locator("ig-vault-unlock")
  await unlock.getByRole("tab", { name: "Recovery code" }).click()
  // A typo is caught on this device, naming its group.
  const typo = `${savedCode.slice(0, 1)}${savedCode[1] === "A" ? "B" : "A"}${savedCode.slice(2)}`
  await unlock.getByRole("textbox", { name: "Recovery code" }).fill(typo)
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(unlock.getByText("group 1 has a typo")).toBeVisible()
  await unlock.getByRole("textbox", { name: "Recovery code" }).fill(savedCode.toLowerCase())
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(unlock.getByRole("heading", { name: "Choose a new passphrase" })).toBeVisible({ timeout: 20_000 })
  await unlock.getByLabel("New vault passphrase").fill(newPassphrase)
  await unlock.getByLabel("Type it again").fill(newPassphrase)
  await unlock.getByRole("button", { name: "Save passphrase" }).click()
  await expect(banner(page)).toContainText("unlocked on this device", { timeout: 20_000 })

  await banner(page).getByRole("button", { name: "Lock now" }).click()
  await banner(page).getByRole("button", { name: "Unlock" }).click()
  await unlock.getByRole("tab", { name: "Recovery code" }).click()
  await unlock.getByRole("textbox", { name: "Recovery code" }).fill(savedCode)
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(unlock.getByRole("alert")).toContainText(/used|revoked/i)
  // The old passphrase no longer opens it; the new one does.
  await unlock.getByRole("tab", { name: "Passphrase" }).click()
  await unlock.getByLabel("Vault passphrase").fill(passphrase)
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(unlock.getByText("does not open this vault")).toBeVisible({ timeout: 20_000 })
  await unlock.getByLabel("Vault passphrase").fill(newPassphrase)
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(banner(page)).toContainText("unlocked on this device", { timeout: 20_000 })
})

test("device A locks; device B shows its vault locked within one poll interval", async ({ browser }) => {
  const a = await device(browser)
  const b = await device(browser)
  await b.locator("ig-app").evaluate((app) => app.setAttribute("vault-poll-seconds", "1"))
  await unlockWithPassphrase(a, newPassphrase)
  await unlockWithPassphrase(b, newPassphrase)
  await banner(a).getByRole("button", { name: "Lock now" }).click()
  await expect(banner(a)).toContainText("You locked it.")
  await expect(banner(b)).toContainText("locked", { timeout: 3_000 })
  await expect(banner(b)).not.toContainText("unlocked")
  await a.context().close()
  await b.context().close()
})

test("a passkey with PRF, through a virtual authenticator, unlocks the vault", async ({ browser }) => {
  const page = await device(browser)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send("WebAuthn.enable")
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      hasPrf: true,
    },
  })
  await unlockWithPassphrase(page, newPassphrase)
  const settings = page.locator("ig-vault-settings")
  await settings.getByRole("button", { name: "Add a passkey for unlocking" }).click()
  await expect(settings.getByRole("region", { name: "Ways to unlock" })).toContainText("1 passkey", {
    timeout: 20_000,
  })
  await banner(page).getByRole("button", { name: "Lock now" }).click()
  await expect(banner(page)).toContainText("You locked it.")
  await banner(page).getByRole("button", { name: "Unlock" }).click()
  const unlock = page.locator("ig-vault-unlock")
  await unlock.getByRole("tab", { name: "Passkey" }).click()
  await unlock.getByRole("button", { name: "Use passkey" }).click()
  await expect(banner(page)).toContainText("unlocked on this device", { timeout: 20_000 })
  await page.context().close()
})

test("a 423 turns the page to a clear locked state, and what was typed is still there after unlocking", async ({
  browser,
}) => {
  const page = await device(browser)
  await unlockWithPassphrase(page, newPassphrase)
  const settings = page.locator("ig-vault-settings")
  const typed = "sapphire meadow thunder violin 64"
  await settings.getByLabel("New passphrase").fill(typed)
  await settings.getByLabel("Type it again").fill(typed)
  // Another device (its own session) locks the vault; this page has not polled yet (every 30 s by default).
  const other = await device(browser)
  const locked = await other.request.post("/api/vault/lock", { headers: origin, data: { reason: "manual" } })
  expect(locked.status()).toBe(200)
  await other.context().close()
  await settings.getByRole("button", { name: "Change passphrase" }).click()
  await expect(banner(page)).toContainText("locked on another device", { timeout: 20_000 })
  await unlockWithPassphrase(page, newPassphrase)
  await expect(settings.getByLabel("New passphrase")).toHaveValue(typed)
  await expect(settings.getByLabel("Type it again")).toHaveValue(typed)
  await page.context().close()
})
