/**
 * The server's blob store: S3 when `S3_BUCKET` is configured, the local
 * blob directory (`BLOB_DIR`, by default under the data directory)
 * otherwise. The start-up log says which, never with credentials.
 */
import { Effect, Layer, Option } from "effect"
import { AppConfig } from "../AppConfig.js"
import * as FilesystemBlobStore from "./FilesystemBlobStore.js"
import * as S3BlobStore from "./S3BlobStore.js"

export const layer = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    Option.match(config.s3, {
      onNone: () =>
        Layer.provideMerge(
          FilesystemBlobStore.layer({ root: config.blobDir }),
          Layer.effectDiscard(Effect.logInfo("blob store: local directory", { dir: config.blobDir })),
        ),
      onSome: (s3) =>
        Layer.provideMerge(
          S3BlobStore.layer(s3),
          Layer.effectDiscard(
            Effect.logInfo("blob store: S3", {
              endpoint: Option.getOrElse(s3.endpoint, () => `AWS ${s3.region}`),
              bucket: s3.bucket,
            }),
          ),
        ),
    }),
  ),
)
