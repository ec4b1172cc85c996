/**
 * Encrypted uploads' client-side work, each against a baseline in the same run.
 *
 * - Encrypt + hash: 256 MiB of random bytes, arriving as 1 MiB pieces,
 *   through `FileCipher.encrypt` (8 MiB segments, the HKDF segment key) with
 *   the file identity — SHA-256 of the ciphertext, `NodeHash` — fed from its
 *   output; against node:crypto doing the same work on the same pieces: an
 *   AES-256-GCM cipher per 8 MiB segment (fresh IV each), updated piece by
 *   piece, and SHA-256 over its output. Ours runs with `NodeAead`
 *   (node:crypto's AES-GCM, what a Node program uses; goal: throughput ratio
 *   ours/raw ≥ 0.7) and, for reference, with WebCrypto's (`Aead.layer`, the
 *   browser path, which pays WebCrypto's copies and thread-pool hop).
 * - Upload preparation: the same 256 MiB through `Uploader.run` with a
 *   transport that takes every chunk at once (in-memory journal, NodeHash).
 *   Per 8 MiB chunk that is the plaintext hash (for the journal), the
 *   encryption, the chunk checksum and the identity update: three SHA-256
 *   passes and one AES-GCM pass, against node:crypto making the same passes
 *   over the same chunks. NodeAead: goal ≥ 0.7; WebCrypto for reference.
 * - Memory: the peak RSS of child processes (so nothing else is in their
 *   heap) that encrypt a generated 1 GiB and 4 GiB stream (never written to
 *   disk) through `FileCipher.encrypt` with the identity hash, and of two that
 *   upload a generated 1 GiB and 4 GiB source through `Uploader.run` (3
 *   chunks in flight), both on the browser path (WebCrypto, lookahead). Goal: each pair within 10 % — memory does not grow
 *   with the file. An idle child (same modules loaded) shows the floor.
 *
 * Each round takes both sides over the data in 64 MiB batches that alternate
 * (raw, ours, then ours, raw, …), so a shared machine's drift falls on both;
 * a warm-up round comes first, and medians over rounds are compared. CPU
 * time per MiB (every thread, GC included) is shown too: it drifts less than
 * wall-clock throughput when other work shares the cores. `BENCH_ROUNDS`
 * sets the rounds (default 5).
 */
import { spawn } from "node:child_process"
import { createCipheriv, createHash, randomBytes, randomFillSync } from "node:crypto"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Entropy, Envelope } from "@ignition/vault"
import { Effect, Layer, Option, Stream } from "effect"
import * as Aead from "../../packages/upload/src/Aead.js"
import * as FileCipher from "../../packages/upload/src/FileCipher.js"
import * as FileId from "../../packages/upload/src/FileId.js"
import * as KeyWrap from "../../packages/upload/src/KeyWrap.js"
import * as NodeAead from "../../packages/upload/src/node/NodeAead.js"
import * as NodeHash from "../../packages/upload/src/node/NodeHash.js"
import * as Sha256 from "../../packages/upload/src/Sha256.js"
import * as Source from "../../packages/upload/src/Source.js"
import * as Uploader from "../../packages/upload/src/Uploader.js"
import * as UploadJournal from "../../packages/upload/src/UploadJournal.js"
import { UploadTransport } from "../../packages/upload/src/UploadTransport.js"
import { machine, median, repoRoot } from "./support.js"

const MiB = 1024 * 1024
const GiB = 1024 * MiB
const rounds = Number(process.env.BENCH_ROUNDS ?? "5")
const totalBytes = 256 * MiB
/** The sides alternate every 64 MiB. */
const batchBytes = 64 * MiB
const pieceBytes = MiB
const segmentBytes = 8 * MiB
const throughputGoal = 0.7
const memoryTolerance = 0.1
const memorySizes = [GiB, 4 * GiB] as const

const out = (line: string) => process.stdout.write(`${line}\n`)

// ── The pieces every side works on ───────────────────────────────────────────

const fileId = FileId.make("0190f3a2-7c4e-4b1a-9d2f-3e8a1c5b7d90")

/** File keys wrapped under a fixed content key, as the vault would (one wrap per file: not what is measured). */
const keys = Layer.unwrapEffect(
  Effect.map(
    Effect.promise(() =>
      globalThis.crypto.subtle.importKey("raw", randomBytes(32), "AES-GCM", false, ["encrypt", "decrypt"]),
    ),
    (key) =>
      KeyWrap.layerContentKey(
        { kid: Envelope.KeyId.make("bench-content-key"), key },
        { userId: "bench-user", vaultId: "bench-vault" },
      ),
  ),
).pipe(Layer.provide(Entropy.layer))

