/**
 * WebAuthn PRF for the vault: a passkey's PRF output (the CTAP2
 * hmac-secret extension) is a 32-byte secret only that authenticator can
 * produce for a given salt, after user verification. The vault wraps its KEK
 * under it (HKDF inside `@ignition/vault`). These ceremonies run in the
 * browser alone: the server verifies nothing here, because unlocking the
 * server side needs the KEK-derived unlock proof anyway.
 */
import { Schema } from "effect"
import type { Outcome } from "../client/IgnitionClient.js"

const toBase64Url = Schema.encodeSync(Schema.Uint8ArrayFromBase64Url)
const fromBase64Url = Schema.decodeSync(Schema.Uint8ArrayFromBase64Url)

export interface PrfResult {
  readonly credentialId: string
  readonly output: Uint8Array
}

interface PrfExtensionOutput {
  readonly prf?: { readonly enabled?: boolean; readonly results?: { readonly first?: BufferSource } }
}

const refused = (_tag: string, message: string): Outcome<never> => ({ _tag: "Refused", error: { _tag, message } })

const bytesOf = (source: BufferSource) =>
  source instanceof ArrayBuffer
    ? new Uint8Array(source)
    : new Uint8Array(source.buffer, source.byteOffset, source.byteLength)

const unsupported = refused(
  "PrfUnsupported",
  "This passkey cannot unlock a vault: its authenticator does not support the PRF extension.",
)

const cancelled = (error: unknown) =>
  refused(
    "PasskeyCancelled",
    error instanceof DOMException && error.name === "NotAllowedError"
      ? "The passkey request was cancelled or timed out."
      : "The passkey request failed.",
  )

const outputOf = (credential: PublicKeyCredential) => {
  const results = (credential.getClientExtensionResults() as PrfExtensionOutput).prf?.results?.first
  return results === undefined ? undefined : bytesOf(results)
}

/** Evaluates the PRF of whichever listed passkey the user picks, each with its own salt. */
export const prfEvaluate = async (
  candidates: ReadonlyArray<{ readonly credentialId: string; readonly salt: Uint8Array }>,
): Promise<Outcome<PrfResult>> => {
  if (!("credentials" in navigator) || typeof PublicKeyCredential === "undefined") return unsupported
  try {
    const credential = (await navigator.credentials.get({
      publicKey: {
        challenge: globalThis.crypto.getRandomValues(new Uint8Array(32)),
        allowCredentials: candidates.map((candidate) => ({
          type: "public-key" as const,
          id: new Uint8Array(fromBase64Url(candidate.credentialId)),
        })),
        userVerification: "required",
        extensions: {
          prf: {
            evalByCredential: Object.fromEntries(
              candidates.map((candidate) => [candidate.credentialId, { first: new Uint8Array(candidate.salt) }]),
            ),
          },
        } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null
    if (credential === null) return cancelled(undefined)
    const output = outputOf(credential)
    return output === undefined
      ? unsupported
      : { _tag: "Ok", value: { credentialId: toBase64Url(new Uint8Array(credential.rawId)), output } }
  } catch (error) {
    return cancelled(error)
  }
}

/**
 * Creates a passkey for unlocking the vault on this site, then evaluates its
 * PRF with `salt` (some authenticators answer the PRF only on assertion).
 */
export const prfCreate = async (userName: string, userId: string, salt: Uint8Array): Promise<Outcome<PrfResult>> => {
  if (!("credentials" in navigator) || typeof PublicKeyCredential === "undefined") return unsupported
  try {
    const created = (await navigator.credentials.create({
      publicKey: {
        challenge: globalThis.crypto.getRandomValues(new Uint8Array(32)),
        rp: { id: window.location.hostname, name: "Ignition vault" },
        user: { id: new TextEncoder().encode(userId), name: userName, displayName: `${userName} (vault)` },
        pubKeyCredParams: [
          { type: "public-key", alg: -7 },
          { type: "public-key", alg: -257 },
        ],
        authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
        extensions: { prf: { eval: { first: salt } } } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null
    if (created === null) return cancelled(undefined)
    const credentialId = toBase64Url(new Uint8Array(created.rawId))
    const atCreation = outputOf(created)
    if (atCreation !== undefined) return { _tag: "Ok", value: { credentialId, output: atCreation } }
    if ((created.getClientExtensionResults() as PrfExtensionOutput).prf?.enabled === false) return unsupported
    return prfEvaluate([{ credentialId, salt }])
  } catch (error) {
    return cancelled(error)
  }
}
