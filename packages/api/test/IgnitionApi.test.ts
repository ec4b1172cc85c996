import { OpenApi } from "@effect/platform"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, FastCheck, Schema } from "effect"
import { ApiError, IgnitionApi, SystemApi } from "../src/index.js"

type Operation = { readonly responses: Record<string, unknown> }

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
