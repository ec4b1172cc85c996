/**
 * The blob store in an S3-compatible bucket (AWS S3, Ceph RGW, MinIO, …)
 * through `@aws-sdk/client-s3`, chosen when `S3_BUCKET` is set. Multipart
 * uploads are S3's own; the rules every adapter shares (keys, ranges,
 * checksums, the part list) are checked here before a request is sent, so
 * a refusal is the same typed error as on the filesystem. Reads are lazy:
 * `get` asks for the size, and the body fetches exactly the range, pinned
 * to the object's ETag so a replacement in between cannot mix two objects.
 *
 * Checksums are verified here (SHA-256, before upload); the SDK's own
 * default CRC checksums are turned off, since older self-hosted stores
 * do not support them.
 */
import { Readable } from "node:stream"
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  type Part as S3Part,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3"
import { NodeStream } from "@effect/platform-node"
import { Clock, Effect, Layer, Option, Redacted, Stream } from "effect"
import type { S3Settings } from "../AppConfig.js"
import {
  BlobNotFound,
  BlobPartsInvalid,
  BlobStore,
  BlobStoreUnavailable,
  type ObjectInfo,
  type Part,
} from "./BlobStore.js"
import {
  checkCompletion,
  checkKey,
  checkPartNumber,
  checkPrefix,
  resolveRange,
  verifyChecksum,
} from "./internal/Rules.js"

/** What S3 answered, by error name (or HTTP status when it sent no body, as for HEAD). */
const describe = (cause: unknown) =>
  cause instanceof S3ServiceException
    ? `${cause.name} (HTTP ${cause.$metadata.httpStatusCode ?? "?"})`
    : cause instanceof Error
      ? cause.name
      : "error"

const isNotFound = (cause: unknown) =>
  cause instanceof S3ServiceException &&
  (["NoSuchKey", "NotFound", "NoSuchUpload"].includes(cause.name) || cause.$metadata.httpStatusCode === 404)

const isPartsRefusal = (cause: unknown) =>
  cause instanceof S3ServiceException && ["InvalidPart", "InvalidPartOrder", "EntityTooSmall"].includes(cause.name)

const unavailable = (doing: string) => (cause: unknown) =>
  new BlobStoreUnavailable({ message: `The S3 store failed while ${doing}: ${describe(cause)}` })

