/**
 * Vault steps for browser tests, through the UI as a person does them:
 * sign in, set up a vault (keeping its codes), unlock with the passphrase,
 * lock. Real Argon2id (64 MiB) runs in the page.
 */
import { type Browser, expect, type Page } from "@playwright/test"
import { password } from "./accounts.js"

export const banner = (page: Page) => page.locator("ig-vault-lock-banner").first()

/** Signs in and lands on `next`, waiting for its `heading` (level 1). */
export const signIn = async (page: Page, email: string, next: string, heading: string) => {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`)
  const form = page.locator("ig-sign-in")
  await form.getByLabel("Email").fill(email)
  await form.getByLabel("Password").fill(password)
  await form.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible()
}

/** A second device: a fresh browser context, signed in. */
export const device = async (browser: Browser, email: string, next: string, heading: string) => {
  const context = await browser.newContext()
  const page = await context.newPage()
  await signIn(page, email, next, heading)
  return page
}

export const unlockWithPassphrase = async (page: Page, secret: string) => {
  await banner(page).getByRole("button", { name: "Unlock" }).click()
  const unlock = page.locator("ig-vault-unlock")
  await unlock.getByLabel("Vault passphrase").fill(secret)
  await unlock.getByRole("button", { name: "Unlock", exact: true }).click()
  await expect(banner(page)).toContainText("unlocked on this device", { timeout: 20_000 })
}

/** Sets up a vault from the banner, confirms its recovery codes are stored, and returns them. */
export const setUpVault = async (page: Page, passphrase: string): Promise<ReadonlyArray<string>> => {
  await banner(page).getByRole("button", { name: "Set up vault" }).click()
  const setup = page.locator("ig-vault-setup")
  await setup.getByLabel("Vault passphrase").fill(passphrase)
  await setup.getByLabel("Type it again").fill(passphrase)
  await setup.getByRole("button", { name: "Create vault" }).click()
  const codes = setup.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")
  await expect(codes).toHaveCount(10, { timeout: 20_000 })
  const texts = (await codes.allTextContents()).map((code) => code.trim())
  await setup.getByLabel("I have stored these codes somewhere safe").check()
  await setup.getByRole("button", { name: "Done" }).click()
  await expect(banner(page)).toContainText("unlocked on this device")
  return texts
}

export const lockNow = async (page: Page) => {
  await banner(page).getByRole("button", { name: "Lock now" }).click()
  await expect(banner(page)).toContainText("You locked it.")
}
