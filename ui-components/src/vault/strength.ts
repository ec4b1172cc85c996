/**
 * Passphrase strength for the vault, judged in the browser (the server never
 * sees a vault passphrase) by zxcvbn-ts with its English and common
 * dictionaries and the user's own details. The dictionaries are large, so
 * they load on first use, in their own chunk, not with the page.
 */
export interface Strength {
  /** 0 (guessed at once) … 4 (very unlikely to be guessed). */
  readonly score: 0 | 1 | 2 | 3 | 4
  readonly warning: string
  readonly suggestions: ReadonlyArray<string>
}

/** The vault accepts a passphrase from this score up. */
export const MIN_SCORE = 3
export const MIN_LENGTH = 12

let estimator: Promise<(passphrase: string, userInputs: ReadonlyArray<string>) => Strength> | undefined

const load = () => {
  estimator ??= Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-en"),
  ]).then(([core, common, en]) => {
    const zxcvbn = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...en.dictionary },
      graphs: common.adjacencyGraphs,
      translations: en.translations,
    })
    return (passphrase: string, userInputs: ReadonlyArray<string>) => {
      const result = zxcvbn.check(passphrase, [...userInputs])
      return {
        score: result.score,
        warning: result.feedback.warning ?? "",
        suggestions: result.feedback.suggestions,
      }
    }
  })
  return estimator
}

export const estimate = async (passphrase: string, userInputs: ReadonlyArray<string> = []): Promise<Strength> =>
  (await load())(passphrase, userInputs)

export const labels = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const
