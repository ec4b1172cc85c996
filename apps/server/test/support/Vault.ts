/**
 * Vault test helpers: members with their own browser, wraps and envelopes
 * of the shape a client makes, a vault request, and raw requests for
 * input the typed client cannot send.
 */
import { randomBytes, randomUUID } from "node:crypto"
import { Cookies } from "@effect/platform"
import { AuthApi, VaultApi } from "@ignition/api"
import { CryptoPolicy, Envelope, type WrappedKey } from "@ignition/vault"
import { Effect, Redacted, Ref, Schema } from "effect"
import { browser, TestServer } from "./TestServer.js"

export const password = "correct-horse-battery-staple-42"

export type Browser = Effect.Effect.Success<typeof browser>
export type Member = Browser & { readonly email: string; readonly userId: string }

/** Policy v2 at the clients' floor (OWASP's Argon2id minimum), so real wraps in tests take ~0.1 s, not ~1 s. */
export const floorPolicy = new CryptoPolicy.CryptoPolicy({
  version: 2,
  aead: "AES-256-GCM",
  kdf: { alg: "argon2id", m: 19 * 1024, t: 2, p: 1 },
  deprecated: false,
})

export const random = (length: number): Uint8Array => new Uint8Array(randomBytes(length))

export const base64url = (bytes: Uint8Array): string => Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)(bytes)

const uniqueEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`

/** A new approved member in a browser of their own (the setup token makes an administrator). */
export const member = (name: string, setupToken?: string) =>
  Effect.gen(function* () {
    const b = yield* browser
    const email = uniqueEmail(name)
    const result = yield* b.client.auth.signup({
      payload: new AuthApi.SignupRequest({
        email,
        password: Redacted.make(password),
        displayName: name,
        birthYear: 1985,
        acceptTerms: true,
        ...(setupToken === undefined ? {} : { setupToken }),
      }),
    })
    return { ...b, email, userId: result.user.id as string } satisfies Member
  })

export interface WrapOptions {
  readonly userId: string
  readonly vaultId: string
  readonly credentialType?: WrappedKey.CredentialType
  readonly credentialId?: string
  readonly policyVersion?: number
  readonly kdf?: WrappedKey.WrappedKey["kdf"]
}

/**
 * A wrap of the shape a client makes: the KDF its credential calls for at
 * the floor, a random nonce and ciphertext (the server cannot tell them from
 * a real wrap's, and never opens one).
 */
export const fakeWrap = (options: WrapOptions): WrappedKey.WrappedKey => {
  const credentialType = options.credentialType ?? "passphrase"
  return {
    wrap_version: "v2",
    wrap_type: "AEAD",
    kdf:
      options.kdf ??
      (credentialType === "passphrase"
        ? { alg: "argon2id", m: 19 * 1024, t: 2, p: 1, salt: random(16) }
        : { alg: "hkdf-sha256", salt: random(16) }),
    nonce: random(12),
    cipher: random(48),
    aad: {
      user_id: options.userId,
      vault_id: options.vaultId,
      credential_id: options.credentialId ?? (credentialType === "passphrase" ? "passphrase" : randomUUID()),
      credential_type: credentialType,
      policy_version: options.policyVersion ?? 2,
    },
  }
}

/** A KEK-wrapped content key as `ContentKeys.generate` makes it: an envelope under the reserved kid `kek`. */
export const fakeEnvelope = (): Envelope.Envelope => ({
  v: 1,
  kid: Envelope.KeyId.make("kek"),
  iv: random(12),
  ct: random(48),
})

export const newKid = () => Envelope.KeyId.make(base64url(random(12)))

export interface VaultFixture {
  readonly request: VaultApi.CreateVaultRequest
  readonly vaultId: string
  readonly proof: Uint8Array
  readonly kid: Envelope.KeyId
}

export const vaultRequest = (
  userId: string,
  options: { readonly vaultId?: string; readonly wrap?: WrappedKey.WrappedKey } = {},
): VaultFixture => {
  const vaultId = options.vaultId ?? randomUUID()
  const proof = random(32)
  const kid = newKid()
  return {
    vaultId,
    proof,
    kid,
    request: new VaultApi.CreateVaultRequest({
      vaultId: VaultApi.VaultId.make(vaultId),
      policyVersion: 2,
      unlockProof: Redacted.make(proof),
      wrap: options.wrap ?? fakeWrap({ userId, vaultId }),
      contentKey: { kid, wrapped: fakeEnvelope() },
    }),
  }
}

/** A member's new vault (unlocked), and what the client would keep of it. */
export const createVault = (m: Member) =>
  Effect.gen(function* () {
    const fixture = vaultRequest(m.userId)
    const info = yield* m.client.vault.create({ payload: fixture.request })
    return { ...fixture, info }
  })

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

/** A raw JSON request in the member's browser (session cookie, Origin, address), for input the client cannot send. */
export const send = (b: Browser, method: string, path: string, body?: unknown) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* TestServer
    const cookie = Cookies.toCookieHeader(yield* Ref.get(b.cookies))
    return yield* Effect.promise(async (): Promise<Answer> => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          cookie,
          origin: baseUrl,
          "x-forwarded-for": b.address,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
    })
  })

export const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? (body as Record<string, unknown>)[name] : undefined

/** The error a call fails with (fails the test if it succeeds). */
export const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

/** Encodes a wrap to the JSON a client sends. */
export const wrapJson = (wrap: WrappedKey.WrappedKey) =>
  Schema.encodeSync(Schema.Struct({ wrap: VaultApi.CreateVaultRequest.fields.wrap }))({ wrap }).wrap
