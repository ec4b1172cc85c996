/**
 * A software WebAuthn authenticator for tests: an EC P-256 key pair from
 * node:crypto, "none" attestation, and assertions signed with the private
 * key (ES256, DER), so registration and sign-in go through
 * @simplewebauthn/server's real verification. It plays the browser too: it
 * builds `clientDataJSON` and the JSON `PublicKeyCredential.toJSON()`
 * gives. Every field a test may want to get wrong can be overridden.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto"
import { type CBORType, encodeCBOR } from "@levischuck/tiny-cbor"

/** authenticatorData flag bits (WebAuthn §6.1). */
const flag = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 } as const

/** COSE key parameters for an EC2 P-256 ES256 key (RFC 9053). */
const cose = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, ec2: 2, es256: -7, p256: 1 } as const

export interface SoftAuthenticatorOptions {
  /** Backup eligible (a synced passkey): sets BE, so the server sees a multi-device credential. */
  readonly backupEligible?: boolean
  /** Backed up: sets BS (meaningful with `backupEligible`). */
  readonly backedUp?: boolean
  /** Report the PRF extension as enabled at registration. */
  readonly prf?: boolean
  /** Set the UV flag (user verified); on by default. */
  readonly userVerified?: boolean
  /** The counter the first signature carries; 0 by default. */
  readonly counter?: number
}

/** What a registration or sign-in should get wrong (or set explicitly). */
export interface Overrides {
  /** The origin written into clientDataJSON (the page the browser is on). */
  readonly origin?: string
  /** A challenge other than the options'. */
  readonly challenge?: string
  /** The counter to sign with, instead of the next one. */
  readonly counter?: number
  /** Sign something else than what is sent: a well-formed but wrong signature. */
  readonly tamperSignature?: boolean
  /** A user handle other than the one the credential was created for. */
  readonly userHandle?: string
  /** Send no user handle (as a non-discoverable credential would). */
  readonly omitUserHandle?: boolean
}

/** The parts of `PublicKeyCredentialCreationOptionsJSON` an authenticator reads. */
export interface CreationOptions {
  readonly challenge: string
  readonly rp: { readonly id?: string | undefined }
  readonly user: { readonly id: string }
}

/** The parts of `PublicKeyCredentialRequestOptionsJSON` an authenticator reads. */
export interface RequestOptions {
  readonly challenge: string
  readonly rpId?: string | undefined
}

export interface RegistrationResponse {
  readonly id: string
  readonly rawId: string
  readonly type: "public-key"
  readonly response: {
    readonly clientDataJSON: string
    readonly attestationObject: string
    readonly transports: ReadonlyArray<string>
  }
  readonly authenticatorAttachment: "platform"
  readonly clientExtensionResults: { readonly prf?: { readonly enabled: boolean } }
}

export interface AuthenticationResponse {
  readonly id: string
  readonly rawId: string
  readonly type: "public-key"
  readonly response: {
    readonly clientDataJSON: string
    readonly authenticatorData: string
    readonly signature: string
    readonly userHandle?: string
  }
  readonly authenticatorAttachment: "platform"
  readonly clientExtensionResults: Record<string, never>
}

const sha256 = (data: Uint8Array | string): Buffer => createHash("sha256").update(data).digest()

const b64url = (data: Uint8Array): string => Buffer.from(data).toString("base64url")

const uint32 = (value: number): Buffer => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(value)
  return out
}

const uint16 = (value: number): Buffer => {
  const out = Buffer.alloc(2)
  out.writeUInt16BE(value)
  return out
}

/** The x and y coordinates of a P-256 public key, 32 bytes each. */
const coordinates = (publicKey: KeyObject): { x: Buffer; y: Buffer } => {
  const jwk = publicKey.export({ format: "jwk" })
  if (typeof jwk.x !== "string" || typeof jwk.y !== "string") throw new Error("expected an EC public key")
  return { x: Buffer.from(jwk.x, "base64url"), y: Buffer.from(jwk.y, "base64url") }
}

