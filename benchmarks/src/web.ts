/**
 * The web app's weight and speed, from the production builds (run
 * `npm run build:ui` first; `npm run bench` does).
 *
 * - Gzip size of the first load: index.html, the scripts and styles it
 *   references (following static imports), theme.css and the theme boot
 *   script — against the goal of 250 KB.
 * - Gzip size of the smallest embeddable element: its entry and the chunks
 *   it imports.
 * - Time to first contentful paint of the shell in Chromium on loopback,
 *   against a plain HTML page served by the same server process in the same
 *   run (the ratio is what the app adds).
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { createServer } from "node:http"
import * as os from "node:os"
import * as path from "node:path"
import { gzipSync } from "node:zlib"
import { chromium } from "@playwright/test"
import { machine, median, repoRoot, startServer } from "./support.js"

const webDist = path.join(repoRoot, "apps/web/dist")
const embedDist = path.join(repoRoot, "ui-components/dist")
const goalBytes = 250 * 1024
const runs = Number(process.env.BENCH_ROUNDS ?? "5")

const gzipped = (file: string) => gzipSync(fs.readFileSync(file), { level: 9 }).length

/** A module and every module it imports statically (relative specifiers), once each. */
const closure = (entry: string, seen = new Set<string>()): Set<string> => {
  if (seen.has(entry)) return seen
  seen.add(entry)
  const source = fs.readFileSync(entry, "utf8")
  for (const match of source.matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const specifier = match[1]
    if (specifier !== undefined) closure(path.resolve(path.dirname(entry), specifier), seen)
  }
  return seen
}

const firstLoad = () => {
  const html = fs.readFileSync(path.join(webDist, "index.html"), "utf8")
  const files = new Set<string>([path.join(webDist, "index.html")])
  for (const match of html.matchAll(/(?:src|href)="(\/[^"]+)"/g)) {
    const url = match[1] ?? ""
    const file = url.startsWith("/embed/") ? path.join(embedDist, url.slice(7)) : path.join(webDist, url)
    if (!fs.existsSync(file) || url.endsWith(".webmanifest") || url.endsWith(".svg")) continue
    if (file.endsWith(".js")) for (const module of closure(file)) files.add(module)
    else files.add(file)
  }
  return [...files].reduce((sum, file) => sum + gzipped(file), 0)
}

const smallestElement = () =>
  fs
    .readdirSync(embedDist)
    .filter((name) => /^ig-.*\.js$/.test(name) && name !== "ig-theme-boot.js")
    .map((name) => ({
      name,
      bytes: [...closure(path.join(embedDist, name))].reduce((sum, file) => sum + gzipped(file), 0),
    }))
    .sort((a, b) => a.bytes - b.bytes)[0]

const baselinePage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><h1>Sign in</h1><p>A static page, for comparison.</p></body></html>`

const firstContentfulPaint = async (url: string): Promise<number> => {
  const executablePath =
    process.env.CHROMIUM_PATH ?? spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).stdout.trim()
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
  })
  try {
    // A fresh context each time: no cache, no service worker — a first visit.
    const context = await browser.newContext({ serviceWorkers: "block" })
    const page = await context.newPage()
    await page.goto(url, { waitUntil: "load" })
    // The paint timing entry is buffered: wait until the browser has recorded it. (A string, so
    // the transpiler's helpers do not leak into the page.)
    const fcp = await page.evaluate<number>(`new Promise((resolve) => {
      const look = () => {
        const found = performance.getEntriesByName("first-contentful-paint")[0]
        if (found === undefined) setTimeout(look, 20)
        else resolve(found.startTime)
      }
      look()
    })`)
    await context.close()
    return fcp
  } finally {
    await browser.close()
  }
}

const main = async () => {
  const load = firstLoad()
  const smallest = smallestElement()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ignition-bench-web-"))
  const baseline = createServer((_request, response) =>
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(baselinePage),
  )
  await new Promise<void>((resolve) => baseline.listen(0, "127.0.0.1", resolve))
  const baselineAddress = baseline.address()
  const baselinePort = typeof baselineAddress === "object" && baselineAddress !== null ? baselineAddress.port : 0
  const server = await startServer(
    "ignition",
    ["apps/server/src/main.ts"],
    { PORT: "0", IGNITION_DATA_DIR: dataDir },
    (line) => {
      const match = /Ignition is listening on http:\/\/[^:]+:(\d+)/.exec(line)
      return match?.[1] === undefined ? undefined : Number(match[1])
    },
  )
  try {
    const app: Array<number> = []
    const plain: Array<number> = []
    for (let i = 0; i < runs; i++) {
      plain.push(await firstContentfulPaint(`http://127.0.0.1:${baselinePort}/`))
      app.push(await firstContentfulPaint(`http://localhost:${server.port}/sign-in`))
    }
    const out = (line: string) => process.stdout.write(`${line}\n`)
    out("")
    out("Web app")
    out(`machine:   ${machine()}`)
    out(
      `first load ${(load / 1024).toFixed(1)} KB gzip (goal ≤ ${goalBytes / 1024} KB: ratio ${(load / goalBytes).toFixed(2)}) ${load <= goalBytes ? "PASS" : "FAIL"}`,
    )
    if (smallest !== undefined)
      out(`smallest   ${smallest.name}: ${(smallest.bytes / 1024).toFixed(1)} KB gzip with its chunks`)
    out(
      `first contentful paint, median of ${runs}: shell ${median(app).toFixed(0)} ms, plain page ${median(plain).toFixed(0)} ms (ratio ${(median(app) / median(plain)).toFixed(2)})`,
    )
    if (load > goalBytes) process.exitCode = 1
  } finally {
    await server.stop()
    baseline.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
