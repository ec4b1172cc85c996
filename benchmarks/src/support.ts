/**
 * Shared pieces of the benchmarks: starting a server in a child process,
 * driving it with autocannon, and reporting a comparison.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import autocannon from "autocannon"

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

export interface RunningServer {
  readonly name: string
  readonly port: number
  readonly stop: () => Promise<void>
}

/**
 * Start `args` under node (with tsx and the workspace-source condition) and
 * wait until a stdout line yields a port.
 */
export const startServer = (
  name: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  portFromLine: (line: string) => number | undefined,
): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--conditions=@ignition/source", "--import", "tsx", ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    })
    const exited = new Promise<void>((done) => child.once("exit", () => done()))
    const stop = async () => {
      child.kill("SIGTERM")
      await exited
    }
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code} before listening`)))
    if (child.stdout === null) return reject(new Error("no stdout"))
    const lines = createInterface({ input: child.stdout })
    lines.on("line", (line) => {
      const port = portFromLine(line)
      if (port !== undefined) resolve({ name, port, stop })
    })
  })

export interface Measurement {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly errors: number
  readonly non2xx: number
}

export const measure = async (
  url: string,
  options: { readonly seconds: number; readonly connections: number; readonly headers?: Record<string, string> },
): Promise<Measurement> => {
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  })
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  }
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export const machine = (): string =>
  `${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
