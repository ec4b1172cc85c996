import { expect, type Page, test } from "@playwright/test"
import { serverPort } from "../playwright.config.js"
import { ensureApprovedAccount, password } from "./support/accounts.js"

const email = "resilient@example.com"

test.beforeAll(async ({ request }) => {
  await ensureApprovedAccount(request, email, "Resi")
})

const signIn = async (page: Page, next = "/") => {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`)
  const form = page.locator("ig-sign-in")
  await form.getByLabel("Email").fill(email)
  await form.getByLabel("Password").fill(password)
  await form.getByRole("button", { name: "Sign in", exact: true }).click()
}

test("a network failure shows a retry and keeps what was typed", async ({ page }) => {
  await page.goto("/sign-in")
  const form = page.locator("ig-sign-in")
  await form.getByLabel("Email").fill(email)
  await form.getByLabel("Password").fill(password)
  await page.route("**/api/auth/login", (route) => route.abort("internetdisconnected"))
  await form.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(form.getByRole("alert")).toContainText("could not be reached")
  await expect(form.getByLabel("Email")).toHaveValue(email)
  await expect(form.getByLabel("Password")).toHaveValue(password)
  await page.unroute("**/api/auth/login")
  await form.getByRole("button", { name: "Try again" }).click()
  await expect(page.getByRole("heading", { name: "Welcome, Resi" })).toBeVisible()
})

test("a 401 anywhere returns to sign-in, then back to where the user was", async ({ page }) => {
  await signIn(page, "/settings")
  await expect(page).toHaveURL(/\/settings$/)
  // The session ends elsewhere (another device signs out everywhere).
  const ended = await page.request.post("/api/auth/logout-all", {
    headers: { origin: `http://localhost:${serverPort}` },
  })
  expect(ended.status()).toBe(204)
  await page.locator("ig-passkeys").getByRole("button", { name: "Add a passkey" }).click()
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings$/)
  const form = page.locator("ig-sign-in")
  await form.getByLabel("Email").fill(email)
  await form.getByLabel("Password").fill(password)
  await form.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(page).toHaveURL(/\/settings$/)
})

test("offline, the app still opens from the service worker's cache and says it is offline", async ({
  page,
  context,
}) => {
  await signIn(page)
  await expect(page.getByRole("heading", { name: "Welcome, Resi" })).toBeVisible()
  // Once the worker controls the page, its caches hold the shell and the last session answer.
  await page.evaluate(() => navigator.serviceWorker.ready)
  await page.reload()
  await expect(page.getByRole("heading", { name: "Welcome, Resi" })).toBeVisible()
  await context.setOffline(true)
  await page.reload()
  await expect(page.getByRole("heading", { name: "Welcome, Resi" })).toBeVisible()
  await expect(page.locator("ig-offline-banner").getByRole("status")).toContainText("offline")
  await context.setOffline(false)
})