/** What FileCipher needs, with one AES-GCM implementation or the other; SHA-256 from node:crypto either way. */
const cipherLayer = (aead: Layer.Layer<Aead.Aead>) => Layer.mergeAll(keys, Entropy.layer, NodeHash.layer, aead)

/** A transport that takes everything at once: what remains is the client's own work. */
const acceptingTransport = Layer.succeed(UploadTransport, {
  create: () => Effect.succeed({ sessionId: "bench", expiresAt: Number.MAX_SAFE_INTEGER }),
  status: (sessionId) => Effect.succeed({ sessionId, received: [], expiresAt: Number.MAX_SAFE_INTEGER }),
  put: () => Effect.void,
  complete: (_, sha256) => Effect.succeed({ sha256, ciphertextBytes: 0 }),
  abort: () => Effect.void,
})

const uploadLayer = (aead: Layer.Layer<Aead.Aead>) =>
  Layer.mergeAll(cipherLayer(aead), acceptingTransport, UploadJournal.layerMemory)

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

// ── Throughput ───────────────────────────────────────────────────────────────

/** node:crypto alone: a GCM cipher per segment fed piece by piece, SHA-256 over what it gives. */
const rawEncryptAndHash = (pieces: ReadonlyArray<Uint8Array>) => {
  const identity = createHash("sha256")
  const key = randomBytes(32)
  const iv = randomBytes(12)
  let segment = 0
  let inSegment = 0
  let cipher = createCipheriv("aes-256-gcm", key, iv)
  pieces.forEach((piece, index) => {
    identity.update(cipher.update(piece))
    inSegment += piece.length
    // A full segment closes once more bytes follow (the last one, full or not, closes at the end).
    if (inSegment === segmentBytes && index < pieces.length - 1) {
      identity.update(cipher.final())
      identity.update(cipher.getAuthTag())
      iv.writeUInt32BE(++segment, 7)
      cipher = createCipheriv("aes-256-gcm", key, iv)
      inSegment = 0
    }
  })
  identity.update(cipher.final())
  identity.update(cipher.getAuthTag())
  return identity.digest("hex")
}

const oursEncryptAndHash = (aead: Layer.Layer<Aead.Aead>) => (pieces: ReadonlyArray<Uint8Array>) =>
  Effect.runPromise(
    Effect.provide(
      Effect.gen(function* () {
        const cipher = yield* FileCipher.create(fileId, segmentBytes)
        const identity = yield* Sha256.incremental
        yield* Stream.runForEach(FileCipher.encrypt(cipher)(Stream.fromIterable(pieces)), (bytes) =>
          Effect.sync(() => identity.update(bytes)),
        )
        return hexOf(identity.digest())
      }),
      cipherLayer(aead),
    ),
  )

/** node:crypto making the uploader's passes over each chunk: plaintext hash, encryption, checksum, identity. */
const rawUploadPasses = (data: Uint8Array) => {
  const identity = createHash("sha256")
  const key = randomBytes(32)
  const iv = randomBytes(12)
  for (let offset = 0, index = 0; offset < data.length; offset += segmentBytes, index++) {
    const plaintext = data.subarray(offset, offset + segmentBytes)
    createHash("sha256").update(plaintext).digest()
    iv.writeUInt32BE(index, 7)
    const cipher = createCipheriv("aes-256-gcm", key, iv)
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    createHash("sha256").update(ciphertext).digest()
    identity.update(ciphertext)
  }
  return identity.digest("hex")
}

const oursUpload = (aead: Layer.Layer<Aead.Aead>, source: Source.Source) =>
  Effect.runPromise(
    Effect.provide(
      Effect.map(Uploader.run({ uploadKey: "bench", fileId, source, segmentBytes }), (uploaded) =>
        hexOf(uploaded.sha256),
      ),
      uploadLayer(aead),
    ),
  )

/** A generated source of `bytes`: each chunk a fresh copy of `pattern`, stamped with its offset (as a Blob read allocates). */
const generatedSource = (pattern: Uint8Array, bytes: number): Source.Source => ({
  size: bytes,
  read: (offset, length) =>
    Effect.sync(() => {
      const chunk = new Uint8Array(length)
      for (let at = 0; at < length; at += pattern.length)
        chunk.set(pattern.subarray(0, Math.min(pattern.length, length - at)), at)
      if (length >= 8) new DataView(chunk.buffer).setFloat64(0, offset)
      return chunk
    }),
})

