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

test("a new member waits for approval; the administrator approves; the member signs in", async ({ browser }) => {
  const member = await browser.newPage()
  await member.goto("/sign-up")
  const form = member.locator("ig-sign-up")
  await form.getByLabel("Name").fill("Bob Member")
  await form.getByLabel("Email").fill("bob@example.com")
  await form.getByLabel("Password").fill(password)
  await form.getByLabel("Year of birth").fill("1992")
  await form.getByRole("checkbox").check()
  await form.getByRole("button", { name: "Create account" }).click()
  await expect(form.getByRole("status")).toContainText("awaits an administrator's approval")

  const admin = await browser.newPage()
  await admin.goto("/sign-in?next=%2Fadmin")
  const signIn = admin.locator("ig-sign-in")
  await signIn.getByLabel("Email").fill("ada@example.com")
  await signIn.getByLabel("Password").fill(password)
  await signIn.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(admin).toHaveURL(/\/admin$/)
  const users = admin.locator("ig-admin-users")
  const row = users.getByRole("row").filter({ hasText: "bob@example.com" })
  await row.getByRole("button", { name: /Approve/ }).click()
  await expect(row).toContainText(/Approved/i)
  expect(await seriousViolations(admin)).toEqual([])

  await member.goto("/sign-in")
  const memberSignIn = member.locator("ig-sign-in")
  await memberSignIn.getByLabel("Email").fill("bob@example.com")
  await memberSignIn.getByLabel("Password").fill(password)
  await memberSignIn.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(member.getByRole("heading", { name: "Welcome, Bob Member" })).toBeVisible()
  await expect(member.getByRole("link", { name: "Administration" })).toHaveCount(0)
  await member.close()
  await admin.close()
})

test("a passkey is registered and signs in, through a virtual authenticator", async ({ page }) => {
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
  await page.goto("/sign-in?next=%2Fsettings")
  const signIn = page.locator("ig-sign-in")
  await signIn.getByLabel("Email").fill("ada@example.com")
  await signIn.getByLabel("Password").fill(password)
  await signIn.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(page).toHaveURL(/\/settings$/)
  const passkeys = page.locator("ig-passkeys")
  await passkeys.getByLabel("Name for a new passkey").fill("Test laptop")
  await passkeys.getByRole("button", { name: "Add a passkey" }).click()
  await expect(passkeys.getByText("Test laptop")).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])

  await page.getByRole("button", { name: "Sign out", exact: true }).click()
  await expect(page).toHaveURL(/\/sign-in/)
  await page.locator("ig-sign-in").getByRole("button", { name: "Sign in with a passkey" }).click()
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible()
})

test("the command palette navigates by keyboard alone and remembers recent commands", async ({ page }) => {
  await page.goto("/sign-in")
  const signIn = page.locator("ig-sign-in")
  await signIn.getByLabel("Email").fill("ada@example.com")
  await signIn.getByLabel("Password").fill(password)
  await signIn.getByRole("button", { name: "Sign in", exact: true }).click()
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible()

  await page.keyboard.press("Control+k")
  const palette = page.getByRole("dialog")
  await expect(palette).toBeVisible()
  await page.keyboard.type("admn")
  await page.keyboard.press("Enter")
  await expect(page).toHaveURL(/\/admin$/)
  await expect(palette).toBeHidden()

  await page.keyboard.press("Control+k")
  await expect(palette).toBeVisible()
  expect(await seriousViolations(page)).toEqual([])
  // Recently used first: Enter on the empty query goes back to Administration; move to another instead.
  await page.keyboard.type("settings")
  await page.keyboard.press("Enter")
  await expect(page).toHaveURL(/\/settings$/)
  await page.keyboard.press("Control+k")
  await page.keyboard.press("Enter")
  await expect(page).toHaveURL(/\/settings$/, { timeout: 2000 })
  await page.keyboard.press("Escape")
  await expect(palette).toBeHidden()
})
