/**
 * What the fake server answers with: JSON in the contract's encoded shapes
 * (`Schema.Schema.Encoded` of the @ignition/api schemas), so a change to the
 * contract breaks these at type-check time rather than in a story.
 */
import type { Account, AdminApi, AuthApi, SettingsApi } from "@ignition/api"
import type { Schema } from "effect"

type Encoded<S extends Schema.Schema.Any> = Schema.Schema.Encoded<S>

const minute = 60_000
const day = 24 * 60 * minute

/** An ISO timestamp `ms` from now (negative: in the past). */
export const fromNow = (ms: number): string => new Date(Date.now() + ms).toISOString()

export const user = {
  id: "0b9f3c8e-5d1a-4f7e-9a2b-3c4d5e6f7a81",
  email: "ada@example.com",
  displayName: "Ada Lovelace",
  status: "approved",
  roles: ["member"],
  timeZone: "Europe/London",
  termsAcceptedAt: "2026-01-10T09:00:00.000Z",
  createdAt: "2026-01-10T09:00:00.000Z",
} satisfies Encoded<typeof Account.User>

export const admin = {
  ...user,
  id: "5e2d7c1a-8b3f-4a6e-b1c2-d3e4f5a6b7c8",
  email: "grace@example.com",
  displayName: "Grace Hopper",
  roles: ["admin", "member"],
} satisfies Encoded<typeof Account.User>

const currentSessionId = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"

const sessionOf = (who: Encoded<typeof Account.User>): Encoded<typeof Account.SessionInfo> => ({
  user: who,
  session: {
    id: currentSessionId,
    createdAt: fromNow(-2 * day),
    expiresAt: fromNow(28 * day),
    absoluteExpiresAt: fromNow(88 * day),
  },
})

/** `GET /api/auth/session`, `POST /api/auth/login`: Ada is signed in. */
export const session = sessionOf(user)

/** The same for an administrator. */
export const adminSession = sessionOf(admin)

/** `GET /api/auth/methods` on an instance with passwords, passkeys and two OpenID providers. */
export const methods = {
  password: true,
  passkeys: true,
  oidc: [
    { id: "google", name: "Google" },
    { id: "microsoft", name: "Microsoft" },
  ],
  requireApproval: false,
  setupPending: false,
} satisfies Encoded<typeof AuthApi.SignInMethods>

/** Passwords only: no OpenID provider configured. */
export const passwordOnly = { ...methods, passkeys: false, oidc: [] } satisfies Encoded<typeof AuthApi.SignInMethods>

/** A fresh instance: the first account needs the setup token. */
export const setupPending = { ...passwordOnly, setupPending: true } satisfies Encoded<typeof AuthApi.SignInMethods>

/** `POST /api/auth/signup` → 201. */
export const signedIn = {
  _tag: "SignedIn",
  user: { ...user, createdAt: fromNow(0), termsAcceptedAt: fromNow(0) },
  session: session.session,
} satisfies Encoded<typeof AuthApi.SignedIn>

/** `POST /api/auth/signup` → 202 on an instance that requires approval. */
export const awaitingApproval = {
  _tag: "AwaitingApproval",
  user: { ...user, status: "pending", createdAt: fromNow(0), termsAcceptedAt: fromNow(0) },
} satisfies Encoded<typeof AuthApi.AwaitingApproval>

/** `GET /api/settings`, `PUT /api/settings`. */
export const settingsWith = (
  theme: Encoded<typeof SettingsApi.Theme>,
  version = 3,
): Encoded<typeof SettingsApi.SettingsDocument> => ({
  version,
  settings: { displayName: user.displayName, timeZone: user.timeZone, locale: "en-GB", theme },
  updatedAt: { theme: fromNow(-day) },
})

/** `GET /api/auth/sessions`: this browser and two other devices. */
export const deviceSessions = [
  {
    id: currentSessionId,
    createdAt: fromNow(-2 * day),
    lastSeenAt: fromNow(0),
    expiresAt: fromNow(28 * day),
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36",
    current: true,
  },
  {
    id: "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
    createdAt: fromNow(-20 * day),
    lastSeenAt: fromNow(-3 * 60 * minute),
    expiresAt: fromNow(10 * day),
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
    current: false,
  },
  {
    id: "7c6b5a49-3827-4615-b4a3-92817f6e5d4c",
    createdAt: fromNow(-45 * day),
    lastSeenAt: fromNow(-12 * day),
    expiresAt: fromNow(2 * day),
    userAgent: null,
    current: false,
  },
] satisfies ReadonlyArray<Encoded<typeof Account.DeviceSession>>