interface Side {
  /** Bytes per second, wall clock. */
  readonly rate: number
  /** CPU time (every thread: main, WebCrypto's pool, GC) per MiB, in milliseconds. */
  readonly cpuPerMiB: number
}

interface Throughput {
  readonly raw: Side
  readonly ours: Side
}

/**
 * Each side over every batch, the sides alternating batch by batch (and
 * which goes first, round by round), so that a shared machine's drift falls
 * on both; medians over rounds.
 */
const throughput = async <Batch>(
  batches: ReadonlyArray<Batch>,
  raw: (batch: Batch) => unknown,
  ours: (batch: Batch) => Promise<unknown>,
): Promise<Throughput> => {
  const sides = [raw, ours] as const
  const run = async () => {
    const elapsed = [0, 0]
    const cpu = [0, 0]
    for (const [index, batch] of batches.entries())
      for (const side of index % 2 === 0 ? [0, 1] : [1, 0]) {
        const wall = performance.now()
        const usage = process.cpuUsage()
        await sides[side]?.(batch)
        const spent = process.cpuUsage(usage)
        elapsed[side] = (elapsed[side] ?? 0) + performance.now() - wall
        cpu[side] = (cpu[side] ?? 0) + (spent.user + spent.system) / 1000
      }
    return [0, 1].map((side) => ({
      rate: totalBytes / ((elapsed[side] ?? 0) / 1000),
      cpuPerMiB: (cpu[side] ?? 0) / (totalBytes / MiB),
    }))
  }
  await run()
  const measured: Array<ReadonlyArray<Side>> = []
  for (let round = 0; round < rounds; round++) measured.push(await run())
  const medianOf = (side: number): Side => ({
    rate: median(measured.map((sides) => sides[side]?.rate ?? 0)),
    cpuPerMiB: median(measured.map((sides) => sides[side]?.cpuPerMiB ?? 0)),
  })
  return { raw: medianOf(0), ours: medianOf(1) }
}

// ── Memory, in child processes ───────────────────────────────────────────────

type ChildKind = "idle" | "stream" | "upload"

interface ChildReport {
  readonly maxRssBytes: number
  readonly seconds: number
}

/** `bytes` of generated stream in fresh 1 MiB pieces: one random MiB, stamped with each piece's index. */
const generated = (bytes: number) => {
  const pattern = new Uint8Array(pieceBytes)
  randomFillSync(pattern)
  return Stream.unfold(0, (index) => {
    if (index * pieceBytes >= bytes) return Option.none()
    const piece = pattern.slice()
    new DataView(piece.buffer).setUint32(0, index)
    return Option.some([piece, index + 1] as const)
  })
}

/**
 * This process's peak resident set. Linux's VmHWM belongs to the process
 * image, where getrusage's maxRSS survives exec and would report the parent's
 * peak at fork time.
 */
const peakRss = () => {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1]
  return hwm === undefined ? process.resourceUsage().maxRSS * 1024 : Number(hwm) * 1024
}

const child = async (kind: ChildKind, bytes: number) => {
  const start = performance.now()
  if (kind === "stream")
    await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const cipher = yield* FileCipher.create(fileId, segmentBytes)
          const identity = yield* Sha256.incremental
          yield* Stream.runForEach(FileCipher.encrypt(cipher)(generated(bytes)), (ciphertext) =>
            Effect.sync(() => identity.update(ciphertext)),
          )
          return identity.digest()
        }),
        cipherLayer(Aead.layer),
      ),
    )
  if (kind === "upload") await oursUpload(Aead.layer, generatedSource(randomBytes(pieceBytes), bytes))
  const report: ChildReport = {
    maxRssBytes: peakRss(),
    seconds: (performance.now() - start) / 1000,
  }
  out(JSON.stringify(report))
}

const runChild = (kind: ChildKind, bytes: number) =>
  new Promise<ChildReport>((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      ["--conditions=@ignition/source", "--import", "tsx", fileURLToPath(import.meta.url), "--child", kind, `${bytes}`],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
    )
    let stdout = ""
    proc.stdout.on("data", (data: Buffer) => {
      stdout += data.toString()
    })
    proc.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim()) as ChildReport)
        : reject(new Error(`${kind} child exited ${code}`)),
    )
  })

