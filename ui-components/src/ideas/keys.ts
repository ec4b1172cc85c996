/**
 * The musical keys the idea form offers — the twelve notes, major and minor,
 * spelled as musicians usually write them (`Bb` and `Eb` rather than `A#`
 * and `D#`, `F#` and `C#m` rather than `Gb` and `Dbm`) in the contract's
 * notation (`C`, `C#m`, `Bb`, `F#m`) — and how a key reads on screen.
 */

export interface KeyGroup {
  readonly label: string
  readonly keys: ReadonlyArray<string>
}

export const keyGroups: ReadonlyArray<KeyGroup> = [
  { label: "Major", keys: ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"] },
  { label: "Minor", keys: ["Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm"] },
]

/** Every key the form offers. */
export const offeredKeys: ReadonlySet<string> = new Set(keyGroups.flatMap((group) => group.keys))

const qualities: Readonly<Record<string, string>> = {
  "": "major",
  maj: "major",
  m: "minor",
  min: "minor",
  dim: "diminished",
  aug: "augmented",
}

/** A key in words, with the accidental as a sign: `F#m` → "F♯ minor", `Bb` → "B♭ major"; anything else as written. */
export const keyLabel = (key: string): string => {
  const parsed = /^([A-G])([#b]?)(m|maj|min|dim|aug)?$/.exec(key)
  if (parsed === null) return key
  const [, note = "", accidental = "", quality = ""] = parsed
  const sign = accidental === "#" ? "♯" : accidental === "b" ? "♭" : ""
  return `${note}${sign} ${qualities[quality] ?? "major"}`
}
