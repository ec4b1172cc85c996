import { OpenApi } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, FastCheck, Schema } from "effect"
import { ApiError, CryptoPolicyApi, IgnitionApi, SystemApi, VaultApi } from "../src/index.js"

type Operation = { readonly responses: Record<string, unknown>; readonly security?: ReadonlyArray<unknown> }

describe("IgnitionApi", () => {
  const spec = OpenApi.fromApi(IgnitionApi.IgnitionApi)
  const operation = (path: string): Operation => {
    const item = spec.paths[path]
    assert.isDefined(item, `missing path ${path}`)
    return item?.get as Operation
  }

  it("documents the system endpoints", () => {
    assert.strictEqual(spec.info.title, "Ignition API")
    assert.strictEqual(spec.info.version, String(IgnitionApi.contractVersion))
    for (const path of ["/health", "/ready", "/api/version"]) assert.property(operation(path).responses, "200")
  })

  it("declares the errors every endpoint can answer with", () => {
    for (const path of ["/health", "/ready", "/api/version"]) {
      for (const status of ["400", "403", "404", "411", "413", "500", "503"]) {
        assert.property(operation(path).responses, status, `${path} lacks ${status}`)
      }
    }
    assert.property(operation("/ready").responses, "503")
  })

  const vaultOperation = (path: string, method: "get" | "post" | "delete"): Operation => {
    const item = spec.paths[path] as Record<string, Operation> | undefined
    assert.isDefined(item?.[method], `missing ${method} ${path}`)
    return item?.[method] as Operation
  }

  it("documents 423 on every E2EE mutation of the vault, and only there", () => {
    const guarded = [
      ["/api/vault/wraps", "post"],
      ["/api/vault/wraps/{id}", "delete"],
      ["/api/vault/content-keys", "post"],
      ["/api/vault/recovery-codes/generate", "post"],
    ] as const
    for (const [path, method] of guarded) assert.property(vaultOperation(path, method).responses, "423", path)
    const open = [
      ["/api/vault", "get"],
      ["/api/vault", "post"],
      ["/api/vault/lock", "post"],
      ["/api/vault/unlock", "post"],
      ["/api/vault/recovery-codes/validate", "post"],
      ["/api/vault/reset", "post"],
    ] as const
    for (const [path, method] of open) assert.notProperty(vaultOperation(path, method).responses, "423", path)
  })

  it("documents the vault's typed refusals", () => {
    assert.includeMembers(Object.keys(vaultOperation("/api/vault/unlock", "post").responses), ["403", "404", "429"])
    assert.includeMembers(Object.keys(vaultOperation("/api/vault/recovery-codes/validate", "post").responses), [
      "404",
      "410",
      "429",
    ])
    assert.includeMembers(Object.keys(vaultOperation("/api/vault/content-keys", "post").responses), ["201", "409"])
    assert.includeMembers(Object.keys(vaultOperation("/api/crypto-policy/rotate", "post").responses), ["201", "400"])
    assert.property(vaultOperation("/api/admin/vault/{userId}/force-lock", "post").responses, "200")
  })
})

describe("wire schemas", () => {
  const schemas = {
    Health: SystemApi.Health,
    Readiness: SystemApi.Readiness,
    NotReady: SystemApi.NotReady,
    VersionInfo: SystemApi.VersionInfo,
    NotFound: ApiError.NotFound,
    BadRequest: ApiError.BadRequest,
    Forbidden: ApiError.Forbidden,
    LengthRequired: ApiError.LengthRequired,
    PayloadTooLarge: ApiError.PayloadTooLarge,
    InternalServerError: ApiError.InternalServerError,
    ServiceUnavailable: ApiError.ServiceUnavailable,
    LockStatus: VaultApi.LockStatus,
    RecoveryCodeRecord: VaultApi.RecoveryCodeRecord,
    VaultLocked: VaultApi.VaultLocked,
    VaultNotFound: VaultApi.VaultNotFound,
    WrongUnlockProof: VaultApi.WrongUnlockProof,
    WeakWrapRefused: VaultApi.WeakWrapRefused,
    WrapBindingMismatch: VaultApi.WrapBindingMismatch,
    ContentKeyConflict: VaultApi.ContentKeyConflict,
    RecoveryCodeNotFound: VaultApi.RecoveryCodeNotFound,
    RecoveryCodeUsed: VaultApi.RecoveryCodeUsed,
    ResetRefused: VaultApi.ResetRefused,
    CryptoPolicyRefused: CryptoPolicyApi.CryptoPolicyRefused,
  } as const

  for (const [name, schema] of Object.entries(schemas)) {
    const codec = schema as unknown as Schema.Schema<unknown, unknown>
    const json = Schema.parseJson(codec)
    it.effect.prop(`${name} survives a JSON round trip`, [Arbitrary.make(codec)], ([value]) =>
      Effect.gen(function* () {
        const text = yield* Schema.encode(json)(value)
        const decoded = yield* Schema.decode(json)(text)
        assert.deepStrictEqual(yield* Schema.encode(codec)(decoded), yield* Schema.encode(codec)(value))
      }),
    )
  }

  it("error bodies carry their tag and message", () => {
    const encoded = Schema.encodeSync(ApiError.NotFound)(new ApiError.NotFound({ message: "No route for GET /x" }))
    assert.deepStrictEqual(encoded, { _tag: "NotFound", message: "No route for GET /x" })
  })

  it("rejects a version answer whose instance id is not a UUID", () => {
    const decode = Schema.decodeUnknownEither(SystemApi.VersionInfo)
    FastCheck.assert(
      FastCheck.property(
        FastCheck.string().filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
        (instanceId) => {
          const result = decode({ name: "ignition", version: "0.1.0", contractVersion: 1, instanceId })
          return result._tag === "Left"
        },
      ),
    )
  })
})

describe("vault wire schemas", () => {
  it("a locked vault's 423 body is its tag, epoch and message", () => {
    const encoded = Schema.encodeSync(VaultApi.VaultLocked)(new VaultApi.VaultLocked({ epoch: 3, message: "locked" }))
    assert.deepStrictEqual(encoded, { _tag: "VaultLocked", epoch: 3, message: "locked" })
  })

  it("unlock proofs and verifiers are exactly 32 bytes of base64url, and decode redacted", () => {
    const decode = Schema.decodeUnknownEither(VaultApi.UnlockProof)
    const ok = decode("A".repeat(43))
    assert.isTrue(ok._tag === "Right" && !String(ok.right).includes("A"))
    for (const wrong of ["A".repeat(42), "A".repeat(44), `${"A".repeat(42)}=`, "*".repeat(43), 42]) {
      assert.strictEqual(decode(wrong)._tag, "Left", String(wrong))
    }
  })

  it("a recovery code set is exactly ten codes", () => {
    assert.strictEqual(VaultApi.recoveryCodesPerSet, 10)
    assert.strictEqual(VaultApi.resetConfirmation, "RESET MY VAULT")
  })
})