export type AdminUserJson = Encoded<typeof AdminApi.AdminUser>

const adminUser = (
  id: string,
  displayName: string,
  email: string,
  status: AdminUserJson["status"],
  extra: Partial<AdminUserJson> = {},
): AdminUserJson => ({
  ...user,
  id,
  displayName,
  email,
  status,
  roles: ["member"],
  lastSeenAt: status === "pending" ? null : fromNow(-90 * minute),
  activeSessions: status === "approved" ? 1 : 0,
  ...extra,
})

/** `GET /api/admin/users`: one page, newest first. */
export const adminUsers: ReadonlyArray<AdminUserJson> = [
  adminUser("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", "Katherine Johnson", "katherine@example.com", "pending", {
    createdAt: fromNow(-30 * minute),
    termsAcceptedAt: fromNow(-30 * minute),
  }),
  adminUser("d2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f6a", "Alan Turing", "alan@example.com", "approved", {
    activeSessions: 3,
  }),
  adminUser("e3f4a5b6-c7d8-4e9f-8a1b-2c3d4e5f6a7b", "Hedy Lamarr", "hedy@example.com", "suspended"),
  {
    ...adminUser(admin.id, admin.displayName, admin.email, "approved"),
    roles: ["admin", "member"],
    lastSeenAt: fromNow(0),
  },
  adminUser(user.id, user.displayName, user.email, "approved", { lastSeenAt: fromNow(-2 * day) }),
]

export const userPage = (
  users: ReadonlyArray<AdminUserJson>,
  nextCursor: string | null = null,
): Encoded<typeof AdminApi.UserPage> => ({ users, nextCursor })

/**
 * `POST /api/auth/passkeys/login/options`. The relying party is the fake
 * origin, which the browser refuses for a page on localhost: the passkey
 * sign-in ends at once as "cancelled" instead of waiting for an authenticator.
 */
export const passkeyLoginOptions = {
  challengeId: "3c1e5f7a-9b2d-4e6f-8a0c-2e4f6a8c0e2a",
  options: {
    challenge: "c3Rvcnlib29rLXBhc3NrZXktY2hhbGxlbmdl",
    rpId: "ignition.test",
    allowCredentials: [],
    userVerification: "preferred",
    timeout: 60_000,
  },
}

/** `GET /api/auth/passkeys`: a synced passkey with PRF, and a security key never used since. */
export const passkeys = [
  {
    id: "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d",
    name: "MacBook (iCloud Keychain)",
    createdAt: fromNow(-40 * day),
    lastUsedAt: fromNow(-2 * day),
    deviceType: "multiDevice",
    backedUp: true,
    prfCapable: true,
  },
  {
    id: "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
    name: "YubiKey 5C",
    createdAt: fromNow(-10 * day),
    lastUsedAt: null,
    deviceType: "singleDevice",
    backedUp: false,
    prfCapable: false,
  },
] satisfies ReadonlyArray<Encoded<typeof AuthApi.Passkey>>

/**
 * `POST /api/auth/passkeys/register/options`. As for sign-in, the relying
 * party is the fake origin: the browser refuses at once, and the element
 * shows what it does when no passkey was created.
 */
export const passkeyRegistrationOptions = {
  options: {
    challenge: "c3Rvcnlib29rLXJlZ2lzdHJhdGlvbi1jaGFsbGVuZ2U",
    rp: { name: "Ignition", id: "ignition.test" },
    user: { id: "MGI5ZjNjOGUtNWQxYS00ZjdlLTlhMmItM2M0ZDVlNmY3YTgx", name: user.email, displayName: user.displayName },
    pubKeyCredParams: [
      { type: "public-key", alg: -7 },
      { type: "public-key", alg: -257 },
    ],
    timeout: 60_000,
    attestation: "none",
    excludeCredentials: [],
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    extensions: { prf: {} },
  },
}
