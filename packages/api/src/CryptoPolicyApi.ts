/**
 * The `cryptoPolicy` group: the instance's crypto policy registry. Clients
 * read it to know which policy new wraps should use, and check every policy
 * against their own floor (`CryptoPolicy.check` in `@ignition/vault`)
 * whatever the server says. An administrator may publish a stronger policy;
 * every vault is then due for a re-wrap at its next unlock.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { CryptoPolicy } from "@ignition/vault"
import { Schema } from "effect"
import { Conflict, NotFound } from "./ApiError.js"
import { AdminAuthentication, Authentication } from "./Authentication.js"

/**
 * The policies, oldest first, and the current one (the newest; new wraps
 * use it).
 *
 * @since 0.1.0
 */
export class CryptoPolicies extends Schema.Class<CryptoPolicies>("CryptoPolicies")({
  current: CryptoPolicy.CryptoPolicy,
  policies: Schema.Array(CryptoPolicy.CryptoPolicy),
}) {}

/**
 * Argon2id parameters for a new policy: memory `m` in KiB, `t` passes, `p` lanes.
 *
 * @since 0.1.0
 */
export class RotatePolicyRequest extends Schema.Class<RotatePolicyRequest>("RotatePolicyRequest")({
  kdf: Schema.Struct({
    alg: Schema.Literal("argon2id"),
    m: Schema.Int.pipe(Schema.positive()),
    t: Schema.Int.pipe(Schema.positive()),
    p: Schema.Int.pipe(Schema.positive()),
  }),
}) {}

/**
 * A new policy was refused: below the clients' floor, beyond what a client
 * will compute, or not stronger than the current policy.
 *
 * @since 0.1.0
 */
export class CryptoPolicyRefused extends Schema.TaggedError<CryptoPolicyRefused>()(
  "CryptoPolicyRefused",
  { message: Schema.String },
  HttpApiSchema.annotations({
    status: 400,
    description: "The policy is below the floor or weaker than the current one",
  }),
) {}

/**
 * @since 0.1.0
 */
export class CryptoPolicyApi extends HttpApiGroup.make("cryptoPolicy")
  .add(HttpApiEndpoint.get("list", "/api/crypto-policy").addSuccess(CryptoPolicies).middleware(Authentication))
  .add(
    HttpApiEndpoint.get("get", "/api/crypto-policy/:version")
      .setPath(Schema.Struct({ version: Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1_000_000)) }))
      .addSuccess(CryptoPolicy.CryptoPolicy)
      .addError(NotFound)
      .middleware(Authentication),
  )
  .add(
    HttpApiEndpoint.post("rotate", "/api/crypto-policy/rotate")
      .setPayload(RotatePolicyRequest)
      .addSuccess(CryptoPolicy.CryptoPolicy, { status: 201 })
      .addError(CryptoPolicyRefused)
      .addError(Conflict)
      .middleware(AdminAuthentication)
      .annotate(OpenApi.Summary, "Publish a stronger policy (admin); every vault re-wraps at its next unlock"),
  )
  .annotate(OpenApi.Title, "Crypto policy")
  .annotate(OpenApi.Description, "The KDF and AEAD policies wraps are made under") {}
