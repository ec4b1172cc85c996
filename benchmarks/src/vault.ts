/**
 * The vault's client-side crypto, each against a baseline in the same run.
 *
 * - Record envelopes: encrypt then decrypt 10,000 records of 1 KiB with
 *   `Envelope.seal` / `Envelope.open` (a `ContentKey` from `importAesKey`,
 *   WebCrypto's CSPRNG behind `Entropy.layer`), against a raw WebCrypto
 *   AES-256-GCM loop doing the same work: a fresh random 96-bit IV, an AAD of
 *   the envelope's exact length, encrypt, then decrypt. Both sides run at the
 *   same concurrency: one record at a time (`Effect.forEach` sequential
 *   over `seal`/`open` against a plain `for … await` loop), and 16 records
 *   in flight (the batch API `Envelope.sealAll`/`openAll` against 16 async
 *   lanes pulling from a shared index), as a sync or an import would. Goal: throughput
 *   ratio ours/raw ≥ 0.8. A reference side, the `internal/subtle.ts` Effect
 *   wrappers in the same `Effect.forEach` with the AAD precomputed, shows how
 *   much of the gap is the Effect runtime around WebCrypto rather than the
 *   envelope itself.
 * - Argon2id at the default policy's parameters (v2: m=64 MiB, t=3, p=1,
 *   32-byte output) through `Kdf.derive` (hash-wasm, WebAssembly) against the
 *   native `argon2` package, one derivation at a time. Goals: WASM/native
 *   ≤ 3, and WASM ≤ 1 s per derivation.
 *
 * WebCrypto runs each operation on libuv's thread pool; on a shared VM the
 * hand-off latency drifts by up to 3× over seconds. So each round takes all
 * records through every side in batches of 500 that alternate (raw, reference,
 * ours, then ours, reference, raw, …), rounds follow a warm-up round, and the
 * medians over rounds are compared. Main-thread (event-loop) busy time per
 * record is reported too: it drifts far less than wall-clock throughput.
 *
 * `BENCH_ROUNDS` sets the number of measured rounds (default 5).
 */
import { randomBytes } from "node:crypto"
import { performance } from "node:perf_hooks"
import argon2 from "argon2"
import { Effect, Schema } from "effect"
import * as CryptoPolicy from "../../packages/vault/src/CryptoPolicy.js"
import * as Entropy from "../../packages/vault/src/Entropy.js"
import * as Envelope from "../../packages/vault/src/Envelope.js"
import * as Aad from "../../packages/vault/src/internal/aad.js"
import { aesGcmDecrypt, aesGcmEncrypt, importAesKey } from "../../packages/vault/src/internal/subtle.js"
import * as Kdf from "../../packages/vault/src/Kdf.js"
import { machine, median } from "./support.js"

const rounds = Number(process.env.BENCH_ROUNDS ?? "5")
const records = 10_000
const recordBytes = 1024
const concurrencies = [1, 16] as const
/** Records per batch; the sides' batches alternate. */
const batchSize = 500
const envelopeGoal = 0.8
const argonRatioGoal = 3
const argonSecondsGoal = 1

const out = (line: string) => process.stdout.write(`${line}\n`)

// ── Record envelopes ─────────────────────────────────────────────────────────

interface Item {
  readonly context: Envelope.RecordContext
  readonly plaintext: Uint8Array<ArrayBuffer>
  /** The envelope's exact AAD bytes (same label, fields and kid), built once, outside the timing, for raw and reference. */
  readonly aad: Uint8Array<ArrayBuffer>
}

const kid = Schema.decodeSync(Envelope.KeyId)("bench-content-key-01")

