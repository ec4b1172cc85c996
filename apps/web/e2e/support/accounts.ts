/**
 * Approved accounts for browser tests, made through the API. Spec files run
 * in name order on one worker and share one server, so whichever runs first
 * also makes the administrator (ada) with the setup token.
 */
import { type APIRequestContext, expect } from "@playwright/test"
import { serverPort, setupToken } from "../../playwright.config.js"

export const password = "correct-horse-battery-staple-42"
export const adminEmail = "ada@example.com"
export const origin = { origin: `http://localhost:${serverPort}` }

export const ensureApprovedAccount = async (request: APIRequestContext, email: string, displayName: string) => {
  const signup = (data: Record<string, unknown>) =>
    request.post("/api/auth/signup", {
      headers: origin,
      data: { password, birthYear: 1990, acceptTerms: true, ...data },
    })
  const methods = await (await request.get("/api/auth/methods")).json()
  if (methods.setupPending) await signup({ email: adminEmail, displayName: "Ada Admin", setupToken })
  const created = await signup({ email, displayName })
  expect([201, 202]).toContain(created.status())
  const { user } = await created.json()
  const admin = await request.post("/api/auth/login", { headers: origin, data: { email: adminEmail, password } })
  expect(admin.status()).toBe(200)
  const approved = await request.post(`/api/admin/users/${user.id}/approve`, { headers: origin })
  expect(approved.status()).toBe(200)
  return user as { readonly id: string }
}
