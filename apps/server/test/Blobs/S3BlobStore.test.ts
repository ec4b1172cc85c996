/**
 * The S3 blob store under the contract, against a real S3 server: it runs
 * when TEST_S3_ENDPOINT is set (with TEST_S3_ACCESS_KEY_ID and
 * TEST_S3_SECRET_ACCESS_KEY; scripts/start-s3.sh starts a Ceph RADOS
 * Gateway and prints them, and CI always does). Each run works in a bucket
 * of its own (TEST_S3_BUCKET, or a new one), emptied and, when it made it,
 * deleted at the end.
 */
import { randomUUID } from "node:crypto"
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import type { S3Settings } from "../../src/AppConfig.js"
import * as S3BlobStore from "../../src/Blobs/S3BlobStore.js"
import { contract } from "./BlobStoreContract.js"

const endpoint = process.env.TEST_S3_ENDPOINT ?? ""

const settings = (bucket: string): S3Settings => ({
  endpoint: Option.some(endpoint),
  region: process.env.TEST_S3_REGION || "us-east-1",
  bucket,
  credentials: Option.some({
    accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? "",
    secretAccessKey: Redacted.make(process.env.TEST_S3_SECRET_ACCESS_KEY ?? ""),
  }),
  forcePathStyle: true,
})

/** Everything the run left in the bucket: objects and unfinished uploads. */
const empty = async (client: S3Client, Bucket: string) => {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket }))
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]))
    await Promise.all(keys.map((Key) => client.send(new DeleteObjectCommand({ Bucket, Key }))))
    if (page.IsTruncated !== true) break
  }
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket }))
  await Promise.all(
    (uploads.Uploads ?? []).map(({ Key, UploadId }) =>
      client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })),
    ),
  )
}

/** A bucket for this run, emptied (and deleted, if the run created it) afterwards. */
const bucket = Effect.acquireRelease(
  Effect.promise(async () => {
    const given = process.env.TEST_S3_BUCKET
    const s = settings(given || `ignition-test-${randomUUID()}`)
    const client = new S3Client({
      endpoint,
      region: s.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? "",
        secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? "",
      },
    })
    if (!given) await client.send(new CreateBucketCommand({ Bucket: s.bucket }))
    return { client, settings: s, created: !given }
  }),
  ({ client, settings: s, created }) =>
    Effect.promise(async () => {
      await empty(client, s.bucket)
      if (created) await client.send(new DeleteBucketCommand({ Bucket: s.bucket }))
      client.destroy()
    }),
)

describe.runIf(endpoint !== "")("S3BlobStore", () => {
  contract("s3", Layer.unwrapScoped(Effect.map(bucket, ({ settings: s }) => S3BlobStore.layer(s))))

  it.scoped("a missing bucket or wrong credentials fail the start with BlobStoreUnavailable", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(S3BlobStore.make(settings(`ignition-missing-${randomUUID()}`)))
      assert.strictEqual(missing._tag, "BlobStoreUnavailable")
      const { settings: s } = yield* bucket
      const wrongKey = yield* Effect.flip(
        S3BlobStore.make({
          ...s,
          credentials: Option.some({ accessKeyId: "ignition", secretAccessKey: Redacted.make("wrong") }),
        }),
      )
      assert.strictEqual(wrongKey._tag, "BlobStoreUnavailable")
      assert.notInclude(wrongKey.message, "wrong")
    }),
  )
})
