// Argon2id hashing off the event loop (a Piscina worker; see src/Auth/Passwords.ts).
// Plain JavaScript so the same file serves the TypeScript sources and the build.
import { argon2id, argon2Verify } from "hash-wasm"

export const hash = ({ password, salt, memoryKiB, iterations }) =>
  argon2id({
    password,
    salt,
    parallelism: 1,
    iterations,
    memorySize: memoryKiB,
    hashLength: 32,
    outputType: "encoded",
  })

export const verify = ({ password, hash }) => argon2Verify({ password, hash })