const makeRecords = (): ReadonlyArray<Item> =>
  Array.from({ length: records }, (_, index) => {
    const context = {
      userId: "0190f3a2-7c4e-7b1a-9d2f-3e8a1c5b7d90",
      vaultId: "0190f3a2-7c4f-7d3b-8e41-6a2c9f0b1e37",
      recordType: "note",
      recordId: `0190f3a2-8000-7000-8000-${index.toString(16).padStart(12, "0")}`,
    }
    const fields = [1, context.userId, context.vaultId, context.recordType, context.recordId, kid]
    return {
      context,
      plaintext: new Uint8Array(randomBytes(recordBytes)),
      aad: Uint8Array.from(Aad.encode("ignition/record", fields)),
    }
  })

type Side = "raw" | "reference" | "ours"
const sides: ReadonlyArray<Side> = ["raw", "reference", "ours"]
const label: Record<Side, string> = { raw: "raw WebCrypto", reference: "Effect + subtle.ts", ours: "Envelope" }

/** `concurrency` async lanes pulling items from a shared index: at most `concurrency` in flight. */
const lanes = async (batch: ReadonlyArray<Item>, concurrency: number, task: (item: Item) => Promise<void>) => {
  let next = 0
  const lane = async () => {
    while (next < batch.length) await task(batch[next++] as Item)
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
}

const check = (side: Side, opened: number, expected: number) => {
  if (opened !== expected) throw new Error(`${side}: ${opened} of ${expected} records opened`)
}

/** The floor: WebCrypto alone. */
const rawBatch = async (key: CryptoKey, batch: ReadonlyArray<Item>, concurrency: number) => {
  const subtle = globalThis.crypto.subtle
  let opened = 0
  await lanes(batch, concurrency, async ({ plaintext, aad: additionalData }) => {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
    const ct = await subtle.encrypt({ name: "AES-GCM", iv, additionalData, tagLength: 128 }, key, plaintext)
    const pt = await subtle.decrypt({ name: "AES-GCM", iv, additionalData, tagLength: 128 }, key, ct)
    if (pt.byteLength === recordBytes) opened++
  })
  check("raw", opened, batch.length)
}

/** Reference: the same two WebCrypto calls through the vault's Effect wrappers, in the same Effect.forEach as ours. */
const referenceBatch = async (key: CryptoKey, batch: ReadonlyArray<Item>, concurrency: number) => {
  let opened = 0
  await Effect.runPromise(
    Effect.forEach(
      batch,
      ({ plaintext, aad }) => {
        const iv = globalThis.crypto.getRandomValues(new Uint8Array(12))
        return Effect.flatMap(aesGcmEncrypt(key, iv, plaintext, aad), (ct) =>
          Effect.map(aesGcmDecrypt(key, iv, ct, aad, "the record"), (pt) => {
            if (pt.byteLength === recordBytes) opened++
          }),
        )
      },
      { concurrency, discard: true },
    ),
  )
  check("reference", opened, batch.length)
}

/**
 * Ours: one Effect program per batch. One record at a time goes through
 * `Envelope.seal`/`Envelope.open`; with records in flight, through the batch
 * API a sync page or an import uses (`Envelope.sealAll`/`Envelope.openAll`:
 * one bridge into Effect per batch instead of a fiber per record).
 */
const envelopeBatch = async (key: Envelope.ContentKey, batch: ReadonlyArray<Item>, concurrency: number) => {
  let opened = 0
  const count = (pt: Uint8Array) => {
    if (pt.byteLength === recordBytes) opened++
  }
  const oneByOne = Effect.forEach(
    batch,
    ({ context, plaintext }) =>
      Effect.flatMap(Envelope.seal(key, context, plaintext), (envelope) =>
        Effect.map(Envelope.open(key, context, envelope), count),
      ),
    { discard: true },
  )
  const inBatches = Effect.flatMap(Envelope.sealAll(key, batch, { concurrency }), (sealed) =>
    Effect.map(
      Envelope.openAll(
        () => key,
        batch.map(({ context }, index) => ({ context, envelope: sealed[index] as Envelope.Envelope })),
        { concurrency },
      ),
      (plaintexts) => plaintexts.forEach(count),
    ),
  )
  await Effect.runPromise((concurrency === 1 ? oneByOne : inBatches).pipe(Effect.provide(Entropy.layer)))
  check("ours", opened, batch.length)
}

interface Sample {
  /** Records per second, wall clock. */
  readonly throughput: number
  /** Main-thread (event loop) busy time per record, µs. */
  readonly mainThreadUs: number
}

/** One round: every record through every side, in alternating batches. */
const round = async (
  data: ReadonlyArray<Item>,
  run: Record<Side, (batch: ReadonlyArray<Item>) => Promise<void>>,
): Promise<Record<Side, Sample>> => {
  const spent = { raw: { ms: 0, busyMs: 0 }, reference: { ms: 0, busyMs: 0 }, ours: { ms: 0, busyMs: 0 } }
  for (let offset = 0, index = 0; offset < data.length; offset += batchSize, index++) {
    const batch = data.slice(offset, offset + batchSize)
    for (const side of index % 2 === 0 ? sides : [...sides].reverse()) {
      const elu = performance.eventLoopUtilization()
      const started = performance.now()
      await run[side](batch)
      spent[side].ms += performance.now() - started
      spent[side].busyMs += performance.eventLoopUtilization(elu).active
    }
  }
  const sample = (side: Side): Sample => ({
    throughput: data.length / (spent[side].ms / 1000),
    mainThreadUs: (spent[side].busyMs * 1000) / data.length,
  })
  return { raw: sample("raw"), reference: sample("reference"), ours: sample("ours") }
}

const envelopes = async () => {
  const cryptoKey = await Effect.runPromise(importAesKey(new Uint8Array(randomBytes(32))))
  const contentKey: Envelope.ContentKey = { kid, key: cryptoKey }
  const data = makeRecords()
  const results: Array<{ concurrency: number } & Record<Side, Sample>> = []
  for (const concurrency of concurrencies) {
    const run: Record<Side, (batch: ReadonlyArray<Item>) => Promise<void>> = {
      raw: (batch) => rawBatch(cryptoKey, batch, concurrency),
      reference: (batch) => referenceBatch(cryptoKey, batch, concurrency),
      ours: (batch) => envelopeBatch(contentKey, batch, concurrency),
    }
    // Warm-up: JIT, WebCrypto's thread pool, the Effect runtime.
    await round(data, run)
    const samples: Array<Record<Side, Sample>> = []
    for (let index = 1; index <= rounds; index++) {
      const sample = await round(data, run)
      samples.push(sample)
      out(
        `round ${index} concurrency ${concurrency}: ${sides
          .map(
            (side) =>
              `${label[side]} ${sample[side].throughput.toFixed(0)}/s (${sample[side].mainThreadUs.toFixed(1)} µs)`,
          )
          .join(", ")}`,
      )
    }
    const summary = (side: Side): Sample => ({
      throughput: median(samples.map((sample) => sample[side].throughput)),
      mainThreadUs: median(samples.map((sample) => sample[side].mainThreadUs)),
    })
    results.push({ concurrency, raw: summary("raw"), reference: summary("reference"), ours: summary("ours") })
  }
  return { results, aadBytes: data[0]?.aad.length ?? 0 }
}

// ── Argon2id ─────────────────────────────────────────────────────────────────

const argon2idTimes = async () => {
  const policy = CryptoPolicy.v2.kdf
  if (policy.alg !== "argon2id") throw new Error("policy v2 is expected to use Argon2id")
  const passphrase = new TextEncoder().encode("correct horse battery staple, 2026")
  const salt = new Uint8Array(randomBytes(Kdf.SALT_BYTES))
  const params: Kdf.Argon2idParams = { alg: "argon2id", m: policy.m, t: policy.t, p: policy.p, salt }
  const wasm = () => Effect.runPromise(Kdf.derive(passphrase, params, new Uint8Array(0)))
  const native = () =>
    argon2.hash(Buffer.from(passphrase), {
      type: argon2.argon2id,
      memoryCost: policy.m,
      timeCost: policy.t,
      parallelism: policy.p,
      hashLength: Kdf.KEY_BYTES,
      salt: Buffer.from(salt),
      raw: true,
    })
  // Warm-up, and a check that both compute the same function.
  const [a, b] = [await wasm(), await native()]
  if (Buffer.compare(Buffer.from(a), b) !== 0) throw new Error("hash-wasm and argon2 disagree")
  const wasmMs: Array<number> = []
  const nativeMs: Array<number> = []
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now()
    await run()
    return performance.now() - started
  }
  const samples = Math.max(rounds, 5)
  // Alternate which goes first.
  for (let index = 1; index <= samples; index++) {
    if (index % 2 === 1) nativeMs.push(await time(native))
    wasmMs.push(await time(wasm))
    if (index % 2 === 0) nativeMs.push(await time(native))
  }
  out(
    `argon2id samples: WASM ${wasmMs.map((ms) => ms.toFixed(0)).join(", ")} ms; native ${nativeMs.map((ms) => ms.toFixed(0)).join(", ")} ms`,
  )
  return { params: policy, wasm: median(wasmMs), native: median(nativeMs), samples }
}

