#!/usr/bin/env node
// The browser tests need Chromium. Found on PATH (or CHROMIUM_PATH): done. Missing, and we are
// root on a Debian-like system: install Debian's package. Otherwise stop with one clear sentence.
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

const found = () => {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
  const which = spawnSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" })
  return which.status === 0 ? which.stdout.trim().split("\n")[0] : undefined
}

if (found() === undefined) {
  const root = typeof process.getuid === "function" && process.getuid() === 0
  const apt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0
  if (!root || !apt) {
    process.stderr.write(
      "The browser tests need Chromium: install it (on Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary, then run the tests again.\n",
    )
    process.exit(1)
  }
  process.stdout.write("Chromium not found: installing Debian's chromium package for the browser tests…\n")
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" })
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  })
  if (found() === undefined) {
    process.stderr.write("Installing chromium did not put it on PATH; set CHROMIUM_PATH to the Chromium binary.\n")
    process.exit(1)
  }
}
