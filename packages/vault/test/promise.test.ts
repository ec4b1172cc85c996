/**
 * The Promise facade, used as a non-Effect application would: JSON in and
 * out, typed errors as rejections, lock events through a callback.
 */
import { afterEach, describe, expect, it } from "vitest"
import { v2 } from "../src/CryptoPolicy.js"
import { CryptoPolicy } from "../src/index.js"
import { DecryptionFailed, VaultKeyring, VaultLocked, WrongCredential } from "../src/promise.js"
import { binding, floorPolicy } from "./support.js"

const policyJson = { ...floorPolicy }
const ref = { recordType: "idea", recordId: "i1" }
let keyring: VaultKeyring | undefined

afterEach(async () => {
  await keyring?.dispose()
  keyring = undefined
})

describe("@ignition/vault/promise", () => {
  it("creates, seals, locks, refuses, unlocks and opens with JSON values", async () => {
    keyring = new VaultKeyring()
    const reasons: Array<string> = []
    const stop = keyring.onLock((reason) => reasons.push(reason))
    const created = await keyring.create(binding, "my passphrase", policyJson)
    expect(typeof created.unlockProof).toBe("string")
    const envelope = await keyring.sealString(ref, "a riff in D minor")
    expect(Object.keys(envelope).sort()).toEqual(["ct", "iv", "kid", "v"])
    await keyring.lock()
    await expect(keyring.openString(ref, envelope)).rejects.toBeInstanceOf(VaultLocked)
    const unlock = (passphrase: string) =>
      keyring?.unlock({
        binding,
        wrap: created.wrap,
        credential: { type: "passphrase", passphrase },
        contentKeys: [created.contentKey],
        currentKid: created.contentKey.kid,
        currentPolicy: policyJson,
      })
    await expect(unlock("wrong")).rejects.toBeInstanceOf(WrongCredential)
    const unlocked = await unlock("my passphrase")
    expect(unlocked?.upgradedWrap).toBeUndefined()
    expect(await keyring.openString(ref, envelope)).toBe("a riff in D minor")
    await expect(keyring.openString({ ...ref, recordId: "i2" }, envelope)).rejects.toBeInstanceOf(DecryptionFailed)
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(reasons).toEqual(["manual"])
    stop()
  })

  it("refuses a policy below the floor with a typed error, whatever the server sent", async () => {
    keyring = new VaultKeyring()
    const weak = { ...CryptoPolicy.v2, kdf: { alg: "argon2id", m: 1024, t: 1, p: 1 } }
    await expect(keyring.create(binding, "p", weak)).rejects.toMatchObject({ _tag: "PolicyRefused" })
    await expect(keyring.create(binding, "p", { ...v2, version: 1 })).rejects.toMatchObject({ _tag: "PolicyRefused" })
  })

  it("recovery verifiers come from typed codes and typos are refused", async () => {
    keyring = new VaultKeyring()
    await keyring.create(binding, "p", policyJson)
    const set = await keyring.generateRecoveryCodes(policyJson)
    const first = set.codes[0] ?? ""
    expect(await VaultKeyring.recoveryVerifier(first.toLowerCase())).toBe(set.entries[0]?.verifier)
    const typo = `${first.slice(0, 2)}${first[2] === "A" ? "B" : "A"}${first.slice(3)}`
    await expect(VaultKeyring.recoveryVerifier(typo)).rejects.toMatchObject({ _tag: "InvalidRecoveryCode", group: 1 })
  })
})