// ── Report ───────────────────────────────────────────────────────────────────

const main = async () => {
  const envelope = await envelopes()
  const kdf = await argon2idTimes()
  out("")
  out("Vault")
  out(`machine:   ${machine()}`)
  out(
    `envelopes  ${records.toLocaleString("en")} × ${recordBytes} B records, seal then open, vs raw WebCrypto AES-256-GCM (random IV, ${envelope.aadBytes} B AAD); median of ${rounds} rounds`,
  )
  let failed = false
  for (const result of envelope.results) {
    const ratio = result.ours.throughput / result.raw.throughput
    const pass = ratio >= envelopeGoal
    failed ||= !pass
    const mode = result.concurrency === 1 ? "sequential" : `${result.concurrency} in flight`
    out(
      `           ${mode}: raw ${result.raw.throughput.toFixed(0)} records/s, Envelope ${result.ours.throughput.toFixed(0)} records/s: ratio ${ratio.toFixed(3)} (goal ≥ ${envelopeGoal}) ${pass ? "PASS" : "FAIL"}`,
    )
    out(
      `             reference (Effect + subtle.ts, AAD precomputed) ${result.reference.throughput.toFixed(0)} records/s: ratio ${(result.reference.throughput / result.raw.throughput).toFixed(3)}`,
    )
    out(
      `             main thread per record: raw ${result.raw.mainThreadUs.toFixed(1)} µs, reference ${result.reference.mainThreadUs.toFixed(1)} µs, Envelope ${result.ours.mainThreadUs.toFixed(1)} µs`,
    )
  }
  const kdfRatio = kdf.wasm / kdf.native
  const ratioPass = kdfRatio <= argonRatioGoal
  const timePass = kdf.wasm <= argonSecondsGoal * 1000
  failed ||= !ratioPass || !timePass
  out(
    `argon2id   m=${kdf.params.m} KiB t=${kdf.params.t} p=${kdf.params.p}, 32 B, one derivation at a time; median of ${kdf.samples}`,
  )
  out(`           hash-wasm via Kdf.derive ${kdf.wasm.toFixed(0)} ms, native argon2 ${kdf.native.toFixed(0)} ms`)
  out(`           ratio WASM/native ${kdfRatio.toFixed(2)} (goal ≤ ${argonRatioGoal}) ${ratioPass ? "PASS" : "FAIL"}`)
  out(
    `           WASM per derivation ${(kdf.wasm / 1000).toFixed(3)} s (goal ≤ ${argonSecondsGoal} s) ${timePass ? "PASS" : "FAIL"}`,
  )
  if (failed) process.exitCode = 1
}

await main()
