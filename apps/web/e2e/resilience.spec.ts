import { expect, type Page, test } from "@playwright/test"
import { serverPort, setupToken } from "../playwright.config.js"

const password = "correct-horse-battery-staple-42"
const email = "resilient@example.com"

/**
 * An approved account of its own. Files run in name order on one worker, so accounts.spec.ts
 * has usually made the administrator (ada) already; run alone, this makes it first.
 */
test.beforeAll(async ({ request }) => {
  const origin = { origin: `http://localhost:${serverPort}` }
  const signup = (data: Record<string, unknown>) =>
    request.post("/api/auth/signup", {
      headers: origin,
      data: { password, birthYear: 1990, acceptTerms: true, ...data },
    })
  const methods = await (await request.get("/api/auth/methods")).json()
  if (methods.setupPending) await signup({ email: "ada@example.com", displayName: "Ada Admin", setupToken })
  const created = await signup({ email, displayName: "Resi" })
  expect([201, 202]).toContain(created.status())
  const { user } = await created.json()
  const admin = await request.post("/api/auth/login", {
    headers: origin,
    data: { email: "ada@example.com", password },
  })
  expect(admin.status()).toBe(200)
  const approved = await request.post(`/api/admin/users/${user.id}/approve`, { headers: origin })
  expect(approved.status()).toBe(200)
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
