/**
 * The OpenID providers users may sign in with, read from the environment
 * through Effect `Config` (documented in docs/oidc.md):
 *
 * - `OIDC_PROVIDERS`: comma-separated provider ids (`google,entra,corp`),
 *   none by default;
 * - per id, with the id upper-cased and `-` turned into `_`:
 *   `OIDC_<ID>_ISSUER`, `OIDC_<ID>_CLIENT_ID`, `OIDC_<ID>_CLIENT_SECRET`,
 *   `OIDC_<ID>_NAME` (what the sign-in button says).
 *
 * `google` and `entra` know their issuer (`entra` builds it from
 * `OIDC_ENTRA_TENANT`) and their display name. Invalid values stop the
 * start with a message naming the variable.
 */
import { Config, ConfigError, Context, Effect, Either, Layer, Option, Redacted } from "effect"

/** Providers whose quirks the server knows; anything else is a plain OpenID issuer. */
export type ProviderKind = "google" | "entra" | "generic"

export interface Provider {
  /** Appears in URLs (`/api/auth/oidc/<id>/start`) and in the audit log. */
  readonly id: string
  /** The sign-in button's label. */
  readonly name: string
  readonly kind: ProviderKind
  /** The issuer identifier; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

export interface Service {
  readonly providers: ReadonlyArray<Provider>
}

/** The same rule as the API's `:provider` path parameter, so every configured id is reachable. */
const idPattern = /^[a-z0-9-]{1,32}$/

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"])

const variable = (id: string, suffix: string) => `OIDC_${id.toUpperCase().replaceAll("-", "_")}_${suffix}`

const invalid = (name: string, message: string) => Either.left(ConfigError.InvalidData([name], message))

const kindOf = (id: string): ProviderKind => (id === "google" ? "google" : id === "entra" ? "entra" : "generic")

const defaultNames: Record<ProviderKind, (id: string) => string> = {
  google: () => "Google",
  entra: () => "Microsoft",
  generic: (id) => id,
}

/** A set-but-blank variable counts as absent (`export OIDC_CORP_NAME=`). */
const optionalString = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Config.map((value) =>
      Option.filter(
        Option.map(value, (text) => text.trim()),
        (text) => text !== "",
      ),
    ),
  )

const requiredString = (name: string) =>
  Config.string(name).pipe(
    Config.map((text) => text.trim()),
    Config.validate({ message: `${name} must not be empty`, validation: (text) => text !== "" }),
  )

/**
 * An issuer identifier: https (plain http only on this machine, for a
 * provider under test), no query or fragment. Kept exactly as written —
 * trailing slash included (Auth0's has one) — because discovery and ID
 * tokens must match it verbatim.
 */
const parseIssuer = (name: string, value: string): Either.Either<string, ConfigError.ConfigError> => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return invalid(name, `Expected an issuer URL such as https://accounts.google.com, got "${value}"`)
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname))
  if (!secure) return invalid(name, `The issuer must use https (http only for localhost), got "${value}"`)
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    return invalid(name, `The issuer must not carry credentials, a query or a fragment, got "${value}"`)
  }
  return Either.right(value)
}

/**
 * A tenant id, a verified domain, or `organizations` / `common` /
 * `consumers` (openid-client then checks each ID token against the issuer
 * of the tenant that signed it).
 */
const entraIssuer = Config.string("OIDC_ENTRA_TENANT").pipe(
  Config.map((tenant) => tenant.trim()),
  Config.mapOrFail((tenant) =>
    /^[A-Za-z0-9.-]{1,100}$/.test(tenant)
      ? Either.right(`https://login.microsoftonline.com/${tenant}/v2.0`)
      : invalid("OIDC_ENTRA_TENANT", `Expected a tenant id (a GUID) or a verified domain, got "${tenant}"`),
  ),
)

const issuerOf = (id: string, kind: ProviderKind) =>
  Effect.gen(function* () {
    const name = variable(id, "ISSUER")
    const explicit = yield* optionalString(name)
    if (Option.isSome(explicit))
      return yield* Either.match(parseIssuer(name, explicit.value), {
        onLeft: Effect.fail,
        onRight: Effect.succeed,
      })
    switch (kind) {
      case "google":
        return "https://accounts.google.com"
      case "entra":
        return yield* entraIssuer
      case "generic":
        return yield* Config.fail(`${name} is required for the OpenID provider "${id}"`)
    }
  })

const providerConfig = (id: string) =>
  Effect.gen(function* () {
    const kind = kindOf(id)
    const secretName = variable(id, "CLIENT_SECRET")
    const issuer = yield* issuerOf(id, kind)
    const clientId = yield* requiredString(variable(id, "CLIENT_ID"))
    const clientSecret = yield* Config.redacted(secretName).pipe(
      Config.validate({
        message: `${secretName} must not be empty`,
        validation: (secret) => Redacted.value(secret).trim() !== "",
      }),
    )
    const name = yield* optionalString(variable(id, "NAME"))
    return {
      id,
      kind,
      issuer,
      clientId,
      clientSecret,
      name: Option.getOrElse(name, () => defaultNames[kind](id)),
    } satisfies Provider
  })

const providerIds = Config.string("OIDC_PROVIDERS").pipe(
  Config.withDefault(""),
  Config.mapOrFail((list) => {
    const ids = list
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter((entry) => entry !== "")
    const bad = ids.find((id) => !idPattern.test(id))
    if (bad !== undefined) {
      return invalid("OIDC_PROVIDERS", `"${bad}" is not a provider id: use 1 to 32 of a-z, 0-9 and -`)
    }
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index)
    if (repeated !== undefined) return invalid("OIDC_PROVIDERS", `"${repeated}" is listed twice`)
    return Either.right(ids)
  }),
)

/** The providers, from the current `ConfigProvider`; each id's variables are read once the ids are known. */
export const config: Effect.Effect<Service, ConfigError.ConfigError> = Effect.gen(function* () {
  const ids = yield* providerIds
  const providers = yield* Effect.forEach(ids, providerConfig)
  return { providers }
})

export class OidcConfig extends Context.Tag("@ignition/server/OidcConfig")<OidcConfig, Service>() {
  /** Read from the environment (the current `ConfigProvider`). */
  static readonly layer: Layer.Layer<OidcConfig, ConfigError.ConfigError> = Layer.effect(OidcConfig, config)

  /** Exactly these providers, whatever the environment says: for tests. */
  static readonly layerTest = (providers: ReadonlyArray<Provider>): Layer.Layer<OidcConfig> =>
    Layer.succeed(OidcConfig, { providers })
}
