import { expect, test } from "@playwright/test"
import { embedPort, setupToken } from "../playwright.config.js"
import { seriousViolations } from "./support/axe.js"

const password = "correct-horse-battery-staple-42"

test.describe.configure({ mode: "serial" })

test("the first account signs up with the setup token and lands in the shell", async ({ page }) => {
  await page.goto("/")
  await expect(page).toHaveURL(/\/sign-in\?next=%2F$/)
  expect(await seriousViolations(page)).toEqual([])
  await page.getByRole("link", { name: "Create an account" }).click()
  await expect(page).toHaveURL(/\/sign-up/)
  const form = page.locator("ig-sign-up")
  await form.getByLabel("Name").fill("Ada Admin")
  await form.getByLabel("Email").fill("ada@example.com")
  await form.getByLabel("Password").fill(password)
  await form.getByLabel("Year of birth").fill("1985")
  await form.getByLabel("Setup token").fill(setupToken)
  await form.getByRole("checkbox").check()
  expect(await seriousViolations(page)).toEqual([])
  await form.getByRole("button", { name: "Create account" }).click()
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible()
  await expect(page).toHaveURL(/\/$/)
  expect(await seriousViolations(page)).toEqual([])
})

test("a form shows the server's typed errors next to the fields, keeping what was typed", async ({ page }) => {
  await page.goto("/sign-up")
  const form = page.locator("ig-sign-up")
  await form.getByLabel("Name").fill("Taken")
  await form.getByLabel("Email").fill("ada@example.com")
  await form.getByLabel("Password").fill("password1")
  await form.getByLabel("Year of birth").fill("1990")
  await form.getByRole("checkbox").check()
  await form.getByRole("button", { name: "Create account" }).click()
  // The weak password is refused first: its message sits under the password field.
  const passwordError = form.locator("#password-error")
  await expect(passwordError).toBeVisible()
  await expect(form.getByLabel("Email")).toHaveValue("ada@example.com")
  await form.getByLabel("Password").fill(password)
  await form.getByRole("button", { name: "Create account" }).click()
  await expect(form.locator("#email-error")).toContainText("already exists")
  await expect(form.getByLabel("Name")).toHaveValue("Taken")
})

test("theme choice survives a reload, applied before first paint", async ({ page }) => {
  await page.goto("/sign-in")
  const signIn = page.locator("ig-sign-in")
  await signIn.getByLabel("Email").fill("ada@example.com")
  await signIn.getByLabel("Password").fill(password)
  await signIn.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible()
  await page.getByRole("link", { name: "Settings" }).first().click()
  await page.locator("ig-theme-switcher").getByLabel("Dark").check()
  await expect(page.locator("html")).toHaveAttribute("data-ig-theme", "dark")
  await page.reload()
  // Set by the blocking boot script in <head>, before any module ran.
  await expect(page.locator("html")).toHaveAttribute("data-ig-theme", "dark")
  await expect(page.locator("ig-theme-switcher").getByLabel("Dark")).toBeChecked()
  expect(await seriousViolations(page)).toEqual([])
})

test("a page on another origin embeds <ig-sign-in> and signs in", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${embedPort}/`)
  const signIn = page.locator("ig-sign-in")
  await signIn.getByLabel("Email").fill("ada@example.com")
  await signIn.getByLabel("Password").fill(password)
  await signIn.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(page.getByRole("status")).toHaveText("Signed in as ada@example.com")
  expect(await seriousViolations(page)).toEqual([])
})