// ── Report ───────────────────────────────────────────────────────────────────

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`
const rate = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`

const main = async () => {
  const data = new Uint8Array(randomBytes(totalBytes))
  const batches = Array.from({ length: totalBytes / batchBytes }, (_, index) =>
    data.subarray(index * batchBytes, (index + 1) * batchBytes),
  )
  const piecesOf = (batch: Uint8Array) =>
    Array.from({ length: batch.length / pieceBytes }, (_, index) =>
      batch.subarray(index * pieceBytes, (index + 1) * pieceBytes),
    )
  const pieces = batches.map(piecesOf)
  const encryptAndHash = await throughput(pieces, rawEncryptAndHash, oursEncryptAndHash(NodeAead.layer))
  const encryptAndHashWebCrypto = await throughput(pieces, rawEncryptAndHash, oursEncryptAndHash(Aead.layer))
  const upload = (aead: Layer.Layer<Aead.Aead>) => (batch: Uint8Array) => oursUpload(aead, Source.fromBytes(batch))
  const preparation = await throughput(batches, rawUploadPasses, upload(NodeAead.layer))
  const preparationWebCrypto = await throughput(batches, rawUploadPasses, upload(Aead.layer))
  const idle = await runChild("idle", 0)
  const memory: Array<{ readonly kind: ChildKind; readonly reports: ReadonlyArray<ChildReport> }> = []
  for (const kind of ["stream", "upload"] as const) {
    const reports: Array<ChildReport> = []
    for (const bytes of memorySizes) reports.push(await runChild(kind, bytes))
    memory.push({ kind, reports })
  }

  out("")
  out("Upload")
  out(`machine:   ${machine()}`)
  let failed = false
  /** A line with the goal, or (`judged` false) the same figures for reference. */
  const throughputLine = (name: string, result: Throughput, judged = true) => {
    const ratio = result.ours.rate / result.raw.rate
    const pass = ratio >= throughputGoal
    if (judged) failed ||= !pass
    const verdict = judged ? `(goal ≥ ${throughputGoal}) ${pass ? "PASS" : "FAIL"}` : "(reference)"
    out(
      `           ${name}: raw ${rate(result.raw.rate)}, ours ${rate(result.ours.rate)}: ratio ${ratio.toFixed(3)} ${verdict}`,
    )
    out(
      `             CPU time per MiB (all threads): raw ${result.raw.cpuPerMiB.toFixed(2)} ms, ours ${result.ours.cpuPerMiB.toFixed(2)} ms`,
    )
  }
  out(
    `throughput ${totalBytes / MiB} MiB in batches of ${batchBytes / MiB} MiB, 8 MiB segments, vs node:crypto AES-256-GCM + SHA-256 over the same bytes; median of ${rounds} rounds`,
  )
  throughputLine("encrypt + identity (FileCipher.encrypt, 1 MiB pieces), NodeAead", encryptAndHash)
  throughputLine("  the same with WebCrypto's AES-GCM (Aead.layer, the browser path)", encryptAndHashWebCrypto, false)
  throughputLine("upload preparation (Uploader.run: 3 SHA-256 + 1 AES-GCM pass), NodeAead", preparation)
  throughputLine("  the same with WebCrypto's AES-GCM (Aead.layer, the browser path)", preparationWebCrypto, false)
  out(
    `memory     peak RSS of a child process encrypting a generated stream (never on disk); idle child ${mb(idle.maxRssBytes)}`,
  )
  for (const { kind, reports } of memory) {
    const [small, large] = reports as [ChildReport, ChildReport]
    const growth = large.maxRssBytes / small.maxRssBytes - 1
    const pass = Math.abs(growth) <= memoryTolerance
    failed ||= !pass
    const name = kind === "stream" ? "FileCipher.encrypt + identity" : "Uploader.run, 3 in flight"
    out(
      `           ${name}: 1 GiB ${mb(small.maxRssBytes)} (${small.seconds.toFixed(1)} s), 4 GiB ${mb(large.maxRssBytes)} (${large.seconds.toFixed(1)} s): ${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} % (goal within ±${memoryTolerance * 100} %) ${pass ? "PASS" : "FAIL"}`,
    )
  }
  if (failed) process.exitCode = 1
}

if (process.argv[2] === "--child") await child(process.argv[3] as ChildKind, Number(process.argv[4]))
else await main()
