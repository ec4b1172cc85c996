/**
 * The OpenAPI document (`/api/openapi.json`) and the Scalar docs UI
 * (`/docs`), both generated from the contract and served with their assets
 * inline (no CDN). Scalar's default fonts come from a CDN, so they are off.
 */
import { HttpApiBuilder, HttpApiScalar } from "@effect/platform"
import { Layer } from "effect"

export const openApiPath = "/api/openapi.json"
export const docsPath = "/docs"

export const layer = Layer.mergeAll(
  HttpApiBuilder.middlewareOpenApi({ path: openApiPath }),
  HttpApiScalar.layer({ path: docsPath, scalar: { withDefaultFonts: false } }),
)