export const make = (settings: S3Settings) =>
  Effect.gen(function* () {
    const client = yield* Effect.acquireRelease(
      Effect.sync(
        () =>
          new S3Client({
            region: settings.region,
            forcePathStyle: settings.forcePathStyle,
            requestChecksumCalculation: "WHEN_REQUIRED",
            responseChecksumValidation: "WHEN_REQUIRED",
            ...Option.match(settings.endpoint, { onNone: () => ({}), onSome: (endpoint) => ({ endpoint }) }),
            ...Option.match(settings.credentials, {
              onNone: () => ({}),
              onSome: ({ accessKeyId, secretAccessKey }) => ({
                credentials: { accessKeyId, secretAccessKey: Redacted.value(secretAccessKey) },
              }),
            }),
          }),
      ),
      (client) => Effect.sync(() => client.destroy()),
    )
    const Bucket = settings.bucket

    /** A request, failing with whatever the SDK threw. */
    const request = <A>(run: (abortSignal: AbortSignal) => Promise<A>) =>
      Effect.tryPromise({ try: run, catch: (cause) => cause })

    /** Send a request; `refine` turns the S3 errors the caller handles into typed ones, the rest are unavailability. */
    const send = <A, E = never>(
      doing: string,
      run: (abortSignal: AbortSignal) => Promise<A>,
      refine: (cause: unknown) => Option.Option<E> = () => Option.none(),
    ): Effect.Effect<A, E | BlobStoreUnavailable> =>
      request(run).pipe(Effect.mapError((cause) => Option.getOrElse(refine(cause), () => unavailable(doing)(cause))))

    // Fail the start, not the first upload, when the bucket is missing or the credentials are wrong.
    yield* send(`reaching bucket ${Bucket}`, (abortSignal) =>
      client.send(new HeadBucketCommand({ Bucket }), { abortSignal }),
    )

    const notFound = (message: string) => (cause: unknown) =>
      isNotFound(cause) ? Option.some(new BlobNotFound({ message })) : Option.none()

    const head = (key: string) =>
      Effect.gen(function* () {
        yield* checkKey(key)
        const output = yield* send(
          "reading an object's size",
          (abortSignal) => client.send(new HeadObjectCommand({ Bucket, Key: key }), { abortSignal }),
          notFound(`No blob under ${key}`),
        )
        return {
          info: { key, size: output.ContentLength ?? 0, modifiedAt: output.LastModified ?? new Date(0) },
          etag: output.ETag,
        }
      })

    const parts = (key: string, uploadId: string) =>
      Effect.gen(function* () {
        yield* checkKey(key)
        const held: Array<Part> = []
        let marker: string | undefined
        for (;;) {
          const page = yield* send(
            "listing an upload's parts",
            (abortSignal) =>
              client.send(new ListPartsCommand({ Bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }), {
                abortSignal,
              }),
            notFound(`No upload ${uploadId} to ${key}`),
          )
          for (const part of page.Parts ?? []) {
            if (part.PartNumber !== undefined && part.ETag !== undefined) {
              held.push({ partNumber: part.PartNumber, etag: part.ETag, size: part.Size ?? 0 })
            }
          }
          if (page.IsTruncated !== true || page.NextPartNumberMarker === undefined) return held
          marker = page.NextPartNumberMarker
        }
      })

    return BlobStore.of({
      put: (key, bytes) =>
        Effect.gen(function* () {
          yield* checkKey(key)
          yield* send("writing an object", (abortSignal) =>
            client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentLength: bytes.length }), {
              abortSignal,
            }),
          )
          return { key, size: bytes.length, modifiedAt: new Date(yield* Clock.currentTimeMillis) }
        }),

      get: (key, range) =>
        Effect.gen(function* () {
          const { info, etag } = yield* head(key)
          const { start, end } = yield* resolveRange(info.size, range)
          const body =
            end < start
              ? Stream.empty
              : Stream.unwrap(
                  Effect.flatMap(
                    send("reading an object", (abortSignal) =>
                      client.send(
                        new GetObjectCommand({ Bucket, Key: key, Range: `bytes=${start}-${end}`, IfMatch: etag }),
                        { abortSignal },
                      ),
                    ),
                    (output) =>
                      output.Body instanceof Readable
                        ? Effect.succeed(
                            NodeStream.fromReadable<BlobStoreUnavailable>(
                              () => output.Body as Readable,
                              unavailable("reading an object"),
                            ),
                          )
                        : Effect.fail(new BlobStoreUnavailable({ message: "The S3 store sent no readable body" })),
                  ),
                )
          return { size: info.size, start, end, body }
        }),

      head: (key) => Effect.map(head(key), ({ info }) => info),

      delete: (key) =>
        Effect.flatMap(checkKey(key), () =>
          Effect.asVoid(
            send("deleting an object", (abortSignal) =>
              client.send(new DeleteObjectCommand({ Bucket, Key: key }), { abortSignal }),
            ),
          ),
        ),

      list: (prefix) =>
        Stream.unwrap(
          Effect.map(checkPrefix(prefix), () =>
            Stream.paginateEffect(Option.none<string>(), (token) =>
              Effect.map(
                send("listing objects", (abortSignal) =>
                  client.send(
                    new ListObjectsV2Command({
                      Bucket,
                      Prefix: prefix,
                      ContinuationToken: Option.getOrUndefined(token),
                    }),
                    { abortSignal },
                  ),
                ),
                (page): readonly [ReadonlyArray<ObjectInfo>, Option.Option<Option.Option<string>>] => [
                  (page.Contents ?? []).flatMap((object) =>
                    object.Key === undefined
                      ? []
                      : [{ key: object.Key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) }],
                  ),
                  page.IsTruncated === true && page.NextContinuationToken !== undefined
                    ? Option.some(Option.some(page.NextContinuationToken))
                    : Option.none(),
                ],
              ),
            ).pipe(Stream.flattenIterables),
          ),
        ),

      createUpload: (key) =>
        Effect.gen(function* () {
          yield* checkKey(key)
          const output = yield* send("creating an upload", (abortSignal) =>
            client.send(new CreateMultipartUploadCommand({ Bucket, Key: key }), { abortSignal }),
          )
          return output.UploadId === undefined
            ? yield* new BlobStoreUnavailable({ message: "The S3 store created an upload without an id" })
            : output.UploadId
        }),

      putPart: (key, uploadId, partNumber, bytes, checksum) =>
        Effect.gen(function* () {
          yield* checkKey(key)
          yield* checkPartNumber(partNumber)
          yield* verifyChecksum(bytes, checksum)
          const output = yield* send(
            "writing a part",
            (abortSignal) =>
              client.send(
                new UploadPartCommand({
                  Bucket,
                  Key: key,
                  UploadId: uploadId,
                  PartNumber: partNumber,
                  Body: bytes,
                  ContentLength: bytes.length,
                }),
                { abortSignal },
              ),
            notFound(`No upload ${uploadId} to ${key}`),
          )
          return output.ETag === undefined
            ? yield* new BlobStoreUnavailable({ message: "The S3 store stored a part without an ETag" })
            : { partNumber, etag: output.ETag, size: bytes.length }
        }),

      listParts: parts,

      completeUpload: (key, uploadId, named) =>
        Effect.gen(function* () {
          const held = yield* parts(key, uploadId)
          const checked = yield* checkCompletion(named, new Map(held.map((part) => [part.partNumber, part])))
          const Parts: Array<S3Part> = checked.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag }))
          yield* send<unknown, BlobNotFound | BlobPartsInvalid>(
            "joining an upload's parts",
            (abortSignal) =>
              client.send(
                new CompleteMultipartUploadCommand({
                  Bucket,
                  Key: key,
                  UploadId: uploadId,
                  MultipartUpload: { Parts },
                }),
                { abortSignal },
              ),
            (cause) =>
              isPartsRefusal(cause)
                ? Option.some(new BlobPartsInvalid({ message: `The S3 store refused the parts: ${describe(cause)}` }))
                : notFound(`No upload ${uploadId} to ${key}`)(cause),
          )
          return (yield* head(key).pipe(
            Effect.catchTag("BlobNotFound", () =>
              Effect.fail(new BlobStoreUnavailable({ message: `The S3 store lost ${key} right after completing it` })),
            ),
          )).info
        }),

      abortUpload: (key, uploadId) =>
        Effect.flatMap(checkKey(key), () =>
          request((abortSignal) =>
            client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId }), { abortSignal }),
          ).pipe(
            Effect.asVoid,
            Effect.catchAll((cause) =>
              isNotFound(cause) ? Effect.void : Effect.fail(unavailable("dropping an upload")(cause)),
            ),
          ),
        ),
    })
  })

export const layer = (settings: S3Settings) => Layer.scoped(BlobStore, make(settings))