const clientDataJSON = (type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Buffer =>
  Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8")

export class SoftAuthenticator {
  readonly credentialId: string
  private readonly rawCredentialId = randomBytes(32)
  private readonly aaguid = randomBytes(16)
  private readonly privateKey: KeyObject
  private readonly publicKey: KeyObject
  private counter: number
  /** The user handle from the registration options, returned with every assertion. */
  private userHandle: string | undefined
  private rpId: string | undefined

  constructor(private readonly options: SoftAuthenticatorOptions = {}) {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" })
    this.privateKey = pair.privateKey
    this.publicKey = pair.publicKey
    this.credentialId = b64url(this.rawCredentialId)
    this.counter = options.counter ?? 0
  }

  /** The counter the authenticator holds: the one its last signature carried. */
  get signCount(): number {
    return this.counter
  }

  /** Set the counter the authenticator holds (the next assertion signs with one more, or zero if zero). */
  setCounter(value: number): void {
    this.counter = value
  }

  private flags(extra: number): number {
    return (
      flag.up |
      extra |
      (this.options.userVerified === false ? 0 : flag.uv) |
      (this.options.backupEligible === true ? flag.be : 0) |
      (this.options.backedUp === true ? flag.bs : 0)
    )
  }

  private coseKey(): Uint8Array {
    const { x, y } = coordinates(this.publicKey)
    return encodeCBOR(
      new Map<number, number | Uint8Array>([
        [cose.kty, cose.ec2],
        [cose.alg, cose.es256],
        [cose.crv, cose.p256],
        [cose.x, new Uint8Array(x)],
        [cose.y, new Uint8Array(y)],
      ]),
    )
  }

  /** `navigator.credentials.create()`: a new credential for the options' RP and user. */
  register(options: CreationOptions, origin: string, overrides: Overrides = {}): RegistrationResponse {
    const rpId = options.rp.id ?? new URL(origin).hostname
    this.rpId = rpId
    this.userHandle = options.user.id
    const authData = Buffer.concat([
      sha256(rpId),
      Buffer.from([this.flags(flag.at)]),
      uint32(overrides.counter ?? this.counter),
      this.aaguid,
      uint16(this.rawCredentialId.length),
      this.rawCredentialId,
      this.coseKey(),
    ])
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ["fmt", "none"],
        // "none" attestation: an empty statement.
        ["attStmt", new Map<string, CBORType>()],
        ["authData", new Uint8Array(authData)],
      ]),
    )
    const clientData = clientDataJSON(
      "webauthn.create",
      overrides.challenge ?? options.challenge,
      overrides.origin ?? origin,
    )
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(attestationObject),
        transports: ["hybrid", "internal"],
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: this.options.prf === true ? { prf: { enabled: true } } : {},
    }
  }

  /**
   * `navigator.credentials.get()`: an assertion over the options' challenge,
   * signed with the private key. The counter moves forward by one unless it
   * is zero (an authenticator that does not count), or is given explicitly.
   */
  authenticate(options: RequestOptions, origin: string, overrides: Overrides = {}): AuthenticationResponse {
    const rpId = options.rpId ?? this.rpId ?? new URL(origin).hostname
    if (overrides.counter !== undefined) this.counter = overrides.counter
    else if (this.counter > 0) this.counter += 1
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags(0)]), uint32(this.counter)])
    const clientData = clientDataJSON(
      "webauthn.get",
      overrides.challenge ?? options.challenge,
      overrides.origin ?? origin,
    )
    const signed = Buffer.concat([authData, sha256(clientData)])
    // Signing other bytes gives a signature that parses (DER) but does not verify.
    const message = overrides.tamperSignature === true ? Buffer.concat([signed, Buffer.from([0])]) : signed
    const signature = sign("sha256", message, { key: this.privateKey, dsaEncoding: "der" })
    const userHandle = overrides.omitUserHandle === true ? undefined : (overrides.userHandle ?? this.userHandle)
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(userHandle === undefined ? {} : { userHandle }),
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    }
  }
}
